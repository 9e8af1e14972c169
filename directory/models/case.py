"""Cases: minimal, pseudonymous records of a package of support, its consent, referrals and follow-up.

A case holds what the handover needs and no more: a local reference (a name and date of birth only
when the deployment switches them on), the screened needs, the attributes the matcher used, the
setting and the team. Personal fields are removed a set time after closure (``flask purge``); the
coded fields stay for anonymous counts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.db import Base
from directory.models.base import Timestamps, new_id, utcnow
from matcher.vocabulary import Setting

if TYPE_CHECKING:
    from directory.models.account import Team, User
    from directory.models.service import Service

CASE_SETTINGS = {"custody": "Police custody", "court": "Court", "community": "Community"}

# Handover levels H0-H4 (see the README): without consent only H0 is possible.
HANDOVER_LEVELS = {
    "signposted": "Signposted (gave them the details)",
    "referral_sent": "Referral sent",
    "three_way_call": "Three-way call made",
    "appointment_booked": "Appointment booked",
    "accompanied": "Accompanied",
}
LEVEL_CODES = {
    "signposted": "H0",
    "referral_sent": "H1",
    "three_way_call": "H2",
    "appointment_booked": "H3",
    "accompanied": "H4",
}

REFERRAL_STATUSES = {
    "made": "Made",
    "acknowledged": "Acknowledged",
    "declined": "Declined",
    "attended": "First appointment attended",
    "missed": "First appointment missed",
    "engaged": "Engaged",
    "closed": "Closed",
}
DECLINE_REASONS = {
    "not_eligible": "Not eligible",
    "no_capacity": "No capacity or a waiting list",
    "out_of_area": "Out of their area",
    "already_known": "Already working with the person",
    "person_declined": "The person declined when contacted",
    "not_contactable": "Could not contact the person",
    "other": "Another reason",
}
OUTCOMES = {"met": "Need met", "partly_met": "Need partly met", "not_met": "Need not met"}
OUTCOME_REASONS = {
    "helped": "The service helped",
    "still_waiting": "Still waiting for the service",
    "person_declined": "The person declined or stopped going",
    "lost_contact": "Lost contact with the person",
    "not_eligible": "Not eligible after all",
    "no_capacity": "The service had no capacity",
    "contact_details_wrong": "The listing's contact details were wrong",
    "service_closed": "The service has closed",
    "other": "Another reason",
}
# Outcomes that mean the directory is wrong: each files a problem report for curators.
LISTING_PROBLEM_OUTCOMES = {"contact_details_wrong": "phone_wrong", "service_closed": "closed"}

CONSENT_DECISIONS = {
    "given": "Gave explicit consent to share",
    "refused": "Did not consent to sharing (signposting only)",
    "exception": "Sharing without consent under a legal exception",
}
EXCEPTION_GROUNDS = {
    "safeguarding": "Safeguarding (substantial public interest)",
    "vital_interests": "Vital interests (risk to life or of serious harm)",
    "marac": "MARAC (high-risk domestic abuse)",
}
CONSENT_METHODS = {
    "verbal": "Verbally, in person",
    "verbal_interpreter": "Verbally, through an interpreter",
    "signed_form": "Signed consent form",
    "phone": "By phone",
}
SHARE_ITEMS = {
    "contact": "How to contact them",
    "needs": "The needs relevant to each service",
    "circumstances": "Circumstances that affect eligibility (age, area, GP, probation, veteran)",
    "safety": "Safety information, including how to contact them safely",
}
RECIPIENT_KINDS = {
    "health": "Health services (mental health, drugs and alcohol, GP, physical health)",
    "housing": "Housing and homelessness services",
    "safeguarding": "Domestic abuse, safeguarding and exploitation services",
    "community": "Money, work, family and community services",
    "justice": "Police, courts and probation",
}
TASK_KINDS = {
    "same_day": "Check the same day they got the urgent help",
    "acknowledgement": "Check the referral was acknowledged",
    "after_appointment": "Check how the first appointment went",
    "outcome": "Check the outcome",
}
TASK_RESOLUTIONS = {
    "checked": "Checked",
    "answered": "Answered by an update",
    "cancelled": "No longer needed",
}


class Case(Timestamps, Base):
    """One person's package of support, owned by a team. ``id`` is opaque: never put anything else in a URL."""

    __tablename__ = "support_case"
    __table_args__ = (
        Index("ix_support_case_team_reference", "team_id", "reference"),
        Index("ix_support_case_team_status", "team_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id"))
    opened_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    reference: Mapped[str | None] = mapped_column(String(40))
    person_name: Mapped[str | None] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    setting: Mapped[Setting]
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    planned_for: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    closed_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    closing_note: Mapped[str] = mapped_column(Text, default="")
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    team: Mapped[Team] = relationship()
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Referral.rank"
    )
    consents: Mapped[list[ConsentRecord]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="ConsentRecord.recorded_at"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="(CaseEvent.at, CaseEvent.id)"
    )
    tasks: Mapped[list[FollowUpTask]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        order_by="(FollowUpTask.due_on, FollowUpTask.kind)",
    )
    access_grants: Mapped[list[CaseAccessGrant]] = relationship(cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    @property
    def consent(self) -> ConsentRecord | None:
        """The consent in force: the latest recorded."""
        return self.consents[-1] if self.consents else None

    @property
    def setting_label(self) -> str:
        return CASE_SETTINGS.get(self.setting, self.setting)


class ConsentRecord(Base):
    """What the person agreed to share, with which kinds of recipient, how and when it was recorded;
    or the legal exception (and the practitioner's reason) for sharing without consent."""

    __tablename__ = "consent_record"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("support_case.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(12))
    shares: Mapped[list[str]] = mapped_column(JSON, default=list)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    method: Mapped[str | None] = mapped_column(String(20))
    exception_ground: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))

    case: Mapped[Case] = relationship(back_populates="consents")
    recorded_by: Mapped[User | None] = relationship()

    @property
    def allows_sharing(self) -> bool:
        """Consent given, or a legal exception recorded."""
        return self.decision in ("given", "exception")

    @property
    def is_exception(self) -> bool:
        return self.decision == "exception"


