"""``search_services``: filters in SQL, candidates from the word index, re-ranked with rapidfuzz."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np
from rapidfuzz import fuzz
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory.geography import resolve
from directory.hours import service_open_state
from directory.models import Service, ServiceAtLocation
from directory.search.filters import conditions, filtered_ids
from directory.search.index import TextIndex, current_index
from directory.search.query import SearchHit, SearchQuery, SearchResults
from directory.search.text import query_words
from matcher.hours import LONDON

RERANK = 200  # how many of the index's best candidates rapidfuzz re-ranks
SUGGESTIONS = 5


def _load(session: Session, service_ids: Sequence[str]) -> dict[str, Service]:
    """The services to show, with everything a result or a service page displays."""
    if not service_ids:
        return {}
    rows = session.scalars(
        select(Service)
        .where(Service.id.in_(service_ids))
        .options(
            selectinload(Service.organization),
            selectinload(Service.needs),
            selectinload(Service.phones),
            selectinload(Service.sessions),
            selectinload(Service.exceptions),
            selectinload(Service.location_links).selectinload(ServiceAtLocation.location),
        )
    )
    return {service.id: service for service in rows}


def _rerank(index: TextIndex, words: list[str], docs: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Scores from 0 to 100 for ``docs``: the index score (relative to the best) blended with rapidfuzz
    over the service name and over name, organisation and places together."""
    phrase = " ".join(words)
    best = float(scores.max()) or 1.0
    blended = np.empty(len(docs), dtype=np.float64)
    for n, (doc, score) in enumerate(zip(docs.tolist(), scores.tolist(), strict=True)):
        name = fuzz.WRatio(phrase, index.names[doc])
        context = fuzz.token_set_ratio(phrase, index.contexts[doc])
        blended[n] = 0.5 * 100 * score / best + 0.3 * name + 0.2 * context
    return blended


def _rank(
    index: TextIndex, words: list[str], allowed: np.ndarray, require_all: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Matching documents in relevance order with their 0-100 scores (unranked tail scaled below)."""
    raw = index.match(words, allowed, require_all)
    docs = np.flatnonzero(raw > 0)
    if not len(docs):
        return docs, np.zeros(0)
    scores = raw[docs]
    if len(docs) > RERANK:
        top = np.argpartition(-scores, RERANK - 1)[:RERANK]
        rest = np.setdiff1d(np.arange(len(docs)), top, assume_unique=True)
        head = _rerank(index, words, docs[top], scores[top])
        # The tail keeps the index's order, below everything re-ranked.
        tail = (scores[rest] / float(scores.max())) * min(float(head.min()), 50.0) * 0.99
        docs = np.concatenate([docs[top], docs[rest]])
        scores = np.concatenate([head, tail])
    else:
        scores = _rerank(index, words, docs, scores)
    return docs, scores


def _order(
    index: TextIndex,
    docs: np.ndarray,
    scores: np.ndarray | None,
    distances: np.ndarray | None,
    by_distance: bool,
) -> list[int]:
    """Document order: by score (rounded, so near-equal scores fall to distance), then distance and
    name; or by distance first. Services with no location come after located ones."""
    dist = distances[docs] if distances is not None else np.zeros(len(docs))
    score = -np.rint(scores) if scores is not None else np.zeros(len(docs))
    names = index.name_rank[docs]
    keys = (names, score, dist) if by_distance else (names, dist, score)  # lexsort: last key first
    return docs[np.lexsort(keys)].tolist()


def _hits(
    session: Session,
    index: TextIndex,
    page_docs: list[int],
    scores: dict[int, float],
    distances: np.ndarray | None,
    at: datetime,
) -> list[SearchHit]:
    services = _load(session, [index.ids[d] for d in page_docs])
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


def _browse(session: Session, query: SearchQuery, at: datetime) -> SearchResults:
    """No text and no postcode: the filtered services by name, paged by the database."""
    where = conditions(query, None)
    total = session.scalar(select(func.count()).select_from(Service).where(*where)) or 0
    ids = session.scalars(
        select(Service.id)
        .where(*where)
        .order_by(Service.name, Service.id)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    services = _load(session, ids)
    items = [
        SearchHit(services[i], None, None, service_open_state(services[i], at)) for i in ids if i in services
    ]
    return SearchResults(total=total, page=query.page, per_page=query.per_page, items=items)


def search_services(session: Session, query: SearchQuery, full_postcodes_file: str = "") -> SearchResults:
    """Services matching ``query``, best first, one page of them.

    Raises ``directory.geography.PostcodeError`` for a malformed or unknown postcode.
    """
    at = query.at or datetime.now(LONDON)
    if query.open_now and query.at is None:
        query = replace(query, at=at)
    origin = resolve(query.postcode, full_postcodes_file) if query.postcode else None
    words = query_words(query.text)
    if not words and origin is None:
        return _browse(session, query, at)

    index = current_index(session)
    allowed = index.findable(query.statuses)
    if query.has_filters:
        allowed = allowed & index.mask_of(session.scalars(filtered_ids(query, origin)).all())
    distances = index.distances(origin.latitude, origin.longitude) if origin else None
    if distances is not None and query.radius_km:
        # The SQL box is a square; keep the circle (and services with no location, which passed as remote).
        allowed &= (distances <= query.radius_km) | ~np.isfinite(distances)

    if words:
        docs, scores = _rank(index, words, allowed)
        score_of = dict(zip(docs.tolist(), scores.tolist(), strict=True))
    else:
        docs, scores, score_of = np.flatnonzero(allowed), None, {}
    ordered = _order(index, docs, scores, distances, by_distance=query.sort == "distance")
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
    """For a search that found nothing: the best matches for its words ignoring every filter (any word
    may match), or, with no words, the services nearest its postcode."""
    at = query.at or datetime.now(LONDON)
    words = query_words(query.text)
    origin = resolve(query.postcode, full_postcodes_file) if query.postcode else None
    index = current_index(session)
    allowed = index.findable(query.statuses)
    distances = index.distances(origin.latitude, origin.longitude) if origin else None
    if words:
        docs, scores = _rank(index, words, allowed, require_all=False)
        ordered = _order(index, docs, scores, distances, by_distance=False)
        score_of = dict(zip(docs.tolist(), scores.tolist(), strict=True))
    elif distances is not None:
        ordered = _order(index, np.flatnonzero(allowed & np.isfinite(distances)), None, distances, True)
        score_of = {}
    else:
        return []
    return _hits(session, index, ordered[:SUGGESTIONS], score_of, distances, at)
