"""Proposed changes to descriptive fields: an agency proposes, a curator approves or rejects.

A proposal records each field's value before and after. On approval, a field that has changed
since (someone else got there first) makes the proposal outdated: the curator sees why and edits
before approving, so nobody's work is silently overwritten.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import audit
from directory.control_characters import strip_json
from directory.feeds.curation import mark_curated
from directory.listings.fields import FIELDS, changed_fields, same, write_values
from directory.listings.updates import check_version, save
from directory.models import ProposedChange, Service, User
from directory.models.base import utcnow

# Proposal fields that a feed import knows under another name.
CURATED_AS = {"address": "locations", "town": "locations", "postcode": "locations"}


class NothingChangedError(ValueError):
    """The form holds exactly what the listing already says."""


class ChangeOutdatedError(Exception):
    """Fields changed since the proposal was made; ``fields`` maps each to its value now."""

    def __init__(self, fields: dict[str, Any]) -> None:
        super().__init__(", ".join(fields))
        self.fields = fields


def propose(
    session: Session,
    actor: User,
    service: Service,
    expected_version: int,
    values: dict[str, Any],
    note: str = "",
) -> ProposedChange:
    """An agency's edit to descriptive fields, queued for a curator."""
    check_version(service, expected_version)
    changes = changed_fields(service, values)
    if not changes:
        raise NothingChangedError()
    change = ProposedChange(
        service=service,
        proposed_by_id=actor.id,
        base_version=service.version,
        changes=changes,
        note=note.strip(),
        status="pending",
    )
    session.add(change)
    session.flush()
    audit.record(
        session,
        actor,
        "service.change_proposed",
        "service",
        service.id,
        service.name,
        changes=changes,
        reason=change.note,
        related_id=change.id,
    )
    return change


def edit_directly(
    session: Session,
    actor: User,
    service: Service,
    expected_version: int,
    values: dict[str, Any],
    reason: str = "",
) -> audit.Changes:
    """A curator's edit to descriptive fields, published at once."""
    check_version(service, expected_version)
    changes = changed_fields(service, values)
    if not changes:
        raise NothingChangedError()
    label = service.name
    write_values(session, service, {name: change["after"] for name, change in changes.items()})
    _mark_curated(session, service, changes)
    save(session, service)
    audit.record(
        session,
        actor,
        "service.details_updated",
        "service",
        service.id,
        label,
        changes=changes,
        reason=reason,
    )
    return changes


def _mark_curated(session: Session, service: Service, changes: dict[str, Any]) -> None:
    """A curator's correction wins over the next feed import of this listing (unless --overwrite)."""
    mark_curated(session, service, {CURATED_AS.get(name, name) for name in changes})


def outdated_fields(change: ProposedChange) -> dict[str, Any]:
    """Fields whose value now differs from the "before" the proposal saw."""
    service = change.service
    return {
        name: FIELDS[name].read(service)
        for name, diff in change.changes.items()
        if name in FIELDS and not same(FIELDS[name].read(service), diff["before"])
    }


def approve(
    session: Session,
    actor: User,
    change: ProposedChange,
    values: dict[str, Any] | None = None,
    reason: str = "",
) -> audit.Changes:
    """Publish a proposal (or the curator's edited ``values`` for it)."""
    if change.status != "pending":
        raise ValueError(f"change is {change.status}")
    service = change.service
    if values is None:
        outdated = outdated_fields(change)
        if outdated:
            raise ChangeOutdatedError(outdated)
        values = {name: diff["after"] for name, diff in change.changes.items() if name in FIELDS}
    # Proposals saved before forms stripped control characters may hold a NUL (PostgreSQL text refuses it).
    applied = changed_fields(service, strip_json(values))
    write_values(session, service, {name: diff["after"] for name, diff in applied.items()})
    _mark_curated(session, service, applied)
    save(session, service)
    change.status = "approved"
    change.decided_by_id = actor.id
    change.decided_at = utcnow()
    change.decision_reason = reason.strip()
    change.applied = applied
    audit.record(
        session,
        actor,
        "service.change_approved",
        "service",
        service.id,
        service.name,
        changes=applied,
        reason=change.decision_reason,
        related_id=change.id,
    )
    return applied


def reject(session: Session, actor: User, change: ProposedChange, reason: str) -> None:
    """Turn a proposal down, with a reason the agency sees."""
    if change.status != "pending":
        raise ValueError(f"change is {change.status}")
    if not reason.strip():
        raise ValueError("a reason is required")
    change.status = "rejected"
    change.decided_by_id = actor.id
    change.decided_at = utcnow()
    change.decision_reason = reason.strip()
    audit.record(
        session,
        actor,
        "service.change_rejected",
        "service",
        change.service_id,
        change.service.name,
        changes=change.changes,
        reason=change.decision_reason,
        related_id=change.id,
    )


def withdraw(
    session: Session, actor: User, change: ProposedChange, reason: str = "withdrawn by the agency"
) -> None:
    """The agency takes its proposal back (or a merge makes it moot)."""
    if change.status != "pending":
        raise ValueError(f"change is {change.status}")
    change.status = "withdrawn"
    change.decided_by_id = actor.id
    change.decided_at = utcnow()
    change.decision_reason = reason
    audit.record(
        session,
        actor,
        "service.change_withdrawn",
        "service",
        change.service_id,
        change.service.name,
        reason=reason,
        related_id=change.id,
    )


def pending(session: Session) -> list[ProposedChange]:
    """Every proposal waiting for a curator, oldest first."""
    return list(
        session.scalars(
            select(ProposedChange)
            .where(ProposedChange.status == "pending")
            .order_by(ProposedChange.created_at)
        )
    )


def for_service(session: Session, service: Service, limit: int = 20) -> list[ProposedChange]:
    """A listing's proposals, newest first."""
    return list(
        session.scalars(
            select(ProposedChange)
            .where(ProposedChange.service_id == service.id)
            .order_by(ProposedChange.created_at.desc())
            .limit(limit)
        )
    )
