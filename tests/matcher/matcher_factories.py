"""Small builders for hand-made directories. Needs come from the seed taxonomy."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from matcher.hours import OpeningHours, Session
from matcher.model import GeoPoint, MatchRequest, Need, Person, ServiceOption, Where
from matcher.rules import roles_by_code
from matcher.vocabulary import NeedGroup, NeedRole

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "needs.csv"


def _load_needs() -> dict[str, Need]:
    with SEEDS.open(newline="") as f:
        return {
            row["code"]: Need(
                row["code"],
                row["label"],
                NeedGroup(row["group"]),
                row["urgent"] == "yes",
                row["basic"] == "yes",
                frozenset(NeedRole(r) for r in row["roles"].split()),
            )
            for row in csv.DictReader(f)
        }


NEEDS = _load_needs()
TAXONOMY = tuple(NEEDS.values())
ROLES = roles_by_code(TAXONOMY)  # what each need means to the rules, for a hand-made rules.Context
LEWISHAM = "E09000023"
MANCHESTER = "E08000003"
CORNWALL = "E06000052"
SE13 = GeoPoint(51.4585, -0.0107)  # Lewisham
SE6 = GeoPoint(51.4397, -0.0195)  # Catford
M1 = GeoPoint(53.4794, -2.2453)  # Manchester
TODAY = date(2026, 11, 23)
# Monday 23 November 2026, 11:00 London (GMT), and the same night at 02:30.
MONDAY_11 = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
SUNDAY_0230 = datetime(2026, 11, 22, 2, 30, tzinfo=UTC)

WEEKDAYS_9_TO_5 = OpeningHours(sessions=tuple(Session(d, time(9), time(17)) for d in range(5)))
ALWAYS = OpeningHours(always_open=True)


def needs(*codes: str) -> tuple[Need, ...]:
    """Need objects for codes."""
    return tuple(NEEDS[c] for c in codes)


def service(sid: str, *codes: str, **kw: Any) -> ServiceOption:
    """A fresh, active, accepting Lewisham service open weekdays 9-5 at SE13, unless told otherwise."""
    base: dict[str, Any] = {
        "id": sid,
        "name": sid.replace("-", " ").title(),
        "organization_id": kw.pop("org", sid),
        "organization_name": kw.pop("org_name", sid.title()),
        "needs": codes,
        "hours": WEEKDAYS_9_TO_5,
        "assured_date": date(2026, 10, 1),
        "lat": SE13.lat,
        "lon": SE13.lon,
        "location_id": f"{sid}-site",
        "location_postcode": "SE13 6LJ",
        "phone": "020 0000 0000",
        "delivery": ("in_person", "phone"),
        "referral_routes": ("self", "professional"),
    }
    base.update(kw)
    return ServiceOption(**base)


def person(**kw: Any) -> Person:
    """A 34-year-old man living in Lewisham, registered with a Lewisham GP."""
    base: dict[str, Any] = {
        "age": 34,
        "gender": "male",
        "home_district": "SE13",
        "home_authority": LEWISHAM,
        "home_location": SE13,
        "gp_registered": True,
        "gp_authority": LEWISHAM,
    }
    base.update(kw)
    return Person(**base)


def where(**kw: Any) -> Where:
    """Leaving Lewisham custody (Catford)."""
    base: dict[str, Any] = {"setting": "custody", "district": "SE6", "authority": LEWISHAM, "location": SE6}
    base.update(kw)
    return Where(**base)


def request(
    codes: tuple[str, ...] | list[str], services: list[ServiceOption], at: datetime = MONDAY_11, **kw: Any
) -> MatchRequest:
    """A request for a default person leaving Lewisham custody."""
    return MatchRequest(
        needs=needs(*codes),
        person=kw.pop("person", person()),
        where=kw.pop("where", where()),
        at=at,
        services=tuple(services),
        taxonomy=kw.pop("taxonomy", TAXONOMY),
        **kw,
    )
