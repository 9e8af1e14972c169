"""A small directory, teams and cases for the case tests, written straight to the test database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import geography
from directory.cases import records
from directory.matching.bridge import match
from directory.matching.request import MatchInput
from directory.models import Case, Location, Need, Organization, Phone, Service, ServiceAtLocation, Team, User
from matcher.vocabulary import LONDON
from tests.auth.factories import PASSWORD_HASH

# Thursday 22 October 2026, 10:30 in London: a working day with nothing odd about it.
AT = datetime(2026, 10, 22, 10, 30, tzinfo=LONDON)

# What /package is sent for the person in these tests (the form's field names).
PACKAGE_FORM: dict[str, Any] = {
    "needs_basic": ["NO_BED_TONIGHT"],
    "needs_health": ["SUBST_ALCOHOL"],
    "age": "34",
    "gender": "male",
    "home_postcode": "SE13 6LJ",
    "gp_registered": "yes",
    "probation": "none",
    "language": "en",
    "setting": "custody",
    "where_postcode": "SE6 4RU",
    "when": "later",
    "at_date": ["22", "10", "2026"],
    "at_time": "10:30",
    "safe_contact_notes": "Text only, never call after 6pm",
}


def _service(
    db: Session, org: Organization, name: str, needs: list[str], postcode: str, **fields: Any
) -> Service:
    place = geography.resolve(postcode)
    service = Service(
        organization=org,
        name=name,
        description=f"{name} helps people.",
        status="active",
        always_open=True,
        hours_known=True,
        referral_routes=fields.pop("referral_routes", ["professional", "self"]),
        delivery_modes=["in_person"],
        email=fields.pop("email", None),
        **fields,
    )
    db.add(service)
    service.needs = list(db.scalars(select(Need).where(Need.code.in_(needs))))
    service.phones = [
        Phone(number="020 8314 6000", label="Main line"),
        Phone(number="020 7946 0999", label="Professionals", professional_only=True, position=1),
    ]
    location = Location(
        organization=org,
        name=f"{name} office",
        address="1 High Street",
        town="London",
        postcode=postcode,
        postcode_district=postcode.split()[0],
        local_authority=place.local_authority,
        latitude=place.latitude,
        longitude=place.longitude,
    )
    db.add(location)
    service.location_links = [ServiceAtLocation(location=location)]
    return service


def directory(db: Session) -> dict[str, Service]:
    """Two agencies in Lewisham: a housing service and an alcohol service."""
    with db.no_autoflush:
        return _directory(db)


def _directory(db: Session) -> dict[str, Service]:
    council = Organization(name="Lewisham Council")
    charity = Organization(name="Change Grow Live")
    db.add_all([council, charity])
    services = {
        "housing": _service(
            db,
            council,
            "Housing options",
            ["NO_BED_TONIGHT", "HOUSING_RISK"],
            "SE6 4RU",
            email="housing@example.org",
        ),
        "alcohol": _service(db, charity, "Alcohol service", ["SUBST_ALCOHOL"], "SE13 6LJ"),
    }
    db.flush()
    return services


def team_member(db: Session, team_name: str, email: str, role: str = "practitioner") -> User:
    team = db.scalar(select(Team).where(Team.name == team_name)) or Team(name=team_name)
    user = User(
        email=email,
        name=email.split("@")[0].replace(".", " ").title(),
        role=role,
        team=team,
        active=True,
        password_hash=PASSWORD_HASH,
        session_version=1,
    )
    db.add(user)
    db.flush()
    return user


def match_input(**changes: Any) -> MatchInput:
    values: dict[str, Any] = {
        "needs": ("NO_BED_TONIGHT", "SUBST_ALCOHOL"),
        "age": 34,
        "gender": "male",
        "home_postcode": "SE13 6LJ",
        "setting": "custody",
        "where_postcode": "SE6 4RU",
        "at": AT,
        "safe_contact_notes": "Text only, never call after 6pm",
    }
    values.update(changes)
    return MatchInput(**values)


def open_case(db: Session, user: User, reference: str = "", **changes: Any) -> Case:
    """A case opened from a real package for ``match_input(**changes)``."""
    data = match_input(**changes)
    return records.open_case(db, user, data, match(db, data), reference=reference)


def rank_of(case: Case, service: Service) -> int:
    return next(item["rank"] for item in case.plan["items"] if item["service_id"] == service.id)


def consent(db: Session, user: User, case: Case, recipients: tuple[str, ...] = ("health", "housing")) -> None:
    """The person gave explicit consent to share everything with ``recipients``."""
    records.record_consent(
        db,
        user,
        case,
        decision="given",
        shares=["contact", "needs", "circumstances", "safety"],
        recipients=list(recipients),
        method="verbal",
    )
