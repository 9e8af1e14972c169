"""The filterable facts of every service as numpy columns, so filters cost microseconds at 100,000.

Each filter here answers exactly what its SQL twin in ``filters.py`` answers (the tests check they
agree); the SQL versions are what a plain database query costs, the benchmark compares the two.
"Open now" follows ``open_now.py``, which follows ``matcher.hours``: weekly sessions by weekday with
times in seconds since midnight, dated exceptions, bank holidays.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from directory.geography import Place
from directory.hours import bank_holidays
from matcher.vocabulary import LONDON, Delivery, Gender, Route, ServiceStatus

# Keyed by the enum members, looked up by the plain codes stored in JSON lists (each member is its code).
ROUTE_BITS: dict[str, int] = {route: 1 << n for n, route in enumerate(Route)}
DELIVERY_BITS: dict[str, int] = {mode: 1 << n for n, mode in enumerate(Delivery)}
GENDER_BITS: dict[str, int] = {gender: 1 << n for n, gender in enumerate(Gender)}
STATUSES = tuple(ServiceStatus)  # a service's status is stored as its position here
SELF_REFERRAL = ROUTE_BITS[Route.SELF] | ROUTE_BITS[Route.DROP_IN]
NO_MINIMUM, NO_MAXIMUM = -1, 32_767


def bits(values: tuple[str, ...], table: dict[str, int]) -> int:
    """``values`` as a bit set (values outside ``table`` are ignored)."""
    found = 0
    for value in values:
        found |= table.get(value, 0)
    return found


class ColumnsBuilder:
    """Per-service facts appended in document order (in compact arrays), then frozen into ``Columns``."""

    def __init__(self, need_bits: dict[str, int]) -> None:
        self.need_bits = need_bits
        self.status, self.genders, self.routes, self.delivery = array("B"), array("B"), array("B"), array("B")
        self.needs = array("Q")
        self.min_age, self.max_age = array("h"), array("h")
        self.organisation = array("i")
        self.updated = array("d")
        self.always_open, self.bank_holidays_open, self.catchment_none = array("B"), array("B"), array("B")
        self.area_sets: dict[tuple[str, ...], int] = {}  # each distinct catchment once
        self.catchment = array("i")  # index into area_sets of a residence or GP rule, -1 for none
        self.service_area = array("i")  # index into area_sets of any areas named, -1 for none
        self.located = array("i")
        self.authority_docs: dict[str, array[int]] = {}  # local authority code -> documents located there
        self.session_doc, self.session_day = array("i"), array("b")
        self.session_opens, self.session_closes = array("i"), array("i")
        self.exceptions: list[tuple[int, int, bool, int, int]] = []  # doc, day ordinal, closed, opens, closes

    def service(
        self,
        *,
        status: str,
        min_age: int | None,
        max_age: int | None,
        genders: tuple[str, ...],
        routes: tuple[str, ...],
        delivery: tuple[str, ...],
        organisation: int,
        updated: datetime | None,
        always_open: bool,
        bank_holidays_open: bool,
        catchment_type: str,
        catchment_areas: tuple[str, ...],
    ) -> int:
        """Add one service's facts; returns its document number."""
        doc = len(self.status)
        self.status.append(STATUSES.index(status) if status in STATUSES else 255)
        self.needs.append(0)
        self.min_age.append(NO_MINIMUM if min_age is None else min_age)
        self.max_age.append(NO_MAXIMUM if max_age is None else max_age)
        self.genders.append(bits(genders, GENDER_BITS))
        self.routes.append(bits(routes, ROUTE_BITS))
        self.delivery.append(bits(delivery, DELIVERY_BITS))
        self.organisation.append(organisation)
        if updated is not None and updated.tzinfo is None:
            updated = updated.replace(tzinfo=UTC)  # SQLite hands back naive UTC
        self.updated.append(updated.timestamp() if updated else 0.0)
        self.always_open.append(always_open)
        self.bank_holidays_open.append(bank_holidays_open)
        none = catchment_type == "none" or not catchment_areas
        self.catchment_none.append(none)
        named = self.area_sets.setdefault(catchment_areas, len(self.area_sets)) if catchment_areas else -1
        self.catchment.append(-1 if none else named)
        self.service_area.append(named)
        return doc

    def need(self, doc: int, code: str) -> None:
        self.needs[doc] |= self.need_bits.get(code, 0)

    def location(self, doc: int, authority: str | None) -> None:
        """Document ``doc`` has a location (in local authority ``authority``, when known)."""
        self.located.append(doc)
        if authority:
            self.authority_docs.setdefault(authority, array("i")).append(doc)

    def session(self, doc: int, weekday: int, opens: int, closes: int) -> None:
        self.session_doc.append(doc)
        self.session_day.append(weekday)
        self.session_opens.append(opens)
        self.session_closes.append(closes)

    def build(self) -> Columns:
        size = len(self.status)
        located = np.zeros(size, dtype=bool)
        located[np.frombuffer(self.located, dtype=np.int32) if len(self.located) else []] = True
        days = np.array(self.session_day, dtype=np.int8)
        order = np.argsort(days, kind="stable")
        exceptions = np.array(self.exceptions, dtype=np.int64).reshape(-1, 5)
        return Columns(
            size=size,
            status=np.array(self.status, dtype=np.uint8),
            needs=np.array(self.needs, dtype=np.uint64),
            min_age=np.array(self.min_age, dtype=np.int16),
            max_age=np.array(self.max_age, dtype=np.int16),
            genders=np.array(self.genders, dtype=np.uint8),
            routes=np.array(self.routes, dtype=np.uint8),
            delivery=np.array(self.delivery, dtype=np.uint8),
            organisation=np.array(self.organisation, dtype=np.int32),
            updated=np.array(self.updated, dtype=np.float64),
            always_open=np.array(self.always_open, dtype=bool),
            bank_holidays_open=np.array(self.bank_holidays_open, dtype=bool),
            catchment_none=np.array(self.catchment_none, dtype=bool),
            catchment=np.array(self.catchment, dtype=np.int32),
            service_area=np.array(self.service_area, dtype=np.int32),
            area_sets=[frozenset(areas) for areas in self.area_sets],
            located=located,
            authority_docs={
                code: np.array(docs, dtype=np.int32) for code, docs in self.authority_docs.items()
            },
            session_doc=np.array(self.session_doc, dtype=np.int32)[order],
            session_opens=np.array(self.session_opens, dtype=np.int32)[order],
            session_closes=np.array(self.session_closes, dtype=np.int32)[order],
            day_starts=np.searchsorted(days[order], np.arange(8)),
            exception_doc=exceptions[:, 0].astype(np.int32),
            exception_day=exceptions[:, 1].astype(np.int32),
            exception_closed=exceptions[:, 2].astype(bool),
            exception_opens=exceptions[:, 3].astype(np.int32),
            exception_closes=exceptions[:, 4].astype(np.int32),
        )


