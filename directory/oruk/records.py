"""What every feed reader produces: plain records of organisations, locations and services, and problems.

Readers (HSDS JSON, tabular data package, our spreadsheet) turn their input into these; validation and
the bulk writer in ``directory.feeds`` only ever see records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

ERROR = "error"
WARNING = "warning"

Session = tuple[int, time, time, bool]  # weekday (0 = Monday), opens, closes, drop-in
Exception_ = tuple[date, bool, time | None, time | None, str]  # day, closed, opens, closes, note
PhoneTuple = tuple[str, str, bool]  # number, label, professional only


@dataclass(slots=True)
class Problem:
    """One thing wrong (``error``: nothing is imported) or worth knowing (``warning``) about the input."""

    severity: str
    where: str
    field: str
    message: str

    def line(self) -> str:
        where = f"{self.where}: " if self.where else ""
        name = f"{self.field}: " if self.field else ""
        return f"{self.severity}: {where}{name}{self.message}"


@dataclass(frozen=True, slots=True)
class TermRef:
    """A term from another taxonomy, to be mapped to our need codes."""

    taxonomy: str
    term: str
    name: str = ""


@dataclass(slots=True)
class OrgRecord:
    key: str
    name: str
    where: str = ""
    description: str = ""
    website: str | None = None
    email: str | None = None


@dataclass(slots=True)
class LocationRecord:
    key: str
    org_key: str | None
    where: str = ""
    name: str = ""
    description: str = ""
    address: str = ""
    town: str = ""
    postcode: str | None = None
    country: str | None = None
    confidential: bool = False
    latitude: float | None = None
    longitude: float | None = None
    # Filled in by validation from the postcode.
    postcode_district: str | None = None
    local_authority: str | None = None


@dataclass(slots=True)
class ServiceRecord:
    key: str
    org_key: str
    where: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    needs: list[str] = field(default_factory=list)
    terms: list[TermRef] = field(default_factory=list)
    phones: list[PhoneTuple] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    exceptions: list[Exception_] = field(default_factory=list)
    location_keys: list[str] = field(default_factory=list)
    link_ids: dict[str, str] = field(
        default_factory=dict
    )  # location key -> the feed's service_at_location id


# The service columns a feed sets; every import sets all of them (defaults where the feed says nothing).
SERVICE_DEFAULTS: dict[str, Any] = {
    "name": "",
    "description": "",
    "how_to_refer": "",
    "status": "active",
    "referral_routes": [],
    "email": None,
    "website": None,
    "cost": "",
    "languages": [],
    "delivery_modes": [],
    "alert": None,
    "joint_or_couple": False,
    "requires_gp_registration": False,
    "minimum_age": None,
    "maximum_age": None,
    "genders": [],
    "catchment_type": "none",
    "catchment_areas": [],
    "cohorts": [],
    "exclusions": [],
    "requires_needs": [],  # groups of need codes: the person needs one from each
    "eligibility_summary": "",
    "capacity_status": "accepting",
    "wait_days": None,
    "always_open": False,
    "open_on_bank_holidays": False,
    "hours_known": False,
    "assured_date": None,
    "assured_by": None,
}
SERVICE_FIELDS = tuple(SERVICE_DEFAULTS)

# Names a curator's correction can be recorded under: the columns above, and these groups of rows.
HOURS_FIELDS = ("always_open", "open_on_bank_holidays", "hours_known")
CHILD_FIELDS = ("needs", "phones", "hours", "locations", "organization")
CURATABLE_FIELDS = tuple(f for f in SERVICE_FIELDS if f not in HOURS_FIELDS) + CHILD_FIELDS


MAX_LISTED_PROBLEMS = 1000  # per severity; the rest are counted, so a huge bad file cannot exhaust memory


@dataclass(slots=True)
class Problems:
    """Errors and warnings, listing the first ``MAX_LISTED_PROBLEMS`` of each and counting all."""

    listed: list[Problem] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0

    def add(self, problem: Problem) -> None:
        if problem.severity == ERROR:
            self.errors += 1
            count = self.errors
        else:
            self.warnings += 1
            count = self.warnings
        if count <= MAX_LISTED_PROBLEMS:
            self.listed.append(problem)

    def error(self, where: str, field_name: str, message: str) -> None:
        self.add(Problem(ERROR, where, field_name, message))

    def warn(self, where: str, field_name: str, message: str) -> None:
        self.add(Problem(WARNING, where, field_name, message))

    @property
    def unlisted(self) -> int:
        return self.errors + self.warnings - len(self.listed)


@dataclass(slots=True)
class Feed:
    """Everything read from one input."""

    kind: str
    organizations: dict[str, OrgRecord] = field(default_factory=dict)
    locations: dict[str, LocationRecord] = field(default_factory=dict)
    services: list[ServiceRecord] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    partial: bool = False  # one page of a larger feed: services missing from it are not retired

    def error(self, where: str, field_name: str, message: str) -> None:
        self.problems.error(where, field_name, message)

    def warn(self, where: str, field_name: str, message: str) -> None:
        self.problems.warn(where, field_name, message)
