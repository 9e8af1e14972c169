"""A subject access export: everything a case holds about the person, as JSON or a printable page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from directory.models import Case
from directory.models.case import (
    CONSENT_DECISIONS,
    CONSENT_METHODS,
    DECLINE_REASONS,
    EXCEPTION_GROUNDS,
    HANDOVER_LEVELS,
    OUTCOME_REASONS,
    OUTCOMES,
    RECIPIENT_KINDS,
    REFERRAL_STATUSES,
    SHARE_ITEMS,
)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def case_export(case: Case, labels: dict[str, str]) -> dict[str, Any]:
    """The whole case, with codes spelled out, for the person who asks for their data."""
    return {
        "case": {
            "id": case.id,
            "reference": case.reference,
            "name": case.person_name,
            "date_of_birth": _iso(case.date_of_birth),
            "team": case.team.name,
            "setting": case.setting_label,
            "status": case.status,
            "opened_at": _iso(case.opened_at),
            "closed_at": _iso(case.closed_at),
            "closing_note": case.closing_note,
            "personal_details_removed_at": _iso(case.purged_at),
        },
        "needs": [{"code": code, "label": labels.get(code, code)} for code in case.needs],
        "details_used_to_find_services": case.attributes,
        "package_of_support": case.plan,
        "consent": [
            {
                "decision": CONSENT_DECISIONS.get(c.decision, c.decision),
                "what_may_be_shared": [SHARE_ITEMS.get(s, s) for s in c.shares],
                "who_with": [RECIPIENT_KINDS.get(r, r) for r in c.recipients],
                "how_recorded": CONSENT_METHODS.get(c.method or "", c.method),
                "legal_exception": EXCEPTION_GROUNDS.get(c.exception_ground or "", c.exception_ground),
                "reason": c.reason,
                "recorded_at": _iso(c.recorded_at),
                "recorded_by": c.recorded_by.display_name if c.recorded_by else None,
            }
            for c in case.consents
        ],
        "referrals": [
            {
                "service": r.service_name,
                "organisation": r.organization_name,
                "needs": [labels.get(code, code) for code in r.needs],
                "handover": HANDOVER_LEVELS.get(r.level, r.level),
                "status": REFERRAL_STATUSES.get(r.status, r.status),
                "appointment_at": _iso(r.appointment_at),
                "appointment_place": r.appointment_place,
                "declined_because": DECLINE_REASONS.get(r.decline_reason or "", r.decline_reason),
                "decline_note": r.decline_note,
                "outcome": OUTCOMES.get(r.outcome or "", r.outcome),
                "outcome_reason": OUTCOME_REASONS.get(r.outcome_reason or "", r.outcome_reason),
                "outcome_note": r.outcome_note,
                "made_at": _iso(r.made_at),
                "closed_at": _iso(r.closed_at),
            }
            for r in case.referrals
        ],
        "timeline": [
            {"at": _iso(e.at), "by": e.actor_label, "what": e.summary, "note": e.detail} for e in case.events
        ],
        "follow_up_checks": [
            {
                "check": t.kind_label,
                "service": t.referral.service_name if t.referral else None,
                "due_on": _iso(t.due_on),
                "done_at": _iso(t.done_at),
                "note": t.note,
            }
            for t in case.tasks
        ],
    }
