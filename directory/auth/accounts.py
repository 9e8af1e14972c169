"""Account service functions: create, invite, authenticate, change passwords and permissions.

Each takes a Session and never commits; each change is audited in the same transaction.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory import audit
from directory.auth import passwords, tokens
from directory.domain_errors import DomainError
from directory.models import AccountToken, Organization, Team, User
from directory.models.account import ROLES
from directory.models.base import utcnow

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(DomainError):
    """A request about an account that cannot be met; ``field`` names the form field at fault."""


def normalise_email(email: str) -> str:
    """Emails are matched without case and surrounding space."""
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    """A normalised, plausible email address, or AccountError."""
    normalised = normalise_email(email)
    if not normalised:
        raise AccountError("Enter an email address", "email")
    if len(normalised) > 255 or not _EMAIL.match(normalised):
        raise AccountError("Enter an email address in the correct format, like name@example.org", "email")
    return normalised


def find_by_email(session: Session, email: str) -> User | None:
    """The account with this email, if any."""
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def team_named(session: Session, name: str) -> Team:
    """The team called ``name`` (matched without case), created when new."""
    clean = " ".join(name.split())
    team = session.scalar(select(Team).where(func.lower(Team.name) == clean.lower()))
    if team is None:
        team = Team(name=clean)
        session.add(team)
        session.flush()
    return team


def set_password(user: User, password: str, min_length: int) -> None:
    """Check and store a new password; every existing session of the user ends."""
    problems = passwords.password_problems(password, min_length, user.email)
    if problems:
        raise AccountError(problems[0], "password")
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = utcnow()
    user.session_version = (user.session_version or 0) + 1


def _summary(user: User) -> dict[str, object]:
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "team": user.team.name if user.team else None,
        "organisations": sorted(org.name for org in user.organizations),
        "active": user.active,
    }


def create_user(
    session: Session,
    *,
    email: str,
    role: str,
    name: str = "",
    team_name: str | None = None,
    organizations: list[Organization] | None = None,
    password: str | None = None,
    min_length: int = 12,
    actor: User | None = None,
    action: str = "user.created",
    actor_label: str | None = None,
) -> User:
    """A new account; without ``password`` it waits for its invitation to be accepted."""
    address = check_email(email)
    if role not in ROLES:
        raise AccountError("Choose a role", "role")
    if find_by_email(session, address) is not None:
        raise AccountError("An account with this email address already exists", "email")
    user = User(email=address, name=" ".join((name or "").split())[:255], role=role, active=True)
    user.session_version = 1
    user.organizations = []
    if team_name and team_name.strip():
        user.team = team_named(session, team_name)
    if role == "editor":
        user.organizations = list(organizations or [])
    if password is not None:
        set_password(user, password, min_length)
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        action,
        "user",
        user.id,
        user.email,
        changes=audit.diff({}, _summary(user)),
        actor_label=actor_label,
    )
    return user


def invite(
    session: Session,
    actor: User | None,
    *,
    email: str,
    role: str,
    name: str = "",
    team_name: str | None = None,
    organizations: list[Organization] | None = None,
    valid_for: timedelta,
) -> tuple[User, str]:
    """Create an account and its one-time invitation token."""
    user = create_user(
        session,
        email=email,
        role=role,
        name=name,
        team_name=team_name,
        organizations=organizations,
        actor=actor,
        action="user.invited",
    )
    return user, tokens.issue(session, user, "invitation", valid_for, actor)


def reinvite(session: Session, actor: User | None, user: User, valid_for: timedelta) -> str:
    """A fresh invitation link for an account not yet set up (older links stop working)."""
    audit.record(session, actor, "user.invitation_reissued", "user", user.id, user.email)
    return tokens.issue(session, user, "invitation", valid_for, actor)


def accept_invitation(
    session: Session, record: AccountToken, name: str, password: str, min_length: int
) -> User:
    """Set the invited person's name and password; the link is spent."""
    user = record.user
    set_password(user, password, min_length)
    if name.strip():
        user.name = " ".join(name.split())[:255]
    tokens.spend(record)
    audit.record(session, user, "auth.invitation_accepted", "user", user.id, user.email)
    return user


def issue_reset(session: Session, actor: User | None, user: User, valid_for: timedelta) -> str:
    """A one-time password reset token (older ones stop working)."""
    audit.record(
        session,
        actor,
        "user.reset_link_issued",
        "user",
        user.id,
        user.email,
        actor_label=None if actor else "password reset by email",
    )
    return tokens.issue(session, user, "reset", valid_for, actor)


def reset_password(session: Session, record: AccountToken, password: str, min_length: int) -> User:
    """Set a new password from a reset link; every other session ends; the link is spent."""
    user = record.user
    set_password(user, password, min_length)
    tokens.spend(record)
    audit.record(session, user, "auth.password_reset", "user", user.id, user.email)
    return user


