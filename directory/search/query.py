"""What a search asks for and what it answers: plain frozen dataclasses."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from directory.geography import Place
from directory.models import Service
from matcher.hours import OpenState
from matcher.vocabulary import FINDABLE_STATUSES

SORTS = ("relevance", "distance")
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchQuery:
    """A search: free text plus filters. Empty text with filters lists everything that matches them.

    ``needs`` and ``delivery`` match services with any of the listed values. ``radius_km`` needs a
    ``postcode``; services with no location (phone or online) are included when they cover the
    postcode's area. ``at`` is the moment "open now" means (default: now, Europe/London).
    """

    text: str = ""
    needs: tuple[str, ...] = ()
    postcode: str | None = None
    radius_km: float | None = None
    age: int | None = None
    gender: str | None = None
    open_now: bool = False
    self_referral: bool = False
    delivery: tuple[str, ...] = ()
    organization_id: str | None = None
    modified_after: datetime | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    at: datetime | None = None
    statuses: tuple[str, ...] = FINDABLE_STATUSES

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        if self.page < 1 or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"page must be 1 or more and per_page from 1 to {MAX_PER_PAGE}")
        if self.radius_km is not None and not (self.radius_km > 0 and math.isfinite(self.radius_km)):
            raise ValueError("radius_km must be a positive number")
        if self.at is not None and self.at.tzinfo is None:
            raise ValueError("at must be timezone-aware")

    @property
    def has_filters(self) -> bool:
        """True when anything other than text narrows the search."""
        return bool(
            self.needs
            or self.radius_km
            or self.age is not None
            or self.gender
            or self.open_now
            or self.self_referral
            or self.delivery
            or self.organization_id
            or self.modified_after
        )


@dataclass(frozen=True)
class SearchHit:
    """One service found: its score (0-100, text searches only), distance and open state."""

    service: Service
    score: float | None
    distance_km: float | None
    open_state: OpenState


@dataclass(frozen=True)
class SearchResults:
    """One page of results and how many there are in all."""

    total: int
    page: int
    per_page: int
    items: list[SearchHit] = field(default_factory=list)
    origin: Place | None = None

    @property
    def pages(self) -> int:
        """How many pages the results fill (at least 1)."""
        return max(1, math.ceil(self.total / self.per_page))
