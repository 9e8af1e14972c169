"""``search_services``: filters over in-memory columns, candidates from word postings, rapidfuzz
re-ranking of the best few hundred, and one page loaded from the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np
from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from directory.geography import Place, resolve
from directory.hours import service_open_state
from directory.models import Service, ServiceAtLocation
from directory.search.index import DirectoryIndex, current_index
from directory.search.locality import Locality, locality
from directory.search.query import SearchHit, SearchQuery, SearchResults
from directory.search.text import query_words
from directory.search.typed_place import with_typed_postcode
from matcher.vocabulary import LONDON

RERANK = 200  # how many of the postings' best candidates rapidfuzz re-ranks
SUGGESTIONS = 5


def load_services(session: Session, service_ids: Sequence[str], phones: bool = True) -> dict[str, Service]:
    """Services with everything a service page (or, without ``phones``, a result) shows, by id, in as
    few queries as the relationships allow."""
    if not service_ids:
        return {}
    options = [
        joinedload(Service.organization),
        selectinload(Service.needs),
        selectinload(Service.sessions),
        selectinload(Service.exceptions),
        selectinload(Service.location_links).joinedload(ServiceAtLocation.location),
    ]
    if phones:
        options.append(selectinload(Service.phones))
    rows = session.scalars(select(Service).where(Service.id.in_(service_ids)).options(*options))
    return {service.id: service for service in rows}


def filter_mask(
    index: DirectoryIndex, query: SearchQuery, origin: Place | None, distances: np.ndarray | None
) -> np.ndarray:
    """Documents passing every filter in ``query`` (the same answers as ``filters.filtered_ids``)."""
    columns = index.columns
    mask = columns.statuses(query.statuses)
    if query.needs:
        mask &= columns.any_need(index.need_mask(query.needs))
    if query.age is not None:
        mask &= columns.age(query.age)
    if query.gender:
        mask &= columns.gender(query.gender)
    if query.self_referral:
        mask &= columns.self_referral()
    if query.delivery:
        mask &= columns.any_delivery(query.delivery)
    if query.organization_id:
        mask &= columns.organisation == index.organisation_ids.get(query.organization_id, -2)
    if query.modified_after:
        mask &= columns.modified_after(query.modified_after)
    if query.open_now and query.at is not None:
        mask &= columns.open_now(query.at)
    if origin is not None and distances is not None and query.radius_km:
        near = (distances <= query.radius_km) & columns.takes_from(origin)
        mask &= near | columns.remote_covering(origin)
    return mask


def _rerank(index: DirectoryIndex, words: list[str], docs: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Scores from 0 to 100: the postings score (relative to the best) blended with rapidfuzz over the
    service name, and over name, organisation and place together."""
    phrase = " ".join(words)
    best = float(scores.max()) or 1.0
    blended = np.empty(len(docs), dtype=np.float64)
    for n, (doc, score) in enumerate(zip(docs.tolist(), scores.tolist(), strict=True)):
        name = fuzz.WRatio(phrase, index.names[doc])
        context = fuzz.token_set_ratio(phrase, index.context(doc))
        blended[n] = 0.5 * 100 * score / best + 0.3 * name + 0.2 * context
    return blended


