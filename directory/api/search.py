"""Free-text ``search`` for the read API.

Services: the typo-tolerant word search of ``directory.search`` (the same as the search page), or a
case-insensitive substring of the service's name or description or its organisation's name.
Organisations: the substring match.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_

from directory.db import get_session
from directory.models import Organization, Service
from directory.search.engine import matching_ids


def service_search_condition(text: str) -> ColumnElement[bool]:
    """A condition on ``Service`` joined to ``Organization`` that is true when ``text`` matches."""
    needle = text.strip().lower()
    fuzzy = matching_ids(get_session(), text)
    return or_(
        Service.id.in_(fuzzy),
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
