"""Counts that describe the directory: its size by area and need."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory.geography import authority_name
from directory.models import Location, Need, Service, ServiceAtLocation

NATIONAL = "National"


@dataclass(frozen=True)
class DirectorySize:
    """Active services per area, per need, and per (need, area)."""

    total: int
    organisations: int
    areas: list[str]
    by_area: Counter[str]
    needs: list[Need]
    by_need_area: dict[str, Counter[str]]


def directory_size(session: Session) -> DirectorySize:
    """How many active services the directory holds, by area (local authority) and by need."""
    services = session.scalars(
        select(Service)
        .where(Service.status == "active")
        .options(
            selectinload(Service.needs),
            selectinload(Service.location_links)
            .selectinload(ServiceAtLocation.location)
            .load_only(Location.local_authority),
        )
    ).all()
    by_area: Counter[str] = Counter()
    by_need_area: dict[str, Counter[str]] = defaultdict(Counter)
    for service in services:
        areas = {authority_name(loc.local_authority) for loc in service.locations if loc.local_authority} or {
            NATIONAL
        }
        for area in areas:
            by_area[area] += 1
            for need in service.needs:
                by_need_area[need.code][area] += 1
    ordered = sorted((a for a in by_area if a != NATIONAL), key=lambda a: (-by_area[a], a))
    if NATIONAL in by_area:
        ordered.append(NATIONAL)
    needs = list(session.scalars(select(Need).order_by(Need.position)))
    return DirectorySize(
        total=len(services),
        organisations=len({s.organization_id for s in services}),
        areas=ordered,
        by_area=by_area,
        needs=needs,
        by_need_area=dict(by_need_area),
    )


def findable_counts(session: Session) -> tuple[int, int]:
    """How many active services there are, and how many organisations run them (two cheap counts)."""
    active = Service.status == "active"
    services = session.scalar(select(func.count()).select_from(Service).where(active)) or 0
    organisations = (
        session.scalar(select(func.count(func.distinct(Service.organization_id))).where(active)) or 0
    )
    return services, organisations
