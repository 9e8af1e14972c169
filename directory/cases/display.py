"""Template filters for the case pages (codes as words, dates as people read them); the home page's follow-ups."""

from __future__ import annotations

from datetime import date, datetime

from directory.auth.permissions import Permission, can
from directory.auth.sessions import current_user
from directory.cases import followup
from directory.cases.followup import Due
from directory.db import get_session
from directory.models.case import (
    CONSENT_DECISIONS,
    CONSENT_METHODS,
    DECLINE_REASONS,
    EXCEPTION_GROUNDS,
    HANDOVER_LEVELS,
    OUTCOME_REASONS,
    OUTCOMES,
    RECIPIENT_KINDS,
    SHARE_ITEMS,
    TASK_RESOLUTIONS,
)
from directory.templating import format_date


def weekday_date(value: date | None) -> str:
    """``Wednesday 30 December 2026``."""
    return f"{value:%A} {format_date(value)}" if value else ""


def iso(value: date | datetime | None) -> str:
    return value.isoformat() if value else ""


def _lookup(table: dict[str, str]) -> object:
    return lambda code: table.get(code or "", code or "")


def home_follow_ups() -> dict[str, Due | None]:
    """The home page's context: the signed-in practitioner's team's checks, None for anyone else.

    The home page belongs to search, below cases, so ``create_app`` adds this to that blueprint's
    template context; the check is read before the page renders, never from the template.
    """
    user = current_user()
    if (
        user is None
        or user.role != "practitioner"
        or not can(user, Permission.VIEW_TEAM_CASES)
        or user.team_id is None
    ):
        return {"team_follow_ups": None}
    return {"team_follow_ups": followup.team_due(get_session(), user.team_id)}


# The case pages' template filters, registered by ``create_app``.
FILTERS = {
    "weekday_date": weekday_date,
    "iso": iso,
    "consent_decision": _lookup(CONSENT_DECISIONS),
    "consent_method": _lookup(CONSENT_METHODS),
    "exception_ground": _lookup(EXCEPTION_GROUNDS),
    "share_item": _lookup(SHARE_ITEMS),
    "recipient_kind": _lookup(RECIPIENT_KINDS),
    "handover_level": _lookup(HANDOVER_LEVELS),
    "decline_reason": _lookup(DECLINE_REASONS),
    "outcome": _lookup(OUTCOMES),
    "outcome_reason": _lookup(OUTCOME_REASONS),
    "task_resolution": _lookup(TASK_RESOLUTIONS),
}
