"""The matcher's inputs and outputs: plain frozen dataclasses, no behaviour beyond small properties.

Filling the inputs from the database (for the bridge in ``directory/``):

- ``Need``: one row of the needs taxonomy (``seeds/needs.csv``); ``urgent``/``basic`` are the yes/no flags,
  ``roles`` what the need triggers in the rules (:class:`matcher.vocabulary.NeedRole`).
- ``Person``: the screening form. ``home_district`` is the postcode *district* (outcode, e.g. "SE13"),
  ``None`` for no fixed abode; ``home_authority`` the ONS LAD code holding that district;
  ``home_location`` its centroid. ``housing_authority`` is the council the person chooses for housing
  when different (it decides residence catchment for housing needs only).
- ``Where``: the custody suite, court or community place they leave from, resolved the same way.
- ``ServiceOption``: one service joined with its organisation and (first) location. Fields mirror the
  seed format in ``seeds/README.md`` one for one: ``eligibility.min_age`` -> ``min_age``,
  ``eligibility.catchment.type``/``areas`` -> ``catchment_type``/``catchment_areas``,
  ``eligibility.requires_needs`` (groups of need codes) -> ``requires_needs`` (tuples),
  ``capacity.status``/``wait_days`` -> ``capacity_status``/``wait_days``, ``assured.date`` ->
  ``assured_date``, phones marked ``professional_only`` -> ``professional_phone``, the first other
  phone -> ``phone``; ``hours`` is a :class:`matcher.hours.OpeningHours`. ``lat``/``lon`` are ``None``
  for phone or online-only services. Lists become tuples.
- ``MatchRequest``: the needs, person, place, aware moment ``at``, the candidate services (the bridge may
  prefilter to services offering at least one of the needs; passing more is harmless), and the England
  and Wales bank holidays as a set of dates, and the whole needs taxonomy (``taxonomy``: the engine adds
  the need with the ``gp_registration`` role when a chosen service needs a GP first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from matcher.hours import OpeningHours
from matcher.vocabulary import (
    CapacityStatus,
    CatchmentType,
    Cohort,
    Delivery,
    Exclusion,
    NeedGroup,
    NeedRole,
    Probation,
    Route,
    ServiceStatus,
    Setting,
    UnmetReason,
)


@dataclass(frozen=True)
class GeoPoint:
    """A WGS84 point, e.g. a postcode district centroid or a service's location."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Need:
    """One screened need from the taxonomy."""

    code: str
    label: str
    group: NeedGroup
    urgent: bool = False
    basic: bool = False
    roles: frozenset[NeedRole] = frozenset()  # what the need triggers in the rules (the taxonomy's roles)


@dataclass(frozen=True)
class Person:
    """The person screened. ``gender`` is self-identified: "female", "male", "non_binary" or other text."""

    age: int
    gender: str
    home_district: str | None = None  # None: no fixed abode
    home_authority: str | None = None
    home_location: GeoPoint | None = None
    housing_authority: str | None = None  # council chosen for housing, if different from home
    gp_registered: bool = True
    gp_authority: str | None = None
    gp_district: str | None = None
    probation: Probation = Probation.NONE
    veteran: bool = False
    youth_justice: bool = False
    in_secondary_care: bool = False  # already open to secondary mental health care
    language: str = "en"
    language_name: str = ""  # the language in words, for the page ("Polish"); the code is for the rules
    safe_contact_notes: str = ""

    @property
    def no_fixed_abode(self) -> bool:
        """True when the person has no home postcode."""
        return self.home_district is None


@dataclass(frozen=True)
class Where:
    """Where the person is now and will leave from."""

    setting: Setting
    district: str | None = None
    authority: str | None = None
    location: GeoPoint | None = None


