"""Changes that publish at once: capacity, closure, alert, opening times, "still accurate".

Each checks the listing version the form was opened at (optimistic locking), bumps the version,
and audits field by field. None commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from directory import audit
from directory.feeds.curation import mark_curated
from directory.models import ScheduleException, ScheduleSession, Service, User
from directory.models.base import utcnow
from directory.oruk.records import CURATABLE_FIELDS
from matcher.vocabulary import CapacityStatus, ServiceStatus


class VersionConflictError(Exception):
    """Someone else changed the listing after this form was opened."""


def check_version(service: Service, expected: int) -> None:
    """Raise VersionConflictError unless the listing is still at ``expected``."""
    if service.version != expected:
        raise VersionConflictError()


def save(session: Session, service: Service) -> None:
    """Write the listing now, bumping its version; a concurrent write becomes VersionConflictError."""
    service.updated_at = utcnow()  # child-row changes must bump the version too
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise VersionConflictError() from None


def operational_values(service: Service) -> dict[str, Any]:
    """The fields an agency publishes at once."""
    return {
        "capacity_status": service.capacity_status,
        "wait_days": service.wait_days,
        "temporarily_closed": service.status == "temporarily_closed",
        "alert": service.alert or "",
    }


@dataclass(frozen=True)
class Operational:
    capacity_status: str
    wait_days: int | None
    temporarily_closed: bool
    alert: str


def update_operational(
    session: Session, actor: User, service: Service, expected_version: int, update: Operational
) -> audit.Changes:
    """Publish capacity, waiting time, temporary closure and the alert banner now."""
    check_version(service, expected_version)
    if update.capacity_status not in tuple(CapacityStatus):
        raise ValueError(update.capacity_status)
    before = {**operational_values(service), "status": service.status}
    service.capacity_status = CapacityStatus(update.capacity_status)
    service.wait_days = update.wait_days
    service.alert = update.alert.strip() or None
    if update.temporarily_closed and service.status == ServiceStatus.ACTIVE:
        service.status = ServiceStatus.TEMPORARILY_CLOSED
    elif not update.temporarily_closed and service.status == ServiceStatus.TEMPORARILY_CLOSED:
        service.status = ServiceStatus.ACTIVE
    after = {**operational_values(service), "status": service.status}
    changes = audit.diff(before, after)
    changes.pop("temporarily_closed", None)  # "status" says it
    if changes:
        # The agency's own update wins over the next feed import of this listing (unless --overwrite).
        mark_curated(session, service, [name for name in changes if name in CURATABLE_FIELDS])
        save(session, service)
        audit.record(
            session,
            actor,
            "service.operational_updated",
            "service",
            service.id,
            service.name,
            changes=changes,
        )
    return changes


def mark_accurate(
    session: Session, actor: User, service: Service, expected_version: int, today: date
) -> None:
    """The agency (or a curator) confirms the listing is still right today."""
    check_version(service, expected_version)
    before = {"assured_date": service.assured_date, "assured_by": service.assured_by}
    service.assured_date = today
    service.assured_by = actor.display_name[:255]
    save(session, service)
    audit.record(
        session,
        actor,
        "service.assured",
        "service",
        service.id,
        service.name,
        changes=audit.diff(before, {"assured_date": service.assured_date, "assured_by": service.assured_by}),
    )


SessionRow = tuple[int, time, time, bool]


def schedule_values(service: Service) -> dict[str, Any]:
    """The weekly schedule as plain values (for diffs and the audit log)."""
    return {
        "always_open": service.always_open,
        "open_on_bank_holidays": service.open_on_bank_holidays,
        "sessions": [
            [s.weekday, s.opens_at.strftime("%H:%M"), s.closes_at.strftime("%H:%M"), s.drop_in]
            for s in sorted(service.sessions, key=lambda s: (s.weekday, s.opens_at))
        ],
    }


def update_schedule(
    session: Session,
    actor: User,
    service: Service,
    expected_version: int,
    *,
    always_open: bool,
    open_on_bank_holidays: bool,
    sessions: list[SessionRow],
) -> audit.Changes:
    """Replace the weekly opening times; publishes at once."""
    check_version(service, expected_version)
    before = {**schedule_values(service), "hours_known": service.hours_known}
    service.always_open = always_open
    service.open_on_bank_holidays = open_on_bank_holidays
    service.sessions = [
        ScheduleSession(weekday=weekday, opens_at=opens, closes_at=closes, drop_in=drop_in)
        for weekday, opens, closes, drop_in in sorted(sessions)
    ]
    service.hours_known = always_open or bool(sessions)
    after = {**schedule_values(service), "hours_known": service.hours_known}
    changes = audit.diff(before, after)
    if changes:
        mark_curated(session, service, ["hours"])  # the agency's hours win over the next feed import
        save(session, service)
        audit.record(
            session, actor, "service.schedule_updated", "service", service.id, service.name, changes=changes
        )
    return changes


def _exception_text(item: ScheduleException) -> str:
    if item.closed:
        what = "closed all day"
    else:
        opens = item.opens_at.strftime("%H:%M") if item.opens_at else "?"
        closes = item.closes_at.strftime("%H:%M") if item.closes_at else "?"
        what = f"open {opens} to {closes}"
    return f"{item.day.isoformat()}: {what}" + (f" ({item.note})" if item.note else "")


def add_exception(
    session: Session,
    actor: User,
    service: Service,
    *,
    day: date,
    closed: bool,
    opens: time | None,
    closes: time | None,
    note: str,
) -> ScheduleException:
    """Add a dated change (closed tomorrow, an extra session today); publishes at once."""
    item = ScheduleException(
        day=day,
        closed=closed,
        opens_at=None if closed else opens,
        closes_at=None if closed else closes,
        note=note,
    )
    service.exceptions.append(item)
    mark_curated(session, service, ["hours"])  # a feed import would otherwise drop it
    save(session, service)
    audit.record(
        session,
        actor,
        "service.exception_added",
        "service",
        service.id,
        service.name,
        changes={"exception": {"before": None, "after": _exception_text(item)}},
        related_id=item.id,
    )
    return item


def remove_exception(session: Session, actor: User, service: Service, item: ScheduleException) -> None:
    """Remove a dated change from the listing it belongs to."""
    if item.service_id != service.id:
        raise ValueError("exception belongs to another listing")
    text = _exception_text(item)
    service.exceptions.remove(item)
    mark_curated(session, service, ["hours"])  # a feed import would otherwise bring it back
    save(session, service)
    audit.record(
        session,
        actor,
        "service.exception_removed",
        "service",
        service.id,
        service.name,
        changes={"exception": {"before": text, "after": None}},
        related_id=item.id,
    )


def upcoming_exceptions(service: Service, today: date) -> list[ScheduleException]:
    """Dated changes from today on."""
    return [e for e in service.exceptions if e.day >= today]
