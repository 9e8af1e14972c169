"""Free-text ``search`` for the read API, kept in one place so a better search can replace it.

For now: a case-insensitive substring match on the service's name and description and its
organisation's name. (The fuzzy search in ``directory.search`` is meant to take over here.)
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_

from directory.models import Organization, Service


def service_search_condition(text: str) -> ColumnElement[bool]:
    """A condition on ``Service`` joined to ``Organization`` that is true when ``text`` matches."""
    needle = text.strip().lower()
    return or_(
        func.lower(Service.name).contains(needle, autoescape=True),
        func.lower(Service.description).contains(needle, autoescape=True),
        func.lower(Organization.name).contains(needle, autoescape=True),
    )


def organization_search_condition(text: str) -> ColumnElement[bool]:
    needle = text.strip().lower()
    return or_(
        func.lower(Organization.name).contains(needle, autoescape=True),
        func.lower(Organization.description).contains(needle, autoescape=True),
    )
