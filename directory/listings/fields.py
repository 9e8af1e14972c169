"""The descriptive fields of a listing: how to read, compare, show and write each.

Agency editors cannot change these directly: their edits become a proposed change for a curator.
Every value is plain JSON (text, a whole number or None, true or false, a sorted list, a list of phone
dicts) so a proposal can store "before" and "after" and be compared field by field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import geography
from directory.labels import (
    CATCHMENT_LABELS,
    COHORT_LABELS,
    DELIVERY_LABELS,
    EXCLUSION_LABELS,
    GENDER_LABELS,
    LANGUAGE_NAMES,
    ROUTE_LABELS,
)
from directory.models import Location, Need, Phone, Service, ServiceAtLocation
from matcher.rules import required_needs_words
from matcher.vocabulary import Cohort, Delivery, Exclusion, Gender, Route

Value = Any

# The labels each field's stored codes are shown with.
CHOICE_LABELS = {
    "genders": GENDER_LABELS,
    "catchment_type": CATCHMENT_LABELS,
    "cohorts": COHORT_LABELS,
    "exclusions": EXCLUSION_LABELS,
    "referral_routes": ROUTE_LABELS,
    "delivery_modes": DELIVERY_LABELS,
    "languages": LANGUAGE_NAMES,
}
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class DescriptiveField:
    """One field: its label, kind (for display and diffs), reader and writer."""

    name: str
    label: str
    kind: str  # text | longtext | number | yesno | choice | choices | areas | languages | needs | need_groups | phones
    read: Callable[[Service], Value]
    write: Callable[[Session, Service, Value], None]


def _primary_location(service: Service) -> Location | None:
    return service.locations[0] if service.location_links else None


def _location_value(attribute: str) -> Callable[[Service], Value]:
    def read(service: Service) -> Value:
        location = _primary_location(service)
        return (getattr(location, attribute) or "") if location else ""

    return read


def _location_for_writing(session: Session, service: Service) -> Location:
    location = _primary_location(service)
    if location is None:
        location = Location(organization_id=service.organization_id, name=service.name)
        session.add(location)
        service.location_links.append(ServiceAtLocation(location=location))
    return location


def _write_location_text(attribute: str) -> Callable[[Session, Service, Value], None]:
    def write(session: Session, service: Service, value: Value) -> None:
        setattr(_location_for_writing(session, service), attribute, value or "")

    return write


def _full_postcodes_file() -> str:
    return str(current_app.config.get("FULL_POSTCODES_FILE") or "") if has_app_context() else ""


def _write_postcode(session: Session, service: Service, value: Value) -> None:
    location = _location_for_writing(session, service)
    if not value:
        location.postcode = None
        location.postcode_district = None
        location.latitude = location.longitude = None
        location.local_authority = None
        return
    place = geography.resolve(str(value), _full_postcodes_file())
    location.postcode = str(place.postcode)
    location.postcode_district = place.postcode.district
    location.latitude, location.longitude = place.latitude, place.longitude
    location.local_authority = place.local_authority


def _text(attribute: str) -> Callable[[Service], Value]:
    return lambda service: getattr(service, attribute) or ""


def _write_text(attribute: str, empty_is_none: bool = False) -> Callable[[Session, Service, Value], None]:
    def write(_session: Session, service: Service, value: Value) -> None:
        setattr(service, attribute, (value or None) if empty_is_none else (value or ""))

    return write


def _write_plain(attribute: str) -> Callable[[Session, Service, Value], None]:
    def write(_session: Session, service: Service, value: Value) -> None:
        setattr(service, attribute, value)

    return write


def _sorted_choices(attribute: str, order: tuple[str, ...]) -> Callable[[Service], Value]:
    return lambda service: sorted(getattr(service, attribute) or [], key=order.index)


def _write_list(attribute: str) -> Callable[[Session, Service, Value], None]:
    def write(_session: Session, service: Service, value: Value) -> None:
        setattr(service, attribute, list(value or []))

    return write


def _read_flag(attribute: str) -> Callable[[Service], Value]:
    return lambda service: bool(getattr(service, attribute))


def _write_flag(attribute: str) -> Callable[[Session, Service, Value], None]:
    def write(_session: Session, service: Service, value: Value) -> None:
        setattr(service, attribute, bool(value))

    return write


def _sorted_codes(attribute: str) -> Callable[[Service], Value]:
    return lambda service: sorted(set(getattr(service, attribute) or []))


def language_codes(text: str) -> tuple[list[str], list[str]]:
    """Comma-separated languages (``en, pl`` or ``English, Polish``) -> (codes, sorted and once each;
    the entries that are neither a language we name nor a two- or three-letter code)."""
    by_name = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
    codes: set[str] = set()
    unknown: list[str] = []
    for entry in (" ".join(e.split()) for e in re.split(r"[,;\n]", text or "")):
        code = by_name.get(entry.lower(), entry.lower())
        if _LANGUAGE_CODE.match(code):
            codes.add(code)
        elif entry:
            unknown.append(entry)
    return sorted(codes), unknown


def _read_needs(service: Service) -> Value:
    return [need.code for need in sorted(service.needs, key=lambda n: n.position)]


def _write_needs(session: Session, service: Service, value: Value) -> None:
    codes = list(value or [])
    found = {n.code: n for n in session.scalars(select(Need).where(Need.code.in_(codes)))}
    service.needs = sorted((found[c] for c in codes if c in found), key=lambda n: n.position)


def _read_phones(service: Service) -> Value:
    return [
        {"number": p.number, "label": p.label or "", "professional_only": bool(p.professional_only)}
        for p in sorted(service.phones, key=lambda p: p.position)
    ]


def _write_phones(_session: Session, service: Service, value: Value) -> None:
    service.phones = [
        Phone(
            number=item["number"],
            label=item.get("label") or "",
            professional_only=bool(item.get("professional_only")),
            position=position,
        )
        for position, item in enumerate(value or [])
    ]


FIELDS: dict[str, DescriptiveField] = {
    f.name: f
    for f in (
        DescriptiveField("name", "Name", "text", _text("name"), _write_text("name")),
        DescriptiveField(
            "description", "Description", "longtext", _text("description"), _write_text("description")
        ),
        DescriptiveField(
            "eligibility_summary",
            "Who can use it",
            "longtext",
            _text("eligibility_summary"),
            _write_text("eligibility_summary"),
        ),
        DescriptiveField(
            "minimum_age",
            "Youngest age",
            "number",
            lambda s: s.minimum_age,
            _write_plain("minimum_age"),
        ),
        DescriptiveField(
            "maximum_age",
            "Oldest age",
            "number",
            lambda s: s.maximum_age,
            _write_plain("maximum_age"),
        ),
        DescriptiveField(
            "genders",
            "Only for",
            "choices",
            _sorted_choices("genders", tuple(Gender)),
            _write_list("genders"),
        ),
        DescriptiveField(
            "catchment_type",
            "Who you can take",
            "choice",
            lambda s: s.catchment_type or "none",
            _write_plain("catchment_type"),
        ),
        DescriptiveField(
            "catchment_areas",
            "Catchment areas",
            "areas",
            _sorted_codes("catchment_areas"),
            _write_list("catchment_areas"),
        ),
        DescriptiveField(
            "cohorts",
            "Only for these groups",
            "choices",
            _sorted_choices("cohorts", tuple(Cohort)),
            _write_list("cohorts"),
        ),
        DescriptiveField(
            "requires_needs",
            "Only for people with",
            "need_groups",
            lambda s: [list(group) for group in s.requires_needs or []],
            _write_plain("requires_needs"),
        ),
        DescriptiveField(
            "exclusions",
            "Cannot take",
            "choices",
            _sorted_choices("exclusions", tuple(Exclusion)),
            _write_list("exclusions"),
        ),
        DescriptiveField(
            "requires_gp_registration",
            "Must be registered with a GP",
            "yesno",
            _read_flag("requires_gp_registration"),
            _write_flag("requires_gp_registration"),
        ),
        DescriptiveField(
            "joint_or_couple",
            "Joint, couple or family service",
            "yesno",
            _read_flag("joint_or_couple"),
            _write_flag("joint_or_couple"),
        ),
        DescriptiveField("needs", "Needs covered", "needs", _read_needs, _write_needs),
        DescriptiveField(
            "referral_routes",
            "Referral routes",
            "choices",
            _sorted_choices("referral_routes", tuple(Route)),
            _write_list("referral_routes"),
        ),
        DescriptiveField(
            "how_to_refer", "How to refer", "longtext", _text("how_to_refer"), _write_text("how_to_refer")
        ),
        DescriptiveField(
            "delivery_modes",
            "How people use it",
            "choices",
            _sorted_choices("delivery_modes", tuple(Delivery)),
            _write_list("delivery_modes"),
        ),
        DescriptiveField(
            "languages", "Languages", "languages", _sorted_codes("languages"), _write_list("languages")
        ),
        DescriptiveField(
            "address", "Address", "text", _location_value("address"), _write_location_text("address")
        ),
        DescriptiveField("town", "Town", "text", _location_value("town"), _write_location_text("town")),
        DescriptiveField("postcode", "Postcode", "text", _location_value("postcode"), _write_postcode),
        DescriptiveField("phones", "Phone numbers", "phones", _read_phones, _write_phones),
        DescriptiveField("email", "Email", "text", _text("email"), _write_text("email", empty_is_none=True)),
        DescriptiveField(
            "website", "Website", "text", _text("website"), _write_text("website", empty_is_none=True)
        ),
    )
}


def same(a: Value, b: Value) -> bool:
    """Equal, ignoring differences in white space within text (so untouched text never "changes")."""
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()) == " ".join(b.split())
    return bool(a == b)


def current_values(service: Service) -> dict[str, Value]:
    """Every descriptive field's value now."""
    return {name: field.read(service) for name, field in FIELDS.items()}


