"""Navigation for signed-in users, by role (base.html calls ``nav_items()``)."""

from __future__ import annotations

from typing import Any

from flask import request, url_for

from directory.auth.permissions import Permission, can
from directory.auth.sessions import current_user


def _item(endpoint: str, text: str, prefix: str | None = None) -> dict[str, Any]:
    href = url_for(endpoint)
    active = request.path.startswith(prefix) if prefix else request.endpoint == endpoint
    return {"href": href, "text": text, "active": active}


def nav_items() -> list[dict[str, Any]]:
    """The service navigation: the directory for everyone, then what this user may use."""
    items = [_item("home.index", "Find services"), _item("package.build", "Build a package", "/package")]
    user = current_user()
    if user is None:
        items.append(_item("auth.login", "Sign in"))
        return items
    if can(user, Permission.VIEW_TEAM_CASES):
        items.append(_item("cases.dashboard", "Cases", "/cases"))
    elif can(user, Permission.FIND_ANY_CASE):
        items.append(_item("cases.find", "Find a case", "/cases"))
    if can(user, Permission.VIEW_OWN_LISTINGS) and user.role == "editor":
        items.append(_item("listings.your_listings", "Your listings", "/listings"))
    if can(user, Permission.CURATE):
        items.append(_item("curation.queue", "Curation", "/curation"))
    if can(user, Permission.IMPORT_FEEDS):
        items.append(_item("imports.upload", "Imports", "/imports"))
    if can(user, Permission.LIST_USERS):
        items.append(_item("users.index", "Users", "/admin/users"))
    if can(user, Permission.VIEW_AUDIT):
        items.append(_item("audit.index", "Audit log", "/audit"))
    items.append(_item("auth.account", "Your account", "/account"))
    items.append(_item("auth.logout", "Sign out"))
    return items
