"""HSDS 3.0 / Open Referral UK service objects back into our records.

``HsdsParser.service`` takes one fully nested service (as ``GET /services/{id}`` or our export gives it)
and adds its organisation, locations and service record to a ``Feed``, noting problems with where
they are. Our own taxonomies' attributes come back exactly; other taxonomies' terms are kept as
``TermRef`` for the mapping table. Nothing here touches the database.
"""

from __future__ import annotations

import re
from datetime import date, time
from functools import cache
from typing import Any

from directory import geography
from directory.oruk import vocab
from directory.oruk.records import (
    SERVICE_DEFAULTS,
    Exception_,
    Feed,
    LocationRecord,
    OrgRecord,
    ServiceRecord,
    Session,
    TermRef,
)
from directory.seeding import SEEDS_DIR, read_needs

Json = dict[str, Any]

_TIME = re.compile(
    r"^([01]?[0-9]|2[0-4]):([0-5][0-9])(:[0-5][0-9](\.[0-9]+)?)?([zZ]|[+-][0-9]{2}:?[0-9]{2})?$"
)
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})")
_WAIT = re.compile(r"(\d+)\s*day", re.IGNORECASE)
_TAXONOMY_ALIASES = {
    "openeligibility": "open_eligibility",
    "oe": "open_eligibility",
    "esd": "esd_services",
    "esdservices": "esd_services",
    "lgaesd": "esd_services",
    "lgaesdservices": "esd_services",
    "lgservices": "esd_services",
    "englishandwelshservices": "esd_services",
    "lginformplusservices": "esd_services",
}


def taxonomy_key(name: str) -> str:
    """A normalised key for a taxonomy name: ``Open Eligibility`` -> ``open_eligibility``."""
    compact = re.sub(r"[^a-z0-9]", "", name.lower())
    return _TAXONOMY_ALIASES.get(compact, name.strip().lower())


