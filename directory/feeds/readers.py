"""Read an input file into a ``Feed``: HSDS/ORUK JSON, an HSDS tabular data package, or our spreadsheet.

``read_feed`` works out which it is. JSON is parsed as a stream (``ijson``), one service at a time, so
a feed of 100,000 services never sits in memory as one document.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import ijson

from directory.control_characters import strip_json
from directory.feeds.progress import NoProgress, Progress
from directory.feeds.spreadsheet import TEMPLATE_COLUMNS, read_spreadsheet
from directory.json_depth import GaugedReader, TooDeep
from directory.oruk.parse import HsdsParser
from directory.oruk.records import Feed

Json = dict[str, Any]
SMALL = 32 * 1024 * 1024  # files this small are re-read whole for a precise JSON error message


def _first_byte(path: Path) -> bytes:
    with path.open("rb") as handle:
        while chunk := handle.read(4096):
            stripped = chunk.lstrip(b"\xef\xbb\xbf \t\r\n")
            if stripped:
                return stripped[:1]
    return b""


def detect(path: Path) -> str:
    """``datapackage``, ``json``, ``csv``, ``empty`` or ``unknown``."""
    if path.is_dir():
        return (
            "datapackage"
            if (path / "datapackage.json").exists() or (path / "services.csv").exists()
            else "unknown"
        )
    if path.name == "datapackage.json":
        return "datapackage"
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        return "datapackage" if any(n.endswith("datapackage.json") for n in names) else "unknown"
    first = _first_byte(path)
    if not first:
        return "empty"
    if first in (b"[", b"{"):
        return "json"
    if path.suffix.lower() in (".csv", ".txt") or first.isalpha():
        return "csv"
    return "unknown"


def read_feed(path: Path, *, max_bytes: int, progress: Progress | None = None) -> Feed:
    """Everything in ``path``, with problems noted (never raises for bad input)."""
    progress = progress or NoProgress()
    if not path.exists():
        feed = Feed(kind="unknown")
        feed.error(str(path), "", "no such file or folder")
        return feed
    size = (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        if path.is_dir()
        else path.stat().st_size
    )
    if size > max_bytes:
        feed = Feed(kind="unknown")
        feed.error(
            path.name,
            "",
            f"the file is {size / 1_048_576:.1f} MB; the import limit is {max_bytes / 1_048_576:.1f} MB "
            "(IMPORT_MAX_BYTES)",
        )
        return feed
    kind = detect(path)
    if kind == "json":
        return read_json(path, progress)
    if kind == "datapackage":
        return read_datapackage(path, progress)
    if kind == "csv":
        return read_spreadsheet(path, progress)
    feed = Feed(kind=kind)
    if kind == "empty":
        feed.error(path.name, "", "the file is empty")
    else:
        feed.error(
            path.name,
            "",
            "this is not a file we can import: give an Open Referral UK / HSDS JSON file, an HSDS data package "
            "(a folder or .zip with datapackage.json), or our spreadsheet template saved as CSV UTF-8",
        )
    return feed


# --- JSON -----------------------------------------------------------------------------------------


def _json_error(path: Path, error: Exception) -> str:
    if path.stat().st_size <= SMALL:
        try:
            json.loads(path.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError as decode:
            return f"the file is not UTF-8 text (byte {decode.start})"
        except json.JSONDecodeError as precise:
            return f"not valid JSON: {precise.msg} at line {precise.lineno} column {precise.colno}"
    return f"not valid JSON: {str(error).splitlines()[0]}"


def _envelope(path: Path) -> dict[str, Any]:
    """The top-level scalars of a JSON object (a saved page's ``total_items`` and so on)."""
    found: dict[str, Any] = {}
    with path.open("rb") as handle:
        for prefix, event, value in ijson.parse(handle, use_float=True):
            if prefix == "contents" and event == "start_array":
                if "total_items" in found:
                    break
                continue
            if "." not in prefix and prefix and event in ("number", "string", "boolean"):
                found[prefix] = value
    return found


def read_json(path: Path, progress: Progress) -> Feed:
    """A list of services, or a saved ``/services`` page (``contents``), or one service."""
    feed = Feed(kind="oruk-json")
    parser = HsdsParser(feed)
    first = _first_byte(path)
    prefix = "item" if first == b"[" else "contents.item"
    size = path.stat().st_size
    progress.start("Reading", size)
    count = 0
    try:
        with path.open("rb") as handle:
            position = 0
            gauged = GaugedReader(handle)  # ijson's memory grows with the square of the depth
            for count, item in enumerate(ijson.items(gauged, prefix, use_float=True), 1):
                parser.service(strip_json(item), f"item {count}")  # a NUL cannot be stored
                if count % 500 == 0:
                    now = handle.tell()
                    progress.advance(now - position)
                    position = now
            progress.advance(size - position)
    except TooDeep as error:
        progress.finish()
        feed.error(path.name, "", f"not a feed we can read: {error} (a service needs about a dozen)")
        return feed
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError) as error:
        progress.finish()
        feed.error(path.name, "", _json_error(path, error))
        return feed
    progress.finish()
    if first == b"{":
        envelope = _envelope(path)
        if count == 0 and "contents" not in envelope and not _has_contents(path):
            if size <= SMALL:
                whole = json.loads(path.read_bytes().decode("utf-8-sig"))
                if isinstance(whole, dict) and "id" in whole and "name" in whole:
                    parser.service(strip_json(whole), "the service")
                    return feed
            feed.error(
                path.name,
                "",
                "a JSON object with no `contents`: expected a list of services or a saved /services page",
            )
            return feed
        total = envelope.get("total_items")
        if isinstance(total, int | float) and total > count:
            feed.partial = True
            feed.warn(
                path.name,
                "total_items",
                f"this is one page ({count} of {int(total)} services): its services are imported, but services "
                "missing from it are not retired (import a file holding every service to keep the feed in step)",
            )
    if count == 0 and not feed.problems.errors:
        feed.error(path.name, "", "the file holds no services")
    return feed


