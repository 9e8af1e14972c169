"""What the package pages show beside the matcher's output: service details and the person's steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.models import Service, ServiceAtLocation
from directory.search.display import week_hours
from matcher import model as m


@dataclass(frozen=True)
class ShownItem:
    """A package item with the stored service it points at."""

    item: m.PackageItem
    service: Service
    lead: bool

    @property
    def addresses(self) -> list[str]:
        """The places to go, each once."""
        return list(dict.fromkeys(loc.public_address for loc in self.service.locations if loc.public_address))

    @property
    def contactable(self) -> bool:
        """The plan can say how to reach it: an address, a phone or a website."""
        return bool(self.addresses or self.service.public_phones or self.service.website)


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


def act_order(items: list[ShownItem], at: datetime) -> list[ShownItem]:
    """The plan's order on paper: urgent first, then by when they can act (open now, then the next
    opening); each keeps the number it has on screen."""
    far = at + timedelta(days=366)

    def key(shown: ShownItem) -> tuple[bool, datetime, int]:
        item = shown.item
        when = at if item.open_now else (item.next_open or far)
        return (not item.urgent, when, item.rank)

    return sorted(items, key=key)


def hours_lines(service: Service, on: date | None = None) -> list[str]:
    """This week's opening hours in words, days with the same hours together: "Monday to Friday:
    9am to 5pm", "Saturday and Sunday: Closed"; "Open 24 hours, every day" for a 24-hour service."""
    if service.always_open:
        return ["Open 24 hours, every day"]
    if not service.hours_known:
        return ["Opening hours not known: phone first"]
    days = week_hours(service, on)
    runs: list[list[int]] = []
    for i, day in enumerate(days):
        if runs and days[runs[-1][-1]].text == day.text:
            runs[-1].append(i)
        else:
            runs.append([i])
    lines = []
    for run in runs:
        first, last = days[run[0]].name, days[run[-1]].name
        span = first if len(run) == 1 else (f"{first} and {last}" if len(run) == 2 else f"{first} to {last}")
        lines.append(f"{span}: {days[run[0]].text}")
    return lines


def person_step(route: str | None, appointment: bool = False) -> str:
    """What the person does to take up a service reached by ``route``, in plain words, for their own
    printed plan. With an appointment booked, that is what they go to (never "just turn up")."""
    if appointment:
        return "Go to your appointment at the time above. If you cannot make it, phone them to change it."
    if route == "professional":
        return "Your Liaison and Diversion worker is contacting them for you. They will tell you what happens next."
    if route == "probation":
        return "Ask your probation practitioner to refer you. Show them this plan."
    if route == "gp":
        return "Ask your GP to refer you."
    if route == "drop_in":
        return "You can just turn up during opening times. You do not need an appointment."
    return "You can contact them yourself, by phone or in person."
