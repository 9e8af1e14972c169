"""A synthetic national directory for benchmarks: realistic services in every GB postcode district.

    from bench.synthetic import generate
    generate("sqlite:///bench/out/national.sqlite3", 100_000, seed=1)

or from the command line:

    .venv/bin/python bench/synthetic.py sqlite:///bench/out/national.sqlite3 --services 100000

Services are real kinds of service (Citizens Advice, foodbanks, talking therapies, refuges, drug and
alcohol services ...) named after the local authority and postcode district they are in, with needs,
opening hours, eligibility, phones and capacity in the proportions a real directory has. The same
seed gives the same directory. Rows go in with SQLAlchemy Core ``executemany`` in batches, after the
migrations have run (``directory.migrate.upgrade``); the needs taxonomy is loaded if missing.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time as clock
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, delete, func, insert, select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from directory import geography, migrate  # noqa: E402
from directory.db import make_engine  # noqa: E402
from directory.models import (  # noqa: E402
    Location,
    Need,
    Organization,
    Phone,
    ScheduleException,
    ScheduleSession,
    Service,
    ServiceAtLocation,
    service_need,
)
from directory.seeding import SEEDS_DIR, read_needs  # noqa: E402

SOURCE = "synthetic"
BATCH = 5_000


@dataclass(frozen=True)
class Kind:
    """A kind of service, with the words and facts its listings are made of."""

    key: str
    organisation: str  # format with {la}
    names: tuple[str, ...]  # format with {la}, {district}
    descriptions: tuple[str, ...]
    needs: tuple[str, ...]
    routes: tuple[str, ...] = ("self", "professional")
    delivery: tuple[str, ...] = ("in_person", "phone")
    hours: tuple[str, ...] = ("office",)
    remote: bool = False  # phone or online only: no location
    confidential: bool = False
    min_age: int | None = 18
    max_age: int | None = None
    genders: tuple[str, ...] = ()
    cohorts: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    weight: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)


KINDS = (
    Kind(
        "ca",
        "Citizens Advice {la}",
        ("Citizens Advice {la} - {district} advice session", "Citizens Advice {la} debt and benefits advice"),
        (
            "Free, confidential advice on debt, benefits, housing, employment and consumer problems.",
            "Advisers help with benefit claims, sanctions, appeals and money problems; drop in or phone.",
        ),
        ("DEBT", "INCOME_BENEFITS", "HOUSING_RISK"),
        routes=("self", "drop_in", "professional"),
        weight=2.0,
    ),
    Kind(
        "foodbank",
        "{la} Foodbank",
        ("{la} Foodbank - {district} centre", "{la} Foodbank {district} distribution centre"),
        (
            "Three days of emergency food and toiletries, with signposting to advice. Bring a referral voucher if you have one.",
            "Emergency food parcels, hot drinks and help with fuel vouchers and travel fares.",
        ),
        ("FOOD_ESSENTIALS",),
        routes=("drop_in", "professional"),
        delivery=("in_person",),
        hours=("drop_in", "mornings"),
        min_age=16,
        weight=2.0,
    ),
    Kind(
        "housing",
        "{la} Council",
        ("{la} housing options and homelessness service", "{la} housing advice - {district}"),
        (
            "Housing options and homelessness help: applications, prevention casework and emergency accommodation.",
            "Help for anyone homeless or threatened with homelessness within 56 days.",
        ),
        ("HOUSING_RISK", "NO_BED_TONIGHT"),
        routes=("self", "professional", "drop_in"),
        min_age=16,
        weight=1.5,
    ),
    Kind(
        "housing_ooh",
        "{la} Council",
        ("{la} out-of-hours emergency housing line",),
        ("Emergency homelessness line for evenings, nights and weekends when the housing office is closed.",),
        ("NO_BED_TONIGHT",),
        delivery=("phone",),
        hours=("overnight",),
        remote=True,
        min_age=16,
        weight=0.3,
    ),
    Kind(
        "talking",
        "{la} NHS Talking Therapies",
        ("{la} Talking Therapies", "{la} Talking Therapies - {district} clinic"),
        (
            "Free NHS talking therapies for anxiety, depression, stress and trauma. Self-refer online or by phone.",
        ),
        ("MH_COMMON",),
        routes=("self", "gp", "professional"),
        delivery=("in_person", "phone", "online"),
        exclusions=("crisis", "immediate_risk"),
        extra={"requires_gp_registration": True, "catchment_type": "gp"},
    ),
    Kind(
        "cmht",
        "{la} NHS Mental Health Trust",
        ("{la} community mental health team ({district})", "{la} assessment and liaison team"),
        (
            "Assessment and care for adults with severe or enduring mental illness, including psychosis and bipolar disorder.",
        ),
        ("MH_SEVERE",),
        routes=("gp", "professional"),
        weight=0.8,
    ),
    Kind(
        "crisis",
        "{la} NHS Mental Health Trust",
        ("{la} 24-hour mental health crisis line",),
        (
            "Round-the-clock mental health crisis support by phone for people of any age. Also reachable through NHS 111.",
        ),
        ("MH_CRISIS", "RISK_SUICIDE_NOW", "RISK_SELFHARM"),
        delivery=("phone",),
        hours=("always",),
        remote=True,
        min_age=None,
        weight=0.3,
    ),
    Kind(
        "cgl",
        "Change Grow Live {la}",
        ("{la} drug and alcohol service", "Change Grow Live {la} - {district} recovery hub"),
        (
            "Treatment and recovery for adults who use drugs or alcohol: prescribing, needle exchange, groups and key work.",
            "Drug and alcohol support, same-day prescribing for people leaving custody, and recovery groups.",
        ),
        ("SUBST_DRUGS", "SUBST_ALCOHOL", "SUBST_CONTINUITY"),
        routes=("self", "professional", "drop_in"),
        hours=("office", "evening"),
        weight=1.5,
    ),
    Kind(
        "refuge",
        "Women's Aid {la}",
        ("{la} Women's Aid refuge", "Women's Aid {la} safe accommodation"),
        ("Safe, confidential accommodation for women and children escaping domestic abuse.",),
        ("DA_HIGH", "NO_BED_TONIGHT"),
        routes=("self", "professional"),
        hours=("always",),
        confidential=True,
        min_age=16,
        genders=("female",),
        weight=0.5,
    ),
    Kind(
        "idva",
        "Women's Aid {la}",
        ("{la} domestic abuse service (IDVA)", "{la} domestic abuse helpline"),
        (
            "Independent domestic violence advisers for people at high risk, safety planning and court support.",
        ),
        ("DA_HIGH", "DA_STANDARD"),
        routes=("self", "professional"),
        delivery=("phone", "in_person"),
        min_age=16,
    ),
    Kind(
        "samaritans",
        "Samaritans {la}",
        ("Samaritans {la} branch",),
        (
            "Someone to talk to, day or night, about whatever is getting to you. Face-to-face at the branch, or by phone.",
        ),
        ("RISK_SELFHARM", "RISK_SUICIDE_NOW"),
        routes=("self", "drop_in"),
        hours=("always",),
        min_age=None,
        weight=0.5,
    ),
    Kind(
        "mind",
        "Mind in {la}",
        ("Mind in {la} wellbeing hub", "Mind in {la} - {district} peer support group"),
        ("Peer support, wellbeing courses and advocacy for people living with mental health problems.",),
        ("MH_COMMON", "FAMILY_RELATIONSHIPS"),
        routes=("self", "professional"),
        hours=("office", "evening"),
    ),
    Kind(
        "jcp",
        "Department for Work and Pensions - Jobcentre Plus",
        ("{la} Jobcentre Plus ({district})",),
        ("Universal Credit claims, advance payments, work coaches and help into work.",),
        ("INCOME_BENEFITS", "ETE"),
        routes=("self",),
        weight=0.8,
    ),
    Kind(
        "learning",
        "{la} Council",
        ("Adult learning {la} - {district} centre",),
        ("Free English, maths and digital skills courses for adults, and help into training or work.",),
        ("ETE",),
        routes=("self", "professional"),
        min_age=19,
        weight=0.7,
    ),
    Kind(
        "opcourage",
        "Op COURAGE",
        ("Op COURAGE: veterans mental health and wellbeing service ({la})",),
        (
            "NHS mental health service for people who have served in the UK armed forces, reservists and their families.",
        ),
        ("VETERAN", "MH_COMMON", "MH_SEVERE"),
        routes=("self", "gp", "professional"),
        delivery=("phone", "in_person"),
        cohorts=("veteran",),
        remote=True,
        weight=0.2,
    ),
    Kind(
        "veterans",
        "{la} Armed Forces Community Covenant",
        ("{la} veterans hub",),
        ("A drop-in for veterans: housing, benefits and employment advice, and a brew.",),
        ("VETERAN", "FAMILY_RELATIONSHIPS"),
        routes=("self", "drop_in"),
        hours=("mornings",),
        cohorts=("veteran",),
        weight=0.4,
    ),
    Kind(
        "gp",
        "{la} Integrated Care Board",
        ("GP registration help in {la}", "{la} homeless and inclusion health practice ({district})"),
        ("Helps people register with a GP without proof of address or ID, and offers health checks.",),
        ("GP_UNREGISTERED", "PHYS_HEALTH"),
        routes=("self", "drop_in", "professional"),
        min_age=None,
        weight=0.6,
    ),
    Kind(
        "sexual_health",
        "{la} Sexual Health Service",
        ("{la} sexual health clinic ({district})",),
        (
            "Free, confidential testing, treatment, contraception and blood-borne virus care. Walk in or book.",
        ),
        ("PHYS_HEALTH",),
        routes=("self", "drop_in"),
        min_age=13,
        weight=0.5,
    ),
    Kind(
        "ld",
        "{la} Council",
        ("{la} community learning disability team",),
        (
            "Health and social care for adults with a learning disability, and advice for families and carers.",
        ),
        ("LD",),
        routes=("gp", "professional"),
        weight=0.4,
    ),
    Kind(
        "autism",
        "{la} NHS Mental Health Trust",
        ("{la} adult autism and ADHD service",),
        ("Assessment and post-diagnostic support for adults with autism or ADHD.",),
        ("NEURODIV",),
        routes=("gp",),
        weight=0.4,
        extra={"capacity_status": "waiting_list", "wait_days": 300},
    ),
    Kind(
        "mash",
        "{la} Council",
        ("{la} children's social care - MASH",),
        (
            "The multi-agency safeguarding hub for concerns about a child, including exploitation and county lines.",
        ),
        ("SAFEGUARD_CHILD", "EXPLOITATION"),
        routes=("self", "professional"),
        delivery=("phone", "online"),
        remote=True,
        min_age=None,
        weight=0.3,
    ),
    Kind(
        "yjs",
        "{la} Council",
        ("{la} youth justice service",),
        ("Works with children aged 10 to 17 in the youth justice system and their families.",),
        ("SAFEGUARD_CHILD", "EXPLOITATION"),
        routes=("professional",),
        min_age=10,
        max_age=17,
        cohorts=("youth_justice",),
        weight=0.3,
    ),
    Kind(
        "daycentre",
        "{la} Homeless Day Centre",
        ("{la} day centre for people sleeping rough ({district})",),
        ("Breakfast, showers, laundry, a postal address and help finding somewhere to stay.",),
        ("NO_BED_TONIGHT", "FOOD_ESSENTIALS", "HOUSING_RISK"),
        routes=("drop_in", "self"),
        hours=("mornings",),
        weight=0.7,
    ),
    Kind(
        "shelter",
        "{la} Night Shelter",
        ("{la} night shelter",),
        ("Emergency beds overnight for people sleeping rough, by referral from the outreach team.",),
        ("NO_BED_TONIGHT",),
        routes=("professional",),
        hours=("overnight",),
        weight=0.4,
        extra={"capacity_status": "at_capacity"},
    ),
    Kind(
        "stepchange",
        "StepChange Debt Charity",
        ("StepChange debt advice for {la}",),
        ("Free debt advice and debt solutions by phone and online.",),
        ("DEBT",),
        routes=("self",),
        delivery=("phone", "online"),
        remote=True,
        weight=0.3,
    ),
    Kind(
        "family",
        "{la} Council",
        ("{la} family hub ({district})",),
        ("Early help for families: parenting support, family mediation and activities for children.",),
        ("FAMILY_RELATIONSHIPS", "SAFEGUARD_CHILD"),
        routes=("self", "professional"),
        min_age=None,
        weight=0.8,
    ),
    Kind(
        "womens_centre",
        "{la} Women's Centre",
        ("{la} women's centre", "{la} women's diversion service"),
        ("A safe women-only space offering key work, counselling, domestic abuse support and courses.",),
        ("DA_STANDARD", "MH_COMMON", "ETE"),
        routes=("self", "professional", "probation"),
        genders=("female",),
        weight=0.5,
    ),
    Kind(
        "recovery_cafe",
        "{la} Recovery Community",
        ("{la} recovery cafe",),
        ("Peer-led recovery cafe for people in recovery from drugs or alcohol, and their families.",),
        ("SUBST_ALCOHOL", "SUBST_DRUGS", "FAMILY_RELATIONSHIPS"),
        routes=("self", "drop_in"),
        hours=("evening",),
        weight=0.5,
    ),
    Kind(
        "slavery",
        "Hope for Justice",
        ("{la} modern slavery and exploitation support",),
        ("Independent advocacy for survivors of modern slavery and criminal exploitation.",),
        ("EXPLOITATION",),
        routes=("self", "professional"),
        delivery=("phone",),
        remote=True,
        weight=0.2,
    ),
    Kind(
        "ageuk",
        "Age UK {la}",
        ("Age UK {la} befriending and wellbeing",),
        ("Befriending, information and advice for older people who are lonely or isolated.",),
        ("FAMILY_RELATIONSHIPS",),
        routes=("self", "professional"),
        min_age=60,
        weight=0.5,
    ),
    Kind(
        "crs",
        "HMPPS Commissioned Rehabilitative Services",
        (
            "Commissioned Rehabilitative Services ({la}) - accommodation",
            "Commissioned Rehabilitative Services ({la}) - finance, benefit and debt",
        ),
        ("Support for people on probation with accommodation, money and wellbeing, by probation referral.",),
        ("HOUSING_RISK", "DEBT", "INCOME_BENEFITS"),
        routes=("probation",),
        cohorts=("probation",),
        weight=0.4,
    ),
)

HOURS_PATTERNS: dict[str, list[tuple[tuple[int, ...], str, str, bool]]] = {
    "office": [((0, 1, 2, 3, 4), "09:00", "17:00", False)],
    "mornings": [((0, 1, 2, 3, 4), "09:00", "13:00", False)],
    "drop_in": [((1, 3), "12:00", "14:00", True), ((5,), "10:00", "12:00", True)],
    "evening": [((0, 1, 2, 3, 4), "09:00", "17:00", False), ((1, 3), "17:30", "20:00", True)],
    "overnight": [((0, 1, 2, 3, 4), "17:00", "09:00", False), ((5, 6), "00:00", "00:00", False)],
}
STATUSES = (("active", 0.95), ("temporarily_closed", 0.02), ("inactive", 0.02), ("defunct", 0.01))
CAPACITY = (("accepting", 0.8), ("waiting_list", 0.12), ("at_capacity", 0.06), ("closed_to_referrals", 0.02))
STREETS = (
    "High Street",
    "Station Road",
    "Church Street",
    "Market Place",
    "London Road",
    "Park Road",
    "Mill Lane",
)


@dataclass
class Report:
    """What ``generate`` wrote and how long it took."""

    services: int = 0
    organisations: int = 0
    locations: int = 0
    sessions: int = 0
    seconds: float = 0.0
    reused: bool = False


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _gb_districts() -> list[tuple[str, geography.District]]:
    """Every GB postcode district (Northern Ireland, BT, skipped), in file order."""
    with (geography.GEOGRAPHY_DIR / "postcode_districts.csv").open(newline="") as handle:
        countries = {row["district"]: row["country"] for row in csv.DictReader(handle)}
    return [
        (code, district)
        for code, district in geography.districts().items()
        if countries.get(code) != "Northern Ireland" and not code.startswith("BT")
    ]


def _weighted(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


class _Builder:
    """Makes the rows, deterministically from ``seed``."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC)
        self.today = self.now.date()
        self.organisations: dict[tuple[str, str], str] = {}
        self.rows: dict[str, list[dict[str, Any]]] = {
            name: []
            for name in (
                "organization",
                "location",
                "service",
                "need",
                "sal",
                "session",
                "exception",
                "phone",
            )
        }

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def stamps(self) -> dict[str, Any]:
        return {"created_at": self.now, "updated_at": self.now}

    def organisation(self, kind: Kind, la_name: str) -> str:
        name = kind.organisation.format(la=la_name)
        key = (name, la_name if "{la}" in kind.organisation else "")
        if key not in self.organisations:
            org_id = self.uid()
            self.organisations[key] = org_id
            self.rows["organization"].append(
                {
                    "id": org_id,
                    "name": name,
                    "description": f"{name}: synthetic benchmark data.",
                    "website": None,
                    "email": None,
                    "source": SOURCE,
                    "external_id": f"org-{len(self.organisations)}",
                    **self.stamps(),
                }
            )
        return self.organisations[key]

    def service(self, number: int, kind: Kind, district_code: str, district: geography.District) -> None:
        rng = self.rng
        la_name = geography.authority_name(district.local_authority)
        org_id = self.organisation(kind, la_name)
        service_id = self.uid()
        name = rng.choice(kind.names).format(la=la_name, district=district_code)
        hours = rng.choice(kind.hours)
        if hours == "office" and rng.random() < 0.1:
            hours = "unknown"
        catchment_type = kind.extra.get("catchment_type", "residence" if rng.random() < 0.5 else "none")
        self.rows["service"].append(
            {
                "id": service_id,
                "organization_id": org_id,
                "name": name,
                "description": rng.choice(kind.descriptions)
                + f" Serving {la_name} and around {district_code}.",
                "how_to_refer": "Phone, walk in during opening hours, or ask your L&D worker to refer.",
                "status": _weighted(rng, STATUSES),
                "referral_routes": list(kind.routes),
                "email": None,
                "website": None,
                "cost": "Free",
                "languages": ["en"] + (["pl"] if rng.random() < 0.1 else []),
                "delivery_modes": list(kind.delivery),
                "alert": "Reduced hours this month: phone before visiting" if rng.random() < 0.03 else None,
                "joint_or_couple": False,
                "requires_gp_registration": bool(kind.extra.get("requires_gp_registration", False)),
                "minimum_age": kind.min_age,
                "maximum_age": kind.max_age,
                "genders": list(kind.genders),
                "catchment_type": catchment_type,
                "catchment_areas": [district.local_authority] if catchment_type != "none" else [],
                "cohorts": list(kind.cohorts),
                "exclusions": list(kind.exclusions),
                "eligibility_summary": f"People in {la_name}.",
                "capacity_status": kind.extra.get("capacity_status") or _weighted(rng, CAPACITY),
                "wait_days": kind.extra.get("wait_days")
                or (rng.choice((7, 14, 28, 42)) if rng.random() < 0.2 else None),
                "always_open": hours == "always",
                "open_on_bank_holidays": hours in ("always", "overnight"),
                "hours_known": hours != "unknown",
                "assured_date": self.today - timedelta(days=rng.randint(0, 730)),
                "assured_by": "Synthetic benchmark data",
                "source": SOURCE,
                "external_id": f"svc-{number}",
                "version": 1,
                **self.stamps(),
            }
        )
        for code in kind.needs:
            self.rows["need"].append({"service_id": service_id, "need_code": code})
        for weekdays, opens, closes, drop_in in HOURS_PATTERNS.get(hours, []):
            for weekday in weekdays:
                self.rows["session"].append(
                    {
                        "id": self.uid(),
                        "service_id": service_id,
                        "weekday": weekday,
                        "opens_at": _clock(opens),
                        "closes_at": _clock(closes),
                        "drop_in": drop_in,
                    }
                )
        if hours not in ("unknown", "always") and rng.random() < 0.1:
            self.rows["exception"].append(
                {
                    "id": self.uid(),
                    "service_id": service_id,
                    "day": date(self.today.year, 12, 24),
                    "closed": True,
                    "opens_at": None,
                    "closes_at": None,
                    "note": "Christmas Eve",
                }
            )
        self.rows["phone"].append(
            {
                "id": self.uid(),
                "service_id": service_id,
                "number": f"0{rng.randint(1000, 2999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                "label": "Main line",
                "professional_only": False,
                "position": 0,
            }
        )
        if rng.random() < 0.2:
            self.rows["phone"].append(
                {
                    "id": self.uid(),
                    "service_id": service_id,
                    "number": f"0{rng.randint(1000, 2999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                    "label": "Professionals line",
                    "professional_only": True,
                    "position": 1,
                }
            )
        if kind.remote:
            return
        location_id = self.uid()
        # Within about 2 km of the district's centre.
        lat = district.latitude + rng.uniform(-0.018, 0.018)
        lon = district.longitude + rng.uniform(-0.03, 0.03)
        self.rows["location"].append(
            {
                "id": location_id,
                "organization_id": org_id,
                "name": name if not kind.confidential else "Confidential address",
                "description": "",
                "address": "" if kind.confidential else f"{rng.randint(1, 250)} {rng.choice(STREETS)}",
                "town": la_name,
                "postcode": district_code,
                "postcode_district": district_code,
                "latitude": district.latitude if kind.confidential else lat,
                "longitude": district.longitude if kind.confidential else lon,
                "local_authority": district.local_authority,
                "confidential": kind.confidential,
                "source": SOURCE,
                "external_id": f"loc-{number}",
                **self.stamps(),
            }
        )
        self.rows["sal"].append({"id": self.uid(), "service_id": service_id, "location_id": location_id})


