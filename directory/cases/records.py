"""Opening, viewing, consenting to, closing and finding cases (service functions: no commits)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from directory.cases import followup, snapshot
from directory.cases.common import CaseError, log, timeline
from directory.matching.present import package_record
from directory.matching.request import MatchInput
from directory.models import Case, CaseAccessGrant, ConsentRecord, User
from directory.models.base import utcnow
from directory.models.case import (
    CONSENT_DECISIONS,
    CONSENT_METHODS,
    EXCEPTION_GROUNDS,
    RECIPIENT_KINDS,
    SHARE_ITEMS,
)
from matcher import model as m

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
REFERENCE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9/\-]{1,39}$")


def normalise_reference(text: str | None) -> str:
    """A reference as stored and searched: upper case, no spaces."""
    return re.sub(r"\s+", "", text or "").upper()


# What "Find by reference" ignores: spaces, hyphens (any dash a keyboard or a pasted email makes),
# slashes, underscores and dots. "lew-555/2", "LEW 555 2" and "lew5552" find the same case.
_REFERENCE_SEPARATORS = re.compile(r"[\s\-/_.\u2010-\u2015\u2212]+")


def reference_key(text: str | None) -> str:
    """A reference as searched: upper case letters and digits only."""
    return _REFERENCE_SEPARATORS.sub("", text or "").upper()


def _stored_key() -> ColumnElement[str]:
    """The stored reference without its separators (it holds only letters, digits, - and /)."""
    return func.replace(func.replace(Case.reference, "-", ""), "/", "")


def check_reference(text: str) -> str:
    """A typed reference, normalised; raises CaseError when it is not a usable reference."""
    reference = normalise_reference(text)
    if reference and not REFERENCE_PATTERN.match(reference):
        raise CaseError(
            "reference", "A reference can only have letters, numbers, hyphens and slashes (2 to 40)"
        )
    return reference


def _generated_reference(session: Session, team_id: str) -> str:
    while True:
        candidate = "DD-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if not find_in_team(session, team_id, candidate):
            return candidate


def open_case(
    session: Session,
    actor: User,
    data: MatchInput,
    package: m.Package,
    *,
    reference: str = "",
    person_name: str | None = None,
    date_of_birth: date | None = None,
) -> Case:
    """Open a case from a package for the practitioner's team; a reference is made up when none is given."""
    if actor.team_id is None:
        raise CaseError("reference", "You need to be in a team to open a case")
    typed = check_reference(reference)
    case = Case(
        team_id=actor.team_id,
        opened_by_id=actor.id,
        reference=typed or _generated_reference(session, actor.team_id),
        person_name=(person_name or "").strip() or None,
        date_of_birth=date_of_birth,
        setting=data.setting,
        needs=list(data.needs),
        attributes=snapshot.attributes(data),
        plan=package_record(package),
        planned_for=data.at,
        status="open",
        opened_at=utcnow(),
        closing_note="",
    )
    session.add(case)
    session.flush()
    items = len(package.items)
    timeline(
        session,
        case,
        actor,
        "opened",
        f"Case opened from a package of {items} service{'s' if items != 1 else ''}",
    )
    log(session, actor, "case.opened", case, changes={"status": {"before": None, "after": "open"}})
    return case


def record_view(session: Session, actor: User, case: Case, what: str = "case", reason: str = "") -> None:
    """Audit-log that ``actor`` looked at ``what`` (the case, its plan, a referral's text, an export)."""
    log(session, actor, f"case.viewed_{what}" if what != "case" else "case.viewed", case, reason=reason)


def _choices(values: Iterable[str], allowed: dict[str, str], field: str) -> list[str]:
    chosen = list(dict.fromkeys(values))
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise CaseError(field, "Choose from the options given")
    return chosen