class Referral(Timestamps, Base):
    """One package item handed over: its level (H0-H4), where it has got to, and how it ended."""

    __tablename__ = "referral"
    __table_args__ = (UniqueConstraint("case_id", "rank", name="uq_referral_case_rank"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("support_case.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id"), index=True)
    service_name: Mapped[str] = mapped_column(String(255))
    organization_name: Mapped[str] = mapped_column(String(255), default="")
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    level: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(14), default="made", index=True)
    appointment_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    appointment_place: Mapped[str] = mapped_column(String(255), default="")
    decline_reason: Mapped[str | None] = mapped_column(String(20))
    decline_note: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(12))
    outcome_reason: Mapped[str | None] = mapped_column(String(24))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    made_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    case: Mapped[Case] = relationship(back_populates="referrals")
    service: Mapped[Service | None] = relationship()

    @property
    def level_label(self) -> str:
        return HANDOVER_LEVELS.get(self.level, self.level)

    @property
    def level_code(self) -> str:
        return LEVEL_CODES.get(self.level, "")

    @property
    def status_label(self) -> str:
        return REFERRAL_STATUSES.get(self.status, self.status)

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"


class CaseEvent(Base):
    """One step on a case's timeline: who did what, and when. ``detail`` is free text, removed on purge."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("support_case.id", ondelete="CASCADE"), index=True)
    referral_id: Mapped[str | None] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    actor_label: Mapped[str] = mapped_column(String(255), default="")
    kind: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(String(255), default="")
    detail: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="events")
    referral: Mapped[Referral | None] = relationship()


class FollowUpTask(Base):
    """A check the team must make by ``due_on``; closed when done or when the update it waits for arrives."""

    __tablename__ = "follow_up_task"
    __table_args__ = (Index("ix_follow_up_task_open", "done_at", "due_on"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("support_case.id", ondelete="CASCADE"), index=True)
    referral_id: Mapped[str | None] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    resolution: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="tasks")
    referral: Mapped[Referral | None] = relationship()

    @property
    def kind_label(self) -> str:
        return TASK_KINDS.get(self.kind, self.kind)

    @property
    def is_open(self) -> bool:
        return self.done_at is None


class CaseAccessGrant(Base):
    """An administrator's time-limited, reasoned access to a case outside their team."""

    __tablename__ = "case_access_grant"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("support_case.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
