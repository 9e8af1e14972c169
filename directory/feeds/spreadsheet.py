"""Our spreadsheet template: one row per service (extra rows add locations), saved as CSV UTF-8.

The columns, their formats and an example are in the README and ``seeds/import_template.csv``. Lists
are separated by ``;``. Hours read like ``mon-fri 09:00-17:00; wed 13:00-15:00 drop-in`` or ``24/7``;
exceptions like ``2026-12-24 closed (Christmas Eve); 2026-12-29 10:00-12:00 (Extra session)``; phones
like ``020 3228 9000 (Main line); 0800 123 4567``.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, time
from pathlib import Path
from typing import Any

from directory.csv_safety import restore
from directory.feeds.progress import Progress
from directory.oruk.parse import parse_date, parse_time
from directory.oruk.records import (
    SERVICE_DEFAULTS,
    Exception_,
    Feed,
    LocationRecord,
    OrgRecord,
    PhoneTuple,
    ServiceRecord,
    Session,
)
from matcher.vocabulary import WEEKDAYS

ORG_COLUMNS = (
    "organisation_id",
    "organisation",
    "organisation_description",
    "organisation_website",
    "organisation_email",
)
SERVICE_COLUMNS = (
    "service_id",
    "service",
    "description",
    "how_to_refer",
    "status",
    "needs",
    "referral_routes",
    "delivery",
    "phones",
    "professional_phones",
    "email",
    "website",
    "cost",
    "languages",
    "min_age",
    "max_age",
    "genders",
    "catchment_type",
    "catchment_areas",
    "cohorts",
    "exclusions",
    "requires_needs",
    "eligibility",
    "capacity",
    "wait_days",
    "hours",
    "bank_holidays",
    "hours_exceptions",
    "joint_or_couple",
    "requires_gp_registration",
    "alert",
    "assured_date",
    "assured_by",
)
LOCATION_COLUMNS = ("location_id", "location_name", "address", "town", "postcode", "confidential")
TEMPLATE_COLUMNS = ORG_COLUMNS + SERVICE_COLUMNS + LOCATION_COLUMNS
REQUIRED = ("organisation", "service_id", "service")
LIST_COLUMNS = {
    "needs": "needs",
    "referral_routes": "referral_routes",
    "delivery": "delivery_modes",
    "languages": "languages",
    "genders": "genders",
    "catchment_areas": "catchment_areas",
    "cohorts": "cohorts",
    "exclusions": "exclusions",
}
TEXT_COLUMNS = {
    "description": "description",
    "how_to_refer": "how_to_refer",
    "email": "email",
    "website": "website",
    "cost": "cost",
    "eligibility": "eligibility_summary",
    "alert": "alert",
    "assured_by": "assured_by",
}
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"", "no", "n", "false", "0"}
_SLUG = re.compile(r"[^a-z0-9]+")
_HOURS = re.compile(
    r"^(?P<days>[a-z,\- ]+?)\s+(?P<opens>\d{1,2}[:.]\d{2})\s*-\s*(?P<closes>\d{1,2}[:.]\d{2})(?P<drop>\s+drop[- ]?in)?$"
)
_EXCEPTION = re.compile(
    r"^(?P<date>\S+)\s+(?:(?P<closed>closed)|(?P<opens>\d{1,2}[:.]\d{2})\s*-\s*(?P<closes>\d{1,2}[:.]\d{2}))"
    r"(?:\s*\((?P<note>.*)\))?$",
    re.IGNORECASE,
)
_PHONE = re.compile(r"^(?P<number>[^()]+?)\s*(?:\((?P<label>.*)\))?$")


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", text or "") if part.strip()]


def split_groups(text: str) -> list[list[str]]:
    """``SUBST_DRUGS|SUBST_ALCOHOL; MH_SEVERE`` as groups of need codes (``;`` between groups, ``|``
    between the alternatives inside one)."""
    groups = [[code.strip().upper() for code in part.split("|") if code.strip()] for part in text.split(";")]
    return [group for group in groups if group]


def join_groups(groups: list[list[str]]) -> str:
    """The inverse of :func:`split_groups`."""
    return "; ".join("|".join(group) for group in groups or [])


def _days(text: str) -> list[int] | None:
    days: list[int] = []
    for part in text.replace(" ", "").split(","):
        if "-" in part:
            first, _, last = part.partition("-")
            if first[:3] not in WEEKDAYS or last[:3] not in WEEKDAYS:
                return None
            start, end = WEEKDAYS.index(first[:3]), WEEKDAYS.index(last[:3])
            days += (
                list(range(start, end + 1)) if start <= end else list(range(start, 7)) + list(range(end + 1))
            )
        elif part[:3] in WEEKDAYS:
            days.append(WEEKDAYS.index(part[:3]))
        else:
            return None
    return days


def parse_hours(text: str) -> tuple[bool, list[Session]] | str:
    """(always open, weekly sessions), or a message saying what is wrong."""
    text = text.strip().lower()
    if text in ("24/7", "24 hours", "always"):
        return True, []
    sessions: list[Session] = []
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        match = _HOURS.match(part)
        days = _days(match.group("days")) if match else None
        opens = parse_time(match.group("opens").replace(".", ":")) if match else None
        closes = parse_time(match.group("closes").replace(".", ":")) if match else None
        if not match or not days or opens is None or closes is None:
            return f"{part!r} is not like 'mon-fri 09:00-17:00' (or '24/7')"
        sessions += [(d, opens, closes, bool(match.group("drop"))) for d in days]
    return False, sorted(set(sessions))


def parse_exceptions(text: str) -> list[Exception_] | str:
    found: list[Exception_] = []
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        match = _EXCEPTION.match(part)
        day = parse_date_uk(match.group("date")) if match else None
        if not match or day is None:
            return f"{part!r} is not like '2026-12-24 closed (Christmas Eve)' or '2026-12-29 10:00-12:00'"
        note = (match.group("note") or "").strip()
        if match.group("closed"):
            found.append((day, True, None, None, note))
        else:
            opens = parse_time(match.group("opens").replace(".", ":"))
            closes = parse_time(match.group("closes").replace(".", ":"))
            if opens is None or closes is None:
                return f"{part!r} has a time that is not HH:MM"
            found.append((day, False, opens, closes, note))
    return sorted(found, key=lambda e: (e[0], e[2] or time(0)))


def parse_date_uk(text: str) -> date | None:
    """``2026-12-24`` or ``24/12/2026``."""
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        try:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            return None
    return parse_date(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None


def parse_phones(text: str, professional: bool) -> list[PhoneTuple]:
    found = []
    for part in [p.strip() for p in (text or "").split(";") if p.strip()]:
        match = _PHONE.match(part)
        if match:
            found.append((match.group("number").strip(), (match.group("label") or "").strip(), professional))
    return found


class _RowReader:
    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.first_rows: dict[str, tuple[int, dict[str, str]]] = {}
        self.records: dict[str, ServiceRecord] = {}

    def flag(self, where: str, row: dict[str, str], column: str) -> bool:
        value = (row.get(column) or "").strip().lower()
        if value in TRUE_WORDS:
            return True
        if value not in FALSE_WORDS:
            self.feed.error(where, column, f"{row[column]!r} must be yes or no")
        return False

    def number(self, where: str, row: dict[str, str], column: str) -> int | None:
        value = (row.get(column) or "").strip()
        if not value:
            return None
        if not value.isdigit():
            self.feed.error(where, column, f"{value!r} must be a whole number")
            return None
        return int(value)

    def organization(self, where: str, row: dict[str, str]) -> str:
        key = (row.get("organisation_id") or "").strip() or slug(row.get("organisation") or "")
        record = OrgRecord(
            key=key,
            name=(row.get("organisation") or "").strip(),
            where=where,
            description=(row.get("organisation_description") or "").strip(),
            website=(row.get("organisation_website") or "").strip() or None,
            email=(row.get("organisation_email") or "").strip() or None,
        )
        known = self.feed.organizations.get(key)
        if known is None:
            self.feed.organizations[key] = record
        elif any(
            getattr(record, f) and getattr(record, f) != getattr(known, f)
            for f in ("name", "description", "website", "email")
        ):
            self.feed.warn(where, "organisation", f"details differ from {known.where}; the first are used")
        return key

    def location(self, where: str, row: dict[str, str], org_key: str) -> str | None:
        if not any((row.get(c) or "").strip() for c in LOCATION_COLUMNS if c != "confidential"):
            return None
        postcode = (row.get("postcode") or "").strip()
        address = (row.get("address") or "").strip()
        name = (row.get("location_name") or "").strip()
        key = (row.get("location_id") or "").strip() or f"{org_key}/{slug(address or name)}/{slug(postcode)}"
        record = LocationRecord(
            key=key,
            org_key=org_key,
            where=f"{where} location {key}",
            name=name,
            address=address,
            town=(row.get("town") or "").strip(),
            postcode=postcode or None,
            confidential=self.flag(where, row, "confidential"),
        )
        self.feed.locations.setdefault(key, record)
        return key

    def row(self, number: int, row: dict[str, str]) -> None:
        key = (row.get("service_id") or "").strip()
        where = f"row {number}" + (f" (service {key})" if key else "")
        for column in REQUIRED:
            if not (row.get(column) or "").strip():
                self.feed.error(where, column, "is missing")
        if not key or not (row.get("service") or "").strip() or not (row.get("organisation") or "").strip():
            return
        org_key = self.organization(where, row)
        if key in self.records:
            first_number, first = self.first_rows[key]
            differs = [
                c
                for c in SERVICE_COLUMNS + ORG_COLUMNS
                if (row.get(c) or "").strip() not in ("", (first.get(c) or "").strip())
            ]
            if differs:
                self.feed.error(
                    where,
                    "service_id",
                    f"{key!r} is also on row {first_number} with different {', '.join(differs)}",
                )
                return
            location = self.location(where, row, org_key)
            if location and location not in self.records[key].location_keys:
                self.records[key].location_keys.append(location)
            return
        self.first_rows[key] = (number, row)
        record = ServiceRecord(key=key, org_key=org_key, where=where, values=dict(SERVICE_DEFAULTS))
        values = record.values
        values["name"] = row["service"].strip()
        values["status"] = (row.get("status") or "").strip().lower().replace(" ", "_") or "active"
        for column, name in TEXT_COLUMNS.items():
            text = (row.get(column) or "").strip()
            values[name] = text or SERVICE_DEFAULTS[name]
        for column, name in LIST_COLUMNS.items():
            items = split_list(row.get(column) or "")
            if name == "needs":
                record.needs = [i.upper() for i in items]
            else:
                values[name] = [i if name == "catchment_areas" else i.lower() for i in items]
        values["catchment_areas"] = [a.upper() for a in values["catchment_areas"]]
        values["requires_needs"] = split_groups(row.get("requires_needs") or "")
        values["catchment_type"] = (row.get("catchment_type") or "").strip().lower() or (
            "residence" if values["catchment_areas"] else "none"
        )
        values["capacity_status"] = (row.get("capacity") or "").strip().lower().replace(
            " ", "_"
        ) or "accepting"
        values["minimum_age"] = self.number(where, row, "min_age")
        values["maximum_age"] = self.number(where, row, "max_age")
        values["wait_days"] = self.number(where, row, "wait_days")
        values["joint_or_couple"] = self.flag(where, row, "joint_or_couple")
        values["requires_gp_registration"] = self.flag(where, row, "requires_gp_registration")
        holidays = (row.get("bank_holidays") or "").strip().lower()
        if holidays not in ("", "open", "closed"):
            self.feed.error(where, "bank_holidays", f"{holidays!r} must be open or closed")
        values["open_on_bank_holidays"] = holidays == "open"
        hours = parse_hours(row.get("hours") or "")
        if isinstance(hours, str):
            self.feed.error(where, "hours", hours)
        else:
            values["always_open"], record.sessions = hours
        exceptions = parse_exceptions(row.get("hours_exceptions") or "")
        if isinstance(exceptions, str):
            self.feed.error(where, "hours_exceptions", exceptions)
        else:
            record.exceptions = exceptions
        values["hours_known"] = bool((row.get("hours") or "").strip() or holidays or record.exceptions)
        assured = (row.get("assured_date") or "").strip()
        if assured:
            values["assured_date"] = parse_date_uk(assured)
            if values["assured_date"] is None:
                self.feed.error(
                    where, "assured_date", f"{assured!r} is not a date (2026-10-01 or 01/10/2026)"
                )
        record.phones = parse_phones(row.get("phones") or "", False) + parse_phones(
            row.get("professional_phones") or "", True
        )
        location = self.location(where, row, org_key)
        if location:
            record.location_keys.append(location)
        self.records[key] = record
        self.feed.services.append(record)


def read_spreadsheet(path: Path, progress: Progress) -> Feed:
    """Our CSV template (UTF-8, with or without a byte-order mark)."""
    feed = Feed(kind="spreadsheet")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        feed.error(
            path.name,
            "",
            f"the file is not UTF-8 text (line {line}, byte {error.start}): save it as 'CSV UTF-8'",
        )
        return feed
    if "\x00" in text:
        feed.error(path.name, "", "the file holds binary data, not CSV text")
        return feed
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip() for h in reader.fieldnames or []]
    except csv.Error as error:
        feed.error(path.name, "", f"not a readable CSV file: {error}")
        return feed
    if {"id", "organization_id", "name", "status"} <= set(header):
        feed.error(
            path.name,
            "",
            "this looks like one table of an HSDS data package: import the whole package (the folder or .zip "
            "with datapackage.json)",
        )
        return feed
    unknown = [h for h in header if h not in TEMPLATE_COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown or missing:
        if unknown:
            feed.error(path.name, "header", f"unknown column(s): {', '.join(unknown[:10])}")
        if missing:
            feed.error(path.name, "header", f"missing column(s): {', '.join(missing)}")
        feed.error(
            path.name,
            "header",
            f"the first line must name our template's columns: {', '.join(TEMPLATE_COLUMNS)}",
        )
        return feed
    reader.fieldnames = header
    rows = _RowReader(feed)
    progress.start("Reading", None)
    try:
        for number, row in enumerate(reader, 2):
            if None in row:
                feed.error(
                    f"row {number}",
                    "",
                    f"has {len(header) + len(row[None])} cells; the header has {len(header)}",
                )
                continue
            if not any((v or "").strip() for v in row.values()):
                continue
            rows.row(number, {column: restore(value) if value else value for column, value in row.items()})
            progress.advance(1)
    except csv.Error as error:
        feed.error(path.name, "", f"not a readable CSV file: {error}")
    progress.finish()
    if not feed.services and not feed.problems.errors:
        feed.error(path.name, "", "the file holds no services (only a header)")
    return feed


def service_row(service: Any, location: Any | None, *, first: bool) -> dict[str, str]:
    """One spreadsheet row for a service (at one public location); later rows carry only the location."""

    def listing(items: list[str]) -> str:
        return "; ".join(items or [])

    def hhmm(value: time) -> str:
        return value.strftime("%H:%M")

    row = dict.fromkeys(TEMPLATE_COLUMNS, "")
    org = service.organization
    row |= {
        "organisation_id": org.external_id or org.id,
        "organisation": org.name,
        "service_id": service.external_id or service.id,
        "service": service.name,
    }
    if first:
        sessions: dict[tuple[time, time, bool], list[int]] = {}
        for s in sorted(service.sessions, key=lambda s: (s.weekday, s.opens_at)):
            sessions.setdefault((s.opens_at, s.closes_at, s.drop_in), []).append(s.weekday)
        hours = (
            "24/7"
            if service.always_open
            else "; ".join(
                f"{','.join(WEEKDAYS[d] for d in sorted(set(days)))} {hhmm(o)}-{hhmm(c)}{' drop-in' if d else ''}"
                for (o, c, d), days in sessions.items()
            )
        )
        row |= {
            "organisation_description": org.description or "",
            "organisation_website": org.website or "",
            "organisation_email": org.email or "",
            "service": service.name,
            "description": service.description or "",
            "how_to_refer": service.how_to_refer or "",
            "status": service.status,
            "needs": listing(service.need_codes),
            "referral_routes": listing(service.referral_routes),
            "delivery": listing(service.delivery_modes),
            "phones": "; ".join(
                f"{p.number} ({p.label})" if p.label else p.number for p in service.public_phones
            ),
            "email": service.email or "",
            "website": service.website or "",
            "cost": service.cost or "",
            "languages": listing(service.languages),
            "min_age": "" if service.minimum_age is None else str(service.minimum_age),
            "max_age": "" if service.maximum_age is None else str(service.maximum_age),
            "genders": listing(service.genders),
            "catchment_type": service.catchment_type if service.catchment_type != "none" else "",
            "catchment_areas": listing(service.catchment_areas),
            "cohorts": listing(service.cohorts),
            "exclusions": listing(service.exclusions),
            "requires_needs": join_groups(service.requires_needs),
            "eligibility": service.eligibility_summary or "",
            "capacity": service.capacity_status,
            "wait_days": "" if service.wait_days is None else str(service.wait_days),
            "hours": hours,
            "bank_holidays": ("open" if service.open_on_bank_holidays else "closed")
            if service.hours_known
            else "",
            "hours_exceptions": "; ".join(
                f"{e.day.isoformat()} "
                + (
                    "closed"
                    if e.closed or e.opens_at is None or e.closes_at is None
                    else f"{hhmm(e.opens_at)}-{hhmm(e.closes_at)}"
                )
                + (f" ({e.note})" if e.note else "")
                for e in service.exceptions
            ),
            "joint_or_couple": "yes" if service.joint_or_couple else "",
            "requires_gp_registration": "yes" if service.requires_gp_registration else "",
            "alert": service.alert or "",
            "assured_date": service.assured_date.isoformat() if service.assured_date else "",
            "assured_by": service.assured_by or "",
        }
    if location is not None:
        row |= {
            "location_id": location.external_id or location.id,
            "location_name": location.name or "",
            "address": location.address or "",
            "town": location.town or "",
            "postcode": location.postcode or "",
        }
    return row
