"""Between forms and listings: filling forms from listings and reading values back out of them."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any

from sqlalchemy.orm import Session

from directory import geography, needs
from directory.listings.fields import current_values, language_codes
from directory.listings.forms import (
    DAY_NAMES,
    PHONE_ROWS,
    SLOTS_PER_DAY,
    DetailsForm,
    ScheduleForm,
    parse_time,
)
from directory.listings.need_groups import choice_pairs, format_need_groups, parse_need_groups
from directory.listings.updates import SessionRow
from directory.models import Service
from matcher.vocabulary import WEEKDAYS

# The details form's plain text boxes (the postcode, also a text box, is checked and normalised).
TEXT_FIELDS = (
    "name",
    "description",
    "eligibility_summary",
    "how_to_refer",
    "address",
    "town",
    "email",
    "website",
)


def fill_details(form: DetailsForm, values: dict[str, Any]) -> None:
    """Put descriptive values into the form (for GET)."""
    for name in (*TEXT_FIELDS, "postcode"):
        getattr(form, name).data = values.get(name) or ""
    form.minimum_age.data = values.get("minimum_age")
    form.maximum_age.data = values.get("maximum_age")
    for name in CHOICE_LISTS:
        getattr(form, name).data = list(values.get(name) or [])
    form.catchment_type.data = values.get("catchment_type") or "none"
    form.catchment_areas.data = "\n".join(
        geography.area_label(a) for a in values.get("catchment_areas") or []
    )
    form.languages.data = ", ".join(values.get("languages") or [])
    form.requires_needs.data = format_need_groups(
        values.get("requires_needs") or [], choice_pairs(form.needs.choices)
    )
    form.requires_gp_registration.data = bool(values.get("requires_gp_registration"))
    form.joint_or_couple.data = bool(values.get("joint_or_couple"))
    phones = list(values.get("phones") or [])
    for row in range(1, PHONE_ROWS + 1):
        phone = phones[row - 1] if row <= len(phones) else {}
        getattr(form, f"phone_{row}_number").data = phone.get("number", "")
        getattr(form, f"phone_{row}_label").data = phone.get("label", "")
        getattr(form, f"phone_{row}_professional").data = bool(phone.get("professional_only"))


def details_values(form: DetailsForm) -> dict[str, Any]:
    """The descriptive values a submitted form holds, normalised like ``fields.current_values``."""

    def text(name: str) -> str:
        return (
            " ".join((getattr(form, name).data or "").split())
            if name not in MULTILINE
            else ((getattr(form, name).data or "").strip().replace("\r\n", "\n"))
        )

    choices = {name: [c for c, _label in getattr(form, name).choices] for name in CHOICE_LISTS}
    values: dict[str, Any] = {name: text(name) for name in TEXT_FIELDS}
    postcode = text("postcode")
    if postcode:
        postcode = str(geography.parse_postcode(postcode))
    values["postcode"] = postcode
    values["minimum_age"] = form.minimum_age.data
    values["maximum_age"] = form.maximum_age.data
    for name, order in choices.items():
        picked = set(getattr(form, name).data or [])
        values[name] = [c for c in order if c in picked]
    values.update(eligibility_values(form))
    phones = []
    for row in range(1, PHONE_ROWS + 1):
        number = " ".join((getattr(form, f"phone_{row}_number").data or "").split())
        if number:
            phones.append(
                {
                    "number": number,
                    "label": " ".join((getattr(form, f"phone_{row}_label").data or "").split()),
                    "professional_only": bool(getattr(form, f"phone_{row}_professional").data),
                }
            )
    values["phones"] = phones
    return values


MULTILINE = {"description", "eligibility_summary", "how_to_refer"}
CHOICE_LISTS = ("genders", "cohorts", "exclusions", "needs", "referral_routes", "delivery_modes")


def eligibility_values(form: DetailsForm) -> dict[str, Any]:
    """Catchment (no areas when the service takes anyone), languages and the yes/no facts."""
    catchment_type = form.catchment_type.data or "none"
    areas = [] if catchment_type == "none" else geography.parse_areas(form.catchment_areas.data or "")[0]
    return {
        "catchment_type": catchment_type,
        "catchment_areas": areas,
        "languages": language_codes(form.languages.data or "")[0],
        "requires_needs": parse_need_groups(form.requires_needs.data or "", choice_pairs(form.needs.choices))[
            0
        ],
        "requires_gp_registration": bool(form.requires_gp_registration.data),
        "joint_or_couple": bool(form.joint_or_couple.data),
    }


def details_form_for(session: Session, service: Service, formdata: Any = None) -> DetailsForm:
    """The details form, with need choices; filled from the listing unless submitted."""
    form = DetailsForm(formdata=formdata)
    form.needs.choices = needs.choices(session)
    if formdata is None:
        fill_details(form, current_values(service))
        form.version.data = str(service.version)
    return form


def fill_schedule(form: ScheduleForm, service: Service) -> None:
    """Put the weekly sessions into the grid (for GET)."""
    form.always_open.data = service.always_open
    form.open_on_bank_holidays.data = service.open_on_bank_holidays
    by_day: dict[int, list[Any]] = defaultdict(list)
    for s in sorted(service.sessions, key=lambda s: (s.weekday, s.opens_at)):
        by_day[s.weekday].append(s)
    for index, day in enumerate(WEEKDAYS):
        for slot in range(1, SLOTS_PER_DAY + 1):
            found = by_day[index][slot - 1] if slot <= len(by_day[index]) else None
            getattr(form, f"{day}_{slot}_opens").data = found.opens_at.strftime("%H:%M") if found else ""
            getattr(form, f"{day}_{slot}_closes").data = found.closes_at.strftime("%H:%M") if found else ""
            getattr(form, f"{day}_{slot}_drop_in").data = bool(found and found.drop_in)
    form.version.data = str(service.version)


def read_schedule(form: ScheduleForm) -> tuple[list[SessionRow], dict[str, str]]:
    """The sessions the grid holds, and errors by field name (empty when all is well)."""
    errors: dict[str, str] = {}
    rows: dict[int, list[tuple[str, SessionRow]]] = defaultdict(list)
    days = list(enumerate(WEEKDAYS))
    source_for = dict(days)
    if form.copy_monday.data:
        for index in range(1, 5):
            source_for[index] = "mon"
    for index, _day in days:
        source = source_for[index]
        for slot in range(1, SLOTS_PER_DAY + 1):
            prefix = f"{source}_{slot}"
            opens_text = (getattr(form, f"{prefix}_opens").data or "").strip()
            closes_text = (getattr(form, f"{prefix}_closes").data or "").strip()
            if not opens_text and not closes_text:
                continue
            day_name = WEEKDAYS[index]
            try:
                opens = parse_time(opens_text)
            except ValueError:
                errors.setdefault(
                    f"{prefix}_opens", f"Enter a real opening time for {_label(day_name)}, like 9am or 09:00"
                )
                continue
            try:
                closes = parse_time(closes_text)
            except ValueError:
                errors.setdefault(
                    f"{prefix}_closes", f"Enter a real closing time for {_label(day_name)}, like 5pm or 17:00"
                )
                continue
            rows[index].append(
                (prefix, (index, opens, closes, bool(getattr(form, f"{prefix}_drop_in").data)))
            )
    for index, entries in rows.items():
        entries.sort(key=lambda e: e[1][1])
        for (_prev_prefix, prev), (prefix, current) in pairwise(entries):
            prev_end = prev[2] if prev[2] > prev[1] else None  # runs past midnight or 24h: overlaps all later
            if prev_end is None or current[1] < prev_end:
                errors.setdefault(
                    f"{prefix}_opens", f"Sessions on {_label(WEEKDAYS[index])} overlap: check the times"
                )
    sessions = [row for entries in rows.values() for _prefix, row in entries]
    return sessions, errors


def _label(day: str) -> str:
    return DAY_NAMES[day]
