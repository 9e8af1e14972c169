"""The directory in open formats: ORUK/HSDS 3.0 JSON, an HSDS tabular data package, our spreadsheet.

Every format is built from ``directory.oruk.serialise`` (or, for the spreadsheet, leaves out the same
things), so confidential locations and professional-only phones are never exported. Services are read
in batches, so memory stays flat however big the directory is.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.csv_safety import inert
from directory.feeds.spreadsheet import TEMPLATE_COLUMNS, service_row
from directory.models import Need, Service
from directory.oruk import serialise, vocab
from directory.oruk.loading import full_service_options

FORMATS = ("oruk", "datapackage", "csv")
SCHEMAS = Path(__file__).resolve().parent.parent / "oruk" / "schemas"
BATCH = 500
Json = dict[str, Any]


def iter_services(session: Session) -> Iterator[Service]:
    """Every service with everything it needs for serialising, in a stable order (name, then id)."""
    ids = list(session.scalars(select(Service.id).order_by(Service.name, Service.id)))
    for start in range(0, len(ids), BATCH):
        part = ids[start : start + BATCH]
        loaded = {
            s.id: s
            for s in session.scalars(
                select(Service).where(Service.id.in_(part)).options(*full_service_options())
            )
        }
        for service_id in part:
            yield loaded[service_id]
        session.expunge_all()


def write_oruk(session: Session, out: IO[str]) -> int:
    """A JSON list of fully nested HSDS 3.0 services; returns how many."""
    count = 0
    out.write("[")
    for service in iter_services(session):
        out.write(",\n" if count else "\n")
        out.write(json.dumps(serialise.service_full(service), ensure_ascii=False, sort_keys=True))
        count += 1
    out.write("\n]\n")
    return count


def write_spreadsheet(session: Session, out: IO[str]) -> int:
    """Our spreadsheet template as CSV, one row per service plus one per further public location."""
    writer = csv.DictWriter(out, fieldnames=list(TEMPLATE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    count = 0
    for service in iter_services(session):
        public = [link.location for link in service.location_links if not link.location.confidential]
        public.sort(key=lambda place: (place.name, place.id))
        writer.writerow(_inert(service_row(service, public[0] if public else None, first=True)))
        for place in public[1:]:
            writer.writerow(_inert(service_row(service, place, first=False)))
        count += 1
    return count


def _inert(row: dict[str, str]) -> dict[str, str]:
    # An agency editor's text (an alert publishes at once) must not run as a formula when opened.
    return {column: inert(value) for column, value in row.items()}


# --- data package ---------------------------------------------------------------------------------

PACKAGE_RESOURCES = (
    "organization",
    "service",
    "location",
    "address",
    "phone",
    "schedule",
    "service_at_location",
    "service_area",
    "language",
    "cost_option",
    "attribute",
    "taxonomy",
    "taxonomy_term",
)


def package_descriptor() -> Json:
    """The HSDS 3.0 data package descriptor, with only the resources we write."""
    descriptor: Json = json.loads((SCHEMAS / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in PACKAGE_RESOURCES]
    descriptor["name"] = "diversion_directory"
    descriptor["title"] = "Diversion Directory (HSDS 3.0 tabular data package)"
    return descriptor


class _Tables:
    """CSV writers, one per resource, with the descriptor's columns in order."""

    def __init__(self, descriptor: Json) -> None:
        self.buffers: dict[str, io.StringIO] = {}
        self.writers: dict[str, csv.DictWriter[str]] = {}
        self.paths: dict[str, str] = {}
        self.seen: dict[str, set[str]] = {name: set() for name in PACKAGE_RESOURCES}
        for resource in descriptor["resources"]:
            name = resource["name"]
            columns = [f["name"] for f in resource["schema"]["fields"]]
            self.buffers[name] = io.StringIO()
            self.writers[name] = csv.DictWriter(
                self.buffers[name], fieldnames=columns, extrasaction="ignore", lineterminator="\n"
            )
            self.writers[name].writeheader()
            self.paths[name] = resource["path"]

    def row(self, resource: str, item: Json, **extra: Any) -> None:
        if item["id"] in self.seen[resource]:
            return
        self.seen[resource].add(item["id"])
        flat = {k: v for k, v in (item | extra).items() if not isinstance(v, list | dict)}
        self.writers[resource].writerow(flat)


def _package_rows(tables: _Tables, item: Json) -> None:
    service_id = item["id"]
    tables.row("organization", item["organization"])
    tables.row("service", item)
    for phone in item["phones"]:
        tables.row("phone", phone)
    for schedule in item["schedules"]:
        tables.row("schedule", schedule)
    for area in item["service_areas"]:
        tables.row("service_area", area)
    for language in item["languages"]:
        tables.row("language", language)
    for option in item["cost_options"]:
        tables.row("cost_option", option)
    for attribute in item["attributes"]:
        tables.row("attribute", attribute)
    for link in item["service_at_locations"]:
        place = link["location"]
        tables.row("service_at_location", link, service_id=service_id)
        tables.row("location", place)
        for address in place["addresses"]:
            tables.row("address", address)


def write_datapackage(session: Session, target: Path) -> int:
    """A data package in folder ``target`` (or a .zip file when it ends in .zip); returns services written."""
    descriptor = package_descriptor()
    tables = _Tables(descriptor)
    count = 0
    for service in iter_services(session):
        _package_rows(tables, serialise.service_full(service))
        count += 1
    tables.row("taxonomy", serialise.needs_taxonomy())
    tables.row("taxonomy", serialise.fields_taxonomy())
    for need in session.scalars(select(Need).order_by(Need.position)):
        tables.row("taxonomy_term", serialise.need_term(need))
    for field in vocab.FIELDS:
        tables.row("taxonomy_term", serialise.field_term(field))
    files = {"datapackage.json": json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"}
    files |= {tables.paths[name]: buffer.getvalue() for name, buffer in tables.buffers.items()}
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
    else:
        target.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (target / name).write_text(text, encoding="utf-8")
    return count
