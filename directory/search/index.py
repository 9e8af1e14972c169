"""The directory in memory, for search at 100,000 services: word postings, filter columns, places.

Built from a handful of streamed queries (about 4 s and 60 MB for 100,000 services) and rebuilt when
the directory changes: ``fingerprint`` reads the newest ``updated_at`` of services, organisations and
locations (three index probes per search) and the need table's words. A service's ``updated_at``
moves when its needs, phones, hours or locations change too, and a deletion touches what it belonged
to (``freshness.py``). Changes made with raw SQL rather than the ORM are noticed only if they move an
``updated_at`` or a need's words.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import Engine, String, cast, func, select
from sqlalchemy.orm import Session

from directory import geography
from directory.json_lists import codes
from directory.models import (
    Location,
    Need,
    Organization,
    ScheduleException,
    ScheduleSession,
    Service,
    ServiceAtLocation,
    service_need,
)
from directory.search.columns import Columns, ColumnsBuilder
from directory.search.points import LocationPoints
from directory.search.postings import Postings, PostingsBuilder
from directory.search.text import fold

STREAM = {"yield_per": 5_000}
SETTLE_FROM = 5_000  # services: below this a build leaves little to hand back (and tests rebuild often)
MAX_NEEDS = 64  # need codes are bits of a uint64


@dataclass
class DirectoryIndex:
    """Everything search needs about every service, by document number."""

    fingerprint: tuple[Any, ...]
    ids: list[str]
    position: dict[str, int]
    names: list[str]  # folded, for rapidfuzz
    organisations: list[str]  # folded names, indexed by ``columns.organisation``
    organisation_ids: dict[str, int]
    places: list[str]  # folded "town authority district" strings, indexed by ``place_of``
    place_of: np.ndarray  # each document's first location's place, -1 for none
    name_rank: np.ndarray  # alphabetical position of each document's name
    need_bits: dict[str, int]
    postings: Postings
    columns: Columns
    points: LocationPoints

    @property
    def size(self) -> int:
        return len(self.ids)

    def context(self, doc: int) -> str:
        """Name, organisation and place of a document, for re-ranking."""
        place = self.places[self.place_of[doc]] if self.place_of[doc] >= 0 else ""
        return f"{self.names[doc]} {self.organisations[self.columns.organisation[doc]]} {place}"

    def need_codes(self, service_id: str) -> tuple[str, ...]:
        """The need codes a service covers, in taxonomy order (none for a service not indexed)."""
        doc = self.position.get(service_id)
        mask = int(self.columns.needs[doc]) if doc is not None else 0
        return tuple(code for code, bit in self.need_bits.items() if mask & bit)

    def need_mask(self, codes: tuple[str, ...]) -> int:
        found = 0
        for code in codes:
            found |= self.need_bits.get(code, 0)
        return found

    def distances(self, latitude: float, longitude: float) -> np.ndarray:
        """Kilometres from a point to each document's nearest location (inf for none)."""
        return self.points.distances_km(latitude, longitude)


# Built once: constructing it took a third as long as running it, and it runs on every search and match.
_NEWEST_CHANGES = select(
    select(func.max(Service.updated_at)).scalar_subquery(),
    select(func.max(Organization.updated_at)).scalar_subquery(),
    select(func.max(Location.updated_at)).scalar_subquery(),
    # The need words (labels and synonyms) a curator may re-seed: two dozen rows, read whole.
    select(func.aggregate_strings(Need.label + cast(Need.synonyms, String), "|")).scalar_subquery(),
)


def fingerprint(session: Session) -> tuple[Any, ...]:
    """Changes whenever a service, organisation or location is added, changed or deleted (deletions
    touch their organisation: ``freshness.py``), or a need's label or synonyms change. Three index
    probes and the small need table: no row count, which costs milliseconds on PostgreSQL at 100,000
    rows."""
    return tuple(str(value) for value in session.execute(_NEWEST_CHANGES).one())


