"""The needs taxonomy as pages and forms read it: in order, as choices, as labels."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Need


def in_order(session: Session) -> list[Need]:
    """Every need, in taxonomy order."""
    return list(session.scalars(select(Need).order_by(Need.position)))


def choices(session: Session) -> list[tuple[str, str]]:
    """Needs as ``(code, label)`` choices, in taxonomy order."""
    return [(n.code, n.label) for n in in_order(session)]


def labels(session: Session) -> dict[str, str]:
    """Need code -> label."""
    return dict(choices(session))
