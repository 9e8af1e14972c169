"""A service's ``updated_at`` moves whenever anything a search or a feed shows about it changes.

SQLAlchemy only updates a row when one of its own columns changes, so a service whose needs, phones,
opening times or locations were edited would keep its old ``updated_at``: the search index would not
notice, and ``modified_after`` feeds would miss it. This flush hook touches the service instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from directory.models import Phone, ScheduleException, ScheduleSession, Service, ServiceAtLocation
from directory.models.base import utcnow

WATCHED = ("needs", "phones", "sessions", "exceptions", "location_links")
CHILDREN = (Phone, ScheduleSession, ScheduleException, ServiceAtLocation)


def _touch_changed_services(session: Session, _context: Any, _instances: Any) -> None:
    touched: set[int] = set()
    for record in [*session.dirty, *session.new, *session.deleted]:
        service: Service | None = None
        if isinstance(record, Service) and record not in session.new:
            state = inspect(record)
            if any(state.attrs[name].history.has_changes() for name in WATCHED):
                service = record
        elif isinstance(record, CHILDREN):
            parent = record.service
            if parent is not None and parent not in session.new and parent not in session.deleted:
                service = parent
        if service is not None and id(service) not in touched:
            touched.add(id(service))
            service.updated_at = utcnow()


def install() -> None:
    """Register the hook on every session (idempotent)."""
    if not event.contains(Session, "before_flush", _touch_changed_services):
        event.listen(Session, "before_flush", _touch_changed_services)