def need_words(label: str, synonyms: list[str] | None) -> str:
    """What a need means in a search: its label and its synonyms (``seeds/need_synonyms.csv``). A
    service offering the need is found by any of these words, typo-tolerant like every other word,
    scored as a need word (below its name, above its description). The one place a word meets a need."""
    return " ".join([label, *(synonyms or [])])


@lru_cache(maxsize=1024)
def _seconds(text: str | None) -> int:
    """``09:30:00`` (or SQLite's ``09:30:00.000000``) as seconds since midnight; -1 for none."""
    if not text:
        return -1
    return int(text[0:2]) * 3600 + int(text[3:5]) * 60 + int(text[6:8] or 0)


@lru_cache(maxsize=8192)
def _area_words(code: str) -> str:
    """A catchment area (local authority code or postcode district) as words people type."""
    district = geography.districts().get(code)
    if district is not None:
        return f"{code} {geography.authority_name(district.local_authority)}"
    return geography.authority_name(code)


def build(session: Session, stamp: tuple[Any, ...] = ()) -> DirectoryIndex:
    """Read the whole directory (streamed) into a ``DirectoryIndex``."""
    connection = session.connection()
    needs = [
        (code, need_words(label, synonyms))
        for code, label, synonyms in connection.execute(
            select(Need.code, Need.label, Need.synonyms).order_by(Need.position, Need.code)
        )
    ]
    if len(needs) > MAX_NEEDS:
        raise ValueError(f"search supports up to {MAX_NEEDS} need codes, the taxonomy has {len(needs)}")
    need_bits = {code: 1 << n for n, (code, _words) in enumerate(needs)}
    meanings = dict(needs)
    organisation_ids: dict[str, int] = {}
    organisations: list[str] = []
    raw_organisations: list[str] = []
    for org_id, name in connection.execute(select(Organization.id, Organization.name)):
        organisation_ids[org_id] = len(organisations)
        organisations.append(fold(name))
        raw_organisations.append(name)

    words = PostingsBuilder()
    facts = ColumnsBuilder(need_bits)
    ids: list[str] = []
    names: list[str] = []
    position: dict[str, int] = {}
    services = select(
        Service.id,
        Service.status,
        Service.name,
        Service.organization_id,
        Service.description,
        Service.minimum_age,
        Service.maximum_age,
        cast(Service.genders, String),
        cast(Service.referral_routes, String),
        cast(Service.delivery_modes, String),
        Service.catchment_type,
        cast(Service.catchment_areas, String),
        Service.always_open,
        Service.open_on_bank_holidays,
        Service.updated_at,
    )
    for row in connection.execute(services, execution_options=STREAM):
        (sid, status, name, org_id, description, low, high, genders, routes, delivery) = row[:10]
        (catchment_type, catchment, always, bank_open, updated) = row[10:]
        organisation = organisation_ids.get(org_id, -1)
        areas = codes(catchment)
        new_doc = facts.service(
            status=status,
            min_age=low,
            max_age=high,
            genders=codes(genders),
            routes=codes(routes),
            delivery=codes(delivery),
            organisation=organisation,
            updated=updated,
            always_open=bool(always),
            bank_holidays_open=bool(bank_open),
            catchment_type=catchment_type,
            catchment_areas=areas,
        )
        position[sid] = new_doc
        ids.append(sid)
        names.append(fold(name))
        words.add(new_doc, "name", name)
        if organisation >= 0:
            words.add(new_doc, "organisation", raw_organisations[organisation])
        words.add(new_doc, "description", description or "")
        if areas:
            words.add(new_doc, "place", " ".join(_area_words(code) for code in areas))

    for sid, code in connection.execute(
        select(service_need.c.service_id, service_need.c.need_code), execution_options=STREAM
    ):
        doc = position.get(sid)
        if doc is not None:
            facts.need(doc, code)
            words.add(doc, "need", meanings.get(code, ""), repeated=True)

    places: dict[str, int] = {}
    place_of = np.full(len(ids), -1, dtype=np.int32)
    loc_doc, loc_lat, loc_lon = [], [], []
    located = select(
        ServiceAtLocation.service_id,
        Location.town,
        Location.local_authority,
        Location.postcode_district,
        Location.latitude,
        Location.longitude,
    ).join(Location, Location.id == ServiceAtLocation.location_id)
    for sid, town, authority, district, lat, lon in connection.execute(located, execution_options=STREAM):
        doc = position.get(sid)
        if doc is None:
            continue
        text = " ".join(p for p in (town, geography.authority_name(authority), district) if p)
        words.add(doc, "place", text)
        if place_of[doc] < 0:
            place_of[doc] = places.setdefault(fold(text), len(places))
        facts.location(doc, authority)
        if lat is not None and lon is not None:
            loc_doc.append(doc)
            loc_lat.append(lat)
            loc_lon.append(lon)

    sessions = select(
        ScheduleSession.service_id,
        ScheduleSession.weekday,
        cast(ScheduleSession.opens_at, String),
        cast(ScheduleSession.closes_at, String),
    )
    for sid, weekday, opens, closes in connection.execute(sessions, execution_options=STREAM):
        doc = position.get(sid)
        if doc is not None:
            facts.session(doc, weekday, _seconds(opens), _seconds(closes))
    exceptions = select(
        ScheduleException.service_id,
        ScheduleException.day,
        ScheduleException.closed,
        cast(ScheduleException.opens_at, String),
        cast(ScheduleException.closes_at, String),
    )
    for sid, day, closed, opens, closes in connection.execute(exceptions, execution_options=STREAM):
        doc = position.get(sid)
        if doc is not None:
            facts.exceptions.append((doc, day.toordinal(), bool(closed), _seconds(opens), _seconds(closes)))

    name_rank = np.empty(len(ids), dtype=np.int32)
    name_rank[sorted(range(len(ids)), key=names.__getitem__)] = np.arange(len(ids), dtype=np.int32)
    return DirectoryIndex(
        fingerprint=stamp,
        ids=ids,
        position=position,
        names=names,
        organisations=organisations,
        organisation_ids=organisation_ids,
        places=list(places),
        place_of=place_of,
        name_rank=name_rank,
        need_bits=need_bits,
        postings=words.build(len(ids)),
        columns=facts.build(),
        points=LocationPoints(loc_doc, loc_lat, loc_lon, len(ids)),
    )


