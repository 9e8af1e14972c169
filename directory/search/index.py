"""An in-memory word index over the directory, for typo-tolerant search at 100,000 services.

Each service is a document of weighted fields: its name, its organisation's name, the places it is
in (towns, local authority names, postcode districts, catchment areas), the labels of the needs it
covers, and its description. Words go into compressed postings (one numpy array for every word's
documents, one for weights), so 100,000 services cost tens of megabytes, not hundreds.

A query word finds the directory words it could mean: itself, words it begins (``manch``), the word
it makes with the next one (``food bank`` -> ``foodbank``), the two words it splits into (``foodbank``
-> ``food bank``) and, with rapidfuzz, words within a typo or two (``alchohol`` -> ``alcohol``). A document matches when every query word finds something in it; its score sums, per
query word, the best ``similarity x field weight x rarity`` in the document. The search engine then
re-ranks the best few hundred with rapidfuzz over whole names.

The index is rebuilt when the directory changes: ``fingerprint`` reads the services' count and the
newest ``updated_at`` of services, organisations and locations (indexed, so a few index probes).
"""

from __future__ import annotations

import bisect
import math
import threading
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory import geography
from directory.models import Location, Need, Organization, Service, ServiceAtLocation, service_need
from directory.search.text import fold, words

FIELD_WEIGHTS = {"name": 3.0, "organisation": 2.0, "place": 2.0, "need": 1.5, "description": 1.0}
EXACT, PREFIX, FUZZY = 1.0, 0.85, 0.9  # how much a match of each kind is worth (fuzzy x its ratio)
FUZZY_CUTOFF = 80  # rapidfuzz ratio; one typo in a word of five letters or more passes
EARTH_RADIUS_KM = 6371.009  # geopy's great_circle radius, so distances agree with directory.geography


@dataclass
class Document:
    """One service as the index sees it."""

    service_id: str
    status: str
    name: str
    organisation: str
    places: list[str]
    needs: list[str]
    description: str
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class WordMatch:
    """A directory word a query word may mean, and how close it is (0-1)."""

    word: str
    similarity: float


