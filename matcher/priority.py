"""Order and preference: which need comes first, and how much a service's circumstances count
against it when several could do the job.

The penalty only breaks ties between covers with the same number of agencies, items and places to
go (see :mod:`matcher.cover`); it never makes the package use an extra agency.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.cover import MAX_PENALTY
from matcher.model import Need
from matcher.vocabulary import NeedGroup, NeedRole

# Keys to Diversion: survival first, then other basic needs, then treatment, then the rest.
TIERS = ("risk", "survival", "basic", "health", "social")
GROUP_TIERS = {NeedGroup.RISK: 0, NeedGroup.BASIC: 2, NeedGroup.HEALTH: 3, NeedGroup.SOCIAL: 4}
LONG_WAIT_DAYS = 28

# Penalty points. Open now matters most for someone about to walk out of a custody suite; then the
# drop-in door; then distance and waiting; a listing not verified for 90 days ranks below them all.
# A service that is neither in the person's area nor names it in its catchment (a national line, or
# another area's) ranks below a local one: good teams know and use every local service first.
AGING = 300
NOT_OPEN_NOW = 150
NOT_DROP_IN = 120
LONG_WAIT = 100
WAIT_PER_DAY = 2
WAIT_DAYS_CAP = 60
DISTANCE_PER_KM = 4
DISTANCE_CAP = 120
NOT_YOUTH_FOR_CHILD = 60
NO_SHARED_LANGUAGE = 40
NOT_LOCAL = 90


def need_tier(need: Need) -> int:
    """0 risk, 1 survival (the ``survival`` role: bed tonight, food, medication), 2 other basic
    (income, housing, debt, GP), 3 health, 4 social (work, relationships, wellbeing)."""
    if NeedRole.SURVIVAL in need.roles:
        return 1
    return GROUP_TIERS[need.group]


def order_needs(needs: tuple[Need, ...]) -> tuple[Need, ...]:
    """Needs in the order they should be addressed: urgent first, then by tier; otherwise as given."""
    position = {n.code: i for i, n in enumerate(needs)}
    return tuple(sorted(needs, key=lambda n: (not n.urgent, need_tier(n), position[n.code])))


@dataclass(frozen=True)
class Circumstances:
    """The facts about one service at this moment that affect its preference."""

    open_now: bool
    distance_km: float | None
    in_person_only: bool
    wait_days: int | None
    aging: bool
    drop_in: bool
    leaving_custody_or_court: bool
    child_to_adult_service: bool
    shares_language: bool
    local: bool = True


def penalty(c: Circumstances) -> int:
    """Points against a service (0 is best), capped at :data:`matcher.cover.MAX_PENALTY`."""
    points = 0 if c.open_now else NOT_OPEN_NOW
    if c.leaving_custody_or_court and not c.drop_in:
        points += NOT_DROP_IN
    if c.in_person_only and c.distance_km is not None:
        points += min(round(c.distance_km * DISTANCE_PER_KM), DISTANCE_CAP)
    if c.wait_days:
        points += min(c.wait_days, WAIT_DAYS_CAP) * WAIT_PER_DAY
        if c.wait_days > LONG_WAIT_DAYS:
            points += LONG_WAIT
    if c.aging:
        points += AGING
    if c.child_to_adult_service:
        points += NOT_YOUTH_FOR_CHILD
    if not c.shares_language:
        points += NO_SHARED_LANGUAGE
    if not c.local:
        points += NOT_LOCAL
    return min(points, MAX_PENALTY)
