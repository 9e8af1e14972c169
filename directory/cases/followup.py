"""Follow-up: the checks each referral needs, made automatically, and the team's list of what is due.

- same day, for an urgent item (a bed tonight, a crisis): the day it was made, or the next working
  morning when made after 17:00, whatever else the referral needs (signposting too: someone has to
  check the person got there);
- acknowledgement: by the third working day counting the day the referral was made (not for
  signposting, where no agency was contacted);
- after the first appointment: the first working day after it, once a date is known;
- outcome: 28 days after the referral was made (moved on to a working day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from directory.cases.common import aware, local_date, log, timeline
from directory.cases.workdays import next_working_day_after, nth_working_day, on_or_after
from directory.hours import today as london_today
from directory.models import Case, FollowUpTask, Referral, User
from directory.models.base import utcnow
from matcher.vocabulary import LONDON

ACKNOWLEDGE_WITHIN_WORKING_DAYS = 3
OUTCOME_AFTER_DAYS = 28
SAME_DAY_UNTIL = time(17)  # raised later than this, the check falls on the next working morning
COMING_UP_DAYS = 7


def same_day_due(made_at: datetime) -> date:
    """An urgent item's check: the day it was made (London), or the next working day after 17:00."""
    local = aware(made_at).astimezone(LONDON)
    if local.time() >= SAME_DAY_UNTIL:
        return next_working_day_after(local.date())
    return local.date()


def acknowledgement_due(made_on: date) -> date:
    """The acknowledgement check's date: the third working day counting ``made_on``."""
    return nth_working_day(made_on, ACKNOWLEDGE_WITHIN_WORKING_DAYS)


def after_appointment_due(appointment: datetime) -> date:
    """The working day after the appointment."""
    return next_working_day_after(local_date(appointment))


def outcome_due(made_on: date) -> date:
    """28 days on, or the next working day."""
    return on_or_after(made_on + timedelta(days=OUTCOME_AFTER_DAYS))


def _open_task(referral: Referral, kind: str) -> FollowUpTask | None:
    return next(
        (t for t in referral.case.tasks if t.referral is referral and t.kind == kind and t.is_open),
        None,
    )


def _has_task(referral: Referral, kind: str) -> bool:
    return any(t.referral is referral and t.kind == kind for t in referral.case.tasks)


def _add(session: Session, referral: Referral, kind: str, due: date) -> FollowUpTask:
    task = FollowUpTask(case=referral.case, referral=referral, kind=kind, due_on=due, note="")
    session.add(task)
    return task


def schedule(session: Session, referral: Referral) -> None:
    """Create whichever of the referral's checks it needs and does not have yet; move the
    after-appointment check when the appointment moves."""
    made_on = local_date(referral.made_at)
    if referral.urgent and not _has_task(referral, "same_day"):
        _add(session, referral, "same_day", same_day_due(referral.made_at))
    if (
        referral.level != "signposted"
        and referral.status == "made"
        and not _has_task(referral, "acknowledgement")
    ):
        _add(session, referral, "acknowledgement", acknowledgement_due(made_on))
    if referral.appointment_at is not None and referral.status in ("made", "acknowledged", "missed"):
        due = after_appointment_due(referral.appointment_at)
        task = _open_task(referral, "after_appointment")
        if task is not None:
            task.due_on = due
        elif not any(
            t.referral is referral and t.kind == "after_appointment" and t.due_on == due
            for t in referral.case.tasks
        ):
            _add(session, referral, "after_appointment", due)  # a first booking, or a missed one rebooked
    if not _has_task(referral, "outcome"):
        _add(session, referral, "outcome", outcome_due(made_on))


def answer(referral: Referral, kinds: tuple[str, ...], actor: User | None) -> None:
    """Close the referral's open checks of ``kinds``: the update they waited for has arrived."""
    for task in referral.case.tasks:
        if task.referral is referral and task.kind in kinds and task.is_open:
            task.done_at = utcnow()
            task.done_by_id = actor.id if actor else None
            task.resolution = "answered"


def cancel_open(case: Case, actor: User | None) -> None:
    """Close every open check on a case that is closing."""
    for task in case.tasks:
        if task.is_open:
            task.done_at = utcnow()
            task.done_by_id = actor.id if actor else None
            task.resolution = "cancelled"


def mark_done(session: Session, actor: User, task: FollowUpTask, note: str) -> None:
    """The practitioner made the check."""
    if not task.is_open:
        raise ValueError("task already done")
    task.done_at = utcnow()
    task.done_by_id = actor.id
    task.resolution = "checked"
    task.note = note.strip()
    service = task.referral.service_name if task.referral else "the case"
    timeline(
        session,
        task.case,
        actor,
        "task_done",
        f"Follow-up done: {task.kind_label} ({service})",
        note,
        task.referral,
    )
    log(
        session,
        actor,
        "case.follow_up_done",
        task.case,
        changes={"follow_up": {"before": task.kind, "after": "checked"}},
        related_id=task.referral_id,
    )


@dataclass(frozen=True)
class Due:
    """The team's open checks, split by when they fall due."""

    overdue: list[FollowUpTask]
    due_today: list[FollowUpTask]
    coming_up: list[FollowUpTask]


def team_due(session: Session, team_id: str, on: date | None = None) -> Due:
    """Open checks on the team's open cases: overdue, due ``on`` (default today), and the next week's."""
    day = on or london_today()
    tasks = list(
        session.scalars(
            select(FollowUpTask)
            .join(Case, FollowUpTask.case_id == Case.id)
            .where(
                Case.team_id == team_id,
                Case.status == "open",
                FollowUpTask.done_at.is_(None),
                FollowUpTask.due_on <= day + timedelta(days=COMING_UP_DAYS),
            )
            .options(joinedload(FollowUpTask.case), joinedload(FollowUpTask.referral))
            .order_by(FollowUpTask.due_on, FollowUpTask.created_at)
        )
    )
    return Due(
        overdue=[t for t in tasks if t.due_on < day],
        due_today=[t for t in tasks if t.due_on == day],
        coming_up=[t for t in tasks if t.due_on > day],
    )
