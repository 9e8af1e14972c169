"""Loader options for serialising services in full (one query per collection, not per row).

A service's organisation, and a location link's location, are single rows: they join onto the query
that loads them instead of costing a query of their own.
"""

from __future__ import annotations

from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from directory.models import Organization, Service, ServiceAtLocation


def full_service_options() -> list[LoaderOption]:
    """Everything ``serialise.service_full`` touches."""
    return [
        joinedload(Service.organization),
        selectinload(Service.needs),
        selectinload(Service.phones),
        selectinload(Service.sessions),
        selectinload(Service.exceptions),
        selectinload(Service.location_links).joinedload(ServiceAtLocation.location),
    ]


def basic_service_options() -> list[LoaderOption]:
    """Everything ``serialise.service_basic`` touches."""
    return [joinedload(Service.organization)]


def full_organization_options() -> list[LoaderOption]:
    return [selectinload(Organization.locations)]
