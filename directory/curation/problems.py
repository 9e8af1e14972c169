"""Problem reports: practitioners say what is wrong with a listing; curators resolve them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import audit
from directory.models import ProblemReport, Service, User
from directory.models.base import utcnow
from directory.models.curation import PROBLEM_KINDS


def report(session: Session, actor: User, service: Service, kind: str, details: str) -> ProblemReport:
    """Record a practitioner's report against a listing."""
    if kind not in PROBLEM_KINDS:
        raise ValueError(kind)
    item = ProblemReport(
        service=service, reported_by_id=actor.id, kind=kind, details=details.strip(), status="open"
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        actor,
        "service.problem_reported",
        "service",
        service.id,
        service.name,
        changes={"problem": {"before": None, "after": PROBLEM_KINDS[kind]}},
        reason=item.details,
        related_id=item.id,
    )
    return item


def resolve(session: Session, actor: User, item: ProblemReport, outcome: str, note: str) -> None:
    """Close a report as ``resolved`` (fixed) or ``dismissed`` (nothing wrong)."""
    if outcome not in ("resolved", "dismissed"):
        raise ValueError(outcome)
    if item.status != "open":
        raise ValueError(f"report is {item.status}")
    item.status = outcome
    item.resolved_by_id = actor.id
    item.resolved_at = utcnow()
    item.resolution_note = note.strip()
    audit.record(
        session,
        actor,
        f"service.problem_{outcome}",
        "service",
        item.service_id,
        item.service.name,
        changes={"problem": {"before": item.kind_label, "after": outcome}},
        reason=item.resolution_note,
        related_id=item.id,
    )


def open_reports(session: Session) -> list[ProblemReport]:
    """Every open report, oldest first."""
    return list(
        session.scalars(
            select(ProblemReport).where(ProblemReport.status == "open").order_by(ProblemReport.created_at)
        )
    )
