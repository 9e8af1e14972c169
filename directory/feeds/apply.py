"""Write a validated feed in bulk: a handful of set-based statements, not one ORM round trip per row.

Records match the database by ``source`` + ``external_id``. New records keep the feed's UUID as their id
when it is free (so a directory exported and imported elsewhere keeps its ids). An existing service whose
feed record has the same digest as last time (``feed_hash``) and has no hand corrections is unchanged
without further comparison; others are compared field by field. Fields in ``curated_fields`` keep the
curator's value unless ``overwrite``; either way a difference is reported as a conflict. Services of the
source missing from the feed are retired (status ``inactive``), never deleted.

Nothing here commits: the caller decides (dry runs roll back).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any, TypeVar

from sqlalchemy import JSON, Connection, Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from directory.db import Base
from directory.feeds.report import Conflict, ImportReport
from directory.models import (
    Location,
    Organization,
    Phone,
    ScheduleException,
    ScheduleSession,
    Service,
    ServiceAtLocation,
    service_need,
)
from directory.models.base import utcnow
from directory.oruk.records import HOURS_FIELDS, SERVICE_FIELDS, Feed, ServiceRecord
from directory.oruk.text import IdMaker, is_uuid, normal_uuid

CHUNK = 500
T = TypeVar("T")


def _table(model: type[Base]) -> Table:
    """The model's table (the declarative base types ``__table__`` as any FROM clause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


SERVICE = _table(Service)
ORG = _table(Organization)
LOCATION = _table(Location)
LINK = _table(ServiceAtLocation)
PHONE = _table(Phone)
SESSION = _table(ScheduleSession)
EXCEPTION = _table(ScheduleException)
NEED = service_need

ORG_FIELDS = ("name", "description", "website", "email")
LOCATION_FIELDS = (
    "organization_id",
    "name",
    "description",
    "address",
    "town",
    "postcode",
    "postcode_district",
    "latitude",
    "longitude",
    "local_authority",
    "confidential",
)
SCALAR_FIELDS = (*SERVICE_FIELDS, "organization_id")


