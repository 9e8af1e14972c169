"""Load the needs taxonomy and the demo directory from ``seeds/``.

Idempotent: records match by ``source`` + ``external_id`` (the seed's slug) and a value is only
written when it differs, so seeding twice changes nothing. Everything is validated before anything
is written; a problem anywhere raises ``SeedError`` listing every problem.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any, TypeVar

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from directory import geography
from directory.models import (
    Location,
    Need,
    Organization,
    Phone,
    ScheduleException,
    ScheduleSession,
    Service,
    ServiceAtLocation,
)
from directory.shipped import shipped_folder
from matcher.vocabulary import (
    WEEKDAYS,
    CapacityStatus,
    CatchmentType,
    Cohort,
    Delivery,
    Exclusion,
    Gender,
    NeedGroup,
    NeedRole,
    RecipientKind,
    Route,
    ServiceStatus,
)

# The records seeds create and update by their slug (``source`` and ``external_id`` columns).
Sourced = TypeVar("Sourced", Organization, Location, Service)

SEEDS_DIR = shipped_folder("seeds")
SOURCE = "demo"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SYNONYMS_FILE = "need_synonyms.csv"
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


class SeedError(Exception):
    """The seed files have problems; ``problems`` lists each as ``file: where: what``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the seed files")
        self.problems = problems


@dataclass
class SeedReport:
    """What a seed run did, per kind of record."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


def read_needs(path: Path) -> list[dict[str, Any]]:
    """The needs taxonomy rows, in file order, each with its ``synonyms`` from ``need_synonyms.csv``
    beside it (none when there is no such file). Raises ``SeedError`` for synonyms of an unknown need."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [
            {
                "code": row["code"],
                "label": row["label"],
                "group": row["group"],
                "urgent": row["urgent"] == "yes",
                "basic": row["basic"] == "yes",
                "roles": row["roles"].split(),
                "recipient": row["recipient"],
                "description": row["description"],
                "position": position,
            }
            for position, row in enumerate(csv.DictReader(handle))
        ]
    synonyms = read_need_synonyms(path.with_name(SYNONYMS_FILE))
    unknown = sorted(set(synonyms) - {row["code"] for row in rows})
    if unknown:
        raise SeedError([f"{SYNONYMS_FILE}: need_code {code}: not a need in {path.name}" for code in unknown])
    for row in rows:
        row["synonyms"] = synonyms.get(str(row["code"]), [])
    return rows