@dataclass
class Columns:
    """Filters over every document at once; each method returns a boolean mask."""

    size: int
    status: np.ndarray
    needs: np.ndarray
    min_age: np.ndarray
    max_age: np.ndarray
    genders: np.ndarray
    routes: np.ndarray
    delivery: np.ndarray
    organisation: np.ndarray
    updated: np.ndarray
    always_open: np.ndarray
    bank_holidays_open: np.ndarray
    catchment_none: np.ndarray
    catchment: np.ndarray  # index into area_sets of a residence or GP rule, -1 for none
    service_area: np.ndarray  # index into area_sets of the areas named (rule or not), -1 for none
    area_sets: list[frozenset[str]]
    located: np.ndarray
    authority_docs: dict[str, np.ndarray]
    session_doc: np.ndarray
    session_opens: np.ndarray
    session_closes: np.ndarray
    day_starts: np.ndarray
    exception_doc: np.ndarray
    exception_day: np.ndarray
    exception_closed: np.ndarray
    exception_opens: np.ndarray
    exception_closes: np.ndarray

    def statuses(self, statuses: tuple[str, ...]) -> np.ndarray:
        """A fresh mask (callers narrow it in place) of documents with one of ``statuses``."""
        found = np.zeros(self.size, dtype=bool)
        for code in {STATUSES.index(s) for s in statuses if s in STATUSES}:
            found |= self.status == code
        return found

    # numpy types ``!=`` and most operators on these arrays as Any, so masks are named with their type.

    def any_need(self, need_mask: int) -> np.ndarray:
        mask: np.ndarray = (self.needs & np.uint64(need_mask)) != 0
        return mask

    def age(self, age: int) -> np.ndarray:
        return (self.min_age <= age) & (self.max_age >= age)

    def gender(self, gender: str) -> np.ndarray:
        mask: np.ndarray = (self.genders == 0) | ((self.genders & GENDER_BITS.get(gender, 0)) != 0)
        return mask

    def self_referral(self) -> np.ndarray:
        mask: np.ndarray = (self.routes & SELF_REFERRAL) != 0
        return mask

    def any_delivery(self, modes: tuple[str, ...]) -> np.ndarray:
        mask: np.ndarray = (self.delivery & bits(modes, DELIVERY_BITS)) != 0
        return mask

    def modified_after(self, moment: datetime) -> np.ndarray:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return self.updated > moment.timestamp()

    def _naming(self, place: Place) -> list[int]:
        wanted = {place.local_authority, place.postcode.district}
        return [n for n, areas in enumerate(self.area_sets) if not wanted.isdisjoint(areas)]

    def serves(self, place: Place) -> np.ndarray:
        """Its areas (a catchment rule or just the area it serves) name ``place``'s local authority or
        district, or it names none (a national service)."""
        mask: np.ndarray = (self.service_area < 0) | np.isin(self.service_area, self._naming(place))
        return mask

    def remote_covering(self, place: Place) -> np.ndarray:
        """No location (phone or online) and serving ``place`` (``serves``)."""
        mask: np.ndarray = self.serves(place) & ~self.located
        return mask

    def located_in(self, authority: str) -> np.ndarray:
        """Documents with a location in local authority ``authority``."""
        return self._mark(self.authority_docs.get(authority, np.zeros(0, dtype=np.int32)))

    def takes_from(self, place: Place) -> np.ndarray:
        """No residence or GP catchment rule, or one that names ``place``'s authority or district: a
        service of another council with a residence rule cannot take someone from ``place``."""
        mask: np.ndarray = self.catchment_none | np.isin(self.catchment, self._naming(place))
        return mask

    # -- open now ---------------------------------------------------------------------------------

    def _days_closed(self, day: date) -> np.ndarray:
        closed = np.zeros(self.size, dtype=bool)
        closed[self.exception_doc[(self.exception_day == day.toordinal()) & self.exception_closed]] = True
        return closed

    def _weekly_runs(self, day: date) -> np.ndarray:
        """Weekly sessions starting on ``day`` run: no closing exception, not a closed bank holiday."""
        runs = ~self._days_closed(day)
        if day in bank_holidays():
            runs &= self.bank_holidays_open
        return runs

    def _weekly(self, weekday: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        start, end = self.day_starts[weekday], self.day_starts[weekday + 1]
        return self.session_doc[start:end], self.session_opens[start:end], self.session_closes[start:end]

    def _mark(self, docs: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[docs] = True
        return mask

    def open_now(self, at: datetime) -> np.ndarray:
        """Open at aware moment ``at``: the same rules as ``open_now.open_now_condition``."""
        local = at.astimezone(LONDON)
        today = local.date()
        yesterday = today - timedelta(days=1)
        now = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
        docs, opens, closes = self._weekly(today.weekday())
        started_today = self._mark(docs[(opens <= now) & ((closes > now) | (closes <= opens))])
        docs, opens, closes = self._weekly(yesterday.weekday())
        from_yesterday = self._mark(docs[(closes <= opens) & (closes > now)])
        extra_today = self._extra(today, now, overnight=False)
        extra_yesterday = self._extra(yesterday, now, overnight=True)
        closed_today, closed_yesterday = self._days_closed(today), self._days_closed(yesterday)
        weekly = ~self.always_open & (
            (started_today & self._weekly_runs(today)) | (from_yesterday & self._weekly_runs(yesterday))
        )
        mask: np.ndarray = (
            (self.always_open & ~closed_today)
            | weekly
            | (extra_today & ~closed_today)
            | (extra_yesterday & ~closed_yesterday)
        )
        return mask

    def _extra(self, day: date, now: float, overnight: bool) -> np.ndarray:
        rows = (self.exception_day == day.toordinal()) & ~self.exception_closed & (self.exception_opens >= 0)
        opens, closes = self.exception_opens[rows], self.exception_closes[rows]
        if overnight:
            covers = (closes <= opens) & (closes > now)
        else:
            covers = (opens <= now) & ((closes > now) | (closes <= opens))
        return self._mark(self.exception_doc[rows][covers])
