"""Throttling sign-in with Flask-Limiter: per account and per IP address, as view decorators.

The one ``limiter`` lives in ``directory.extensions``; storage is in memory by default. Set
``RATELIMIT_STORAGE_URI`` (e.g. ``redis://host:6379``) so every worker shares the same counts. Only
failed sign-in attempts count, so a busy office behind one address is not locked out by its own
successful sign-ins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Response, current_app, g, render_template, request
from flask_limiter import RateLimitExceeded, RouteLimit
from flask_limiter.util import get_remote_address

from directory.auth.accounts import normalise_email
from directory.extensions import limiter

P = ParamSpec("P")
R = TypeVar("R")


def account_key() -> str:
    """The rate-limit key for the account named in the form (whether or not it exists)."""
    return "account:" + normalise_email(request.form.get("email", ""))[:255]


def forgot_key() -> str:
    return "forgot:" + normalise_email(request.form.get("email", ""))[:255]


def ip_key() -> str:
    """The rate-limit key for the requesting address."""
    return "ip:" + (get_remote_address() or "unknown")


def attempt_failed(_response: Response) -> bool:
    """Count an attempt only when the view marked it failed."""
    return bool(g.get("attempt_failed"))


def _setting(name: str) -> Callable[[], str]:
    return lambda: str(current_app.config[name])


def _posts(limit: Callable[[], str] | str, key: Callable[[], str], failures_only: bool = False) -> RouteLimit:
    return limiter.limit(
        limit, key_func=key, methods=["POST"], deduct_when=attempt_failed if failures_only else None
    )


def sign_in_limits(view: Callable[P, R]) -> Callable[P, R]:
    """Failed sign-ins, counted per address and per account (limits from the settings)."""
    view = _posts(_setting("LOGIN_LIMIT_PER_ACCOUNT"), account_key, failures_only=True)(view)
    return _posts(_setting("LOGIN_LIMIT_PER_IP"), ip_key, failures_only=True)(view)


def forgot_password_limits(view: Callable[P, R]) -> Callable[P, R]:
    """Reset e-mails: 10 an hour from one address, 3 an hour for one account."""
    view = _posts("3 per hour", forgot_key)(view)
    return _posts("10 per hour", ip_key)(view)


def link_limits(view: Callable[P, R]) -> Callable[P, R]:
    """Invitation and reset links: 30 tries in 15 minutes from one address."""
    return _posts("30 per 15 minutes", ip_key)(view)


def too_many_attempts(_error: RateLimitExceeded) -> tuple[str, int]:
    """The error page for a throttled request."""
    return render_template(
        "errors/error.html",
        status=429,
        title="Too many attempts",
        message="There have been too many attempts. Wait a while (up to 15 minutes), then try again.",
    ), 429
