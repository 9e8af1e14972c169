"""Accounts, roles and permissions: the small, stable API other parts of the app use.

- ``current_user()``: the signed-in ``User``, or None for anonymous visitors.
- ``login_required``: view decorator; anonymous visitors are sent to /login and brought back.
- ``role_required(*roles)``: view decorator; signed-in users without one of ``roles`` get 403.
- ``can(user, action, obj)``: the one place authorisation is decided (see ``permissions``), e.g.
  ``can(current_user(), "see_professional_details", service)`` before showing professional-only
  phone lines. Templates get ``user_can(action, obj)`` for the signed-in user.
- ``require(action, obj)``: for views: sign-in redirect, 404 or 403, else returns ``obj``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_wtf.csrf import generate_csrf
from govuk_frontend_wtf.main import wtforms_errors
from markupsafe import Markup

from directory.auth import sessions, settings
from directory.auth.permissions import ACTIONS, can, require
from directory.auth.sessions import current_user, login_required, role_required

__all__ = ["ACTIONS", "can", "current_user", "init_app", "login_required", "require", "role_required"]


def csrf_field() -> Markup:
    """The hidden CSRF input for a form (no id, so a page may hold many forms)."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())


def user_can(action: str, obj: Any = None) -> bool:
    """``can`` for the signed-in user (for templates)."""
    return can(current_user(), action, obj)


def init_app(app: Flask) -> None:
    """Settings, Flask-Login, template helpers and the ``users`` commands (throttling is added
    with the blueprints, in ``blueprints.register``)."""
    settings.apply(app.config)  # type: ignore[arg-type]
    sessions.init_app(app)

    from directory.auth.cli import demo_users, users_cli
    from directory.auth.nav import nav_items

    app.add_template_global(wtforms_errors)
    app.add_template_global(user_can)
    app.add_template_global(csrf_field)
    app.add_template_global(nav_items)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_users)
