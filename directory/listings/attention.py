"""What needs attention on a listing: not verified lately, no opening times, problems, proposals."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory.models import ProblemReport, ProposedChange, Service, User
from directory.quality import REVIEW_AFTER_DAYS


@dataclass(frozen=True)
class ListingStatus:
    """One listing and what needs doing to it."""

    service: Service
    days_since_verified: int | None
    missing_hours: bool
    open_problems: int
    pending_changes: int

    @property
    def needs_verifying(self) -> bool:
        return self.days_since_verified is None or self.days_since_verified > REVIEW_AFTER_DAYS

    @property
    def flags(self) -> list[str]:
        """Sentences for what needs attention (empty when nothing does)."""
        found = []
        if self.needs_verifying:
            found.append(
                "Never verified"
                if self.days_since_verified is None
                else f"Not verified for {self.days_since_verified} days"
            )
        if self.missing_hours:
            found.append("No opening times")
        if self.open_problems:
            found.append(
                f"{self.open_problems} problem{'s' if self.open_problems != 1 else ''} reported by practitioners"
            )
        return found


def editable_services(session: Session, user: User) -> list[Service]:
    """The live listings of the organisations an editor is bound to, by organisation and name."""
    org_ids = user.organization_ids
    if not org_ids:
        return []
    return list(
        session.scalars(
            select(Service)
            .where(Service.organization_id.in_(org_ids), Service.status != "defunct")
            .options(selectinload(Service.organization))
            .order_by(Service.organization_id, Service.name)
        )
    )


def named(session: Session, text: str, limit: int) -> list[Service]:
    """Listings whose name contains the text (any case), by name: staff looking one up."""
    return list(
        session.scalars(
            select(Service)
            .where(func.lower(Service.name).contains(text.lower()))
            .options(selectinload(Service.organization))
            .order_by(Service.name)
            .limit(limit)
        )
    )


def open_problems(session: Session, service: Service) -> list[ProblemReport]:
    """Practitioners' reports about a listing that no curator has closed yet, newest first."""
    return list(
        session.scalars(
            select(ProblemReport)
            .where(ProblemReport.service_id == service.id, ProblemReport.status == "open")
            .order_by(ProblemReport.created_at.desc())
        )
    )


def statuses(session: Session, services: list[Service], today: date) -> list[ListingStatus]:
    """Each listing's status, those needing attention first."""
    ids = [s.id for s in services]
    problems: Counter[str] = Counter()
    pending: Counter[str] = Counter()
    if ids:
        for service_id, count in session.execute(
            select(ProblemReport.service_id, func.count())
            .where(ProblemReport.service_id.in_(ids), ProblemReport.status == "open")
            .group_by(ProblemReport.service_id)
        ):
            problems[service_id] = count
        for service_id, count in session.execute(
            select(ProposedChange.service_id, func.count())
            .where(ProposedChange.service_id.in_(ids), ProposedChange.status == "pending")
            .group_by(ProposedChange.service_id)
        ):
            pending[service_id] = count
    found = [
        ListingStatus(
            service=s,
            days_since_verified=(today - s.assured_date).days if s.assured_date else None,
            missing_hours=not s.hours_known and not s.always_open,
            open_problems=problems[s.id],
            pending_changes=pending[s.id],
        )
        for s in services
    ]
    return sorted(found, key=lambda st: (not st.flags, st.service.organization.name, st.service.name))


def status_of(session: Session, service: Service, today: date) -> ListingStatus:
    """One listing's status."""
    return statuses(session, [service], today)[0]
