"""Our models as HSDS 3.0 / Open Referral UK objects.

Everything here is safe for open publication: confidential locations are left out entirely (no
address, no coordinates, not even the link), and professional-only phones are never emitted. Values
that would break an HSDS format (a malformed email or URL) are left out rather than published.

Callers load the relationships first (see ``directory.api.queries.SERVICE_FULL_OPTIONS``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from directory import geography
from directory.labels import LANGUAGE_NAMES
from directory.models import Location, Need, Organization, Service, ServiceAtLocation
from directory.oruk import vocab
from directory.oruk.text import is_email, is_url

Json = dict[str, Any]

SCHEDULE_NOTES = (
    "Times are UK local time (Europe/London). A closing time at or before the opening time means the "
    "session runs past midnight."
)


def iso_datetime(value: datetime) -> str:
    """RFC 3339 in UTC (SQLite hands back naive datetimes, which are UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _put(target: Json, key: str, value: Any) -> None:
    """Set ``key`` unless the value is empty (HSDS strings may not be null)."""
    if value is not None and value != "":
        target[key] = value


# --- taxonomies ---------------------------------------------------------------------------------


def needs_taxonomy() -> Json:
    return {
        "id": vocab.taxonomy_id(vocab.NEEDS_TAXONOMY),
        "name": vocab.NEEDS_TAXONOMY,
        "description": "Diversion Directory needs: what Liaison and Diversion practitioners screen for. "
        "A service covering a need carries an attribute with that need's term.",
        "version": vocab.TAXONOMY_VERSION,
    }


def fields_taxonomy() -> Json:
    return {
        "id": vocab.taxonomy_id(vocab.FIELDS_TAXONOMY),
        "name": vocab.FIELDS_TAXONOMY,
        "description": "Diversion Directory fields that HSDS has no place for (referral routes, catchment, "
        "cohorts, exclusions, capacity, ...). A service carries one attribute per value, with the value in "
        "the attribute's value; each term's description names its vocabulary.",
        "version": vocab.TAXONOMY_VERSION,
    }


def need_term(need: Need) -> Json:
    return {
        "id": vocab.term_id(vocab.NEEDS_TAXONOMY, need.code),
        "code": need.code,
        "name": need.label,
        "description": need.description or need.label,
        "taxonomy": vocab.NEEDS_TAXONOMY,
        "taxonomy_id": vocab.taxonomy_id(vocab.NEEDS_TAXONOMY),
        "language": "en",
    }


def field_term(field: vocab.Field) -> Json:
    return {
        "id": vocab.term_id(vocab.FIELDS_TAXONOMY, field.code),
        "code": field.code,
        "name": field.name,
        "description": vocab.field_term_description(field),
        "taxonomy": vocab.FIELDS_TAXONOMY,
        "taxonomy_id": vocab.taxonomy_id(vocab.FIELDS_TAXONOMY),
        "language": "en",
    }


# --- organisations and locations ----------------------------------------------------------------


def organization_basic(org: Organization) -> Json:
    """An organisation's one-to-one fields."""
    found: Json = {"id": org.id, "name": org.name, "description": org.description or ""}
    if is_email(org.email):
        found["email"] = org.email
    if is_url(org.website):
        found["website"] = org.website
    return found


def organization_full(org: Organization, services: list[Service]) -> Json:
    """An organisation with its public locations and (basic) services."""
    found = organization_basic(org)
    found["locations"] = [loc for loc in (location(place) for place in org.locations) if loc]
    found["services"] = [service_basic(s) for s in services]
    return found


def address(place: Location) -> Json:
    country = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}
    found: Json = {
        "id": vocab.stable_id("location", place.id, "address"),
        "location_id": place.id,
        "address_1": place.address or "",
        "city": place.town or "",
        "state_province": geography.authority_name(place.local_authority),
        "postal_code": place.postcode or "",
        "country": "GB",
        "address_type": "physical",
    }
    _put(found, "region", country.get((place.local_authority or " ")[0]))
    return found


def location(place: Location) -> Json | None:
    """A public location, or None for a confidential one (nothing of it may be published)."""
    if place.confidential:
        return None
    found: Json = {"id": place.id, "location_type": "physical"}
    _put(found, "organization_id", place.organization_id)
    _put(found, "name", place.name)
    _put(found, "description", place.description)
    if place.latitude is not None and place.longitude is not None:
        found["latitude"] = place.latitude
        found["longitude"] = place.longitude
    found["addresses"] = [address(place)] if (place.address or place.postcode or place.town) else []
    return found


