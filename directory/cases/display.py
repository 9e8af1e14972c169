"""Template filters for the case pages: codes as words, dates as people read them."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

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


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.jinja_env.filters.update(
        weekday_date=weekday_date,
        iso=iso,
        consent_decision=_lookup(CONSENT_DECISIONS),
        consent_method=_lookup(CONSENT_METHODS),
        exception_ground=_lookup(EXCEPTION_GROUNDS),
        share_item=_lookup(SHARE_ITEMS),
        recipient_kind=_lookup(RECIPIENT_KINDS),
        handover_level=_lookup(HANDOVER_LEVELS),
        decline_reason=_lookup(DECLINE_REASONS),
        outcome=_lookup(OUTCOMES),
        outcome_reason=_lookup(OUTCOME_REASONS),
        task_resolution=_lookup(TASK_RESOLUTIONS),
    )
