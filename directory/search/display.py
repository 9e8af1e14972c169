"""Words for what a search result or a service page shows: plain English, no codes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from directory import geography
from directory.hours import bank_holiday_names, bank_holidays, opening_hours, today
from directory.labels import (
    COHORT_PHRASES,
    DELIVERY_LABELS,
    EXCLUSION_PHRASES,
    GENDER_LABELS,
    LANGUAGE_NAMES,
    NEED_PHRASES,
    ROUTE_LABELS,
)
from directory.models import Service
from directory.templating import format_time
from matcher.hours import OpenState, intervals_starting_on
from matcher.rules import required_needs_words
from matcher.vocabulary import LONDON, PROFESSIONAL_ROUTES, STALE_DAYS, CapacityStatus, CatchmentType

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def referral_routes(service: Service, show_professional: bool) -> list[str]:
    """The referral routes as words; professional-only routes only for those who may see them."""
    shown = [
        ROUTE_LABELS.get(route, route)
        for route in service.referral_routes or []
        if show_professional or route not in PROFESSIONAL_ROUTES
    ]
    if not show_professional and any(r in PROFESSIONAL_ROUTES for r in service.referral_routes or []):
        shown.append("Professionals can refer" if shown else "Professional referral only")
    return shown


def capacity(service: Service) -> str:
    """``Accepting referrals``, ``Waiting list: about 42 days``, ``At capacity`` ..."""
    status = service.capacity_status
    if status == CapacityStatus.WAITING_LIST:
        return f"Waiting list: about {service.wait_days} days" if service.wait_days else "Waiting list"
    if status == CapacityStatus.AT_CAPACITY:
        return "At capacity: not taking new people now"
    if status == CapacityStatus.CLOSED_TO_REFERRALS:
        return "Closed to referrals"
    if service.wait_days:
        return f"Accepting referrals (wait about {service.wait_days} days)"
    return "Accepting referrals"


def capacity_is_limited(service: Service) -> bool:
    """True when the service cannot take someone straight away."""
    return service.capacity_status in (
        CapacityStatus.AT_CAPACITY,
        CapacityStatus.CLOSED_TO_REFERRALS,
        CapacityStatus.WAITING_LIST,
    )


def verified(service: Service, on: date | None = None) -> str:
    """``Verified today`` / ``Verified 12 days ago`` / ``Never verified``."""
    if service.assured_date is None:
        return "Never verified"
    days = ((on or today()) - service.assured_date).days
    if days <= 0:
        return "Verified today"
    return f"Verified {days} day{'s' if days != 1 else ''} ago"


def is_stale(service: Service, on: date | None = None) -> bool:
    """True when the listing was verified over a year ago, or never."""
    if service.assured_date is None:
        return True
    return ((on or today()) - service.assured_date).days > STALE_DAYS


def _clock(moment: datetime) -> str:
    return format_time(moment)


def _day_phrase(moment: datetime, now: datetime) -> str:
    local, current = moment.astimezone(LONDON), now.astimezone(LONDON)
    if local.date() == current.date():
        return f"today at {_clock(local)}"
    if local.date() == current.date() + timedelta(days=1):
        return f"tomorrow at {_clock(local)}"
    return f"{local:%A} {local.day} {local:%B} at {_clock(local)}"


def open_label(service: Service, state: OpenState) -> str:
    """``Open now`` / ``Closed`` / ``Hours not known``: the tag shown before ``open_detail``."""
    if not service.hours_known:
        return "Hours not known"
    return "Open now" if state.open_now else "Closed"


def open_detail(service: Service, state: OpenState, now: datetime | None = None) -> str:
    """What follows the tag: ``until 5pm`` / ``24 hours`` / ``opens tomorrow at 9am`` ..."""
    moment = now or datetime.now(LONDON)
    if not service.hours_known:
        return "phone first"
    if state.open_now:
        if state.closes_at is None:
            detail = "24 hours"
        else:
            closes = state.closes_at.astimezone(LONDON)
            same_day = closes.date() == moment.astimezone(LONDON).date()
            detail = "until " + (
                _clock(closes) if same_day else _day_phrase(closes, moment).replace(" at ", " ")
            )
        return detail + (" (drop in)" if state.drop_in_now else "")
    if state.next_open is None:
        return "no opening in the next two weeks"
    return f"opens {_day_phrase(state.next_open, moment)}"


def _interval_text(start: datetime, end: datetime, drop_in: bool) -> str:
    """``9am to 5pm``, ``5:30pm to 9am next day``, ``Open 24 hours``."""
    if end - start >= timedelta(hours=23):
        text = "Open 24 hours"
    else:
        next_day = (
            end.astimezone(LONDON).date() > start.astimezone(LONDON).date() and _clock(end) != "midnight"
        )
        text = f"{_clock(start)} to {_clock(end)}{' next day' if next_day else ''}"
    return text + (" (drop in)" if drop_in else "")


@dataclass(frozen=True)
class DayHours:
    """One day of this week's opening times."""

    day: date
    name: str
    text: str
    is_today: bool
    note: str = ""


