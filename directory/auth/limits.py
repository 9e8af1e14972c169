"""Throttling sign-in with Flask-Limiter: per account and per IP address.

Storage is in memory by default; set ``RATELIMIT_STORAGE_URI`` (e.g. ``redis://host:6379``) so every
worker shares the same counts. Only failed sign-in attempts count, so a busy office behind one address
is not locked out by its own successful sign-ins. Each app gets its own limiter (and storage).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from directory.auth.accounts import normalise_email


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


# endpoint -> [(limit, key function, count only failures)]
LIMITS: dict[str, list[tuple[Callable[[], str] | str, Callable[[], str], bool]]] = {
    "auth.login": [
        (_setting("LOGIN_LIMIT_PER_IP"), ip_key, True),
        (_setting("LOGIN_LIMIT_PER_ACCOUNT"), account_key, True),
    ],
    "auth.forgot_password": [("10 per hour", ip_key, False), ("3 per hour", forgot_key, False)],
    "auth.accept_invitation": [("30 per 15 minutes", ip_key, False)],
    "auth.reset_password": [("30 per 15 minutes", ip_key, False)],
}


def apply(app: Flask) -> None:
    """Give ``app`` its own limiter and put the limits on the (already registered) views."""
    limiter = Limiter(key_func=get_remote_address, default_limits=[])
    limiter.init_app(app)
    app.extensions["login_limiter"] = limiter
    for endpoint, limits in LIMITS.items():
        view: Any = app.view_functions[endpoint]
        for limit, key, failures_only in limits:
            view = limiter.limit(
                limit, key_func=key, methods=["POST"], deduct_when=attempt_failed if failures_only else None
            )(view)
        app.view_functions[endpoint] = view

    @app.errorhandler(RateLimitExceeded)
    def _too_many(_error: RateLimitExceeded) -> tuple[str, int]:
        return render_template(
            "errors/error.html",
            status=429,
            title="Too many attempts",
            message="There have been too many attempts. Wait a while (up to 15 minutes), then try again.",
        ), 429
