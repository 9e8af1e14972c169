"""Recording the audit log: every change to the directory, decision, sign-in and permission change.

Service functions call ``record`` in the same transaction as the change, so the log and the data
never disagree: if the change rolls back, so does its record.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from flask import has_request_context, request
from sqlalchemy.orm import Session

from directory.models import AuditEvent

if TYPE_CHECKING:
    from directory.models import User

Changes = dict[str, dict[str, Any]]


def plain(value: Any) -> Any:
    """A JSON-safe copy of a field value (dates and times as ISO text)."""
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """Field-level differences: ``{field: {"before": old, "after": new}}`` for fields that changed."""
    found: Changes = {}
    for key in after:
        old, new = plain(before.get(key)), plain(after[key])
        if old != new:
            found[key] = {"before": old, "after": new}
    return found


def client_ip() -> str | None:
    """The requesting address, when there is a request."""
    return request.remote_addr if has_request_context() else None


def record(
    session: Session,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: str | None,
    object_label: str = "",
    *,
    changes: Changes | None = None,
    reason: str = "",
    related_id: str | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Add one audit event (not committed: it commits or rolls back with the change it describes)."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_label=(actor_label if actor_label is not None else (actor.email if actor else "system"))[:255],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=(object_label or "")[:255],
        related_id=related_id,
        changes=changes or {},
        reason=reason or "",
        ip=client_ip(),
    )
    session.add(event)
    return event
