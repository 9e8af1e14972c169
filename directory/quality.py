"""Data-quality checks on listings: missing hours, stale assured dates, unknown postcodes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from directory import geography
from directory.models import Location, Service
from matcher.vocabulary import AGING_DAYS, STALE_DAYS

REVIEW_AFTER_DAYS = AGING_DAYS  # what the matcher ranks lower as ageing is due for review


@dataclass(frozen=True)
class Finding:
    """One listing problem: what kind, which record, and a sentence about it."""

    kind: str
    record_id: str
    name: str
    detail: str


def missing_hours(session: Session) -> list[Finding]:
    """Live services with no opening times at all."""
    rows = session.scalars(
        select(Service)
        .where(Service.status.in_(("active", "temporarily_closed")), Service.hours_known.is_(False))
        .order_by(Service.name)
    )
    return [Finding("missing_hours", s.id, s.name, "no opening times") for s in rows]


def stale_listings(session: Session, today: date, older_than_days: int = REVIEW_AFTER_DAYS) -> list[Finding]:
    """Live services not assured within ``older_than_days`` (or never), oldest first."""
    cutoff = today - timedelta(days=older_than_days)
    rows = session.scalars(
        select(Service)
        .where(
            Service.status.in_(("active", "temporarily_closed")),
            or_(Service.assured_date.is_(None), Service.assured_date < cutoff),
        )
        .order_by(Service.assured_date.is_not(None), Service.assured_date, Service.name)
    )
    found = []
    for s in rows:
        age = (
            f"last verified {(today - s.assured_date).days} days ago" if s.assured_date else "never verified"
        )
        kind = (
            "stale" if s.assured_date is None or (today - s.assured_date).days > STALE_DAYS else "due_review"
        )
        found.append(Finding(kind, s.id, s.name, age))
    return found


def unknown_postcodes(session: Session) -> list[Finding]:
    """Locations whose postcode is missing, malformed or unknown to our geography."""
    found = []
    for loc in session.scalars(select(Location).order_by(Location.name)):
        try:
            geography.resolve(loc.postcode or "")
        except geography.PostcodeError as error:
            found.append(Finding("unknown_postcode", loc.id, loc.name or loc.address, str(error)))
    return found


def check(session: Session, today: date) -> list[Finding]:
    """Every finding, grouped by kind."""
    return missing_hours(session) + stale_listings(session, today) + unknown_postcodes(session)