def parse_time(value: Any) -> time | None:
    """``09:00``, ``09:00:00`` or ``09:00:00+01:00`` as a local time; ``24:00`` is midnight. None if not."""
    if not isinstance(value, str):
        return None
    match = _TIME.match(value.strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24:
        if minutes:
            return None
        hours = 0
    return time(hours, minutes)


def parse_date(value: Any) -> date | None:
    """The date in ``YYYY-MM-DD`` (or at the start of a date-time); None if not a date."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


@cache
def _our_term_ids() -> dict[str, tuple[str, str]]:
    """Term id -> (our taxonomy, code), for feeds that give only ``taxonomy_term_id``."""
    found = {
        vocab.term_id(vocab.FIELDS_TAXONOMY, f.code): (vocab.FIELDS_TAXONOMY, f.code) for f in vocab.FIELDS
    }
    for need in read_needs(SEEDS_DIR / "needs.csv"):
        found[vocab.term_id(vocab.NEEDS_TAXONOMY, need["code"])] = (vocab.NEEDS_TAXONOMY, need["code"])
    return found


class HsdsParser:
    """Reads HSDS service objects into ``feed``.

    ``terms`` and ``taxonomies`` are id -> object lookups for feeds that list them separately (a data
    package's ``taxonomy_terms.csv``); nested ``taxonomy_term`` objects need neither.
    """

    def __init__(
        self, feed: Feed, terms: dict[str, Json] | None = None, taxonomies: dict[str, Json] | None = None
    ) -> None:
        self.feed = feed
        self.terms = terms or {}
        self.taxonomies = taxonomies or {}
        self.seen_services: dict[str, str] = {}

    # --- typed getters that note what is wrong --------------------------------------------------

    def _text(self, obj: Json, key: str, where: str, *, required: bool = False) -> str | None:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.feed.error(where, key, "is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.feed.error(where, key, f"must be text, not {type(value).__name__}")
            return None
        return str(value).strip()

    def _list(self, obj: Json, key: str, where: str) -> list[Json]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.feed.error(where, key, f"must be a list, not {type(value).__name__}")
            return []
        items = []
        for position, item in enumerate(value):
            if isinstance(item, dict):
                items.append(item)
            else:
                self.feed.error(where, f"{key}[{position}]", f"must be an object, not {type(item).__name__}")
        return items

    def _age(self, obj: Json, key: str, where: str) -> int | None:
        value = obj.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.0+)?\s*", value):
            value = float(value)
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            self.feed.error(where, key, f"{value!r} must be a whole number of years")
            return None
        return int(value)

    # --- objects ---------------------------------------------------------------------------------

    def service(self, obj: Any, where: str) -> None:
        """Add one HSDS service object (and its organisation and locations) to the feed."""
        if not isinstance(obj, dict):
            self.feed.error(where, "", f"expected a service object, found {type(obj).__name__}")
            return
        key = self._text(obj, "id", where, required=True)
        label = f"{where} (service {key})" if key else where
        name = self._text(obj, "name", label, required=True)
        status_text = self._text(obj, "status", label, required=True)
        status = None
        if status_text is not None:
            status = vocab.STATUS_FROM_HSDS.get(status_text.lower()) or (
                status_text if status_text in vocab.STATUS_TO_HSDS else None
            )
            if status is None:
                self.feed.error(
                    label,
                    "status",
                    f"{status_text!r} is not one of active, inactive, defunct, temporarily closed",
                )
        org_key = self._organization(obj, label)
        if key is None or name is None or status is None or org_key is None:
            return
        if key in self.seen_services:
            self.feed.error(label, "id", f"is used twice (also {self.seen_services[key]})")
            return
        self.seen_services[key] = where

        record = ServiceRecord(key=key, org_key=org_key, where=label, values=dict(SERVICE_DEFAULTS))
        values = record.values
        values["name"] = name
        values["status"] = status
        values["description"] = self._text(obj, "description", label) or ""
        values["how_to_refer"] = self._text(obj, "application_process", label) or ""
        values["eligibility_summary"] = self._text(obj, "eligibility_description", label) or ""
        values["website"] = self._text(obj, "url", label)
        values["email"] = self._text(obj, "email", label)
        values["alert"] = self._text(obj, "alert", label)
        values["minimum_age"] = self._age(obj, "minimum_age", label)
        values["maximum_age"] = self._age(obj, "maximum_age", label)
        values["cost"] = self._cost(obj, label)
        assured = obj.get("assured_date")
        if assured not in (None, ""):
            values["assured_date"] = parse_date(assured)
            if values["assured_date"] is None:
                self.feed.error(label, "assured_date", f"{assured!r} is not a date (YYYY-MM-DD)")
        wait = self._text(obj, "wait_time", label)
        if wait and (wait_match := _WAIT.search(wait)):
            values["wait_days"] = int(wait_match.group(1))

        self._phones(obj, record)
        self._languages(obj, record)
        fields = self._attributes(obj, record)
        self._apply_fields(fields, record)
        if not fields.get("catchment_area"):
            self._service_areas(obj, record)
        self._schedules(obj, record)
        values["hours_known"] = bool(
            fields.get("hours_known") or record.sessions or record.exceptions or values["always_open"]
        )
        self._service_at_locations(obj, record)
        self.feed.services.append(record)

    def _organization(self, obj: Json, where: str) -> str | None:
        org = obj.get("organization")
        if org is None:
            org_id = obj.get("organization_id")
            if isinstance(org_id, str) and org_id in self.feed.organizations:
                return org_id
            if org_id:
                self.feed.error(where, "organization_id", f"{org_id!r} is not an organisation in this feed")
            else:
                self.feed.error(where, "organization", "is missing: every service needs its organisation")
            return None
        if not isinstance(org, dict):
            self.feed.error(where, "organization", f"must be an object, not {type(org).__name__}")
            return None
        key = self._text(org, "id", f"{where} organisation", required=True)
        name = self._text(org, "name", f"{where} organisation {key}", required=True)
        if key is None or name is None:
            return None
        record = OrgRecord(
            key=key,
            name=name,
            where=f"{where} organisation {key}",
            description=self._text(org, "description", where) or "",
            website=self._text(org, "website", where),
            email=self._text(org, "email", where),
        )
        known = self.feed.organizations.get(key)
        if known is None:
            self.feed.organizations[key] = record
        elif (known.name, known.description, known.website, known.email) != (
            record.name,
            record.description,
            record.website,
            record.email,
        ):
            self.feed.warn(
                record.where, "", f"differs from its first appearance ({known.where}); the first is used"
            )
        return key

    def _cost(self, obj: Json, where: str) -> str:
        text = self._text(obj, "fees_description", where) or self._text(obj, "fees", where)
        if text:
            return text
        options = []
        for option in self._list(obj, "cost_options", where):
            words = [str(option[k]) for k in ("option", "amount_description") if option.get(k)]
            if not words and option.get("amount") is not None:
                words.append(
                    "Free" if option["amount"] == 0 else f"{option.get('currency') or ''} {option['amount']}"
                )
            if words:
                options.append(" ".join(words).strip())
        return "; ".join(options)

    def _phones(self, obj: Json, record: ServiceRecord) -> None:
        for position, phone in enumerate(self._list(obj, "phones", record.where)):
            number = self._text(phone, "number", f"{record.where} phone {position + 1}", required=True)
            if number:
                record.phones.append((number, self._text(phone, "description", record.where) or "", False))

    def _languages(self, obj: Json, record: ServiceRecord) -> None:
        codes: list[str] = []
        for language in self._list(obj, "languages", record.where):
            code = (self._text(language, "code", record.where) or "").lower()
            name = (self._text(language, "name", record.where) or "").lower()
            if len(code) == 3 and code in ("eng", "cym", "wel"):
                code = {"eng": "en", "cym": "cy", "wel": "cy"}[code]
            if not re.fullmatch(r"[a-z]{2}", code):
                code = vocab.LANGUAGE_CODES.get(name, "")
            if code and code not in codes:
                codes.append(code)
            elif not code and (language.get("code") or language.get("name")):
                self.feed.warn(
                    record.where,
                    "languages",
                    f"{language.get('code') or language.get('name')!r} is not a language we know",
                )
        record.values["languages"] = codes

    def _term(self, attribute: Json, where: str) -> tuple[str, str, str] | None:
        """(taxonomy key, term code, term name) of an attribute's term, or None if it has none."""
        term = attribute.get("taxonomy_term")
        term_id = attribute.get("taxonomy_term_id")
        if not isinstance(term, dict):
            term = self.terms.get(term_id) if isinstance(term_id, str) else None
        if not isinstance(term, dict):
            if isinstance(term_id, str) and term_id in _our_term_ids():
                return (*_our_term_ids()[term_id], "")
            if term_id:
                self.feed.warn(
                    where, "attributes", f"taxonomy term {term_id!r} is not described in this feed"
                )
                return ("unknown", str(term_id), "")
            return None
        if isinstance(term.get("id"), str) and term["id"] in _our_term_ids():
            return (*_our_term_ids()[term["id"]], "")
        taxonomy = term.get("taxonomy")
        detail = term.get("taxonomy_detail")
        if not taxonomy and isinstance(detail, dict):
            taxonomy = detail.get("name")
        if not taxonomy and isinstance(term.get("taxonomy_id"), str):
            known = self.taxonomies.get(term["taxonomy_id"])
            taxonomy = known.get("name") if known else term["taxonomy_id"]
        taxonomy_name = str(taxonomy or "unknown")
        code = str(term.get("code") or term.get("term") or term.get("name") or term.get("id") or "").strip()
        name = str(term.get("name") or term.get("term") or "").strip()
        if taxonomy_name in (vocab.NEEDS_TAXONOMY, vocab.FIELDS_TAXONOMY):
            return (taxonomy_name, code, name)
        return (taxonomy_key(taxonomy_name), code, name)

    def _attributes(self, obj: Json, record: ServiceRecord) -> dict[str, list[str]]:
        """Needs into ``record.needs``, other taxonomies into ``record.terms``; returns our fields' values."""
        fields: dict[str, list[str]] = {}
        for attribute in self._list(obj, "attributes", record.where):
            found = self._term(attribute, record.where)
            if found is None:
                continue
            taxonomy, code, name = found
            if taxonomy == vocab.NEEDS_TAXONOMY:
                if code not in record.needs:
                    record.needs.append(code)
            elif taxonomy == vocab.FIELDS_TAXONOMY:
                value = attribute.get("value")
                if code not in vocab.FIELDS_BY_CODE:
                    self.feed.error(
                        record.where, "attributes", f"{code!r} is not a term of {vocab.FIELDS_TAXONOMY}"
                    )
                elif value is None or value == "":
                    self.feed.error(record.where, code, "the attribute has no value")
                else:
                    fields.setdefault(code, []).append(str(value).strip())
            else:
                ref = TermRef(taxonomy, code, name)
                if ref not in record.terms:
                    record.terms.append(ref)
        return fields

    def _apply_fields(self, fields: dict[str, list[str]], record: ServiceRecord) -> None:
        values = record.values
        for name, column in (
            ("referral_route", "referral_routes"),
            ("delivery_mode", "delivery_modes"),
            ("catchment_area", "catchment_areas"),
            ("cohort", "cohorts"),
            ("exclusion", "exclusions"),
            ("gender", "genders"),
        ):
            values[column] = list(dict.fromkeys(fields.get(name, [])))
        groups = [
            [c.strip().upper() for c in text.split("|") if c.strip()]
            for text in fields.get("requires_needs", [])
        ]
        values["requires_needs"] = [group for group in groups if group]
        for name in ("catchment_type", "capacity_status", "assured_by"):
            given = fields.get(name)
            if given:
                if len(given) > 1:
                    self.feed.error(record.where, name, f"is given {len(given)} times; give it once")
                values[name] = given[0]
        if values["catchment_areas"] and values["catchment_type"] == "none":
            values["catchment_type"] = "residence"
        if fields.get("wait_days"):
            text = fields["wait_days"][0]
            if text.isdigit():
                values["wait_days"] = int(text)
            else:
                self.feed.error(record.where, "wait_days", f"{text!r} must be a whole number of days")
        for flag in ("joint_or_couple", "requires_gp_registration", "open_on_bank_holidays"):
            if fields.get(flag):
                values[flag] = fields[flag][0].lower() == "true"

    def _service_areas(self, obj: Json, record: ServiceRecord) -> None:
        """Without our catchment attributes, read the catchment from service areas we can recognise."""
        names = {name.lower(): code for code, name in geography.local_authorities().items()}
        areas: list[str] = []
        for area in self._list(obj, "service_areas", record.where):
            found = None
            for key in ("extent", "name", "service_area"):
                text = str(area.get(key) or "").strip()
                compact = text.upper().replace(" POSTCODE DISTRICT", "")
                if text in geography.local_authorities():
                    found = text
                elif compact in geography.districts():
                    found = compact
                elif text.lower() in names:
                    found = names[text.lower()]
                if found:
                    break
            if found and found not in areas:
                areas.append(found)
            elif not found:
                label = str(area.get("name") or area.get("extent") or area.get("id") or "")[:80]
                self.feed.warn(
                    record.where,
                    "service_areas",
                    f"{label!r} is not a local authority or postcode district we know; it is not used as a catchment",
                )
        if areas:
            record.values["catchment_areas"] = areas
            record.values["catchment_type"] = "residence"

    def _schedules(self, obj: Json, record: ServiceRecord) -> None:
        sessions: list[Session] = []
        exceptions: list[Exception_] = []
        today = date.today()
        for position, schedule in enumerate(self._list(obj, "schedules", record.where)):
            where = f"{record.where} schedule {schedule.get('id') or position + 1}"
            opens, closes = parse_time(schedule.get("opens_at")), parse_time(schedule.get("closes_at"))
            for key, value in (("opens_at", opens), ("closes_at", closes)):
                if schedule.get(key) not in (None, "") and value is None:
                    self.feed.error(where, key, f"{schedule.get(key)!r} is not a time (HH:MM)")
            freq = schedule.get("freq")
            valid_from, valid_to = (
                parse_date(schedule.get("valid_from")),
                parse_date(schedule.get("valid_to")),
            )
            if not freq and valid_from and valid_from == valid_to:
                note = str(schedule.get("notes") or "").strip()
                if opens and closes:
                    exceptions.append((valid_from, False, opens, closes, note))
                else:
                    exceptions.append((valid_from, True, None, None, note))
                continue
            if str(freq or "").upper() != "WEEKLY":
                self.feed.warn(
                    where, "freq", f"only weekly schedules can be used; {freq or 'none'!r} is skipped"
                )
                continue
            if valid_to and valid_to < today:
                self.feed.warn(
                    where, "valid_to", f"the schedule ended on {valid_to.isoformat()}; it is skipped"
                )
                continue
            interval = schedule.get("interval")
            if interval not in (None, "", 1, "1"):
                self.feed.warn(
                    where,
                    "interval",
                    f"only every-week schedules can be used; interval {interval} is skipped",
                )
                continue
            days = [d.strip().upper() for d in str(schedule.get("byday") or "").split(",") if d.strip()]
            unknown = [d for d in days if d not in vocab.WEEKDAY_CODES]
            if not days or unknown or opens is None or closes is None:
                self.feed.warn(
                    where,
                    "byday",
                    "a weekly schedule needs byday (MO..SU) with opens_at and closes_at; it is skipped",
                )
                continue
            if len(set(days)) == 7 and opens == time(0, 0) and closes in (time(0, 0), time(23, 59)):
                record.values["always_open"] = True
                continue
            drop_in = "drop" in str(schedule.get("attending_type") or "").lower()
            sessions += [(vocab.WEEKDAY_CODES.index(d), opens, closes, drop_in) for d in dict.fromkeys(days)]
        record.sessions = [] if record.values["always_open"] else sorted(set(sessions))
        record.exceptions = sorted(set(exceptions), key=lambda e: (e[0], e[2] or time(0)))

    def _service_at_locations(self, obj: Json, record: ServiceRecord) -> None:
        for position, link in enumerate(self._list(obj, "service_at_locations", record.where)):
            where = f"{record.where} service_at_location {link.get('id') or position + 1}"
            place = link.get("location")
            if (
                place is None
                and isinstance(link.get("location_id"), str)
                and link["location_id"] in self.feed.locations
            ):
                key: str | None = link["location_id"]
            elif isinstance(place, dict):
                key = self._location(place, record.org_key, where)
            else:
                self.feed.error(where, "location", "is missing")
                key = None
            if key and key not in record.location_keys:
                record.location_keys.append(key)
                if isinstance(link.get("id"), str):
                    record.link_ids[key] = link["id"]

    def _location(self, obj: Json, org_key: str, where: str) -> str | None:
        key = self._text(obj, "id", where, required=True)
        if key is None:
            return None
        label = f"{where} location {key}"
        addresses = self._list(obj, "addresses", label)
        chosen = next(
            (a for a in addresses if a.get("address_type") == "physical"), addresses[0] if addresses else {}
        )
        street = ", ".join(
            str(chosen[k]).strip()
            for k in ("address_1", "address_2")
            if isinstance(chosen.get(k), str) and chosen[k].strip()
        )
        record = LocationRecord(
            key=key,
            org_key=str(obj.get("organization_id") or org_key),
            where=label,
            name=self._text(obj, "name", label) or "",
            description=self._text(obj, "description", label) or "",
            address=street,
            town=self._text(chosen, "city", label) or "",
            postcode=self._text(chosen, "postal_code", label),
            country=self._text(chosen, "country", label),
        )
        for axis, limit in (("latitude", 90), ("longitude", 180)):
            value = obj.get(axis)
            if value is None or value == "":
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                number = None
            if number is None or not -limit <= number <= limit:
                self.feed.warn(label, axis, f"{value!r} is not a {axis}; it is ignored")
            else:
                setattr(record, axis, number)
        if key not in self.feed.locations:
            self.feed.locations[key] = record
        return key
