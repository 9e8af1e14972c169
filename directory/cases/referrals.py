"""Referrals: each chosen package item handed over at a level (H0-H4), then followed to an outcome.

Lifecycle: made -> acknowledged or declined (reason) -> first appointment attended or missed ->
engaged -> closed with an outcome (met / partly met / not met, and a reason). A signposted person
may go straight to an appointment, and a missed appointment may be attended later. Every step records
who and when on the case's timeline and in the audit log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from directory.cases import followup
from directory.cases.common import CaseError, log, timeline
from directory.cases.snapshot import recipient_kinds
from directory.curation import problems
from directory.models import Case, ProblemReport, Referral, Service, User
from directory.models.base import utcnow
from directory.models.case import (
    DECLINE_REASONS,
    HANDOVER_LEVELS,
    LISTING_PROBLEM_OUTCOMES,
    OUTCOME_REASONS,
    OUTCOMES,
    RECIPIENT_KINDS,
    REFERRAL_STATUSES,
)

# The step recorded -> the statuses it may follow. "closed" may follow any status but itself.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "acknowledged": ("made",),
    "declined": ("made", "acknowledged"),
    "attended": ("made", "acknowledged", "missed"),
    "missed": ("made", "acknowledged"),
    "engaged": ("attended",),
    "closed": ("made", "acknowledged", "declined", "attended", "missed", "engaged"),
}
STEP_LABELS = {
    "acknowledged": "Acknowledged",
    "declined": "Declined",
    "attended": "Attended the first appointment",
    "missed": "Missed the first appointment",
    "engaged": "Engaged with the service",
    "closed": "Closed with an outcome",
}
APPOINTMENT_LEVELS = ("appointment_booked",)
SIGNPOSTED_NEVER = ("acknowledged", "declined", "attended", "missed", "engaged")


def plan_item(case: Case, rank: int) -> dict[str, Any] | None:
    """The case's package item with this rank."""
    return next((item for item in case.plan.get("items", []) if item.get("rank") == rank), None)


def referral_for(case: Case, rank: int) -> Referral | None:
    return next((r for r in case.referrals if r.rank == rank), None)


def sharing_refusal(case: Case, needs: list[str]) -> str | None:
    """Why a referral for ``needs`` may only be signposting, or None when it may go further."""
    consent = case.consent
    if consent is None:
        return "No consent is recorded yet, so you can only signpost. Record consent first."
    if not consent.allows_sharing:
        return "The person did not consent to sharing, so you can only signpost."
    if consent.is_exception:
        return None
    session = object_session(case)
    if session is None:
        raise ValueError("sharing_refusal needs a case loaded in a session")
    missing = [kind for kind in recipient_kinds(session, needs) if kind not in consent.recipients]
    if missing:
        names = " and ".join(RECIPIENT_KINDS[kind].split(" (")[0].lower() for kind in missing)
        return f"The person has not agreed to share with {names}, so you can only signpost to this service."
    return None


def allowed_levels(case: Case, needs: list[str]) -> list[str]:
    """The handover levels open to a referral for ``needs``: all of them with consent, else signposting."""
    return list(HANDOVER_LEVELS) if sharing_refusal(case, needs) is None else ["signposted"]


def _check_level(
    case: Case, needs: list[str], level: str, appointment_at: datetime | None, place: str
) -> None:
    if level not in HANDOVER_LEVELS:
        raise CaseError("level", "Choose how you handed over")
    if level != "signposted":
        refusal = sharing_refusal(case, needs)
        if refusal:
            raise CaseError("level", refusal)
    if level in APPOINTMENT_LEVELS and (appointment_at is None or not place.strip()):
        raise CaseError("appointment_date", "Enter the appointment's date, time and place")


def _check_open(case: Case) -> None:
    if not case.is_open:
        raise CaseError("level", "This case is closed")


def make_referral(
    session: Session,
    actor: User,
    case: Case,
    rank: int,
    level: str,
    *,
    appointment_at: datetime | None = None,
    appointment_place: str = "",
    note: str = "",
    at: datetime | None = None,
) -> Referral:
    """Hand over package item ``rank`` at ``level`` (made now, or ``at``); creates its follow-up checks."""
    _check_open(case)
    item = plan_item(case, rank)
    if item is None:
        raise CaseError("level", "That service is not in this case's package")
    if referral_for(case, rank) is not None:
        raise CaseError("level", "A referral to this service is already recorded: update it instead")
    needs = list(item.get("needs", []))
    _check_level(case, needs, level, appointment_at, appointment_place)
    service = session.get(Service, item["service_id"]) if item.get("service_id") else None
    referral = Referral(
        case=case,
        rank=rank,
        service_id=service.id if service else None,
        service_name=item.get("service_name", ""),
        organization_name=item.get("organization_name", ""),
        needs=needs,
        urgent=bool(item.get("urgent")),
        level=level,
        status="made",
        appointment_at=appointment_at,
        appointment_place=appointment_place.strip(),
        decline_note="",
        outcome_note="",
        made_at=at or utcnow(),
        made_by_id=actor.id,
    )
    session.add(referral)
    session.flush()
    followup.schedule(session, referral)
    timeline(
        session,
        case,
        actor,
        "referral_made",
        f"{HANDOVER_LEVELS[level]}: {referral.service_name}",
        note,
        referral,
    )
    log(
        session,
        actor,
        "case.referral_made",
        case,
        changes={"level": {"before": None, "after": level}, "status": {"before": None, "after": "made"}},
        related_id=referral.id,
    )
    return referral


