"""Signing in and out with Flask-Login: who is signed in, idle expiry, and where to go afterwards."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
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

from directory.db import get_session
from directory.errors import json_error
from directory.models import User

F = TypeVar("F", bound=Callable[..., Any])

login_manager = flask_login.LoginManager()
login_manager.session_protection = "basic"
SEEN_KEY = "seen"
EXPIRED_KEY = "signed_out_idle"


@login_manager.user_loader  # type: ignore[untyped-decorator]  # Flask-Login ships no types
def _load_user(identity: str) -> User | None:
    """The session's user, if the account is active and the session not revoked."""
    user_id, _, version = identity.partition(":")
    if not user_id or not version:
        return None
    user = get_session().get(User, user_id)
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


def login_required(view: F) -> F:
    """Only signed-in users; others are sent to sign in."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return unauthorized()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def role_required(*roles: str) -> Callable[[F], F]:
    """Only signed-in users with one of ``roles`` (others get 403)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return unauthorized()
            if user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def start_session(user: User) -> None:
    """Sign ``user`` in on a fresh session cookie that expires after inactivity."""
    session.clear()
    flask_login.login_user(user)
    session.permanent = True
    session[SEEN_KEY] = int(time.time())


def end_session() -> None:
    """Sign out of this session."""
    flask_login.logout_user()
    session.clear()


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
