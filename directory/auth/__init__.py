"""Accounts, roles and permissions: the small, stable API other parts of the app use.

- ``current_user()``: the signed-in ``User``, or None for anonymous visitors.
- ``login_required``: view decorator; anonymous visitors are sent to /login and brought back.
- ``role_required(*roles)``: view decorator; signed-in users without one of ``roles`` get 403.
- ``can(user, action, obj)``: the one place authorisation is decided (see ``permissions``), e.g.
  ``can(current_user(), Permission.SEE_PROFESSIONAL_DETAILS, service)`` before showing professional-only
  phone lines. Templates get ``user_can(action, obj)`` for the signed-in user.
- ``require(action, obj)``: for views: sign-in redirect, 404 or 403, else returns ``obj``.
"""

from __future__ import annotations

from typing import Any

from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from directory.auth.permissions import ACTIONS, Permission, UnknownActionError, can, require
from directory.auth.sessions import current_user, login_required, role_required

__all__ = ["ACTIONS", "Permission", "can", "current_user", "login_required", "require", "role_required"]


def csrf_field() -> Markup:
    """The hidden CSRF input for a form (no id, so a page may hold many forms)."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())


def user_can(action: str, obj: Any = None) -> bool:
    """``can`` for the signed-in user, for templates, which name the action as text."""
    try:
        permission = Permission(action)
    except ValueError:
        raise UnknownActionError(action) from None
    return can(current_user(), permission, obj)