def _rank(
    index: DirectoryIndex, words: list[str], allowed: np.ndarray, require_all: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Matching documents with 0-100 scores; beyond the re-ranked best, the rest keep the postings'
    order below them."""
    raw = index.postings.match(words, allowed, require_all)
    docs = np.flatnonzero(raw > 0)
    if not len(docs):
        return docs, np.zeros(0)
    scores = raw[docs]
    if len(docs) <= RERANK:
        return docs, _rerank(index, words, docs, scores)
    top = np.argpartition(-scores, RERANK - 1)[:RERANK]
    rest = np.ones(len(docs), dtype=bool)
    rest[top] = False
    head = _rerank(index, words, docs[top], scores[top])
    tail = scores[rest] / float(scores.max()) * min(float(head.min()), 50.0) * 0.99
    return np.concatenate([docs[top], docs[rest]]), np.concatenate([head, tail])


def _order(
    index: DirectoryIndex,
    docs: np.ndarray,
    scores: np.ndarray | None,
    distances: np.ndarray | None,
    by_distance: bool,
    near: Locality | None = None,
) -> list[int]:
    """Best score first (rounded, so near-equal scores fall to distance), then nearest, then name; or
    nearest first. Services with no location come after located ones. With ``near`` (best match near
    a postcode), services serving that place come before all others."""
    dist = distances[docs] if distances is not None else np.zeros(len(docs))
    score = -np.rint(scores) if scores is not None else np.zeros(len(docs))
    names = index.name_rank[docs]
    keys: list[np.ndarray] = [names, score, dist] if by_distance else [names, dist, score]
    if near is not None:
        keys.append(~near.serves[docs])  # lexsort: the last key first
    ordered: list[int] = docs[np.lexsort(tuple(keys))].tolist()
    return ordered


def _hits(
    session: Session,
    index: DirectoryIndex,
    page_docs: list[int],
    scores: dict[int, float],
    distances: np.ndarray | None,
    at: datetime,
) -> list[SearchHit]:
    services = load_services(session, [index.ids[d] for d in page_docs], phones=False)
    hits = []
    for doc in page_docs:
        service = services.get(index.ids[doc])
        if service is None:  # deleted since the index was built
            continue
        distance = float(distances[doc]) if distances is not None and np.isfinite(distances[doc]) else None
        hits.append(
            SearchHit(
                service=service,
                score=round(scores[doc], 1) if doc in scores else None,
                distance_km=round(distance, 1) if distance is not None else None,
                open_state=service_open_state(service, at),
            )
        )
    return hits


def _distances(index: DirectoryIndex, origin: Place | None, radius_km: float | None) -> np.ndarray | None:
    """Kilometres from ``origin`` to every service; with a radius, only those within it are measured
    (the rest are filtered out, so their distance is never shown)."""
    if origin is None:
        return None
    if radius_km:
        return index.points.distances_within(origin.latitude, origin.longitude, radius_km)
    return index.distances(origin.latitude, origin.longitude)


def search_services(session: Session, query: SearchQuery, full_postcodes_file: str = "") -> SearchResults:
    """Services matching ``query``, best first, one page of them (near a postcode typed in its words
    when it names none: ``typed_place``).

    Raises ``directory.geography.PostcodeError`` for a malformed or unknown postcode.
    """
    at = query.at or datetime.now(LONDON)
    query = replace(with_typed_postcode(query), at=at)
    origin = resolve(query.postcode, full_postcodes_file) if query.postcode else None
    index = current_index(session)
    distances = _distances(index, origin, query.radius_km)
    allowed = filter_mask(index, query, origin, distances)
    near = locality(index.columns, origin, distances) if origin and distances is not None else None
    words = query_words(query.text)
    if words:
        docs, scores = _rank(index, words, allowed)
        if near is not None:
            scores = near.weigh(docs, scores)
        score_of = dict(zip(docs.tolist(), scores.tolist(), strict=True))
    else:
        docs, scores, score_of = np.flatnonzero(allowed), None, {}
    by_distance = query.sort == "distance"
    ordered = _order(index, docs, scores, distances, by_distance, None if by_distance else near)
    start = (query.page - 1) * query.per_page
    page_docs = ordered[start : start + query.per_page]
    return SearchResults(
        total=len(ordered),
        page=query.page,
        per_page=query.per_page,
        items=_hits(session, index, page_docs, score_of, distances, at),
        origin=origin,
    )


def nearest_matches(session: Session, query: SearchQuery, full_postcodes_file: str = "") -> list[SearchHit]:
    """For a search that found nothing: the matches for its words ignoring every filter (any word may
    match), best first, or nearest first when it has a postcode (phone and online services serving
    that place after the places, never those of another area); with no words, the services nearest
    its postcode."""
    at = query.at or datetime.now(LONDON)
    query = with_typed_postcode(query)
    words = query_words(query.text)
    origin = resolve(query.postcode, full_postcodes_file) if query.postcode else None
    index = current_index(session)
    allowed = index.columns.statuses(query.statuses)
    distances = index.distances(origin.latitude, origin.longitude) if origin else None
    if origin is not None and distances is not None:
        allowed &= np.isfinite(distances) | (index.columns.remote_covering(origin) if words else False)
    if words:
        docs, scores = _rank(index, words, allowed, require_all=False)
        ordered = _order(index, docs, scores, distances, by_distance=origin is not None)
        score_of = dict(zip(docs.tolist(), scores.tolist(), strict=True))
    elif distances is not None:
        ordered = _order(index, np.flatnonzero(allowed), None, distances, True)
        score_of = {}
    else:
        return []
    return _hits(session, index, ordered[:SUGGESTIONS], score_of, distances, at)


def matching_ids(session: Session, text: str, limit: int = 1000) -> list[str]:
    """Ids of the services whose words match ``text`` (typo-tolerant, every word), best first, at most
    ``limit``; no filters (callers filter)."""
    words = query_words(text)
    if not words:
        return []
    index = current_index(session)
    docs, scores = _rank(index, words, np.ones(index.size, dtype=bool))
    best = docs[np.argsort(-scores, kind="stable")][:limit]
    return [index.ids[d] for d in best.tolist()]