def change_password(session: Session, user: User, current: str, new: str, min_length: int) -> None:
    """Change one's own password, proving the current one first."""
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError("Your current password is not correct", "current_password")
    set_password(user, new, min_length)
    audit.record(session, user, "auth.password_changed", "user", user.id, user.email)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account these credentials open, or None (same work either way)."""
    user = find_by_email(session, email)
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        return None
    assert user.password_hash is not None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def record_login(session: Session, user: User) -> None:
    """Note a successful sign-in."""
    user.last_login_at = utcnow()
    audit.record(session, user, "auth.login", "user", user.id, user.email)


def record_failed_login(session: Session, email: str) -> None:
    """Note a failed sign-in (the attempted address is kept only when it names an account)."""
    user = find_by_email(session, email)
    audit.record(
        session,
        None,
        "auth.login_failed",
        "user",
        user.id if user else None,
        user.email if user else "unknown account",
        actor_label="anonymous",
    )


def record_logout(session: Session, user: User) -> None:
    """Note a sign-out."""
    audit.record(session, user, "auth.logout", "user", user.id, user.email)


def end_all_sessions(session: Session, actor: User, user: User, reason: str = "") -> None:
    """Sign ``user`` out everywhere, now."""
    user.session_version = (user.session_version or 0) + 1
    audit.record(session, actor, "user.sessions_ended", "user", user.id, user.email, reason=reason)


def set_active(session: Session, actor: User | None, user: User, active: bool, reason: str = "") -> None:
    """Disable (ending every session) or re-enable an account."""
    if user.active == active:
        return
    user.active = active
    if not active:
        user.session_version = (user.session_version or 0) + 1
    audit.record(
        session,
        actor,
        "user.enabled" if active else "user.disabled",
        "user",
        user.id,
        user.email,
        changes={"active": {"before": not active, "after": active}},
        reason=reason,
    )


def change_role(session: Session, actor: User, user: User, role: str, reason: str = "") -> None:
    """Give ``user`` another role; leaving the editor role unbinds their organisations."""
    if role not in ROLES:
        raise AccountError("Choose a role", "role")
    if role == user.role:
        return
    before = _summary(user)
    user.role = role
    if role != "editor":
        user.organizations = []
    audit.record(
        session,
        actor,
        "user.role_changed",
        "user",
        user.id,
        user.email,
        changes=audit.diff(before, _summary(user)),
        reason=reason,
    )


def set_team(session: Session, actor: User, user: User, team_name: str) -> None:
    """Move ``user`` to the team called ``team_name`` (none when blank)."""
    before = user.team.name if user.team else None
    user.team = team_named(session, team_name) if team_name.strip() else None
    after = user.team.name if user.team else None
    if before != after:
        audit.record(
            session,
            actor,
            "user.team_changed",
            "user",
            user.id,
            user.email,
            changes={"team": {"before": before, "after": after}},
        )


def bind_organization(session: Session, actor: User, user: User, organization: Organization) -> None:
    """Let an editor act for ``organization``."""
    if user.role != "editor":
        raise AccountError("Only agency editors can be bound to organisations", "organisation")
    if organization.id in user.organization_ids:
        return
    before = sorted(o.name for o in user.organizations)
    user.organizations.append(organization)
    audit.record(
        session,
        actor,
        "user.organisation_bound",
        "user",
        user.id,
        user.email,
        changes={"organisations": {"before": before, "after": sorted(o.name for o in user.organizations)}},
        related_id=organization.id,
    )


def unbind_organization(session: Session, actor: User, user: User, organization: Organization) -> None:
    """Stop an editor acting for ``organization``."""
    if organization.id not in user.organization_ids:
        return
    before = sorted(o.name for o in user.organizations)
    user.organizations = [o for o in user.organizations if o.id != organization.id]
    audit.record(
        session,
        actor,
        "user.organisation_unbound",
        "user",
        user.id,
        user.email,
        changes={"organisations": {"before": before, "after": sorted(o.name for o in user.organizations)}},
        related_id=organization.id,
    )


def organisations(session: Session, name_contains: str = "") -> list[Organization]:
    """Every organisation (or those whose name contains the text, any case), by name."""
    query = select(Organization).order_by(Organization.name)
    if name_contains:
        query = query.where(func.lower(Organization.name).contains(name_contains.lower()))
    return list(session.scalars(query))


def editors_of(session: Session, organization: Organization) -> list[User]:
    """The accounts bound to act for an organisation, by email."""
    return list(
        session.scalars(
            select(User)
            .where(User.organizations.any(Organization.id == organization.id))
            .order_by(User.email)
        )
    )


def list_users(session: Session, role: str | None = None) -> list[User]:
    """Every account (or those with ``role``), by email."""
    query = select(User).order_by(User.email)
    if role:
        query = query.where(User.role == role)
    return list(session.scalars(query))
