"""Reading the audit log: filtered lists, and CSV export one row per changed field."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from directory.csv_safety import inert
from directory.models import AuditEvent

PAGE_SIZE = 50
CSV_COLUMNS = (
    "id",
    "at",
    "actor",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "object",
    "field",
    "before",
    "after",
    "reason",
    "related_id",
    "ip",
)


@dataclass(frozen=True)
class Filters:
    """What to show: one listing, one user (as actor or subject), one action, or everything."""

    service_id: str | None = None
    user_id: str | None = None
    action: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.service_id or self.user_id or self.action)


def _query(filters: Filters) -> Select[AuditEvent]:
    query = select(AuditEvent)
    if filters.service_id:
        query = query.where(AuditEvent.object_type == "service", AuditEvent.object_id == filters.service_id)
    if filters.user_id:
        query = query.where(
            or_(
                AuditEvent.actor_id == filters.user_id,
                (AuditEvent.object_type == "user") & (AuditEvent.object_id == filters.user_id),
            )
        )
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    return query


def page(session: Session, filters: Filters, number: int = 1) -> tuple[list[AuditEvent], int]:
    """One page of events, newest first, and how many there are in all."""
    total = session.scalar(select(func.count()).select_from(_query(filters).subquery())) or 0
    events = session.scalars(
        _query(filters)
        .order_by(AuditEvent.id.desc())
        .offset((max(number, 1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return list(events), int(total)


def all_events(session: Session, filters: Filters) -> list[AuditEvent]:
    """Every matching event, oldest first (for export)."""
    return list(session.scalars(_query(filters).order_by(AuditEvent.id)))


def actions(session: Session) -> list[str]:
    """Every action recorded so far (for the filter)."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def _cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula is made inert."""
    if value is None:
        return ""
    return inert(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def to_csv(events: Iterable[AuditEvent]) -> str:
    """CSV with one row per changed field (one row for events without field changes)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for event in events:
        base = [
            event.id,
            event.at.isoformat(),
            event.actor_label,
            event.actor_id,
            event.action,
            event.object_type,
            event.object_id,
            event.object_label,
        ]
        tail = [event.reason, event.related_id, event.ip]
        fields = event.changes or {"": {"before": None, "after": None}}
        for field, change in fields.items():
            row = [*base, field, change.get("before"), change.get("after"), *tail]
            writer.writerow([_cell(v) if not isinstance(v, int) else str(v) for v in row])
    return out.getvalue()
