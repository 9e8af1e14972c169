"""Curation: changes agencies propose, problems practitioners report, duplicate decisions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.db import Base
from directory.models.base import Timestamps, new_id, utcnow

if TYPE_CHECKING:
    from directory.models.account import User
    from directory.models.service import Service

CHANGE_STATUSES = ("pending", "approved", "rejected", "withdrawn")
PROBLEM_KINDS = {
    "phone_wrong": "Phone number wrong",
    "closed": "Service has closed",
    "wrong_area": "Wrong area",
    "eligibility_wrong": "Eligibility wrong",
    "other": "Something else",
}
PROBLEM_STATUSES = ("open", "resolved", "dismissed")
DUPLICATE_DECISIONS = ("dismissed", "merged")


class ProposedChange(Timestamps, Base):
    """A change to a listing's descriptive fields, waiting for a curator.

    ``changes`` maps each field to ``{"before": ..., "after": ...}`` as they were when proposed;
    ``applied`` holds what was finally written (a curator may edit before approving).
    """

    __tablename__ = "proposed_change"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    proposed_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    base_version: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    decided_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    applied: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    service: Mapped[Service] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class ProblemReport(Timestamps, Base):
    """A practitioner's report that something in a listing is wrong."""

    __tablename__ = "problem_report"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    reported_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    resolved_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution_note: Mapped[str] = mapped_column(Text, default="")

    service: Mapped[Service] = relationship()
    reported_by: Mapped[User | None] = relationship(foreign_keys=[reported_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def kind_label(self) -> str:
        return PROBLEM_KINDS.get(self.kind, self.kind)


class DuplicateDecision(Base):
    """A curator's decision on a pair of possible duplicates (ids in sorted order)."""

    __tablename__ = "duplicate_decision"
    __table_args__ = (
        UniqueConstraint("first_service_id", "second_service_id", name="uq_duplicate_decision_pair"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    first_service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    second_service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    decision: Mapped[str] = mapped_column(String(12))
    kept_service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id"))
    decided_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