def service_at_location(link: ServiceAtLocation, *, with_service: Json | None = None) -> Json | None:
    """A service-at-location with its location (None when the location is confidential)."""
    place = location(link.location)
    if place is None:
        return None
    found: Json = {
        "id": link.id,
        "service_id": link.service_id,
        "location_id": link.location_id,
        "location": place,
    }
    if with_service is not None:
        found["service"] = with_service
    return found


# --- services -----------------------------------------------------------------------------------


def service_basic(service: Service) -> Json:
    """A service's one-to-one fields and its organisation (the shape of HSDS list endpoints)."""
    found: Json = {
        "id": service.id,
        "organization_id": service.organization_id,
        "name": service.name,
        "description": service.description or "",
        "status": vocab.STATUS_TO_HSDS.get(service.status, "inactive"),
    }
    if is_url(service.website):
        found["url"] = service.website
    if is_email(service.email):
        found["email"] = service.email
    _put(found, "application_process", service.how_to_refer)
    _put(found, "fees_description", service.cost)
    _put(found, "eligibility_description", service.eligibility_summary)
    if service.wait_days is not None:
        found["wait_time"] = f"About {service.wait_days} day{'s' if service.wait_days != 1 else ''}"
    _put(found, "minimum_age", service.minimum_age)
    _put(found, "maximum_age", service.maximum_age)
    if service.assured_date:
        found["assured_date"] = service.assured_date.isoformat()
    _put(found, "alert", service.alert)
    if service.updated_at:
        found["last_modified"] = iso_datetime(service.updated_at)
    found["organization"] = organization_basic(service.organization)
    return found


def service_full(service: Service) -> Json:
    """A fully nested service, as ``GET /services/{id}`` and the ORUK export give it."""
    found = service_basic(service)
    found["phones"] = phones(service)
    found["schedules"] = schedules(service)
    found["service_areas"] = service_areas(service)
    found["service_at_locations"] = [
        sal for sal in (service_at_location(link) for link in service.location_links) if sal
    ]
    found["languages"] = languages(service)
    found["cost_options"] = cost_options(service)
    found["attributes"] = attributes(service)
    return found


def phones(service: Service) -> list[Json]:
    """Public phones only: professional-only lines are never published."""
    found = []
    for position, phone in enumerate(service.public_phones):
        item: Json = {
            "id": vocab.stable_id("service", service.id, "phone", position),
            "service_id": service.id,
            "number": phone.number,
            "type": "voice",
        }
        _put(item, "description", phone.label)
        found.append(item)
    return found


def languages(service: Service) -> list[Json]:
    found = []
    for code in service.languages or []:
        item: Json = {
            "id": vocab.stable_id("service", service.id, "language", code),
            "service_id": service.id,
        }
        item["code"] = code
        _put(item, "name", LANGUAGE_NAMES.get(code))
        found.append(item)
    return found


def cost_options(service: Service) -> list[Json]:
    if not service.cost:
        return []
    item: Json = {
        "id": vocab.stable_id("service", service.id, "cost"),
        "service_id": service.id,
        "option": service.cost,
        "currency": "GBP",
    }
    if service.cost.strip().lower() == "free":
        item["amount"] = 0
    return [item]


def service_areas(service: Service) -> list[Json]:
    found = []
    for code in service.catchment_areas or []:
        item: Json = {
            "id": vocab.stable_id("service", service.id, "area", code),
            "service_id": service.id,
            "extent": code,
            "extent_type": "text",
        }
        if code in geography.local_authorities():
            item["name"] = geography.authority_name(code)
            item["description"] = f"{item['name']} (ONS local authority district {code})"
            item["uri"] = f"http://statistics.data.gov.uk/id/statistical-geography/{code}"
        else:
            item["name"] = f"{code} postcode district"
            item["description"] = f"The {code} postcode district"
        found.append(item)
    return found


def _day(value: date) -> str:
    return value.isoformat()


