"""Signing in and out with Flask-Login: who is signed in, idle expiry, and where to go afterwards.

A session is signed in while its cookie names the user's current ``session_version`` and its
server-side record (``session_records``) is open: signing out closes the record, so a copied cookie
stops working too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

import flask_login
from flask import (
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from directory.auth import session_records
from directory.db import get_session
from directory.errors import json_error
from directory.models import User

P = ParamSpec("P")
R = TypeVar("R")

login_manager = flask_login.LoginManager()
login_manager.session_protection = "basic"
SEEN_KEY = "seen"
EXPIRED_KEY = "signed_out_idle"
RECORD_KEY = "record"


def _idle() -> timedelta:
    return timedelta(minutes=int(current_app.config["SESSION_IDLE_MINUTES"]))


@login_manager.user_loader  # type: ignore[untyped-decorator]  # Flask-Login ships no types
def _load_user(identity: str) -> User | None:
    """The session's user, if the account is active and the session neither revoked nor ended."""
    user_id, _, version = identity.partition(":")
    token = session.get(RECORD_KEY)
    if not user_id or not version or not isinstance(token, str):
        return None
    user = session_records.signed_in_user(get_session(), user_id, token, _idle())
    if user is None or not user.is_active or str(user.session_version) != version:
        return None
    return user


def current_user() -> User | None:
    """The signed-in user, or None (anonymous, or outside a request)."""
    if not has_request_context():
        return None
    user = flask_login.current_user
    if user is None or not user.is_authenticated:
        return None
    found: User = user._get_current_object()
    return found


def signed_in_user() -> User:
    """The signed-in user; anyone else is sent to sign in (the API answers 401).

    For views behind ``require``, ``login_required`` or ``role_required``, where nobody else gets this
    far; it still stops the request properly rather than trusting that.
    """
    user = current_user()
    if user is None:
        abort(unauthorized())
    return user


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site; None for anything that could leave it."""
    if not target:
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or any(c in target for c in "\\\r\n\t"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def unauthorized() -> Response:
    """Send an anonymous visitor to sign in, and back here afterwards (GET pages only)."""
    if request.path.startswith("/api/"):
        response, _status = json_error(401, "Sign in to use this.")
        response.status_code = 401
        return response
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=safe_next(target)))


@login_manager.unauthorized_handler  # type: ignore[untyped-decorator]  # Flask-Login ships no types
def _unauthorized() -> Response:
    return unauthorized()


def login_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Only signed-in users; others are sent to sign in."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if current_user() is None:
            return unauthorized()
        return view(*args, **kwargs)

    return wrapped


def role_required(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R | Response]]:
    """Only signed-in users with one of ``roles`` (others get 403)."""

    def decorate(view: Callable[P, R]) -> Callable[P, R | Response]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            user = current_user()
            if user is None:
                return unauthorized()
            if user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def start_session(user: User) -> None:
    """Sign ``user`` in on a fresh session (cookie and server record) that ends after inactivity."""
    _close_record()  # signing in again (after a new password) leaves no old record open
    session.clear()
    token = session_records.open_record(get_session(), user, _idle())
    flask_login.login_user(user)
    session.permanent = True
    session[SEEN_KEY] = int(time.time())
    session[RECORD_KEY] = token


def end_session() -> None:
    """Sign out of this session, on the server as well as in the cookie."""
    _close_record()
    flask_login.logout_user()
    session.clear()


def _close_record() -> None:
    token = session.get(RECORD_KEY)
    if isinstance(token, str):
        session_records.close_record(get_session(), token)


def expire_idle_sessions() -> None:
    """Sign out a session that has been idle for longer than SESSION_IDLE_MINUTES."""
    # Flask-Login caches the user on ``g``; an app context shared by several requests (as in tests
    # and CLI-driven clients) must not carry one request's user into the next.
    g.pop("_login_user", None)
    if "_user_id" not in session:
        return
    now = int(time.time())
    seen = session.get(SEEN_KEY)
    idle_seconds = int(current_app.config["SESSION_IDLE_MINUTES"]) * 60
    if not isinstance(seen, int) or now - seen > idle_seconds:
        end_session()
        session[EXPIRED_KEY] = True
        return
    if now != seen:
        session[SEEN_KEY] = now