class TextIndex:
    """Postings for every word in the directory, plus what re-ranking and distances need."""

    def __init__(self, documents: Iterable[Document], fingerprint: tuple[Any, ...] = ()) -> None:
        self.fingerprint = fingerprint
        self.ids: list[str] = []
        self.names: list[str] = []
        self.contexts: list[str] = []
        statuses: list[str] = []
        vocabulary: dict[str, int] = {}
        word_ids, doc_ids, weights = array("i"), array("i"), array("f")
        loc_doc, loc_lat, loc_lon = array("i"), array("d"), array("d")
        for doc_number, doc in enumerate(documents):
            self.ids.append(doc.service_id)
            statuses.append(doc.status)
            name, organisation = fold(doc.name), fold(doc.organisation)
            self.names.append(name)
            self.contexts.append(" ".join([name, organisation, *(fold(p) for p in doc.places)]))
            best: dict[int, float] = {}
            fields = (
                ("name", doc.name),
                ("organisation", doc.organisation),
                ("place", " ".join(doc.places)),
                ("need", " ".join(doc.needs)),
                ("description", doc.description),
            )
            for field_name, text in fields:
                weight = FIELD_WEIGHTS[field_name]
                for word in words(text):
                    word_id = vocabulary.setdefault(word, len(vocabulary))
                    if best.get(word_id, 0.0) < weight:
                        best[word_id] = weight
            word_ids.extend(best.keys())
            weights.extend(best.values())
            doc_ids.extend([doc_number] * len(best))
            for lat, lon in doc.points:
                loc_doc.append(doc_number)
                loc_lat.append(lat)
                loc_lon.append(lon)

        self.size = len(self.ids)
        self.name_rank = np.empty(self.size, dtype=np.int32)
        self.name_rank[sorted(range(self.size), key=self.names.__getitem__)] = np.arange(self.size)
        self.position = {service_id: n for n, service_id in enumerate(self.ids)}
        self.status = np.array(statuses, dtype=object)
        self._status_masks: dict[tuple[str, ...], np.ndarray] = {}
        self.vocabulary = vocabulary
        self.sorted_words = sorted(vocabulary)
        self.words_by_length: dict[int, list[str]] = {}
        for word in vocabulary:
            self.words_by_length.setdefault(len(word), []).append(word)

        ids = np.frombuffer(word_ids, dtype=np.int32)
        order = np.argsort(ids, kind="stable")
        self.post_docs = np.frombuffer(doc_ids, dtype=np.int32)[order].copy()
        self.post_weights = np.frombuffer(weights, dtype=np.float32)[order].copy()
        counts = np.bincount(ids, minlength=len(vocabulary))
        self.offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.idf = np.log1p(max(self.size, 1) / np.maximum(counts, 1)).astype(np.float32)

        self.loc_doc = np.frombuffer(loc_doc, dtype=np.int32).copy()
        self.loc_lat = np.radians(np.frombuffer(loc_lat, dtype=np.float64))
        self.loc_lon = np.radians(np.frombuffer(loc_lon, dtype=np.float64))

    # -- looking words up -------------------------------------------------------------------------

    def word_matches(self, word: str, next_word: str | None = None) -> list[WordMatch]:
        """Directory words that ``word`` may mean (and ``word + next_word``, for split compounds)."""
        found: dict[str, float] = {}
        if word in self.vocabulary:
            found[word] = EXACT
        if next_word and word + next_word in self.vocabulary:
            found[word + next_word] = EXACT
        if len(word) >= 3:
            start = bisect.bisect_left(self.sorted_words, word)
            for candidate in self.sorted_words[start : start + 50]:
                if not candidate.startswith(word):
                    break
                found.setdefault(candidate, PREFIX)
        if len(word) >= 4:
            for length in range(len(word) - 2, len(word) + 3):
                choices = self.words_by_length.get(length)
                if not choices:
                    continue
                for candidate, ratio, _ in process.extract(
                    word, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=10
                ):
                    similarity = FUZZY * ratio / 100
                    if found.get(candidate, 0.0) < similarity:
                        found[candidate] = similarity
        return [WordMatch(w, s) for w, s in found.items()]

    def _word_scores(self, matches: Sequence[WordMatch]) -> np.ndarray:
        """Per document, the best score any of ``matches`` earns in it (0 where none occurs)."""
        scores = np.zeros(self.size, dtype=np.float32)
        for match in matches:
            word_id = self.vocabulary[match.word]
            start, end = self.offsets[word_id], self.offsets[word_id + 1]
            docs = self.post_docs[start:end]
            value = self.post_weights[start:end] * (match.similarity * self.idf[word_id])
            scores[docs] = np.maximum(scores[docs], value)
        return scores

    def _split_scores(self, word: str) -> np.ndarray:
        """Scores for a query word that the directory writes as two (``foodbank`` -> ``food bank``):
        documents holding both halves, scored as the halves' mean."""
        best = np.zeros(self.size, dtype=np.float32)
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            if head in self.vocabulary and tail in self.vocabulary:
                first = self._word_scores([WordMatch(head, EXACT)])
                second = self._word_scores([WordMatch(tail, EXACT)])
                both = np.where((first > 0) & (second > 0), (first + second) / 2, np.float32(0))
                best = np.maximum(best, both)
        return best

    def findable(self, statuses: tuple[str, ...]) -> np.ndarray:
        """A mask of documents whose status is one of ``statuses``."""
        mask = self._status_masks.get(statuses)
        if mask is None:
            mask = np.isin(self.status, list(statuses))
            self._status_masks[statuses] = mask
        return mask

    def mask_of(self, service_ids: Iterable[str]) -> np.ndarray:
        """A mask of the documents for ``service_ids`` (ids the index does not know are ignored)."""
        mask = np.zeros(self.size, dtype=bool)
        positions = [self.position[i] for i in service_ids if i in self.position]
        mask[positions] = True
        return mask

    def match(self, query_words: Sequence[str], allowed: np.ndarray, require_all: bool = True) -> np.ndarray:
        """Scores for every document (0 = no match): all query words must match when ``require_all``."""
        total = np.zeros(self.size, dtype=np.float32)
        if not query_words:
            return total
        every = allowed.copy()
        anything = np.zeros(self.size, dtype=bool)
        for n, word in enumerate(query_words):
            following = query_words[n + 1] if n + 1 < len(query_words) else None
            previous = query_words[n - 1] if n > 0 else None
            matches = self.word_matches(word, following)
            if previous and previous + word in self.vocabulary:
                matches.append(WordMatch(previous + word, EXACT))
            scores = np.maximum(self._word_scores(matches), self._split_scores(word))
            hit = scores > 0
            every &= hit
            anything |= hit
            total += scores
        keep = every if require_all else (anything & allowed)
        return np.where(keep, total, np.float32(0))

    # -- distances --------------------------------------------------------------------------------

    def distances(self, latitude: float, longitude: float) -> np.ndarray:
        """Kilometres from a point to each document's nearest location (inf for no location)."""
        best = np.full(self.size, np.inf)
        if not len(self.loc_doc):
            return best
        lat, lon = math.radians(latitude), math.radians(longitude)
        a = (
            np.sin((self.loc_lat - lat) / 2) ** 2
            + math.cos(lat) * np.cos(self.loc_lat) * np.sin((self.loc_lon - lon) / 2) ** 2
        )
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
        np.minimum.at(best, self.loc_doc, km)
        return best


