"""Which services the matcher is shown: a short list per need, found in the in-memory search index.

At 100,000 services the database alone cannot narrow "offers one of these needs, near here, or
covering this area, or by phone" fast enough, and handing the matcher thousands of services costs
seconds of judging. The search index (``directory.search.index``) holds the facts needed as numpy
columns, so each need gets, in microseconds: the services whose catchment names the person's area,
the nearest located services within ``km``, for urgent needs the nearest open at the moment too,
national phone and online services, and a couple of phone services for other areas (so the matcher
can still say "out of area"). The matcher then judges eligibility and ranks as before; its shortlist
(top 5 per need) is far smaller than these caps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import numpy as np

from directory.search.index import DirectoryIndex

NAMED_PER_NEED = 12  # catchment names the person's area (commissioned for them)
NEAR_PER_NEED = 12  # nearest located services within the search distance
OPEN_NEAR_PER_NEED = 8  # urgent needs: nearest located services open at the moment
REMOTE_PER_NEED = 8  # phone and online services with no catchment limit
ELSEWHERE_PER_NEED = 2  # phone and online services for other areas: "out of area" with a reason


def _take(docs: np.ndarray, order: np.ndarray | None, cap: int) -> np.ndarray:
    if order is None or len(docs) <= cap:
        return docs[:cap] if order is None else docs[np.argsort(order[docs], kind="stable")[:cap]]
    nearest = np.argpartition(order[docs], cap - 1)[:cap]
    picked = np.sort(docs[nearest])
    return picked[np.argsort(order[picked], kind="stable")]


def candidate_ids(
    index: DirectoryIndex,
    live_statuses: tuple[str, ...],
    needs: Sequence[tuple[str, bool]],
    points: Iterable[tuple[float, float]],
    km: float,
    areas: Iterable[str],
    at: datetime,
) -> list[str]:
    """Ids of the services to judge for ``needs`` (code, urgent) for someone at ``points`` (within
    ``km``) or living in ``areas`` (local authority codes or postcode districts), at moment ``at``."""
    columns = index.columns
    live = columns.statuses(live_statuses)
    distance = np.full(index.size, np.inf)
    for latitude, longitude in points:
        np.minimum(distance, index.distances(latitude, longitude), out=distance)
    wanted = {a for a in areas if a}
    covering = [n for n, found in enumerate(columns.area_sets) if not wanted.isdisjoint(found)]
    named = np.isin(columns.catchment, covering) if covering else np.zeros(index.size, dtype=bool)
    near = (distance <= km) & ~named
    remote = ~columns.located & ~named
    national = remote & columns.catchment_none
    elsewhere = remote & ~columns.catchment_none
    open_now = columns.open_now(at) if any(urgent for _, urgent in needs) else None
    chosen: set[int] = set()
    for code, urgent in needs:
        bit = index.need_bits.get(code)
        if bit is None:
            continue
        offers = live & columns.any_need(bit)
        picks = [
            _take(np.flatnonzero(offers & named), distance, NAMED_PER_NEED),
            _take(np.flatnonzero(offers & near), distance, NEAR_PER_NEED),
            _take(np.flatnonzero(offers & national), None, REMOTE_PER_NEED),
            _take(np.flatnonzero(offers & elsewhere), None, ELSEWHERE_PER_NEED),
        ]
        if urgent and open_now is not None:
            picks.append(_take(np.flatnonzero(offers & near & open_now), distance, OPEN_NEAR_PER_NEED))
            picks.append(_take(np.flatnonzero(offers & national & open_now), None, REMOTE_PER_NEED))
        for docs in picks:
            chosen.update(int(d) for d in docs)
    return sorted(index.ids[d] for d in chosen)