def change_level(
    session: Session,
    actor: User,
    referral: Referral,
    level: str,
    *,
    appointment_at: datetime | None = None,
    appointment_place: str = "",
    note: str = "",
) -> None:
    """Record a new handover level (say, an appointment booked after the referral was sent)."""
    case = referral.case
    _check_open(case)
    if referral.is_closed:
        raise CaseError("level", "This referral is closed")
    _check_level(case, referral.needs, level, appointment_at, appointment_place)
    before = referral.level
    referral.level = level
    if appointment_at is not None:
        referral.appointment_at = appointment_at
        referral.appointment_place = appointment_place.strip()
    followup.schedule(session, referral)
    timeline(
        session,
        case,
        actor,
        "level_changed",
        f"{HANDOVER_LEVELS[level]}: {referral.service_name}",
        note,
        referral,
    )
    log(
        session,
        actor,
        "case.referral_level_changed",
        case,
        changes={"level": {"before": before, "after": level}},
        related_id=referral.id,
    )


def next_steps(referral: Referral) -> list[str]:
    """The steps that may be recorded next. A signposted person (H0) contacts the service
    themselves: no agency acknowledges or declines, and no appointment was made for them to attend or
    miss, so closing with an outcome is the step."""
    steps = [step for step, after in TRANSITIONS.items() if referral.status in after]
    if referral.level == "signposted":
        steps = [step for step in steps if step not in SIGNPOSTED_NEVER]
    return steps


def record_step(
    session: Session,
    actor: User,
    referral: Referral,
    step: str,
    *,
    note: str = "",
    decline_reason: str | None = None,
    outcome: str | None = None,
    outcome_reason: str | None = None,
    appointment_at: datetime | None = None,
    appointment_place: str = "",
    listing_note: str = "",
) -> ProblemReport | None:
    """Move the referral on by one step; returns the problem report filed when the outcome says the
    listing is wrong (wrong contact details, service closed)."""
    case = referral.case
    _check_open(case)
    if step not in TRANSITIONS:
        raise CaseError("step", "Choose what happened")
    if step not in next_steps(referral):
        raise CaseError(
            "step",
            f"A referral that is '{REFERRAL_STATUSES[referral.status].lower()}' cannot be recorded as that",
        )
    note = (note or "").strip()
    changes: dict[str, dict[str, Any]] = {"status": {"before": referral.status, "after": step}}
    summary = f"{STEP_LABELS[step]}: {referral.service_name}"
    if step == "declined":
        if decline_reason not in DECLINE_REASONS:
            raise CaseError("decline_reason", "Choose why the service declined")
        referral.decline_reason = decline_reason
        referral.decline_note = note
        changes["decline_reason"] = {"before": None, "after": decline_reason}
        summary += f" ({DECLINE_REASONS[decline_reason].lower()})"
    if step == "acknowledged" and appointment_at is not None:
        if not appointment_place.strip():
            raise CaseError("appointment_place", "Enter where the appointment is")
        referral.appointment_at = appointment_at
        referral.appointment_place = appointment_place.strip()
    if step == "closed":
        if outcome not in OUTCOMES:
            raise CaseError("outcome", "Choose whether the need was met")
        if outcome_reason not in OUTCOME_REASONS:
            raise CaseError("outcome_reason", "Choose the main reason for the outcome")
        referral.outcome = outcome
        referral.outcome_reason = outcome_reason
        referral.outcome_note = note
        referral.closed_at = utcnow()
        changes["outcome"] = {"before": None, "after": outcome}
        changes["outcome_reason"] = {"before": None, "after": outcome_reason}
        summary += f": {OUTCOMES[outcome].lower()} ({OUTCOME_REASONS[outcome_reason].lower()})"
    referral.status = step
    if step in ("acknowledged", "declined", "attended", "missed", "engaged", "closed"):
        followup.answer(referral, ("acknowledgement",), actor)
    if step in ("attended", "missed", "engaged", "declined", "closed"):
        followup.answer(referral, ("after_appointment",), actor)
    if step in ("attended", "engaged", "closed"):
        followup.answer(referral, ("same_day",), actor)  # they got there
    if step == "closed":
        followup.answer(referral, ("outcome",), actor)
    else:
        followup.schedule(session, referral)
    timeline(session, case, actor, f"referral_{step}", summary, note, referral)
    log(session, actor, "case.referral_updated", case, changes=changes, related_id=referral.id)
    if step == "closed" and outcome_reason in LISTING_PROBLEM_OUTCOMES:
        return _report_listing(session, actor, referral, outcome_reason, listing_note)
    return None


def _report_listing(
    session: Session, actor: User, referral: Referral, outcome_reason: str, listing_note: str
) -> ProblemReport | None:
    """File a problem report for curators on the referral's listing (once per open problem of a kind).

    The report says only what is wrong with the listing: nothing about the person or the case.
    """
    service = session.get(Service, referral.service_id) if referral.service_id else None
    if service is None or service.status == "defunct":
        return None
    kind = LISTING_PROBLEM_OUTCOMES[outcome_reason]
    already = session.scalar(
        select(ProblemReport).where(
            ProblemReport.service_id == service.id, ProblemReport.kind == kind, ProblemReport.status == "open"
        )
    )
    if already is not None:
        return already
    details = f"Found while following up a referral: {OUTCOME_REASONS[outcome_reason].lower()}." + (
        f" {listing_note.strip()}" if listing_note.strip() else ""
    )
    return problems.report(session, actor, service, kind, details)