def _has_contents(path: Path) -> bool:
    with path.open("rb") as handle:
        for prefix, _event, _value in ijson.parse(handle):
            if prefix == "contents":
                return True
    return False


# --- HSDS tabular data package -----------------------------------------------------------------------


class _Package:
    """Opens the CSVs of a data package in a folder or a zip file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.archive = zipfile.ZipFile(path) if path.is_file() and path.name != "datapackage.json" else None
        if self.archive:
            descriptor = next(n for n in self.archive.namelist() if n.endswith("datapackage.json"))
            self.root = descriptor[: -len("datapackage.json")]
            self.descriptor_text = self.archive.read(descriptor).decode("utf-8-sig")
        else:
            folder = path if path.is_dir() else path.parent
            self.folder = folder
            descriptor_path = folder / "datapackage.json"
            # A folder of HSDS CSVs without a descriptor is read by the standard file names.
            self.descriptor_text = (
                descriptor_path.read_text(encoding="utf-8-sig") if descriptor_path.exists() else "{}"
            )

    @contextmanager
    def open(self, name: str) -> Iterator[IO[str] | None]:
        if self.archive:
            member = self.root + name
            if member not in self.archive.namelist():
                yield None
                return
            with self.archive.open(member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        else:
            file = self.folder / name
            if not file.exists():
                yield None
                return
            with file.open(encoding="utf-8-sig", newline="") as handle:
                yield handle


RESOURCE_FILES = {  # resource name -> file names we look for when the descriptor does not say
    "organization": ("organizations.csv",),
    "service": ("services.csv",),
    "location": ("locations.csv",),
    "address": ("addresses.csv", "address.csv"),
    "phone": ("phones.csv",),
    "schedule": ("schedules.csv", "schedule.csv"),
    "service_at_location": ("service_at_locations.csv", "service_at_location.csv"),
    "service_area": ("service_areas.csv",),
    "language": ("languages.csv",),
    "cost_option": ("cost_options.csv",),
    "attribute": ("attributes.csv", "attribute.csv"),
    "taxonomy_term": ("taxonomy_terms.csv",),
    "taxonomy": ("taxonomies.csv", "taxonomy.csv"),
}
REQUIRED_COLUMNS = {"organization": ("id", "name"), "service": ("id", "name", "status")}


def _rows(package: _Package, paths: dict[str, str], resource: str, feed: Feed) -> list[tuple[int, Json]]:
    """(row number, row) pairs of one resource; an empty list when the package has none."""
    candidates = ([paths[resource]] if resource in paths else []) + list(RESOURCE_FILES[resource])
    for name in candidates:
        with package.open(name) as handle:
            if handle is None:
                continue
            try:
                reader = csv.DictReader(handle)
                header = reader.fieldnames or []
                missing = [c for c in REQUIRED_COLUMNS.get(resource, ()) if c not in header]
                if missing:
                    feed.error(
                        name,
                        "",
                        f"missing column(s) {', '.join(missing)} (the header is {', '.join(header)})",
                    )
                    return []
                return [
                    (
                        number,
                        strip_json({k: v for k, v in row.items() if k is not None and v not in (None, "")}),
                    )
                    for number, row in enumerate(reader, 2)
                ]
            except UnicodeDecodeError as error:
                feed.error(name, "", f"the file is not UTF-8 text (byte {error.start}): save it as CSV UTF-8")
                return []
            except csv.Error as error:
                feed.error(name, "", f"not a readable CSV file: {error}")
                return []
    if resource in REQUIRED_COLUMNS:
        feed.error(package.path.name, "", f"the data package has no {candidates[0]}")
    return []


def read_datapackage(path: Path, progress: Progress) -> Feed:
    """An HSDS 3.0 tabular data package: the CSVs are joined back into nested services."""
    feed = Feed(kind="datapackage")
    try:
        package = _Package(path)
        descriptor = json.loads(package.descriptor_text)
    except (json.JSONDecodeError, UnicodeDecodeError, OSError, StopIteration, RecursionError) as error:
        feed.error("datapackage.json", "", f"cannot read the data package descriptor: {error}")
        return feed
    paths = {
        r["name"]: r["path"]
        for r in descriptor.get("resources", [])
        if isinstance(r, dict) and isinstance(r.get("name"), str) and isinstance(r.get("path"), str)
    }
    tables = {name: _rows(package, paths, name, feed) for name in RESOURCE_FILES}
    if feed.problems.errors:
        return feed

    def by(resource: str, key: str) -> dict[str, list[Json]]:
        grouped: dict[str, list[Json]] = defaultdict(list)
        for _number, row in tables[resource]:
            if row.get(key):
                grouped[row[key]].append(row)
        return grouped

    organizations: dict[str, Json] = {}
    for number, row in tables["organization"]:
        if row.get("id") in organizations:
            feed.error(f"organizations.csv row {number}", "id", f"{row['id']!r} is used twice")
        organizations[row.get("id", "")] = row
    addresses = by("address", "location_id")
    locations = {
        row["id"]: dict(row, addresses=addresses.get(row["id"], []))
        for _n, row in tables["location"]
        if row.get("id")
    }
    links, phones, schedules = (
        by("service_at_location", "service_id"),
        by("phone", "service_id"),
        by("schedule", "service_id"),
    )
    areas, languages, costs = (
        by("service_area", "service_id"),
        by("language", "service_id"),
        by("cost_option", "service_id"),
    )
    attributes = by("attribute", "link_id")
    terms = {row["id"]: row for _n, row in tables["taxonomy_term"] if row.get("id")}
    taxonomies = {row["id"]: row for _n, row in tables["taxonomy"] if row.get("id")}
    parser = HsdsParser(feed, terms, taxonomies)
    progress.start("Reading", len(tables["service"]))
    for number, row in tables["service"]:
        service_id = row.get("id", "")
        service: Json = dict(row)
        if row.get("organization_id") in organizations:
            service["organization"] = organizations[row["organization_id"]]
        service["phones"] = phones.get(service_id, [])
        service["schedules"] = schedules.get(service_id, [])
        service["service_areas"] = areas.get(service_id, [])
        service["languages"] = languages.get(service_id, [])
        service["cost_options"] = costs.get(service_id, [])
        service["attributes"] = attributes.get(service_id, [])
        service["service_at_locations"] = []
        for link in links.get(service_id, []):
            place = locations.get(link.get("location_id", ""))
            if place is None:
                feed.error(
                    f"services.csv row {number}",
                    "service_at_location",
                    f"location {link.get('location_id')!r} is not in locations.csv",
                )
                continue
            service["service_at_locations"].append(dict(link, location=place))
        parser.service(service, f"services.csv row {number}")
        progress.advance(1)
    progress.finish()
    if not tables["service"] and not feed.problems.errors:
        feed.error("services.csv", "", "the data package holds no services")
    return feed


__all__ = ["TEMPLATE_COLUMNS", "detect", "read_feed"]
