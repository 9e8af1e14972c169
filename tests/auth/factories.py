"""Records for account, self-service and curation tests, written straight to the test database."""

from __future__ import annotations

import time
from datetime import date, timedelta
from datetime import time as clock

from flask.testing import FlaskClient
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from directory.auth import session_records
from directory.auth.passwords import hash_password
from directory.auth.sessions import RECORD_KEY
from directory.db import get_session
from directory.models import (
    Location,
    Organization,
    Phone,
    ProblemReport,
    ProposedChange,
    ScheduleSession,
    Service,
    ServiceAtLocation,
    Team,
    User,
)

PASSWORD = "a long test password for everyone"
PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: argon2 is deliberately slow


def organisation(db: Session, name: str) -> Organization:
    org = Organization(name=name)
    db.add(org)
    db.flush()
    return org


def service(
    db: Session,
    org: Organization,
    name: str,
    *,
    status: str = "active",
    assured: date | None = None,
    hours: bool = True,
    postcode: str | None = "SE6 4RU",
    phone: str | None = "020 8314 6000",
    website: str | None = None,
) -> Service:
    svc = Service(
        organization=org,
        name=name,
        description=f"{name} helps people.",
        status=status,
        assured_date=assured,
        hours_known=hours,
        website=website,
        referral_routes=["self"],
    )
    if hours:
        svc.sessions = [ScheduleSession(weekday=0, opens_at=clock(9), closes_at=clock(17))]
    if phone:
        svc.phones = [
            Phone(number=phone, label="Main line"),
            Phone(number="020 7946 0999", label="Professionals", professional_only=True, position=1),
        ]
    if postcode:
        district = postcode.split()[0]
        location = Location(
            organization=org,
            name=f"{name} office",
            address="1 High Street",
            town="London",
            postcode=postcode,
            postcode_district=district,
            local_authority="E09000023",
        )
        svc.location_links = [ServiceAtLocation(location=location)]
    db.add(svc)
    db.flush()
    return svc


def user(
    db: Session,
    role: str,
    email: str | None = None,
    *,
    organisations: list[Organization] | None = None,
    team: str | None = None,
    active: bool = True,
    password_hash: str | None = PASSWORD_HASH,
) -> User:
    person = User(
        email=email or f"{role}-{time.monotonic_ns()}@example.org",
        name=f"Test {role}",
        role=role,
        active=active,
        password_hash=password_hash,
        session_version=1,
    )
    person.organizations = list(organisations or [])
    if team:
        person.team = Team(name=team)
    db.add(person)
    db.flush()
    return person


def proposal(db: Session, svc: Service, by: User, **changes: object) -> ProposedChange:
    change = ProposedChange(
        service=svc,
        proposed_by_id=by.id,
        base_version=svc.version,
        changes={k: {"before": getattr(svc, k), "after": v} for k, v in changes.items()},
        status="pending",
    )
    db.add(change)
    db.flush()
    return change


def problem(db: Session, svc: Service, by: User, kind: str = "phone_wrong") -> ProblemReport:
    item = ProblemReport(
        service=svc, reported_by_id=by.id, kind=kind, details="The number rings out.", status="open"
    )
    db.add(item)
    db.flush()
    return item


def sign_in(client: FlaskClient, person: User) -> FlaskClient:
    """Open a session for ``person`` as signing in does (its server record, and the cookie naming it);
    the sign-in form itself is tested separately."""
    # ``person`` may be detached and expired by an earlier request that rolled the test's session
    # back; its identity key still names the account.
    user_id = inspect(person).identity[0]
    with client.application.app_context():  # its own database session, committed at once
        db = get_session()
        user = db.get_one(User, user_id)
        token = session_records.open_record(db, user, timedelta(days=1))
        identity = user.get_id()
        db.commit()
        db.close()
    with client.session_transaction() as session:
        session["_user_id"] = identity
        session["_fresh"] = True
        session["seen"] = int(time.time())
        session[RECORD_KEY] = token
    return client
