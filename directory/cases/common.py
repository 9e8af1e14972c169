"""Shared by the case services: errors, the clock, the timeline and the audit log.

Nothing about the person goes into the audit log (it is append-only and outlives the retention
period): events name the case by its opaque id and record coded fields only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from directory import audit
from directory.domain_errors import DomainError
from directory.models import Case, CaseEvent, Referral, User
from directory.models.base import utcnow
from matcher.vocabulary import LONDON

CASE_LABEL = "Case"


class CaseError(DomainError):
    """A request the case rules refuse; ``field`` names the form field to show it against."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field)


def aware(moment: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives naive values back)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_date(moment: datetime) -> date:
    """The date in London of a stored time."""
    return aware(moment).astimezone(LONDON).date()


def timeline(
    session: Session,
    case: Case,
    actor: User | None,
    kind: str,
    summary: str,
    detail: str = "",
    referral: Referral | None = None,
) -> CaseEvent:
    """Add a step to the case's timeline: who, what and when (``detail`` is free text, purged later)."""
    event = CaseEvent(
        case=case,
        referral=referral,
        at=utcnow(),
        actor_id=actor.id if actor else None,
        actor_label=actor.display_name if actor else "system",
        kind=kind,
        summary=summary[:255],
        detail=(detail or "").strip(),
    )
    session.add(event)
    return event


def log(
    session: Session,
    actor: User | None,
    action: str,
    case: Case,
    *,
    changes: dict[str, dict[str, Any]] | None = None,
    reason: str = "",
    related_id: str | None = None,
) -> None:
    """Audit-log a view or change of a case (coded fields only; never the person's details)."""
    audit.record(
        session,
        actor,
        action,
        "case",
        case.id,
        CASE_LABEL,
        changes=changes,
        reason=reason,
        related_id=related_id,
    )
