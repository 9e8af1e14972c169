"""One-time, expiring links for invitations and password resets. Only a hash of each is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from directory.models import AccountToken, User
from directory.models.base import utcnow


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(session: Session, user: User, purpose: str, valid_for: timedelta, created_by: User | None) -> str:
    """A new link token for ``user``; older unused tokens for the same purpose stop working."""
    now = utcnow()
    session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=_hash(token),
            expires_at=now + valid_for,
            created_by_id=created_by.id if created_by else None,
        )
    )
    session.flush()
    return token


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def find_valid(session: Session, token: str, purpose: str) -> AccountToken | None:
    """The unused, unexpired token record for ``token``, or None."""
    if not token or len(token) > 200:
        return None
    record = session.scalar(
        select(AccountToken).where(AccountToken.token_hash == _hash(token), AccountToken.purpose == purpose)
    )
    if record is None or record.used_at is not None or _aware(record.expires_at) <= utcnow():
        return None
    return record


def spend(record: AccountToken) -> None:
    """Mark a token used, so the link never works again."""
    record.used_at = utcnow()