def schedules(service: Service) -> list[Json]:
    """Weekly sessions grouped by times (freq WEEKLY with byday), then dated exceptions.

    An exception has ``valid_from`` = ``valid_to`` = its date and no ``freq``; without opening times it
    means closed all day. Its note travels in ``notes``.
    """
    found: list[Json] = []
    if service.always_open:
        found.append(
            {
                "id": vocab.stable_id("service", service.id, "schedule", "always"),
                "service_id": service.id,
                "freq": "WEEKLY",
                "byday": ",".join(vocab.WEEKDAY_CODES),
                "opens_at": "00:00",
                "closes_at": "23:59",
                "description": "Open 24 hours, every day",
                "notes": SCHEDULE_NOTES,
            }
        )
    else:
        groups: dict[tuple[time, time, bool], list[int]] = {}
        for session in sorted(service.sessions, key=lambda s: (s.weekday, s.opens_at)):
            groups.setdefault((session.opens_at, session.closes_at, session.drop_in), []).append(
                session.weekday
            )
        for (opens, closes, drop_in), days in groups.items():
            weekdays = sorted(set(days))
            item: Json = {
                "id": vocab.stable_id("service", service.id, "schedule", hhmm(opens), hhmm(closes), drop_in),
                "service_id": service.id,
                "freq": "WEEKLY",
                "byday": ",".join(vocab.WEEKDAY_CODES[d] for d in weekdays),
                "opens_at": hhmm(opens),
                "closes_at": hhmm(closes),
                "description": f"{', '.join(vocab.WEEKDAY_NAMES[d] for d in weekdays)} "
                f"{hhmm(opens)} to {hhmm(closes)}{' (drop-in)' if drop_in else ''}",
                "notes": SCHEDULE_NOTES,
            }
            if drop_in:
                item["attending_type"] = "drop-in"
            found.append(item)
    for exception in service.exceptions:
        when = _day(exception.day)
        item = {
            "id": vocab.stable_id("service", service.id, "exception", when, exception.opens_at),
            "service_id": service.id,
            "valid_from": when,
            "valid_to": when,
            "dtstart": when,
        }
        if exception.closed or exception.opens_at is None or exception.closes_at is None:
            item["description"] = f"Closed all day on {exception.day:%A %-d %B %Y}"
        else:
            item["opens_at"] = hhmm(exception.opens_at)
            item["closes_at"] = hhmm(exception.closes_at)
            item["description"] = (
                f"Open {hhmm(exception.opens_at)} to {hhmm(exception.closes_at)} on {exception.day:%A %-d %B %Y}"
            )
        _put(item, "notes", exception.note)
        found.append(item)
    return found


def _attribute(service: Service, term: Json, value: str | None, link_type: str) -> Json:
    item: Json = {
        "id": vocab.stable_id("service", service.id, "attribute", term["code"], value or ""),
        "link_id": service.id,
        "link_type": link_type,
        "link_entity": "service",
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }
    if value is not None:
        item["value"] = value
    return item


def field_values(service: Service) -> list[tuple[str, str]]:
    """Our extra fields as (term code, value) pairs, in a stable order."""
    pairs: list[tuple[str, str]] = []
    pairs += [("referral_route", v) for v in service.referral_routes or []]
    pairs += [("delivery_mode", v) for v in service.delivery_modes or []]
    if service.catchment_type and service.catchment_type != "none":
        pairs.append(("catchment_type", service.catchment_type))
    pairs += [("catchment_area", v) for v in service.catchment_areas or []]
    pairs += [("cohort", v) for v in service.cohorts or []]
    pairs += [("exclusion", v) for v in service.exclusions or []]
    pairs += [("requires_needs", "|".join(group)) for group in service.requires_needs or []]
    pairs += [("gender", v) for v in service.genders or []]
    if service.capacity_status:
        pairs.append(("capacity_status", service.capacity_status))
    if service.wait_days is not None:
        pairs.append(("wait_days", str(service.wait_days)))
    for flag in ("joint_or_couple", "requires_gp_registration", "open_on_bank_holidays", "hours_known"):
        if getattr(service, flag):
            pairs.append((flag, "true"))
    if service.assured_by:
        pairs.append(("assured_by", service.assured_by))
    return pairs


def attributes(service: Service) -> list[Json]:
    """Needs (terms of our needs taxonomy) and our extra fields (terms of our fields taxonomy)."""
    found = [_attribute(service, need_term(need), None, "need") for need in service.needs]
    terms = {field.code: field_term(field) for field in vocab.FIELDS}
    found += [_attribute(service, terms[code], value, code) for code, value in field_values(service)]
    return found