@dataclass(frozen=True)
class ServiceOption:
    """One service as the matcher sees it (see the module docstring for the mapping from the seeds)."""

    id: str
    name: str
    organization_id: str
    organization_name: str
    needs: tuple[str, ...]
    status: ServiceStatus = ServiceStatus.ACTIVE
    min_age: int | None = None
    max_age: int | None = None
    genders: tuple[str, ...] = ()
    catchment_type: CatchmentType = CatchmentType.NONE
    catchment_areas: tuple[str, ...] = ()
    cohorts: tuple[Cohort, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    # Inclusion criteria: the person must have at least one need from each group (codes); () for none.
    requires_needs: tuple[tuple[str, ...], ...] = ()
    referral_routes: tuple[Route, ...] = (Route.SELF,)
    capacity_status: CapacityStatus = CapacityStatus.ACCEPTING
    wait_days: int | None = None
    delivery: tuple[Delivery, ...] = (Delivery.IN_PERSON,)
    hours: OpeningHours = field(default_factory=OpeningHours)
    joint_or_couple: bool = False
    requires_gp_registration: bool = False
    assured_date: date | None = None
    location_id: str | None = None
    location_postcode: str | None = None
    address: str | None = None
    lat: float | None = None
    lon: float | None = None
    phone: str | None = None
    professional_phone: str | None = None
    website: str | None = None
    how_to_refer: str = ""
    languages: tuple[str, ...] = ()
    alert: str | None = None

    @property
    def is_24_7(self) -> bool:
        """True for services open around the clock."""
        return self.hours.always_open

    @property
    def location(self) -> GeoPoint | None:
        """The service's place, or None for phone/online-only services."""
        if self.lat is None or self.lon is None:
            return None
        return GeoPoint(self.lat, self.lon)

    @property
    def distance_free(self) -> bool:
        """Phone and online services can be used from anywhere, so distance never excludes them."""
        return Delivery.PHONE in self.delivery or Delivery.ONLINE in self.delivery


@dataclass(frozen=True)
class MatchRequest:
    """Everything the matcher needs; nothing is looked up elsewhere.

    ``radius_km`` overrides the default; otherwise ``rural`` (or, when None, the home/current authority
    via :func:`matcher.geo.is_rural_authority`) chooses 30 km rural or 5 km urban.
    """

    needs: tuple[Need, ...]
    person: Person
    where: Where
    at: datetime
    services: tuple[ServiceOption, ...]
    bank_holidays: frozenset[date] = frozenset()
    radius_km: float | None = None
    rural: bool | None = None
    top_k: int = 5
    taxonomy: tuple[Need, ...] = ()  # every need: the roles of those the engine may add (a GP first)


@dataclass(frozen=True)
class Reason:
    """Why something happened: the rule's name and a plain-English detail."""

    rule: str
    detail: str


@dataclass(frozen=True)
class Alternative:
    """Another eligible option for the same need(s)."""

    service_id: str
    service_name: str
    organization_name: str
    open_now: bool


@dataclass(frozen=True)
class PackageItem:
    """One step of the package, in order."""

    rank: int
    service_id: str
    service_name: str
    organization_id: str
    organization_name: str
    needs: tuple[str, ...]
    urgent: bool
    open_now: bool
    next_open: datetime | None
    closes_at: datetime | None
    distance_km: float | None
    route: Route
    action: str
    reasons: tuple[Reason, ...]
    alternatives: tuple[Alternative, ...] = ()
    warnings: tuple[str, ...] = ()
    distance_text: str | None = None  # "1.2 km from where they are now", "in SE13": says from where


@dataclass(frozen=True)
class Unmet:
    """A need the package could not meet, with why and what to try instead."""

    need: str
    reason: UnmetReason
    detail: str
    alternative: str | None = None


@dataclass(frozen=True)
class Package:
    """The result: ordered items, the lead agency's service, unmet needs and package-level warnings."""

    items: tuple[PackageItem, ...]
    lead_service_id: str | None
    unmet: tuple[Unmet, ...]
    warnings: tuple[str, ...] = ()

    @property
    def covered_needs(self) -> frozenset[str]:
        """Every need code some item addresses."""
        return frozenset(code for item in self.items for code in item.needs)
