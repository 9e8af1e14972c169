"""What the package pages show beside the matcher's output: service details and the person's steps."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.models import Service, ServiceAtLocation
from matcher import model as m


@dataclass(frozen=True)
class ShownItem:
    """A package item with the stored service it points at."""

    item: m.PackageItem
    service: Service
    lead: bool


def shown_items(session: Session, package: m.Package) -> list[ShownItem]:
    """The package's items joined to their services (one query)."""
    ids = [item.service_id for item in package.items]
    services = {
        s.id: s
        for s in session.scalars(
            select(Service)
            .where(Service.id.in_(ids))
            .options(
                selectinload(Service.organization),
                selectinload(Service.phones),
                selectinload(Service.location_links).selectinload(ServiceAtLocation.location),
            )
        )
    }
    return [
        ShownItem(item, services[item.service_id], item.service_id == package.lead_service_id)
        for item in package.items
        if item.service_id in services
    ]


def person_step(route: str | None) -> str:
    """What the person does to take up a service reached by ``route``, in plain words, for their own
    printed plan."""
    if route == "professional":
        return "Your Liaison and Diversion worker is contacting them for you. They will tell you what happens next."
    if route == "probation":
        return "Ask your probation practitioner to refer you. Show them this plan."
    if route == "gp":
        return "Ask your GP to refer you."
    if route == "drop_in":
        return "You can just turn up during opening times. You do not need an appointment."
    return "You can contact them yourself, by phone or in person."