def _plan(n_services: int, rng: random.Random) -> Iterator[tuple[int, Kind, str, geography.District]]:
    """Every district gets its share; kinds are drawn by weight."""
    districts = _gb_districts()
    weights = [k.weight for k in KINDS]
    order = [districts[n % len(districts)] for n in range(n_services)]
    rng.shuffle(order)
    for number, (code, district) in enumerate(order):
        yield number, rng.choices(KINDS, weights=weights)[0], code, district


def _insert(engine: Engine, table: Table, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as connection:
        for start in range(0, len(rows), BATCH):
            connection.execute(insert(table), rows[start : start + BATCH])


def _existing(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.scalar(select(func.count()).select_from(Service).where(Service.source == SOURCE)) or 0
        )


def _ensure_needs(engine: Engine) -> None:
    with engine.begin() as connection:
        if connection.scalar(select(func.count()).select_from(Need)):
            return
        connection.execute(insert(Need.__table__), read_needs(SEEDS_DIR / "needs.csv"))


def _clear(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in (
            service_need,
            ServiceAtLocation.__table__,
            ScheduleSession.__table__,
            ScheduleException.__table__,
            Phone.__table__,
        ):
            connection.execute(delete(table))
        connection.execute(delete(Service.__table__))
        connection.execute(delete(Location.__table__))
        connection.execute(delete(Organization.__table__))


def generate(database_url: str, n_services: int, seed: int = 1, replace: bool = True) -> Report:
    """Migrate ``database_url`` and fill it with ``n_services`` synthetic services.

    A database already holding exactly ``n_services`` synthetic services is left as it is (generation
    is deterministic, so it holds the same directory); otherwise, with ``replace``, every service,
    location and organisation in it is deleted first.
    """
    started = clock.perf_counter()
    url = normalise_url_for(database_url)
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        _ensure_needs(engine)
        if _existing(engine) == n_services:
            return Report(services=n_services, seconds=clock.perf_counter() - started, reused=True)
        if replace:
            _clear(engine)
        builder = _Builder(seed)
        for number, kind, code, district in _plan(n_services, builder.rng):
            builder.service(number, kind, code, district)
        rows = builder.rows
        _insert(engine, Organization.__table__, rows["organization"])  # type: ignore[arg-type]
        _insert(engine, Location.__table__, rows["location"])  # type: ignore[arg-type]
        _insert(engine, Service.__table__, rows["service"])  # type: ignore[arg-type]
        _insert(engine, service_need, rows["need"])
        _insert(engine, ServiceAtLocation.__table__, rows["sal"])  # type: ignore[arg-type]
        _insert(engine, ScheduleSession.__table__, rows["session"])  # type: ignore[arg-type]
        _insert(engine, ScheduleException.__table__, rows["exception"])  # type: ignore[arg-type]
        _insert(engine, Phone.__table__, rows["phone"])  # type: ignore[arg-type]
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("ANALYZE")
        else:
            with engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        return Report(
            services=len(rows["service"]),
            organisations=len(rows["organization"]),
            locations=len(rows["location"]),
            sessions=len(rows["session"]),
            seconds=clock.perf_counter() - started,
        )
    finally:
        engine.dispose()


def normalise_url_for(database_url: str) -> str:
    """``postgresql://`` (and ``postgres://``) URLs use psycopg 3, as the app does."""
    url = make_url(database_url.replace("postgres://", "postgresql://", 1))
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description="Fill a database with a synthetic national directory.")
    parser.add_argument("database_url", help="e.g. sqlite:///bench/out/national.sqlite3 or postgresql://...")
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    report = generate(args.database_url, args.services, seed=args.seed)
    verb = "already held" if report.reused else "wrote"
    print(
        f"{verb} {report.services} services, {report.organisations} organisations, "
        f"{report.locations} locations, {report.sessions} weekly sessions in {report.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