def chunks(items: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def record_hash(record: ServiceRecord, org_id: str, location_ids: list[str]) -> str:
    """A digest of everything the feed says about a service (``repr`` of plain values is stable)."""
    payload = (
        [record.values[k] for k in SERVICE_FIELDS],
        org_id,
        sorted(record.needs),
        record.phones,
        record.sessions,
        record.exceptions,
        sorted(location_ids),
    )
    return hashlib.sha256(repr(payload).encode()).hexdigest()


@dataclass
class _Children:
    """A service's rows in child tables, in a comparable form."""

    needs: list[str]
    phones: list[tuple[str, str, bool]]
    hours: tuple[list[Any], list[Any], bool, bool, bool]
    locations: list[str]


class BulkWriter:
    """Applies one feed for one source inside the session's transaction."""

    def __init__(
        self,
        session: Session,
        feed: Feed,
        source: str,
        report: ImportReport,
        *,
        overwrite: bool = False,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.conn: Connection = session.connection()
        self.feed = feed
        self.source = source
        self.report = report
        self.overwrite = overwrite
        self.dry_run = dry_run  # decide and count everything, write nothing
        self.progress = progress or (lambda _n: None)
        self.now = utcnow()
        self.make_id = IdMaker()
        self.org_ids: dict[str, str] = {}
        self.location_ids: dict[str, str] = {}

    # --- helpers --------------------------------------------------------------------------------

    def _free_ids(self, table: Table, candidates: Iterable[str]) -> set[str]:
        """The candidate UUIDs not yet used as ids in ``table``."""
        wanted = list({normal_uuid(c) for c in candidates if is_uuid(c)})
        taken: set[str] = set()
        for part in chunks(wanted):
            taken.update(self.conn.scalars(select(table.c.id).where(table.c.id.in_(part))))
        return set(wanted) - taken

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if self.dry_run or not rows:
            return
        if self.conn.dialect.name == "postgresql":
            self._copy(table, rows)
            return
        for part in chunks(rows, 5000):
            self.conn.execute(table.insert(), part)

    def _copy(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """PostgreSQL's COPY: many times faster than INSERTs for bulk loads."""
        columns = list(rows[0])
        as_json = {c for c in columns if isinstance(table.c[c].type, JSON)}
        raw = self.conn.connection.driver_connection  # psycopg's connection; SQLAlchemy types it Any | None
        names = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row([json.dumps(row[c]) if c in as_json else row[c] for c in columns])

    def _update(self, table: Table, rows: list[dict[str, Any]], *, bump_version: bool = False) -> None:
        """Update rows by ``_id``; rows are grouped by the columns they set."""
        if self.dry_run:
            return
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(tuple(sorted(k for k in row if k != "_id")), []).append(row)
        for columns, group in groups.items():
            statement = update(table).where(table.c.id == bindparam("_id"))
            values: dict[str, Any] = {c: bindparam(c) for c in columns}
            if bump_version:
                values["version"] = table.c.version + 1
            for part in chunks(group, 5000):
                self.conn.execute(statement.values(values), part)

    def _delete_children(self, service_ids: list[str], tables: Iterable[Table]) -> None:
        if self.dry_run:
            return
        for table in tables:
            for part in chunks(service_ids):
                self.conn.execute(delete(table).where(table.c.service_id.in_(part)))

    def _new_id(self, feed_id: str, free: set[str]) -> str:
        if is_uuid(feed_id) and normal_uuid(feed_id) in free:
            free.discard(normal_uuid(feed_id))
            return normal_uuid(feed_id)
        return self.make_id()

    # --- organisations and locations ------------------------------------------------------------

    def organizations(self) -> None:
        records = {
            key: {
                "name": org.name,
                "description": org.description,
                "website": org.website,
                "email": org.email,
            }
            for key, org in self.feed.organizations.items()
        }
        self._upsert(ORG, ORG_FIELDS, "organisations", records, self.org_ids)

    def locations(self) -> None:
        records = {
            key: {
                "organization_id": self.org_ids.get(place.org_key or ""),
                "name": place.name,
                "description": place.description,
                "address": place.address,
                "town": place.town,
                "postcode": place.postcode,
                "postcode_district": place.postcode_district,
                "latitude": place.latitude,
                "longitude": place.longitude,
                "local_authority": place.local_authority,
                "confidential": place.confidential,
            }
            for key, place in self.feed.locations.items()
        }
        self._upsert(LOCATION, LOCATION_FIELDS, "locations", records, self.location_ids)

    def _upsert(
        self,
        table: Any,
        fields: Sequence[str],
        kind: str,
        records: dict[str, dict[str, Any]],
        ids: dict[str, str],
    ) -> None:
        """Insert new records and update changed ones of ``table`` for this source, by external id;
        fill ``ids`` (external id -> our id) and count each record in the report as ``kind``."""
        existing = {
            row.external_id: row
            for row in self.conn.execute(
                select(table.c.id, table.c.external_id, *[table.c[f] for f in fields]).where(
                    table.c.source == self.source
                )
            )
        }
        free = self._free_ids(table, (k for k in records if k not in existing))
        inserts, updates = [], []
        for key, values in records.items():
            row = existing.get(key)
            if row is None:
                ids[key] = self._new_id(key, free)
                inserts.append(
                    {
                        "id": ids[key],
                        "source": self.source,
                        "external_id": key,
                        "created_at": self.now,
                        "updated_at": self.now,
                    }
                    | values
                )
                self.report.count(kind, "created")
                continue
            ids[key] = row.id
            if any(getattr(row, f) != values[f] for f in fields):
                updates.append({"_id": row.id, "updated_at": self.now} | values)
                self.report.count(kind, "updated")
            else:
                self.report.count(kind, "unchanged")
        self.insert(table, inserts)
        self._update(table, updates)

    # --- services -------------------------------------------------------------------------------

    def services(self) -> None:
        existing = {
            row.external_id: row
            for row in self.conn.execute(
                select(
                    SERVICE.c.id,
                    SERVICE.c.external_id,
                    SERVICE.c.feed_hash,
                    SERVICE.c.curated_fields,
                    SERVICE.c.status,
                ).where(SERVICE.c.source == self.source)
            )
        }
        new_records = [r for r in self.feed.services if r.key not in existing]
        free_services = self._free_ids(SERVICE, (r.key for r in new_records))
        free_links = self._free_ids(LINK, (i for r in new_records for i in r.link_ids.values()))
        del new_records
        inserts: list[dict[str, Any]] = []
        children = _ChildRows(self.location_ids, self.make_id)
        to_compare: list[tuple[ServiceRecord, Any, str]] = []
        keys = {r.key for r in self.feed.services}
        records = self.feed.services
        done = 0
        for position, record in enumerate(records):
            # Let go of each record once written (memory stays flat on big feeds); changed ones are kept.
            records[position] = None  # type: ignore[call-overload]  # freed slot, never read again
            org_id = self.org_ids[record.org_key]
            location_ids = [self.location_ids[k] for k in record.location_keys]
            digest = record_hash(record, org_id, location_ids)
            row = existing.get(record.key)
            if row is None:
                service_id = self._new_id(record.key, free_services)
                inserts.append(
                    {
                        "id": service_id,
                        "source": self.source,
                        "external_id": record.key,
                        "organization_id": org_id,
                        "feed_hash": digest,
                        "curated_fields": [],
                        "version": 1,
                        "created_at": self.now,
                        "updated_at": self.now,
                    }
                    | record.values
                )
                children.add(service_id, record, free_links=free_links)
                self.report.count("services", "created")
            elif row.feed_hash == digest and not row.curated_fields:
                self.report.count("services", "unchanged")
            else:
                to_compare.append((record, row, digest))
            done += 1
            if done % 1000 == 0:
                self.progress(1000)
            if len(inserts) >= CHUNK * 10:
                self.insert(SERVICE, inserts)
                children.insert(self)
                inserts.clear()
        self.progress(done % 1000)
        self.insert(SERVICE, inserts)
        children.insert(self)
        self.feed.services = []
        self._compare(to_compare)
        if not self.feed.partial:
            self._retire(keys, existing)

    def _current(self, ids: list[str]) -> tuple[dict[str, Any], dict[str, _Children]]:
        """Scalar values and children of these services, as stored."""
        rows: dict[str, Any] = {}
        kids: dict[str, _Children] = {}
        for part in chunks(ids):
            for row in self.conn.execute(select(SERVICE).where(SERVICE.c.id.in_(part))):
                rows[row.id] = row
                kids[row.id] = _Children(
                    [], [], ([], [], row.always_open, row.open_on_bank_holidays, row.hours_known), []
                )
            for service_id, code in self.conn.execute(
                select(NEED.c.service_id, NEED.c.need_code).where(NEED.c.service_id.in_(part))
            ):
                kids[service_id].needs.append(code)
            for row in self.conn.execute(
                select(PHONE)
                .where(PHONE.c.service_id.in_(part))
                .order_by(PHONE.c.service_id, PHONE.c.position)
            ):
                kids[row.service_id].phones.append((row.number, row.label, row.professional_only))
            for row in self.conn.execute(select(SESSION).where(SESSION.c.service_id.in_(part))):
                kids[row.service_id].hours[0].append((row.weekday, row.opens_at, row.closes_at, row.drop_in))
            for row in self.conn.execute(select(EXCEPTION).where(EXCEPTION.c.service_id.in_(part))):
                kids[row.service_id].hours[1].append(
                    (row.day, row.closed, row.opens_at, row.closes_at, row.note)
                )
            for service_id, location_id in self.conn.execute(
                select(LINK.c.service_id, LINK.c.location_id).where(LINK.c.service_id.in_(part))
            ):
                kids[service_id].locations.append(location_id)
        for found in kids.values():
            found.needs.sort()
            found.locations.sort()
            found.hours[0].sort()
            found.hours[1].sort(key=_exception_key)
        return rows, kids

    def _compare(self, items: list[tuple[ServiceRecord, Any, str]]) -> None:
        if not items:
            return
        rows, kids = self._current([row.id for _record, row, _digest in items])
        updates: list[dict[str, Any]] = []
        hash_only: list[dict[str, Any]] = []
        replace: dict[str, list[str]] = {name: [] for name in GROUPS}
        children = _ChildRows(self.location_ids, self.make_id)
        for record, summary, digest in items:
            stored, current = rows[summary.id], kids[summary.id]
            curated = set(summary.curated_fields or [])
            wanted = dict(record.values) | {"organization_id": self.org_ids[record.org_key]}
            location_ids = sorted(self.location_ids[k] for k in record.location_keys)
            feed_children = _Children(
                sorted(record.needs),
                list(record.phones),
                (
                    sorted(record.sessions),
                    sorted(record.exceptions, key=_exception_key),
                    wanted["always_open"],
                    wanted["open_on_bank_holidays"],
                    wanted["hours_known"],
                ),
                location_ids,
            )
            changes: dict[str, Any] = {}
            overwritten: set[str] = set()
            for name in SCALAR_FIELDS:
                if name in HOURS_FIELDS:
                    continue
                curation_name = "organization" if name == "organization_id" else name
                if getattr(stored, name) == wanted[name]:
                    continue
                if curation_name in curated:
                    self._conflict(record, stored, curation_name, getattr(stored, name), wanted[name])
                    if not self.overwrite:
                        continue
                    overwritten.add(curation_name)
                changes[name] = wanted[name]
            groups: list[str] = []
            for name in GROUPS:
                ours, theirs = getattr(current, name), getattr(feed_children, name)
                if ours == theirs:
                    continue
                if name in curated:
                    self._conflict(record, stored, name, ours, theirs)
                    if not self.overwrite:
                        continue
                    overwritten.add(name)
                replace[name].append(stored.id)
                groups.append(name)
                if name == "hours":
                    changes.update({f: wanted[f] for f in HOURS_FIELDS})
            touched = bool(changes) or bool(groups)
            if overwritten:
                changes["curated_fields"] = sorted(curated - overwritten)
            if touched:
                updates.append({"_id": stored.id, "feed_hash": digest, "updated_at": self.now} | changes)
                children.add(stored.id, record, groups)
                self.report.count("services", "updated")
            else:
                if stored.feed_hash != digest:
                    hash_only.append({"_id": stored.id, "feed_hash": digest})
                self.report.count("services", "unchanged")
        self._update(SERVICE, updates, bump_version=True)
        self._update(SERVICE, hash_only)
        self._delete_children(replace["needs"], [NEED])
        self._delete_children(replace["phones"], [PHONE])
        self._delete_children(replace["hours"], [SESSION, EXCEPTION])
        self._delete_children(replace["locations"], [LINK])
        children.insert(self)

    def _conflict(self, record: ServiceRecord, stored: Any, field: str, ours: Any, theirs: Any) -> None:
        self.report.conflicts.append(
            Conflict(record.key, stored.name, field, _show(ours), _show(theirs), overwritten=self.overwrite)
        )

    def _retire(self, keys: set[str], existing: dict[str, Any]) -> None:
        gone = [
            row.id
            for key, row in existing.items()
            if key not in keys and row.status not in ("inactive", "defunct")
        ]
        rows = [{"_id": i, "status": "inactive", "feed_hash": None, "updated_at": self.now} for i in gone]
        self._update(SERVICE, rows, bump_version=True)
        self.report.count("services", "retired", len(gone))

    def run(self) -> None:
        self.organizations()
        self.locations()
        self.services()


GROUPS = ("needs", "phones", "hours", "locations")


class _ChildRows:
    """Rows for child tables, gathered for one bulk insert each."""

    def __init__(self, location_ids: dict[str, str], make_id: IdMaker) -> None:
        self.location_ids = location_ids
        self.make_id = make_id
        self.clear()

    def clear(self) -> None:
        self.needs: list[dict[str, Any]] = []
        self.phones: list[dict[str, Any]] = []
        self.sessions: list[dict[str, Any]] = []
        self.exceptions: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []

    def add(
        self,
        service_id: str,
        record: ServiceRecord,
        groups: Iterable[str] = GROUPS,
        free_links: set[str] | None = None,
    ) -> None:
        """Rows of ``groups`` (needs, phones, hours, locations) for one service."""
        groups = set(groups)
        if "needs" in groups:
            self.needs += [{"service_id": service_id, "need_code": code} for code in record.needs]
        if "phones" in groups:
            self.phones += [
                {
                    "id": self.make_id(),
                    "service_id": service_id,
                    "number": number,
                    "label": label,
                    "professional_only": professional,
                    "position": position,
                }
                for position, (number, label, professional) in enumerate(record.phones)
            ]
        if "hours" in groups:
            self.sessions += [
                {
                    "id": self.make_id(),
                    "service_id": service_id,
                    "weekday": w,
                    "opens_at": o,
                    "closes_at": c,
                    "drop_in": d,
                }
                for w, o, c, d in record.sessions
            ]
            self.exceptions += [
                {
                    "id": self.make_id(),
                    "service_id": service_id,
                    "day": day,
                    "closed": closed,
                    "opens_at": opens,
                    "closes_at": closes,
                    "note": note,
                }
                for day, closed, opens, closes, note in record.exceptions
            ]
        if "locations" in groups:
            free = free_links if free_links is not None else set()
            for key in record.location_keys:
                link_id = record.link_ids.get(key, "")
                chosen = (
                    normal_uuid(link_id)
                    if is_uuid(link_id) and normal_uuid(link_id) in free
                    else self.make_id()
                )
                free.discard(chosen)
                self.links.append(
                    {"id": chosen, "service_id": service_id, "location_id": self.location_ids[key]}
                )

    def insert(self, writer: BulkWriter) -> None:
        for table, rows in (
            (NEED, self.needs),
            (PHONE, self.phones),
            (SESSION, self.sessions),
            (EXCEPTION, self.exceptions),
            (LINK, self.links),
        ):
            writer.insert(table, rows)
        self.clear()


def _exception_key(item: tuple[Any, ...]) -> tuple[Any, ...]:
    return (item[0], item[2] or time(0))


def _show(value: Any) -> str:
    if isinstance(value, _Children):
        return repr(value)
    if isinstance(value, list | tuple):
        return json.dumps(value, default=str)
    return "" if value is None else str(value)
