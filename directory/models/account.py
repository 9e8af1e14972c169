"""Accounts: people who sign in, their role, team and the organisations they may edit."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Column, DateTime, Float, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.db import Base
from directory.models.base import Timestamps, new_id, utcnow

if TYPE_CHECKING:
    from directory.models.organization import Organization

ROLES = ("practitioner", "editor", "curator", "admin")
ROLE_LABELS = {
    "practitioner": "Practitioner",
    "editor": "Agency editor",
    "curator": "Curator",
    "admin": "Administrator",
}

user_organization = Table(
    "user_organization",
    Base.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organization_id", ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Team(Timestamps, Base):
    """A practitioners' team: an L&D site such as "Lewisham custody"."""

    __tablename__ = "team"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    members: Mapped[list[User]] = relationship(back_populates="team", order_by="User.email")


class User(Timestamps, Base):
    """Someone who signs in. ``password_hash`` is None until an invitation is accepted.

    ``session_version`` is part of every session's identity: bumping it (logout everywhere, a new
    password, disabling) ends every existing session at once. Each session also has its own
    ``SignInSession`` record, so signing out ends that one session on the server.
    """

    __tablename__ = "user_account"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(20), index=True)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    team: Mapped[Team | None] = relationship(back_populates="members")
    organizations: Mapped[list[Organization]] = relationship(
        secondary=user_organization, order_by="Organization.name"
    )

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active and self.password_hash is not None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The session identity: id and session version, so old sessions stop matching."""
        return f"{self.id}:{self.session_version}"

    @property
    def display_name(self) -> str:
        """The name, or the email when no name was given."""
        return self.name or self.email

    @property
    def invited(self) -> bool:
        """True until the invitation is accepted (no password yet)."""
        return self.password_hash is None

    @property
    def organization_ids(self) -> set[str]:
        """The organisations an editor may act for."""
        return {org.id for org in self.organizations}


class AccountToken(Base):
    """A one-time, expiring link (an invitation or a password reset); only its hash is stored."""

    __tablename__ = "account_token"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SignInSession(Base):
    """One signed-in browser session. Signing out deletes it, so a copy of the cookie stops working.

    The cookie holds a random token; only its SHA-256 digest is stored here. ``seen_at`` is brought up
    to date about once a minute, so a session idle for longer than SESSION_IDLE_MINUTES ends on the
    server too.
    """

    __tablename__ = "sign_in_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ThrottleCount(Base):
    """One throttling count (failed sign-ins for an account or an address, reset e-mails, ...) kept in
    the database, so every worker counts together without Redis. ``key`` is a digest: no e-mail
    address or IP address is stored. ``expires_at`` is seconds since 1970; the count then restarts."""

    __tablename__ = "throttle_count"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