def record_consent(
    session: Session,
    actor: User,
    case: Case,
    *,
    decision: str,
    shares: Iterable[str] = (),
    recipients: Iterable[str] = (),
    method: str | None = None,
    exception_ground: str | None = None,
    reason: str = "",
) -> ConsentRecord:
    """Record what the person agreed to share and with whom, how and when; or a legal exception with
    the practitioner's reason. The latest record is the one in force."""
    if decision not in CONSENT_DECISIONS:
        raise CaseError("decision", "Choose whether the person consented")
    shares = _choices(shares, SHARE_ITEMS, "shares")
    recipients = _choices(recipients, RECIPIENT_KINDS, "recipients")
    reason = (reason or "").strip()
    if decision in ("given", "refused") and method not in CONSENT_METHODS:
        raise CaseError("method", "Choose how the person's decision was recorded")
    if decision in ("given", "exception"):
        if not shares:
            raise CaseError("shares", "Choose what may be shared")
        if not recipients:
            raise CaseError("recipients", "Choose who it may be shared with")
    if decision == "exception":
        if exception_ground not in EXCEPTION_GROUNDS:
            raise CaseError("exception_ground", "Choose the legal exception that applies")
        if len(reason) < 10:
            raise CaseError("reason", "Give the reason for sharing without consent (at least 10 characters)")
    if decision == "refused":
        shares, recipients = [], []
    record = ConsentRecord(
        case=case,
        decision=decision,
        shares=shares,
        recipients=recipients,
        method=method if method in CONSENT_METHODS else None,
        exception_ground=exception_ground if decision == "exception" else None,
        reason=reason,
        recorded_at=utcnow(),
        recorded_by_id=actor.id,
    )
    session.add(record)
    before = case.consents[-2].decision if len(case.consents) > 1 else None
    summary = CONSENT_DECISIONS[decision]
    if decision == "exception":
        summary += f": {EXCEPTION_GROUNDS[exception_ground or '']}"
    timeline(session, case, actor, "consent", summary, reason)
    log(
        session,
        actor,
        "case.consent_recorded",
        case,
        changes={
            "consent": {"before": before, "after": decision},
            "recipients": {"before": None, "after": recipients},
        },
    )
    return record


def close_case(session: Session, actor: User, case: Case, note: str = "") -> None:
    """Close the case once every referral is closed; open checks are no longer needed."""
    if not case.is_open:
        raise CaseError("note", "This case is already closed")
    still_open = [r.service_name for r in case.referrals if not r.is_closed]
    if still_open:
        raise CaseError("note", f"Close every referral first (still open: {', '.join(still_open)})")
    case.status = "closed"
    case.closed_at = utcnow()
    case.closed_by_id = actor.id
    case.closing_note = (note or "").strip()
    followup.cancel_open(case, actor)
    timeline(session, case, actor, "closed", "Case closed", case.closing_note)
    log(session, actor, "case.closed", case, changes={"status": {"before": "open", "after": "closed"}})


def find_in_team(session: Session, team_id: str, reference: str) -> list[Case]:
    """The team's cases with this reference, newest first (purged cases have none)."""
    key = reference_key(reference)
    if not key:
        return []
    return list(
        session.scalars(
            select(Case).where(Case.team_id == team_id, _stored_key() == key).order_by(Case.opened_at.desc())
        )
    )


def find_anywhere(session: Session, reference: str) -> list[Case]:
    """Every team's cases with this reference (administrators, who must then give a reason to open one)."""
    key = reference_key(reference)
    if not key:
        return []
    return list(session.scalars(select(Case).where(_stored_key() == key).order_by(Case.opened_at.desc())))


def team_cases(session: Session, team_id: str, status: str = "open", limit: int = 100) -> list[Case]:
    """The team's open (or closed) cases, newest first."""
    order = Case.opened_at.desc() if status == "open" else Case.closed_at.desc()
    return list(
        session.scalars(
            select(Case)
            .where(Case.team_id == team_id, Case.status == status, Case.purged_at.is_(None))
            .order_by(order)
            .limit(limit)
        )
    )


def grant_access(session: Session, admin: User, case: Case, reason: str, minutes: int) -> CaseAccessGrant:
    """Let an administrator outside the team read the case for ``minutes``, recording why."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise CaseError("reason", "Give the reason you need to see this case (at least 10 characters)")
    grant = CaseAccessGrant(
        case_id=case.id,
        user_id=admin.id,
        reason=reason,
        granted_at=utcnow(),
        expires_at=utcnow() + timedelta(minutes=minutes),
    )
    session.add(grant)
    case.access_grants.append(grant)
    timeline(
        session, case, admin, "admin_access", "An administrator outside the team opened the case", reason
    )
    log(session, admin, "case.access_granted", case, reason=reason)
    return grant
