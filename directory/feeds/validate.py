"""Check a feed's records and resolve them against our data: postcodes, need codes, vocabularies.

Problems go into the feed's ``problems`` (errors stop the import; warnings do not). Records are
corrected in place where a value is simply left out (a malformed email, an unknown language).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.orm import Session

from directory import geography
from directory.db import Base
from directory.feeds.mapping import MappingIndex
from directory.models import Location, Need, Organization, Phone, ScheduleException, Service
from directory.oruk.records import Feed, LocationRecord, OrgRecord, ServiceRecord, TermRef
from directory.oruk.text import is_email, is_url
from matcher.vocabulary import (
    CapacityStatus,
    CatchmentType,
    Cohort,
    Delivery,
    Exclusion,
    Gender,
    Route,
    ServiceStatus,
)

UK_COUNTRIES = {
    "",
    "gb",
    "uk",
    "united kingdom",
    "great britain",
    "england",
    "wales",
    "scotland",
    "northern ireland",
}
CHOICES: dict[str, tuple[str, ...]] = {
    "referral_routes": tuple(Route),
    "delivery_modes": tuple(Delivery),
    "genders": tuple(Gender),
    "cohorts": tuple(Cohort),
    "exclusions": tuple(Exclusion),
}
CHOICE = {
    "status": tuple(ServiceStatus),
    "catchment_type": tuple(CatchmentType),
    "capacity_status": tuple(CapacityStatus),
}


def _lengths(model: type[Base]) -> dict[str, int]:
    return {
        column.name: column.type.length
        for column in model.__table__.columns
        if isinstance(column.type, String) and column.type.length
    }


SERVICE_LENGTHS = _lengths(Service)
ORG_LENGTHS = _lengths(Organization)
LOCATION_LENGTHS = _lengths(Location)
PHONE_LENGTHS = _lengths(Phone)
NOTE_LENGTH = _lengths(ScheduleException)["note"]
KEY_LENGTH = SERVICE_LENGTHS["external_id"]


@lru_cache(maxsize=65536)
def _resolve(postcode: str, full_postcodes_file: str) -> geography.Place | str:
    try:
        return geography.resolve(postcode, full_postcodes_file)
    except geography.PostcodeError as error:
        return str(error)


class Validator:
    """Checks one feed against the database's taxonomy and mapping table."""

    def __init__(self, session: Session, feed: Feed, full_postcodes_file: str = "") -> None:
        self.feed = feed
        self.full_postcodes_file = full_postcodes_file
        self.need_codes = set(session.scalars(select(Need.code)))
        self.mapping = MappingIndex(session)
        self.unmapped: Counter[TermRef] = Counter()

    def run(self) -> Counter[TermRef]:
        """Check everything; returns the unmapped terms with how many services use each."""
        if not self.need_codes:
            self.feed.error(
                "", "", "the needs taxonomy is not loaded: run `flask --app directory seed` first"
            )
        for org in self.feed.organizations.values():
            self.organization(org)
        for place in self.feed.locations.values():
            self.location(place)
        for record in self.feed.services:
            self.service(record)
        return self.unmapped

    def _length(self, where: str, field: str, value: Any, limit: int | None) -> None:
        if limit and isinstance(value, str) and len(value) > limit:
            self.feed.error(where, field, f"is {len(value)} characters long; at most {limit} fit")

    def _key(self, where: str, key: str) -> None:
        if len(key) > KEY_LENGTH:
            self.feed.error(where, "id", f"is {len(key)} characters long; at most {KEY_LENGTH} fit")

    def _contact(self, where: str, record: Any, email: str, website: str) -> None:
        if getattr(record, email) and not is_email(getattr(record, email)):
            self.feed.warn(
                where, email, f"{getattr(record, email)!r} is not an email address; it is left out"
            )
            setattr(record, email, None)
        if getattr(record, website) and not is_url(getattr(record, website)):
            self.feed.warn(
                where,
                website,
                f"{getattr(record, website)!r} is not a web address (http/https); it is left out",
            )
            setattr(record, website, None)

    def organization(self, org: OrgRecord) -> None:
        self._key(org.where, org.key)
        self._contact(org.where, org, "email", "website")
        for name in ("name", "website", "email"):
            self._length(org.where, name, getattr(org, name), ORG_LENGTHS.get(name))

    def location(self, place: LocationRecord) -> None:
        self._key(place.where, place.key)
        for name in ("name", "address", "town"):
            self._length(place.where, name, getattr(place, name), LOCATION_LENGTHS.get(name))
        if place.org_key and place.org_key not in self.feed.organizations:
            self.feed.warn(
                place.where,
                "organization_id",
                f"{place.org_key!r} is not an organisation in this feed; the location is kept without one",
            )
            place.org_key = None
        if not place.postcode:
            if place.latitude is None:
                self.feed.warn(
                    place.where, "postcode", "no postcode: the location will not be found by distance"
                )
            return
        found = _resolve(place.postcode, self.full_postcodes_file)
        if isinstance(found, str):
            if (place.country or "").strip().lower() in UK_COUNTRIES:
                self.feed.error(place.where, "postcode", found)
            else:
                self.feed.warn(
                    place.where,
                    "postcode",
                    f"{place.postcode!r} is outside the UK (country {place.country}); the location is kept without "
                    "a postcode and will not be found by distance",
                )
                place.postcode = None
            return
        place.postcode = str(found.postcode)
        place.postcode_district = found.postcode.district
        place.latitude, place.longitude = found.latitude, found.longitude
        place.local_authority = found.local_authority

    def service(self, record: ServiceRecord) -> None:
        where, values = record.where, record.values
        self._key(where, record.key)
        if record.org_key not in self.feed.organizations:
            self.feed.error(where, "organization", f"{record.org_key!r} is not an organisation in this feed")
        for key in record.location_keys:
            if key not in self.feed.locations:
                self.feed.error(where, "locations", f"{key!r} is not a location in this feed")
        self._contact(where, _Values(values), "email", "website")
        for name, limit in SERVICE_LENGTHS.items():
            self._length(where, name, values.get(name), limit)
        for name, allowed in CHOICES.items():
            for value in values[name]:
                if value not in allowed:
                    self.feed.error(where, name, f"{value!r} is not one of {', '.join(allowed)}")
        for name, allowed in CHOICE.items():
            if values[name] not in allowed:
                self.feed.error(where, name, f"{values[name]!r} is not one of {', '.join(allowed)}")
        for area in values["catchment_areas"]:
            if area not in geography.local_authorities() and area not in geography.districts():
                self.feed.error(
                    where, "catchment_areas", f"{area!r} is not a local authority code or postcode district"
                )
        if values["catchment_type"] != "none" and not values["catchment_areas"]:
            self.feed.error(
                where,
                "catchment_areas",
                "a catchment needs areas (local authority codes or postcode districts)",
            )
        low, high = values["minimum_age"], values["maximum_age"]
        for name, age in (("minimum_age", low), ("maximum_age", high)):
            if age is not None and not 0 <= age <= 120:
                self.feed.error(where, name, f"{age} must be from 0 to 120")
        if low is not None and high is not None and low > high:
            self.feed.error(where, "minimum_age", f"{low} is above maximum_age {high}")
        if values["wait_days"] is not None and not 0 <= values["wait_days"] <= 3650:
            self.feed.error(where, "wait_days", f"{values['wait_days']} must be from 0 to 3650")
        for position, (number, label, professional) in enumerate(record.phones):
            self._length(where, "phone number", number, PHONE_LENGTHS["number"])
            if len(label) > PHONE_LENGTHS["label"]:
                self.feed.warn(
                    where, "phone description", f"shortened to {PHONE_LENGTHS['label']} characters"
                )
                record.phones[position] = (number, _shorten(label, PHONE_LENGTHS["label"]), professional)
        for position, (day, closed, opens, closes, note) in enumerate(record.exceptions):
            if len(note) > NOTE_LENGTH:
                self.feed.warn(where, "schedule notes", f"shortened to {NOTE_LENGTH} characters")
                record.exceptions[position] = (day, closed, opens, closes, _shorten(note, NOTE_LENGTH))
        self.needs(record)
        self.required_needs(record)

    def required_needs(self, record: ServiceRecord) -> None:
        """Inclusion criteria name needs of our taxonomy (a mapping cannot guess a group's meaning)."""
        for group in record.values["requires_needs"]:
            for code in group:
                if code not in self.need_codes:
                    self.feed.error(record.where, "requires_needs", f"unknown need code {code!r}")

    def needs(self, record: ServiceRecord) -> None:
        for code in record.needs:
            if code not in self.need_codes:
                self.feed.error(record.where, "needs", f"unknown need code {code!r}")
        found = set(record.needs)
        for ref in record.terms:
            mapped = self.mapping.needs(ref)
            if mapped is None:
                self.unmapped[ref] += 1
            else:
                found |= mapped
        record.needs = sorted(found)
        if not found and self.need_codes:
            self.feed.warn(
                record.where,
                "needs",
                "covers none of our needs (map its taxonomy terms): the matcher will not offer it",
            )


def _shorten(text: str, limit: int) -> str:
    return text[: limit - 1].rstrip() + "…"


class _Values:
    """Attribute access to a values dict, so contact checks work on services and organisations alike."""

    def __init__(self, values: dict[str, Any]) -> None:
        object.__setattr__(self, "values", values)

    def __getattr__(self, name: str) -> Any:
        return self.values[name]

    def __setattr__(self, name: str, value: Any) -> None:
        self.values[name] = value


def validate(session: Session, feed: Feed, full_postcodes_file: str = "") -> Counter[TermRef]:
    """Check ``feed`` (problems into ``feed.problems``); returns unmapped terms and their service counts."""
    return Validator(session, feed, full_postcodes_file).run()
