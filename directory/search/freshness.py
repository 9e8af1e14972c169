"""A service's ``updated_at`` moves whenever anything a search or a feed shows about it changes.

SQLAlchemy only updates a row when one of its own columns changes, so a service whose needs, phones,
opening times or locations were edited would keep its old ``updated_at``: the search index would not
notice, and ``modified_after`` feeds would miss it. This flush hook touches the service instead; and
when a service or location is deleted, it touches the organisation (or the services) it belonged to,
so the search index's fingerprint (newest ``updated_at`` values, no row counts) notices deletions too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from directory.models import (
    Location,
    Organization,
    Phone,
    ScheduleException,
    ScheduleSession,
    Service,
    ServiceAtLocation,
)
from directory.models.base import utcnow

WATCHED = ("needs", "phones", "sessions", "exceptions", "location_links")
CHILDREN = (Phone, ScheduleSession, ScheduleException, ServiceAtLocation)


def _alive(session: Session, record: object) -> bool:
    return record is not None and record not in session.new and record not in session.deleted


def _touch_changed_services(session: Session, _context: Any, _instances: Any) -> None:
    touched: set[int] = set()
    for record in list(session.deleted):
        owners: list[Organization | Service] = []
        if isinstance(record, Service):
            owners = [record.organization]
        elif isinstance(record, Location):
            owners = (
                [record.organization]
                if record.organization
                else [link.service for link in record.service_links]
            )
        for owner in owners:
            if _alive(session, owner) and id(owner) not in touched:
                touched.add(id(owner))
                owner.updated_at = utcnow()
    for record in [*session.dirty, *session.new, *session.deleted]:
        service: Service | None = None
        if isinstance(record, Service) and _alive(session, record):
            state = inspect(record)
            if any(state.attrs[name].history.has_changes() for name in WATCHED):
                service = record
        elif isinstance(record, CHILDREN) and _alive(session, record.service):
            service = record.service
        if service is not None and id(service) not in touched:
            touched.add(id(service))
            service.updated_at = utcnow()


def install() -> None:
    """Register the hook on every session (idempotent)."""
    if not event.contains(Session, "before_flush", _touch_changed_services):
        event.listen(Session, "before_flush", _touch_changed_services)
