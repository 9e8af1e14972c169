"""How to get in (the referral route) and what to do now, in plain words."""

from __future__ import annotations

from datetime import datetime

from matcher.hours import OpenState
from matcher.model import Person, ServiceOption, Where
from matcher.timewords import day_and_time, until
from matcher.vocabulary import Delivery, Route, Setting


def choose_route(service: ServiceOption, person: Person, where: Where) -> Route:
    """The way in for this person.

    Probation-only services go through the probation practitioner. Someone leaving custody or court
    has no appointment, so a drop-in door comes first; then self-referral (the person keeps control);
    then a professional referral by the L&D practitioner (a warm handover); then the GP.
    """
    routes = set(service.referral_routes)
    if routes == {Route.PROBATION}:
        return Route.PROBATION
    if Route.DROP_IN in routes and where.setting in (Setting.CUSTODY, Setting.COURT):
        return Route.DROP_IN
    for route in (Route.SELF, Route.DROP_IN, Route.PROFESSIONAL, Route.GP):
        if route in routes:
            return route
    return Route.PROBATION


def when_text(service: ServiceOption, state: OpenState, at: datetime) -> str:
    """ "open 24 hours", "open now until 3pm", "opens Monday 7 December at 10am" or "opening hours not
    known" (times written by :mod:`matcher.timewords`, as everywhere)."""
    if not service.hours.known:
        return "opening hours not known"
    if state.open_now:
        if service.is_24_7 or state.closes_at is None:
            return "open 24 hours"
        return f"open now until {until(state.closes_at, at)}"
    if state.next_open is None:
        return "no opening in the next two weeks"
    return f"opens {day_and_time(state.next_open)}"


def _place(service: ServiceOption) -> str:
    """Its address with the postcode once (many addresses already end with it), else its name."""
    address, postcode = service.address or "", service.location_postcode or ""
    squashed = address.replace(" ", "").upper()
    if postcode and postcode.replace(" ", "").upper() not in squashed:
        address = f"{address}, {postcode}" if address else postcode
    return address or service.name


def action_text(service: ServiceOption, route: Route, state: OpenState, at: datetime, person: Person) -> str:
    """What to do now for this item, addressed to whoever has to act."""
    when = when_text(service, state, at)
    if route == Route.PROFESSIONAL:
        phone = service.professional_phone or service.phone
        via = f" on {phone}" if phone else ""
        text = (
            f"Practitioner: refer them{via} ({when}) as a warm handover, and agree the first contact "
            "with them before they leave."
        )
    elif route == Route.PROBATION:
        text = f"Ask their probation practitioner to refer them to {service.name} (probation referral only)."
    elif route == Route.GP:
        first = " once they are registered" if not person.gp_registered else ""
        text = f"Ask their GP to refer them{first} ({when})."
    elif route == Route.DROP_IN:
        text = f"Drop in at {_place(service)} ({when}); no appointment needed."
    elif service.phone and Delivery.PHONE in service.delivery:
        text = f"Phone {service.phone} {'now ' if state.open_now else ''}({when})."
    elif service.website and Delivery.ONLINE in service.delivery:
        text = f"Refer online at {service.website}."
    elif service.phone:
        text = f"Phone {service.phone} ({when})."
    else:
        text = f"Go to {_place(service)} ({when})."
    if service.how_to_refer:
        text = f"{text} {service.how_to_refer}"
    return text


def crisis_action_text(service: ServiceOption, state: OpenState, at: datetime, setting: Setting) -> str:
    """What the practitioner does first, where they are, for a risk to life or a mental health crisis:
    tell the staff responsible for the person's safety there, then hand over to the crisis service."""
    staff = (
        "the custody healthcare professional or the custody sergeant"
        if setting == Setting.CUSTODY
        else "the court cells staff (the custody officer or healthcare on duty)"
    )
    phone = service.professional_phone or service.phone
    line = "professional line" if service.professional_phone else "number"
    call = f" and call {service.name}'s {line} on {phone} ({when_text(service, state, at)})" if phone else ""
    return (
        f"Practitioner: tell {staff} about the risk now, before they leave{call} to hand them over. "
        "If life is in immediate danger, call 999."
    )
