"""Queries behind the read API: filters, paging and the HSDS page envelope. None of them write."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, false, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from directory import geography
from directory.api.params import Near, Paging
from directory.api.search import organization_search_condition, service_search_condition
from directory.models import Location, Need, Organization, Service, ServiceAtLocation, service_need
from directory.oruk import serialise, vocab
from directory.oruk.loading import basic_service_options, full_organization_options, full_service_options
from matcher.vocabulary import FINDABLE_STATUSES

Json = dict[str, Any]


@dataclass(frozen=True)
class ServiceFilters:
    search: str | None = None
    term: str | None = None  # a term id or a need / field code
    taxonomy_id: str | None = None
    organization_id: str | None = None
    near: Near | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    modified_after: datetime | None = None


@dataclass
class Page:
    """One page of results in the HSDS envelope."""

    contents: list[Json]
    total_items: int
    paging: Paging
    extra: dict[str, Any] = field(default_factory=dict)

    def envelope(self) -> Json:
        total_pages = math.ceil(self.total_items / self.paging.per_page) if self.total_items else 0
        return {
            "total_items": self.total_items,
            "total_pages": total_pages,
            "page_number": self.paging.page,
            "size": len(self.contents),
            "first_page": self.paging.page == 1,
            "last_page": self.paging.page >= total_pages,
            "empty": not self.contents,
            "contents": self.contents,
        }


# --- taxonomies ---------------------------------------------------------------------------------


def taxonomies() -> list[Json]:
    return [serialise.needs_taxonomy(), serialise.fields_taxonomy()]


def taxonomy_terms(session: Session) -> list[Json]:
    """Every term we publish: the needs (in taxonomy order), then our fields."""
    needs = [serialise.need_term(n) for n in session.scalars(select(Need).order_by(Need.position))]
    return needs + [serialise.field_term(f) for f in vocab.FIELDS]


def resolve_term(session: Session, term: str) -> tuple[str, str] | None:
    """(taxonomy name, code) for a term id or code we publish, or None."""
    for item in taxonomy_terms(session):
        if term in (item["id"], item["code"]):
            return item["taxonomy"], item["code"]
    return None


def _field_condition(code: str) -> ColumnElement[bool]:
    """Services that carry an attribute of our fields taxonomy with this term."""
    lists = {
        "referral_route": Service.referral_routes,
        "delivery_mode": Service.delivery_modes,
        "catchment_area": Service.catchment_areas,
        "cohort": Service.cohorts,
        "exclusion": Service.exclusions,
        "gender": Service.genders,
    }
    if code in lists:
        return cast(lists[code], String).not_in(["[]", "null"])
    flags = {
        "joint_or_couple": Service.joint_or_couple,
        "requires_gp_registration": Service.requires_gp_registration,
        "open_on_bank_holidays": Service.open_on_bank_holidays,
        "hours_known": Service.hours_known,
    }
    if code in flags:
        return flags[code].is_(True)
    others: dict[str, ColumnElement[bool]] = {
        "catchment_type": Service.catchment_type != "none",
        "capacity_status": true(),
        "wait_days": Service.wait_days.is_not(None),
        "assured_by": and_(Service.assured_by.is_not(None), Service.assured_by != ""),
    }
    return others.get(code, false())


# --- services -----------------------------------------------------------------------------------


def _contains(column: Any, value: str) -> ColumnElement[bool]:
    """A JSON list column holds ``value`` (as text, so it works on SQLite and PostgreSQL alike)."""
    return cast(column, String).contains(f'"{value}"', autoescape=True)


def _service_conditions(session: Session, filters: ServiceFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Service.status.in_(FINDABLE_STATUSES)]
    if filters.search and filters.search.strip():
        conditions.append(service_search_condition(filters.search))
    if filters.term:
        found = resolve_term(session, filters.term)
        if found is None:
            conditions.append(false())
        elif found[0] == vocab.NEEDS_TAXONOMY:
            conditions.append(
                Service.id.in_(select(service_need.c.service_id).where(service_need.c.need_code == found[1]))
            )
        else:
            conditions.append(_field_condition(found[1]))
    if filters.taxonomy_id:
        if filters.taxonomy_id == vocab.taxonomy_id(vocab.NEEDS_TAXONOMY):
            conditions.append(Service.id.in_(select(service_need.c.service_id)))
        elif filters.taxonomy_id != vocab.taxonomy_id(vocab.FIELDS_TAXONOMY):
            conditions.append(false())
    if filters.organization_id:
        conditions.append(Service.organization_id == filters.organization_id)
    if filters.minimum_age is not None:
        conditions.append(or_(Service.maximum_age.is_(None), Service.maximum_age >= filters.minimum_age))
    if filters.maximum_age is not None:
        conditions.append(or_(Service.minimum_age.is_(None), Service.minimum_age <= filters.maximum_age))
    if filters.modified_after is not None:
        conditions.append(Service.updated_at >= _db_datetime(session, filters.modified_after))
    if filters.near is not None and filters.near.metres is None:
        place = filters.near.place
        conditions.append(
            or_(
                Service.catchment_type == "none",
                _contains(Service.catchment_areas, place.local_authority),
                _contains(Service.catchment_areas, place.postcode.district),
            )
        )
    return conditions


def _db_datetime(session: Session, value: datetime) -> datetime:
    """SQLite keeps naive UTC datetimes; PostgreSQL compares aware ones."""
    if session.get_bind().dialect.name == "sqlite":
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _box(near: Near) -> tuple[float, float, float, float]:
    """A latitude/longitude box holding every point within ``near.metres`` (a cheap first cut)."""
    assert near.metres is not None
    km = near.metres / 1000 + 0.5
    lat, lon = near.place.latitude, near.place.longitude
    dlat = km / 111.0
    dlon = km / max(1.0, 111.32 * math.cos(math.radians(lat)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _nearest(
    session: Session, near: Near, query: Select[str, float | None, float | None]
) -> list[tuple[str, float]]:
    """(row id, km) for rows of ``query`` (id, latitude, longitude) within range, nearest first."""
    assert near.metres is not None
    south, north, west, east = _box(near)
    rows = session.execute(
        query.where(
            Location.latitude.between(south, north),
            Location.longitude.between(west, east),
        )
    )
    origin = (near.place.latitude, near.place.longitude)
    best: dict[str, float] = {}
    for row_id, lat, lon in rows:
        if lat is None or lon is None:  # never so: between() leaves out locations without a point
            continue
        km = geography.distance_km(origin, (lat, lon))
        if km * 1000 <= near.metres and km < best.get(row_id, math.inf):
            best[row_id] = km
    return sorted(best.items(), key=lambda item: (item[1], item[0]))


def list_services(session: Session, filters: ServiceFilters, paging: Paging) -> Page:
    """Listed services matching ``filters``: by name, or nearest first when ``proximity`` is given."""
    conditions = _service_conditions(session, filters)
    if filters.near is not None and filters.near.metres is not None:
        query = (
            select(Service.id, Location.latitude, Location.longitude)
            .join(Organization, Organization.id == Service.organization_id)
            .join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .where(Location.confidential.is_(False), *conditions)
        )
        ranked = _nearest(session, filters.near, query)
        chosen = ranked[paging.offset : paging.offset + paging.per_page]
        loaded = {
            s.id: s
            for s in session.scalars(
                select(Service)
                .where(Service.id.in_([i for i, _ in chosen]))
                .options(*basic_service_options())
            )
        }
        contents = [serialise.service_basic(loaded[i]) | {"distance": round(km * 1000)} for i, km in chosen]
        return Page(contents, len(ranked), paging)
    base = select(Service).where(*conditions)
    if filters.search and filters.search.strip():  # the text condition reads the organisation's name
        base = base.join(Organization, Organization.id == Service.organization_id)
    total = (
        session.scalar(select(func.count()).select_from(base.with_only_columns(Service.id).subquery())) or 0
    )
    services = session.scalars(
        base.order_by(Service.name, Service.id)
        .offset(paging.offset)
        .limit(paging.per_page)
        .options(*basic_service_options())
    )
    return Page([serialise.service_basic(s) for s in services], int(total), paging)


def get_service(session: Session, service_id: str) -> Json | None:
    """A fully nested service (any status), or None."""
    service = session.scalar(select(Service).where(Service.id == service_id).options(*full_service_options()))
    return serialise.service_full(service) if service else None


# --- organisations ------------------------------------------------------------------------------


def list_organizations(session: Session, search: str | None, paging: Paging) -> Page:
    base = select(Organization)
    if search and search.strip():
        base = base.where(organization_search_condition(search))
    total = (
        session.scalar(select(func.count()).select_from(base.with_only_columns(Organization.id).subquery()))
        or 0
    )
    rows = session.scalars(
        base.order_by(Organization.name, Organization.id).offset(paging.offset).limit(paging.per_page)
    )
    return Page([serialise.organization_basic(o) for o in rows], int(total), paging)


def get_organization(session: Session, organization_id: str) -> Json | None:
    """An organisation with its public locations and listed services, or None."""
    org = session.scalar(
        select(Organization).where(Organization.id == organization_id).options(*full_organization_options())
    )
    if org is None:
        return None
    services = list(
        session.scalars(
            select(Service)
            .where(Service.organization_id == org.id, Service.status.in_(FINDABLE_STATUSES))
            .order_by(Service.name, Service.id)
            .options(*basic_service_options())
        )
    )
    return serialise.organization_full(org, services)


# --- services at locations ----------------------------------------------------------------------


def list_service_at_locations(session: Session, filters: ServiceFilters, paging: Paging) -> Page:
    """Listed services at public locations; nearest first when ``proximity`` is given."""
    conditions = [*_service_conditions(session, filters), Location.confidential.is_(False)]
    joined = (
        select(ServiceAtLocation.id)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .join(Organization, Organization.id == Service.organization_id)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(*conditions)
    )
    distances: dict[str, float] = {}
    if filters.near is not None and filters.near.metres is not None:
        ranked = _nearest(session, filters.near, joined.add_columns(Location.latitude, Location.longitude))
        total = len(ranked)
        chosen = ranked[paging.offset : paging.offset + paging.per_page]
        ids = [i for i, _ in chosen]
        distances = dict(chosen)
    else:
        total = session.scalar(select(func.count()).select_from(joined.subquery())) or 0
        ids = list(
            session.scalars(
                joined.order_by(Service.name, Location.name, ServiceAtLocation.id)
                .offset(paging.offset)
                .limit(paging.per_page)
            )
        )
    links = _load_links(session, ids)
    contents = []
    for link_id in ids:
        link = links[link_id]
        item = serialise.service_at_location(link, with_service=serialise.service_basic(link.service))
        if item is not None:
            if link_id in distances:
                item["distance"] = round(distances[link_id] * 1000)
            contents.append(item)
    return Page(contents, int(total), paging)


def _load_links(session: Session, ids: Sequence[str]) -> dict[str, ServiceAtLocation]:
    rows = session.scalars(
        select(ServiceAtLocation)
        .where(ServiceAtLocation.id.in_(list(ids)))
        .options(
            selectinload(ServiceAtLocation.location),
            selectinload(ServiceAtLocation.service).selectinload(Service.organization),
        )
    )
    return {link.id: link for link in rows}


def get_service_at_location(session: Session, link_id: str) -> Json | None:
    """A service at a public location with the full service, or None (also for confidential places)."""
    link = session.scalar(
        select(ServiceAtLocation)
        .where(ServiceAtLocation.id == link_id)
        .options(selectinload(ServiceAtLocation.location))
    )
    if link is None or link.location.confidential:
        return None
    service = session.scalar(
        select(Service).where(Service.id == link.service_id).options(*full_service_options())
    )
    assert service is not None
    return serialise.service_at_location(link, with_service=serialise.service_full(service))