# -- building from the database ---------------------------------------------------------------------


def fingerprint(session: Session) -> tuple[Any, ...]:
    """Changes whenever a service, organisation or location is added or changed (see freshness.py)."""
    row = session.execute(
        select(
            select(func.count()).select_from(Service).scalar_subquery(),
            select(func.max(Service.updated_at)).scalar_subquery(),
            select(func.max(Organization.updated_at)).scalar_subquery(),
            select(func.max(Location.updated_at)).scalar_subquery(),
        )
    ).one()
    return tuple(str(value) for value in row)


def _area_names(code: str) -> list[str]:
    """A catchment area (local authority code or postcode district) as words people type."""
    if code in geography.districts():
        return [code, geography.authority_name(geography.districts()[code].local_authority)]
    return [geography.authority_name(code)]


def load_documents(session: Session) -> list[Document]:
    """Every service as an index document, read with a handful of plain queries."""
    organisations = {row[0]: row[1] for row in session.execute(select(Organization.id, Organization.name))}
    labels = {row[0]: row[1] for row in session.execute(select(Need.code, Need.label))}
    needs: dict[str, list[str]] = {}
    for service_id, code in session.execute(select(service_need.c.service_id, service_need.c.need_code)):
        needs.setdefault(service_id, []).append(labels.get(code, code))
    places: dict[str, list[str]] = {}
    points: dict[str, list[tuple[float, float]]] = {}
    located = select(
        ServiceAtLocation.service_id,
        Location.town,
        Location.local_authority,
        Location.postcode_district,
        Location.latitude,
        Location.longitude,
    ).join(Location, Location.id == ServiceAtLocation.location_id)
    for service_id, town, authority, district, lat, lon in session.execute(located):
        words_here = places.setdefault(service_id, [])
        words_here.extend(p for p in (town, geography.authority_name(authority), district) if p)
        if lat is not None and lon is not None:
            points.setdefault(service_id, []).append((lat, lon))
    rows = session.execute(
        select(
            Service.id,
            Service.status,
            Service.name,
            Service.organization_id,
            Service.description,
            Service.catchment_areas,
        ).order_by(Service.id)
    )
    documents = []
    for service_id, status, name, organization_id, description, catchment in rows:
        area_words = [w for code in catchment or [] for w in _area_names(code)]
        documents.append(
            Document(
                service_id=service_id,
                status=status,
                name=name,
                organisation=organisations.get(organization_id, ""),
                places=list(dict.fromkeys(places.get(service_id, []) + area_words)),
                needs=needs.get(service_id, []),
                description=description or "",
                points=points.get(service_id, []),
            )
        )
    return documents


_cache: dict[str, TextIndex] = {}
_lock = threading.Lock()


def current_index(session: Session) -> TextIndex:
    """The index for this session's database, rebuilt first if the directory changed."""
    key = session.get_bind().url.render_as_string(hide_password=True)
    stamp = fingerprint(session)
    index = _cache.get(key)
    if index is not None and index.fingerprint == stamp:
        return index
    with _lock:
        index = _cache.get(key)
        if index is None or index.fingerprint != stamp:
            index = TextIndex(load_documents(session), stamp)
            _cache[key] = index
    return index
