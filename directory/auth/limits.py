"""Throttling sign-in with Flask-Limiter: per account and per IP address.

Storage is in memory by default; set ``RATELIMIT_STORAGE_URI`` (e.g. ``redis://host:6379``) so every
worker shares the same counts. Only failed attempts count, so a busy office behind one address is
not locked out by its own successful sign-ins.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from directory.auth.accounts import normalise_email

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def account_key() -> str:
    """The rate-limit key for the account named in the form (whether or not it exists)."""
    return "account:" + normalise_email(request.form.get("email", ""))[:255]


def ip_key() -> str:
    """The rate-limit key for the requesting address."""
    return "ip:" + (get_remote_address() or "unknown")


def attempt_failed(_response: Response) -> bool:
    """Count an attempt only when the view marked it failed."""
    return bool(g.get("attempt_failed"))


def per_ip_limit() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_IP"])


def per_account_limit() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])


def throttled_by_ip_and_account(view):  # type: ignore[no-untyped-def]
    """Apply both sign-in limits to a POST view (only failed attempts count)."""
    view = limiter.limit(per_ip_limit, key_func=ip_key, methods=["POST"], deduct_when=attempt_failed)(view)
    return limiter.limit(
        per_account_limit, key_func=account_key, methods=["POST"], deduct_when=attempt_failed
    )(view)


def init_app(app: Flask) -> None:
    """Bind the limiter; a breach gets a plain page that says the same for every account."""
    limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)
    def _too_many(_error: RateLimitExceeded) -> tuple[str, int]:
        return render_template(
            "errors/error.html",
            status=429,
            title="Too many attempts",
            message="There have been too many attempts. Wait a while (up to 15 minutes), then try again.",
        ), 429