def week_hours(service: Service, on: date | None = None) -> list[DayHours]:
    """Monday to Sunday of this week, with the actual openings each day (bank holidays and dated
    exceptions applied)."""
    current = on or today()
    monday = current - timedelta(days=current.weekday())
    hours = opening_hours(service)
    holidays = bank_holidays()
    names = bank_holiday_names()
    found = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        notes = [e.note for e in service.exceptions if e.day == day and e.note]
        if day in holidays:
            notes.insert(0, f"Bank holiday: {names.get(day, 'bank holiday')}")
        intervals = intervals_starting_on(hours, day, holidays)
        if not service.hours_known:
            text = "Not known"
        elif not intervals:
            text = "Closed"
        else:
            text = ", ".join(_interval_text(i.start, i.end, i.drop_in) for i in intervals)
        found.append(DayHours(day, DAY_NAMES[offset], text, day == current, "; ".join(notes)))
    return found


@dataclass(frozen=True)
class DatedChange:
    """A coming day when the usual hours do not apply."""

    day: date
    text: str


def coming_changes(service: Service, on: date | None = None, weeks: int = 8) -> list[DatedChange]:
    """Bank holidays and dated exceptions in the coming ``weeks``, in date order."""
    start = on or today()
    end = start + timedelta(weeks=weeks)
    changes: list[DatedChange] = []
    names = bank_holiday_names()
    for day in sorted(d for d in bank_holidays() if start <= d <= end):
        if service.always_open or service.open_on_bank_holidays:
            text = f"{names.get(day, 'Bank holiday')}: open as usual"
        else:
            text = f"{names.get(day, 'Bank holiday')}: closed"
        changes.append(DatedChange(day, text))
    for exception in service.exceptions:
        if not start <= exception.day <= end:
            continue
        if exception.closed:
            text = "Closed"
        else:
            opens, closes = _at(exception.day, exception.opens_at), _at(exception.day, exception.closes_at)
            text = f"Extra opening {_clock(opens)} to {_clock(closes)}"
        changes.append(
            DatedChange(exception.day, f"{text}{f' ({exception.note})' if exception.note else ''}")
        )
    return sorted(changes, key=lambda c: c.day)


def _at(day: date, clock: time | None) -> datetime:
    return datetime.combine(day, clock or time(0)).replace(tzinfo=LONDON)


def ages(service: Service) -> str:
    """``18 and over`` / ``Up to 17`` / ``16 to 25`` / ``Any age``."""
    low, high = service.minimum_age, service.maximum_age
    if low is None and high is None:
        return "Any age"
    if high is None:
        return f"{low} and over"
    if low is None or low == 0:
        return f"Up to {high}"
    return f"{low} to {high}"


def genders(service: Service) -> str:
    """``Anyone`` / ``Women only`` / ``Women and non-binary people only``."""
    if not service.genders:
        return "Anyone"
    labels = [GENDER_LABELS.get(g, g) for g in service.genders]
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1].lower()
    return f"{joined} only"


def _area_name(code: str) -> str:
    if code in geography.districts():
        return f"postcode district {code}"
    return geography.authority_name(code)


def catchment(service: Service) -> str:
    """Who the service takes by where they live or their GP, with local authority names."""
    areas = [_area_name(code) for code in service.catchment_areas or []]
    where = ", ".join(areas[:-1]) + " or " + areas[-1] if len(areas) > 1 else (areas[0] if areas else "")
    if service.catchment_type == CatchmentType.RESIDENCE and where:
        return f"People living in {where}"
    if service.catchment_type == CatchmentType.GP and where:
        return f"People registered with a GP in {where}"
    if service.catchment_type == CatchmentType.EITHER and where:
        return f"People living in, or registered with a GP in, {where}"
    return "No catchment area: people from anywhere"


def cohorts(service: Service) -> str:
    """``Only for armed forces veterans`` (empty when the service is for everyone)."""
    groups = [COHORT_PHRASES.get(c, c) for c in service.cohorts or []]
    if not groups:
        return ""
    return "Only for " + " who are also ".join(groups)


def need_phrase(code: str, labels: Mapping[str, str]) -> str:
    """A need as it reads after "people with": "a learning disability", "drug use"."""
    if code in NEED_PHRASES:
        return NEED_PHRASES[code]
    label = labels.get(code, code)
    return label[:1].lower() + label[1:]


def required_needs(service: Service, labels: Mapping[str, str]) -> str:
    """``Only for people with a learning disability`` (empty when anyone with a listed need may use it);
    ``labels`` are the taxonomy's need labels by code."""
    groups = service.requires_needs or []
    if not groups:
        return ""
    return "Only for people with " + required_needs_words(groups, lambda code: need_phrase(code, labels))


def exclusions(service: Service) -> list[str]:
    """Who the service cannot take."""
    return [f"Not for {EXCLUSION_PHRASES.get(e, e)}" for e in service.exclusions or []]


def delivery(service: Service) -> str:
    """``In person, by phone``."""
    labels = [DELIVERY_LABELS.get(m, m) for m in service.delivery_modes or []]
    text = ", ".join(labels)
    return text[:1].upper() + text[1:].lower() if text else "Not stated"


def languages(service: Service) -> str:
    """``English, Polish`` (unknown codes as written)."""
    return ", ".join(LANGUAGE_NAMES.get(code, code) for code in service.languages or [])