def read_need_synonyms(path: Path) -> dict[str, list[str]]:
    """Everyday words for each need code: ``need_code,words`` rows, words and phrases separated by
    ``;``, in lower case, each once, in file order."""
    if not path.exists():
        return {}
    found: dict[str, list[str]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            words = found.setdefault(row["need_code"].strip(), [])
            for phrase in (row.get("words") or "").split(";"):
                phrase = " ".join(phrase.lower().split())
                if phrase and phrase not in words:
                    words.append(phrase)
    return found


def read_demo(directory: Path) -> list[tuple[str, dict[str, Any]]]:
    """Every organisation in the demo YAML files, with the file it came from."""
    found: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(directory.glob("*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found.extend((path.name, org) for org in content.get("organizations") or [])
    return found


def _time(value: Any) -> time:
    if isinstance(value, int):  # YAML 1.1 reads unquoted 09:00 as a sexagesimal integer
        return time(value // 60 % 24, value % 60)
    hours, minutes = str(value).split(":")
    return time(int(hours), int(minutes))


def _valid_time(value: Any) -> bool:
    return isinstance(value, int) or bool(_TIME.match(str(value)))


class _Checker:
    """Collects problems in the seed files, with where they are."""

    def __init__(self, need_codes: set[str]) -> None:
        self.need_codes = need_codes
        self.problems: list[str] = []
        self.ids: set[str] = set()

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def slug(self, where: str, value: Any) -> None:
        if not isinstance(value, str) or not _SLUG.match(value):
            self.problem(where, f"id {value!r} must be a lower-case slug (a-z, 0-9, -)")
        elif value in self.ids:
            self.problem(where, f"id {value!r} is used twice")
        else:
            self.ids.add(value)

    def choices(self, where: str, name: str, values: Any, allowed: tuple[str, ...]) -> None:
        for value in values or []:
            if value not in allowed:
                self.problem(where, f"{name} {value!r} is not one of {', '.join(allowed)}")

    def choice(self, where: str, name: str, value: Any, allowed: tuple[str, ...]) -> None:
        if value not in allowed:
            self.problem(where, f"{name} {value!r} is not one of {', '.join(allowed)}")

    def need(self, row: dict[str, Any]) -> None:
        where = f"needs.csv: need {row['code']!r}"
        self.choice(where, "group", row["group"], tuple(NeedGroup))
        self.choices(where, "role", row["roles"], tuple(NeedRole))
        self.choice(where, "recipient", row["recipient"], tuple(RecipientKind))

    def postcode(self, where: str, value: Any) -> None:
        try:
            geography.resolve(str(value or ""))
        except geography.PostcodeError as error:
            self.problem(where, str(error))

    def organization(self, filename: str, org: dict[str, Any]) -> None:
        where = f"{filename}: organisation {org.get('id')!r}"
        self.slug(where, org.get("id"))
        if not org.get("name"):
            self.problem(where, "name is missing")
        location_ids = set()
        for loc in org.get("locations") or []:
            self.slug(f"{where} location {loc.get('id')!r}", loc.get("id"))
            location_ids.add(loc.get("id"))
            self.postcode(f"{where} location {loc.get('id')!r}", loc.get("postcode"))
        for svc in org.get("services") or []:
            self.service(f"{filename}: service {svc.get('id')!r}", svc, location_ids)

    def service(self, where: str, svc: dict[str, Any], location_ids: set[str]) -> None:
        self.slug(where, svc.get("id"))
        if not svc.get("name"):
            self.problem(where, "name is missing")
        self.choice(where, "status", svc.get("status", "active"), tuple(ServiceStatus))
        self.choices(where, "referral route", svc.get("referral_routes"), tuple(Route))
        self.choices(where, "delivery mode", svc.get("delivery"), tuple(Delivery))
        for code in svc.get("needs") or []:
            if code not in self.need_codes:
                self.problem(where, f"unknown need code {code!r}")
        if not svc.get("needs"):
            self.problem(where, "needs is empty: list the need codes it covers")
        for loc in svc.get("locations") or []:
            if loc not in location_ids:
                self.problem(where, f"location {loc!r} is not one of its organisation's locations")
        for phone in svc.get("phones") or []:
            if not phone.get("number"):
                self.problem(where, "a phone has no number")
        self.eligibility(where, svc.get("eligibility") or {})
        capacity = svc.get("capacity") or {}
        self.choice(where, "capacity status", capacity.get("status", "accepting"), tuple(CapacityStatus))
        self.hours(where, svc.get("hours"))
        assured = (svc.get("assured") or {}).get("date")
        if assured is not None and not isinstance(assured, date):
            self.problem(where, f"assured date {assured!r} must be YYYY-MM-DD")

    def eligibility(self, where: str, elig: dict[str, Any]) -> None:
        low, high = elig.get("min_age"), elig.get("max_age")
        for name, value in (("min_age", low), ("max_age", high)):
            if value is not None and (not isinstance(value, int) or not 0 <= value <= 120):
                self.problem(where, f"{name} {value!r} must be a whole number from 0 to 120")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            self.problem(where, f"min_age {low} is above max_age {high}")
        self.choices(where, "gender", elig.get("genders"), tuple(Gender))
        catchment = elig.get("catchment") or {}
        self.choice(where, "catchment type", catchment.get("type", "none"), tuple(CatchmentType))
        if catchment.get("type", "none") != "none" and not catchment.get("areas"):
            self.problem(where, "a catchment needs areas (local authority codes or postcode districts)")
        for area in catchment.get("areas") or []:
            if area not in geography.local_authorities() and area not in geography.districts():
                self.problem(
                    where, f"catchment area {area!r} is not a local authority code or postcode district"
                )
        self.choices(where, "cohort", elig.get("cohorts"), tuple(Cohort))
        self.choices(where, "exclusion", elig.get("exclusions"), tuple(Exclusion))
        groups = elig.get("requires_needs") or []
        if not isinstance(groups, list) or not all(isinstance(g, list) and g for g in groups):
            self.problem(where, "requires_needs must be a list of groups, each a list of need codes")
            return
        for code in (c for group in groups for c in group):
            if code not in self.need_codes:
                self.problem(where, f"unknown need code {code!r} in requires_needs")

    def hours(self, where: str, hours: dict[str, Any] | None) -> None:
        if not hours:
            return
        self.choice(where, "bank_holidays", hours.get("bank_holidays", "closed"), ("closed", "open"))
        for row in hours.get("weekly") or []:
            self.choices(where, "day", row.get("days"), WEEKDAYS)
            for key in ("opens", "closes"):
                if not _valid_time(row.get(key)):
                    self.problem(where, f"weekly {key} {row.get(key)!r} must be HH:MM")
        for row in hours.get("exceptions") or []:
            if not isinstance(row.get("date"), date):
                self.problem(where, f"exception date {row.get('date')!r} must be YYYY-MM-DD")
            if not row.get("closed") and not (
                _valid_time(row.get("opens")) and _valid_time(row.get("closes"))
            ):
                self.problem(where, "an exception is either closed: true or has opens and closes")


def validate(needs: list[dict[str, Any]], orgs: list[tuple[str, dict[str, Any]]]) -> None:
    """Raise SeedError listing every problem in the seed data."""
    checker = _Checker({n["code"] for n in needs})
    for need in needs:
        checker.need(need)
    for filename, org in orgs:
        checker.organization(filename, org)
    if checker.problems:
        raise SeedError(checker.problems)


def _assign(record: Any, values: dict[str, Any]) -> bool:
    """Set only the attributes that differ; True when anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(record, key) != value:
            setattr(record, key, value)
            changed = True
    return changed


class _Seeder:
    def __init__(self, session: DbSession, report: SeedReport) -> None:
        self.session = session
        self.report = report
        self.needs = {n.code: n for n in session.scalars(select(Need))}
        self.orgs = {
            o.external_id: o
            for o in session.scalars(select(Organization).where(Organization.source == SOURCE))
        }
        self.locations = {
            loc.external_id: loc for loc in session.scalars(select(Location).where(Location.source == SOURCE))
        }
        self.services = {
            s.external_id: s
            for s in session.scalars(
                select(Service)
                .where(Service.source == SOURCE)
                .options(
                    selectinload(Service.needs),
                    selectinload(Service.phones),
                    selectinload(Service.sessions),
                    selectinload(Service.exceptions),
                    selectinload(Service.location_links).selectinload(ServiceAtLocation.location),
                )
            )
        }

    def count(self, kind: str, created: bool, changed: bool) -> None:
        bucket = self.report.created if created else self.report.updated if changed else self.report.unchanged
        bucket[kind] += 1

    def upsert(
        self,
        kind: str,
        cache: dict[str | None, Sourced],
        model: type[Sourced],
        slug: str,
        values: dict[str, Any],
    ) -> Sourced:
        record = cache.get(slug)
        created = record is None
        if record is None:
            record = model(source=SOURCE, external_id=slug)
            self.session.add(record)
            cache[slug] = record
        changed = _assign(record, values)
        self.count(kind, created, changed)
        return record

    def need(self, row: dict[str, Any]) -> None:
        record = self.needs.get(row["code"])
        created = record is None
        if record is None:
            record = Need(code=row["code"])
            self.session.add(record)
            self.needs[row["code"]] = record
        self.count("needs", created, _assign(record, {k: v for k, v in row.items() if k != "code"}))

    def organization(self, org: dict[str, Any]) -> None:
        record = self.upsert(
            "organisations",
            self.orgs,
            Organization,
            org["id"],
            {
                "name": org["name"],
                "description": org.get("description") or "",
                "website": org.get("website"),
                "email": org.get("email"),
            },
        )
        self.session.flush()
        locations = {loc["id"]: self.location(record, loc) for loc in org.get("locations") or []}
        for svc in org.get("services") or []:
            self.service(record, svc, locations)

    def location(self, org: Organization, loc: dict[str, Any]) -> Location:
        place = geography.resolve(str(loc["postcode"]))
        return self.upsert(
            "locations",
            self.locations,
            Location,
            loc["id"],
            {
                "organization_id": org.id,
                "name": loc.get("name") or "",
                "address": loc.get("address") or "",
                "town": loc.get("town") or "",
                "postcode": str(place.postcode),
                "postcode_district": place.postcode.district,
                "latitude": place.latitude,
                "longitude": place.longitude,
                "local_authority": place.local_authority,
                "confidential": bool(loc.get("confidential", False)),
            },
        )

    def service(self, org: Organization, svc: dict[str, Any], locations: dict[str, Location]) -> None:
        elig = svc.get("eligibility") or {}
        catchment = elig.get("catchment") or {}
        capacity = svc.get("capacity") or {}
        hours = svc.get("hours") or {}
        assured = svc.get("assured") or {}
        values = {
            "organization_id": org.id,
            "name": svc["name"],
            "description": svc.get("description") or "",
            "how_to_refer": svc.get("how_to_refer") or "",
            "status": svc.get("status", "active"),
            "referral_routes": list(svc.get("referral_routes") or []),
            "email": svc.get("email"),
            "website": svc.get("website"),
            "cost": svc.get("cost") or "Free",
            "languages": list(svc.get("languages") or ["en"]),
            "delivery_modes": list(svc.get("delivery") or []),
            "alert": svc.get("alert"),
            "joint_or_couple": bool(svc.get("joint_or_couple", False)),
            "requires_gp_registration": bool(svc.get("requires_gp_registration", False)),
            "minimum_age": elig.get("min_age"),
            "maximum_age": elig.get("max_age"),
            "genders": list(elig.get("genders") or []),
            "catchment_type": catchment.get("type", "none"),
            "catchment_areas": list(catchment.get("areas") or []),
            "cohorts": list(elig.get("cohorts") or []),
            "exclusions": list(elig.get("exclusions") or []),
            "requires_needs": [list(group) for group in elig.get("requires_needs") or []],
            "eligibility_summary": elig.get("summary") or "",
            "capacity_status": capacity.get("status", "accepting"),
            "wait_days": capacity.get("wait_days"),
            "always_open": bool(hours.get("always_open", False)),
            "open_on_bank_holidays": hours.get("bank_holidays", "closed") == "open",
            "hours_known": bool(hours),
            "assured_date": assured.get("date"),
            "assured_by": assured.get("by"),
        }
        slug = svc["id"]
        record: Service | None = self.services.get(slug)
        created = record is None
        if record is None:
            record = Service(source=SOURCE, external_id=slug)
            self.session.add(record)
            self.services[slug] = record
        changed = _assign(record, values)
        changed |= self._children(record, svc, hours, locations)
        self.count("services", created, changed)

    def _children(
        self, record: Service, svc: dict[str, Any], hours: dict[str, Any], locations: dict[str, Location]
    ) -> bool:
        changed = False
        wanted_needs = [
            self.needs[c] for c in sorted(set(svc.get("needs") or []), key=lambda c: self.needs[c].position)
        ]
        if [n.code for n in record.needs] != [n.code for n in wanted_needs]:
            record.needs = wanted_needs
            changed = True
        phones = [
            (p["number"], p.get("label") or "", bool(p.get("professional_only", False)))
            for p in svc.get("phones") or []
        ]
        if [(p.number, p.label, p.professional_only) for p in record.phones] != phones:
            record.phones = [
                Phone(number=n, label=label, professional_only=pro, position=i)
                for i, (n, label, pro) in enumerate(phones)
            ]
            changed = True
        sessions = sorted(
            (WEEKDAYS.index(day), _time(row["opens"]), _time(row["closes"]), bool(row.get("drop_in", False)))
            for row in hours.get("weekly") or []
            for day in row.get("days") or []
        )
        if sorted((s.weekday, s.opens_at, s.closes_at, s.drop_in) for s in record.sessions) != sessions:
            record.sessions = [
                ScheduleSession(weekday=w, opens_at=o, closes_at=c, drop_in=d) for w, o, c, d in sessions
            ]
            changed = True
        exceptions = sorted(
            (
                row["date"],
                bool(row.get("closed", False)),
                _time(row["opens"]) if row.get("opens") is not None else None,
                _time(row["closes"]) if row.get("closes") is not None else None,
                row.get("note") or "",
            )
            for row in hours.get("exceptions") or []
        )
        current = sorted((e.day, e.closed, e.opens_at, e.closes_at, e.note) for e in record.exceptions)
        if current != exceptions:
            record.exceptions = [
                ScheduleException(day=d, closed=c, opens_at=o, closes_at=e, note=n)
                for d, c, o, e, n in exceptions
            ]
            changed = True
        wanted_locations = [locations[i] for i in svc.get("locations") or []]
        if sorted(link.location.external_id or "" for link in record.location_links) != sorted(
            loc.external_id or "" for loc in wanted_locations
        ):
            record.location_links = [ServiceAtLocation(location=loc) for loc in wanted_locations]
            changed = True
        return changed


def seed(session: DbSession, seeds_dir: Path = SEEDS_DIR, demo_dir: Path | None = None) -> SeedReport:
    """Load the taxonomy and the demo directory (``demo_dir``, default ``seeds/demo``) into ``session``
    (not committed)."""
    needs = read_needs(seeds_dir / "needs.csv")
    orgs = read_demo(demo_dir or seeds_dir / "demo")
    validate(needs, orgs)
    report = SeedReport()
    seeder = _Seeder(session, report)
    for row in needs:
        seeder.need(row)
    session.flush()
    for _filename, org in orgs:
        seeder.organization(org)
    session.flush()
    return report


def seed_taxonomy(session: DbSession, seeds_dir: Path = SEEDS_DIR) -> SeedReport:
    """Load only the needs taxonomy (tests and empty deployments); idempotent like ``seed``."""
    needs = read_needs(seeds_dir / "needs.csv")
    validate(needs, [])
    report = SeedReport()
    seeder = _Seeder(session, report)
    for row in needs:
        seeder.need(row)
    session.flush()
    return report


def ensure_needs_taxonomy(session: DbSession, seeds_dir: Path = SEEDS_DIR) -> int:
    """Load the needs taxonomy when the database has none yet; returns how many needs were loaded.

    Taxonomy mappings and imported services point at need codes (foreign keys), so a freshly migrated
    database without the taxonomy made ``load-mappings`` and ``import`` fail on the database's
    refusal. The taxonomy is the app's own vocabulary, not demo data, so loading it is always right.
    A database that has any needs is left as it is.
    """
    if session.scalar(select(Need.code).limit(1)) is not None:
        return 0
    return sum(seed_taxonomy(session, seeds_dir).created.values())
