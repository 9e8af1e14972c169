"""The audit log: who did what, when, to which record, field by field, and why. Append-only.

No code path updates or deletes an event: the ORM refuses (see the listeners below) and the
database refuses too (triggers created by the migration, on SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from directory.db import Base
from directory.models.base import utcnow


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove an audit event."""


class AuditEvent(Base):
    """One recorded action. ``changes`` maps a field to ``{"before": ..., "after": ...}``.

    The actor and the object are copied in (id and a label as they were), so the record stays
    readable whatever happens to them later.
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[str | None] = mapped_column(String(36), index=True)
    actor_label: Mapped[str] = mapped_column(String(255), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[str | None] = mapped_column(String(36))
    object_label: Mapped[str] = mapped_column(String(255), default="")
    related_id: Mapped[str | None] = mapped_column(String(36))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    ip: Mapped[str | None] = mapped_column(String(45))


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(*_args: object) -> None:
    raise AppendOnlyError("audit events are append-only: they cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(*_args: object) -> None:
    raise AppendOnlyError("audit events are append-only: they cannot be deleted")


# The database-level guard, created by the migration; kept here so test clean-up can re-create it.
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
)
SQLITE_TRIGGER_NAMES = ("audit_event_no_update", "audit_event_no_delete")