_cache: dict[str, DirectoryIndex] = {}
_lock = threading.Lock()


def current_index(session: Session) -> DirectoryIndex:
    """The index for this session's database, rebuilt first if the directory changed."""
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    stamp = fingerprint(session)
    index = _cache.get(key)
    if index is not None and index.fingerprint == stamp:
        return index
    with _lock:
        index = _cache.get(key)
        if index is None or index.fingerprint != stamp:
            _cache.pop(key, None)  # let the old index go before the new one is built
            index = build(session, stamp)
            _cache[key] = index
            if index.size >= SETTLE_FROM:
                settle_memory()
    return index


def settle_memory() -> None:
    """After a build: collect its garbage, then freeze what is left out of the cyclic collector's
    sight (a full collection over a worker's long-lived objects takes tens of milliseconds, and would
    land in some unlucky request), and hand freed memory back to the operating system (glibc keeps it
    otherwise, and a worker would stay at its building peak). Frozen objects are still freed by
    reference counting when the next build replaces them."""
    gc.collect()
    gc.freeze()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to hand back
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def is_built(engine: Engine) -> bool:
    """Whether this process holds an index for ``engine``'s database (perhaps a change behind: the next
    search brings it up to date). What ``/healthz`` calls ready; it reads memory only."""
    return engine.url.render_as_string(hide_password=True) in _cache
