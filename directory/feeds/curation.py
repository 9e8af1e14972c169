"""Hand corrections: fields a curator changed win over feeds on re-import (unless ``--overwrite``).

The curation screens call ``mark_curated`` after saving an edit to an imported service.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from directory.models import Service
from directory.oruk.records import CURATABLE_FIELDS, HOURS_FIELDS


def mark_curated(session: Session, service: Service, field_names: Iterable[str]) -> list[str]:
    """Record that a curator corrected these fields of ``service``; returns its curated fields.

    Names are service columns (``name``, ``minimum_age``, ``catchment_areas``...) or the groups
    ``needs``, ``phones``, ``hours`` (weekly sessions, exceptions, 24/7 and bank holidays),
    ``locations`` and ``organization``. ``always_open``, ``open_on_bank_holidays`` and ``hours_known``
    count as ``hours``. Raises ValueError for any other name. Does not commit.
    """
    wanted = []
    for name in field_names:
        name = "hours" if name in HOURS_FIELDS or name in ("sessions", "exceptions") else name
        name = "organization" if name == "organization_id" else name
        if name not in CURATABLE_FIELDS:
            raise ValueError(f"{name!r} is not a field a curator can correct")
        wanted.append(name)
    merged = sorted(set(service.curated_fields or []) | set(wanted))
    if merged != service.curated_fields:
        service.curated_fields = merged  # written with the caller's own change: one version bump
    return service.curated_fields


def clear_curated(session: Session, service: Service, field_names: Iterable[str] | None = None) -> list[str]:
    """Let the feed win again for these fields (all when None). Does not commit."""
    remaining = set() if field_names is None else set(service.curated_fields or []) - set(field_names)
    service.curated_fields = sorted(remaining)
    session.flush()
    return service.curated_fields
