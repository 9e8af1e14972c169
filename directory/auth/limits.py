"""Throttling: failed sign-ins (checked inside the sign-in service, ``directory.auth.signing_in``),
and reset e-mails and link tries (view decorators).

Counts live in each app's own ``Throttle`` (``directory.auth.throttle``), shared by every worker
through the database by default. The address is ``request.remote_addr``: behind a reverse proxy, set
``PROXY_FIX_X_FOR`` so it is the client's, not the proxy's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import render_template, request
from werkzeug.exceptions import TooManyRequests

from directory.auth import throttle
from directory.auth.accounts import normalise_email

P = ParamSpec("P")
R = TypeVar("R")


class TooManyAttempts(TooManyRequests):
    """Answered with the "Too many attempts" page (429)."""


def address() -> str:
    """The requesting address (the client's, once ProxyFix has read the proxy's header)."""
    return request.remote_addr or "unknown"


def _form_email() -> str:
    return normalise_email(request.form.get("email", ""))[:255]


def _posts(limit: str, kind: str, value: Callable[[], str]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Count every POST to the view under ``kind``; refuse it once ``limit`` is used up."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if request.method == "POST":
                counts = throttle.current()
                if not counts.hit(limit, counts.key(kind, value())):
                    raise TooManyAttempts()
            return view(*args, **kwargs)

        return wrapped

    return decorate


def forgot_password_limits(view: Callable[P, R]) -> Callable[P, R]:
    """Reset e-mails: 10 an hour from one address, 3 an hour for one account."""
    view = _posts("3 per hour", "forgot", _form_email)(view)
    return _posts("10 per hour", "forgot-ip", address)(view)


def link_limits(view: Callable[P, R]) -> Callable[P, R]:
    """Invitation and reset links: 30 tries in 15 minutes from one address."""
    return _posts("30 per 15 minutes", "link-ip", address)(view)


def too_many_attempts(_error: TooManyAttempts) -> tuple[str, int]:
    """The error page for a throttled request."""
    return render_template(
        "errors/error.html",
        status=429,
        title="Too many attempts",
        message="There have been too many attempts. Wait a while (up to 15 minutes), then try again.",
    ), 429
