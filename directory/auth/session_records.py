"""The server's record of each signed-in session: opened at sign-in, closed at sign-out.

The session cookie carries a random token; the record is found by the token's digest, so neither a
database read nor a log line gives anyone a working cookie. Service functions: they take a Session
and never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from directory.models import SignInSession, User
from directory.models.base import utcnow

# ``seen_at`` is written at most this often: a write per request would cost more than idle expiry
# needs, which counts in minutes.
TOUCH_EVERY = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite gives naive UTC back


def open_record(session: Session, user: User, idle: timedelta) -> str:
    """A new session record for ``user``; returns the token for the cookie. The user's records idle
    for longer than ``idle`` are cleared away on the way."""
    now = utcnow()
    session.execute(
        delete(SignInSession).where(SignInSession.user_id == user.id, SignInSession.seen_at < now - idle)
    )
    token = secrets.token_urlsafe(32)
    session.add(SignInSession(id=digest(token), user_id=user.id, started_at=now, seen_at=now))
    return token


def signed_in_user(session: Session, user_id: str, token: str, idle: timedelta) -> User | None:
    """The user whose open, recently used session this token is; None when it was closed or idled.

    The record is read (and touched) on a connection of its own: checking who is signed in must not
    open the request's transaction, which the view may never need."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    record = SignInSession.id == digest(token)
    with engine.connect() as connection:
        seen = connection.scalar(
            select(SignInSession.seen_at).where(record, SignInSession.user_id == user_id)
        )
    if seen is None:
        return None
    now = utcnow()
    if now - _aware(seen) > idle:
        return None
    if now - _aware(seen) > TOUCH_EVERY:
        with engine.begin() as connection:
            connection.execute(update(SignInSession).where(record).values(seen_at=now))
    return session.get(User, user_id)


def close_record(session: Session, token: str) -> None:
    """End the session this token belongs to (nothing happens for an unknown token)."""
    session.execute(delete(SignInSession).where(SignInSession.id == digest(token)))
