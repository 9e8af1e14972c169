"""Retention: personal fields go a set period after a case closes; anonymous counts stay.

``purge`` is idempotent (a purged case is never touched again) and is meant to run daily from cron.
What goes: the reference, name, date of birth, the attributes that could identify someone (exact age,
districts, safe-contact notes), the plan's details, every free-text note and reason, appointment
places. What stays: team, setting, dates, needs, age band, gender and other coded fields, each
referral's service, level, status, decline reason and outcome, the consent decision and its coded
fields, the follow-up checks. The audit log never held personal fields, so it is kept whole.
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.cases import snapshot
from directory.cases.common import log
from directory.models import Case
from directory.models.base import utcnow


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` less ``months`` calendar months (the day clamped to the month's length)."""
    total = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def due_for_purge(session: Session, months: int, now: datetime | None = None) -> list[Case]:
    """Closed, unpurged cases closed more than ``months`` months before ``now``."""
    cutoff = months_before(now or utcnow(), months)
    return list(
        session.scalars(
            select(Case)
            .where(Case.status == "closed", Case.purged_at.is_(None), Case.closed_at < cutoff)
            .options(selectinload(Case.referrals), selectinload(Case.consents), selectinload(Case.events))
            .order_by(Case.closed_at)
        )
    )


def purge_case(session: Session, case: Case) -> None:
    """Remove one case's personal fields, keeping its coded fields."""
    kept = dict(case.attributes or {})
    case.reference = None
    case.person_name = None
    case.date_of_birth = None
    case.attributes = snapshot.anonymous_attributes(kept)
    case.plan = snapshot.anonymous_plan(case.plan or {})
    case.closing_note = ""
    for consent in case.consents:
        consent.reason = ""
    for referral in case.referrals:
        referral.appointment_place = ""
        referral.decline_note = ""
        referral.outcome_note = ""
    for event in case.events:
        event.detail = ""
    for task in case.tasks:
        task.note = ""
    for grant in case.access_grants:
        grant.reason = ""
    case.purged_at = utcnow()
    log(
        session,
        None,
        "case.purged",
        case,
        changes={"personal_fields": {"before": "kept", "after": "removed"}},
    )


def purge(session: Session, months: int, now: datetime | None = None) -> int:
    """Purge every case due; returns how many were purged (0 on a second run)."""
    cases = due_for_purge(session, months, now)
    for case in cases:
        purge_case(session, case)
    return len(cases)


def counts(session: Session) -> dict[str, Any]:
    """Anonymous counts for reporting, the same before and after a purge."""
    cases = list(
        session.scalars(select(Case).options(selectinload(Case.referrals), selectinload(Case.consents)))
    )
    referrals = [r for case in cases for r in case.referrals]
    unmet = Counter(
        f"{u.get('need')}:{u.get('reason')}" for case in cases for u in (case.plan or {}).get("unmet", [])
    )
    age_bands = Counter(
        (case.attributes or {}).get("age_band") or snapshot.age_band((case.attributes or {}).get("age"))
        for case in cases
    )
    return {
        "cases": len(cases),
        "cases_by_status": dict(Counter(case.status for case in cases)),
        "cases_by_setting": dict(Counter(case.setting for case in cases)),
        "cases_by_team": dict(Counter(case.team_id for case in cases)),
        "cases_by_month": dict(Counter(_month(case.opened_at) for case in cases)),
        "needs": dict(Counter(code for case in cases for code in case.needs)),
        "age_bands": {str(k): v for k, v in age_bands.items()},
        "consent": dict(Counter(case.consent.decision if case.consent else "none" for case in cases)),
        "referrals": len(referrals),
        "referrals_by_level": dict(Counter(r.level for r in referrals)),
        "referrals_by_status": dict(Counter(r.status for r in referrals)),
        "referrals_by_service": dict(Counter(r.service_id or "" for r in referrals)),
        "decline_reasons": dict(Counter(r.decline_reason for r in referrals if r.decline_reason)),
        "outcomes": dict(Counter(r.outcome for r in referrals if r.outcome)),
        "outcome_reasons": dict(Counter(r.outcome_reason for r in referrals if r.outcome_reason)),
        "unmet_needs": dict(unmet),
    }


def _month(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return f"{aware:%Y-%m}"
