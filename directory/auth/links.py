"""Links to pass on: invitations and password resets, as full URLs."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def absolute_url(endpoint: str, **values: Any) -> str:
    """A full URL: under ``PUBLIC_BASE_URL`` when set, else this request's host."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return str(base) + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def invitation_url(token: str) -> str:
    return absolute_url("auth.accept_invitation", token=token)


def reset_url(token: str) -> str:
    return absolute_url("auth.reset_password", token=token)