def changed_fields(service: Service, values: dict[str, Value]) -> dict[str, dict[str, Value]]:
    """``{field: {"before", "after"}}`` for the fields in ``values`` that differ from the listing."""
    found = {}
    for name, after in values.items():
        before = FIELDS[name].read(service)
        if not same(before, after):
            found[name] = {"before": before, "after": after}
    return found


def write_values(session: Session, service: Service, values: dict[str, Value]) -> None:
    """Write descriptive values to the listing (the caller audits and checks versions)."""
    for name, value in values.items():
        FIELDS[name].write(session, service, value)


def display(name: str, value: Value, need_labels: dict[str, str] | None = None) -> str:
    """A field value as a person reads it."""
    kind = FIELDS[name].kind if name in FIELDS else "text"
    if value in (None, "", []):
        return "(none)"
    if kind == "phones":
        return "; ".join(
            f"{p['number']}"
            + (f" ({p['label']})" if p.get("label") else "")
            + (", professionals only" if p.get("professional_only") else "")
            for p in value
        )
    if kind == "needs":
        labels = need_labels or {}
        return ", ".join(labels.get(code, code) for code in value)
    if kind == "need_groups":
        labels = need_labels or {}
        return required_needs_words(value, lambda code: labels.get(code, code))
    if kind == "yesno":
        return "Yes" if value else "No"
    if kind == "areas":
        return ", ".join(geography.area_label(code) for code in value)
    labels = CHOICE_LABELS.get(name, {})
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    return labels.get(str(value), str(value))
