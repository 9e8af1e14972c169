"""Loader options for serialising services in full (one query per relationship, not per row)."""

from __future__ import annotations

from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from directory.models import Organization, Service, ServiceAtLocation


def full_service_options() -> list[LoaderOption]:
    """Everything ``serialise.service_full`` touches."""
    return [
        selectinload(Service.organization),
        selectinload(Service.needs),
        selectinload(Service.phones),
        selectinload(Service.sessions),
        selectinload(Service.exceptions),
        selectinload(Service.location_links).selectinload(ServiceAtLocation.location),
    ]


def basic_service_options() -> list[LoaderOption]:
    """Everything ``serialise.service_basic`` touches."""
    return [selectinload(Service.organization)]


def full_organization_options() -> list[LoaderOption]:
    return [selectinload(Organization.locations)]
