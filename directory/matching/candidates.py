"""Which services the matcher is shown: a short list per need, found in the in-memory search index.

At 100,000 services the database alone cannot narrow "offers one of these needs, near here, or
covering this area, or by phone" fast enough, and every service handed to the matcher must first be
loaded and judged. The search index (``directory.search.index``) holds the facts needed as numpy
columns, so each need gets, in microseconds:

- services that *could* take this person (active, and their age and gender limits allow them): those
  whose catchment names the person's area, the nearest within ``km``, for urgent needs the nearest
  open at the moment too, national phone and online services, and a couple of phone services for
  other areas (so the matcher can still say "out of area"); and, with slots of their own so home's
  services do not crowd them out, the nearest to where they are now and those naming that council
  (local to them today: a court help point, a drop-in at the release point);
- and a few that cannot (the wrong age or gender, closed, inactive), so that when nothing fits the
  matcher can say why rather than "no service".

Choosing by the person's age and gender here means the slots are not spent on services the matcher
would only turn away; the matcher still judges every rule. Its shortlist (top 5 per need) is far
smaller than these caps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from directory.search.columns import NO_MAXIMUM, NO_MINIMUM, Columns
from directory.search.index import DirectoryIndex
from matcher.rules import YOUTH_MAX_AGE

NAMED_PER_NEED = 10  # catchment names the person's area (commissioned for them)
NEAR_PER_NEED = 10  # nearest located services within the search distance
OPEN_NEAR_PER_NEED = 6  # urgent needs: nearest located services open at the moment
HERE_PER_NEED = 6  # nearest to where they are now, and naming that area (a court in another council)
REMOTE_PER_NEED = 4  # phone and online services with no catchment limit
ELSEWHERE_PER_NEED = 1  # phone and online services for other areas: "out of area" with a reason
UNFIT_PER_NEED = 2  # per group above, services that cannot take this person: the reason when none can


@dataclass(frozen=True)
class Seeker:
    """What the index can check about the person before the matcher judges every rule."""

    age: int
    gender: str


def _take(docs: np.ndarray, order: np.ndarray | None, cap: int) -> np.ndarray:
    if order is None or len(docs) <= cap:
        return docs[:cap] if order is None else docs[np.argsort(order[docs], kind="stable")[:cap]]
    nearest = np.argpartition(order[docs], cap - 1)[:cap]
    picked = np.sort(docs[nearest])
    return picked[np.argsort(order[picked], kind="stable")]


def _could_take(columns: Columns, seeker: Seeker) -> np.ndarray:
    """Active services whose age and gender limits allow the person (the matcher's age, under-18 and
    gender rules, never stricter than they are)."""
    fits: np.ndarray = columns.statuses(("active",)) & columns.age(seeker.age) & columns.gender(seeker.gender)
    if seeker.age < 18:
        youth = (columns.max_age != NO_MAXIMUM) & (columns.max_age <= YOUTH_MAX_AGE)
        all_age = (columns.min_age == NO_MINIMUM) & (columns.max_age == NO_MAXIMUM)
        states_age = (columns.min_age != NO_MINIMUM) & (columns.min_age <= seeker.age)
        fits &= youth | all_age | states_age
    return fits


def _distances(
    index: DirectoryIndex, points: list[tuple[float, float]], km: float, also: np.ndarray
) -> np.ndarray:
    """Kilometres from the nearest of ``points`` for every document within ``km`` of one, and for
    the documents in mask ``also`` however far; inf for the rest (they are never near)."""
    distance = np.full(index.size, np.inf)
    for latitude, longitude in points:
        np.minimum(distance, index.points.distances_within(latitude, longitude, km), out=distance)
    far = np.flatnonzero(also & np.isinf(distance))
    if len(far):
        for latitude, longitude in points:
            distance[far] = np.minimum(distance[far], index.points.distances_to(latitude, longitude, far))
    return distance


def _naming(index: DirectoryIndex, areas: Iterable[str]) -> np.ndarray:
    """Services whose catchment names one of ``areas``."""
    wanted = {a for a in areas if a}
    covering = [n for n, found in enumerate(index.columns.area_sets) if not wanted.isdisjoint(found)]
    if not covering:
        return np.zeros(index.size, dtype=bool)
    named: np.ndarray = np.isin(index.columns.catchment, covering)
    return named


def candidate_ids(
    index: DirectoryIndex,
    live_statuses: tuple[str, ...],
    needs: Sequence[tuple[str, bool]],
    seeker: Seeker,
    points: Iterable[tuple[float, float]],
    km: float,
    areas: Iterable[str],
    at: datetime,
    here: tuple[float, float] | None = None,
    here_areas: Iterable[str] = (),
) -> list[str]:
    """Ids of the services to judge for ``needs`` (code, urgent) for ``seeker`` at ``points``
    (within ``km``) or living in ``areas`` (local authority codes or postcode districts), at ``at``;
    ``here`` and ``here_areas`` are where they are now and its council and district."""
    columns = index.columns
    live = columns.statuses(live_statuses)
    fits = _could_take(columns, seeker)
    named = _naming(index, areas)
    named_here = _naming(index, here_areas) & ~named
    distance = _distances(index, list(points), km, named & columns.located)
    nowhere = np.zeros(index.size, dtype=bool)
    from_here = _distances(index, [here], km, nowhere) if here else np.full(index.size, np.inf)
    near_here = from_here <= km
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
        suits, unfit = offers & fits, offers & ~fits
        groups = [
            (named, distance, NAMED_PER_NEED),
            (near, distance, NEAR_PER_NEED),
            (national, None, REMOTE_PER_NEED),
            (elsewhere, None, ELSEWHERE_PER_NEED),
            (near_here, from_here, HERE_PER_NEED),
            (named_here, from_here, HERE_PER_NEED),
        ]
        if urgent and open_now is not None:
            groups.append((near & open_now, distance, OPEN_NEAR_PER_NEED))
            groups.append((national & open_now, None, REMOTE_PER_NEED))
        picks = [_take(np.flatnonzero(suits & where), order, cap) for where, order, cap in groups]
        if not any(len(docs) for docs in picks):
            picks = [
                _take(np.flatnonzero(unfit & where), order, UNFIT_PER_NEED) for where, order, _ in groups
            ]
        for docs in picks:
            chosen.update(int(d) for d in docs)
    return sorted(index.ids[d] for d in chosen)
