"""Opening hours: is a service open at a moment, and when does it next open.

Pure functions over plain frozen dataclasses. Every wall-clock time is Europe/London local time;
moments passed in must be timezone-aware and are converted, so answers stay right across the clock
change. Bank holidays are an input (a set of dates), never looked up here.

Semantics:
- a session is open from ``opens`` inclusive to ``closes`` exclusive (an office open until 15:00 is
  closed at 15:00);
- ``closes`` at or before ``opens`` means the session runs past midnight into the next day, and
  ``opens == closes`` means a full 24 hours from ``opens`` (so 00:00-00:00 is the whole day);
- on a bank holiday a service with ``open_on_bank_holidays=False`` runs no weekly sessions that *start*
  that day; dated exceptions still apply;
- a dated exception either closes the whole day (no session starting that day, weekly or extra) or
  adds an extra session;
- ``always_open`` services are open at every moment except on days closed by an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from matcher.vocabulary import LONDON

ONE_DAY = timedelta(days=1)
MIDNIGHT = time(0)


@dataclass(frozen=True)
class Session:
    """A weekly session: ``weekday`` 0 is Monday."""

    weekday: int
    opens: time
    closes: time
    drop_in: bool = False


@dataclass(frozen=True)
class DatedException:
    """A one-off change on ``day``: closed all day, or an extra session from ``opens`` to ``closes``."""

    day: date
    closed: bool = True
    opens: time | None = None
    closes: time | None = None
    note: str = ""


@dataclass(frozen=True)
class OpeningHours:
    """Everything needed to answer "open at T?" for one service."""

    always_open: bool = False
    sessions: tuple[Session, ...] = ()
    exceptions: tuple[DatedException, ...] = ()
    open_on_bank_holidays: bool = False
    known: bool = True  # False when the listing has no hours at all


@dataclass(frozen=True)
class Interval:
    """A concrete opening: aware UTC datetimes, ``start`` inclusive, ``end`` exclusive."""

    start: datetime
    end: datetime
    drop_in: bool = False


@dataclass(frozen=True)
class OpenState:
    """The answer for one moment: open or not, until when, and the next opening if closed."""

    open_now: bool
    closes_at: datetime | None = None
    next_open: datetime | None = None
    drop_in_now: bool = False


CLOSED = OpenState(False)
ALWAYS = OpenState(True)


def _localise(day: date, at: time) -> datetime:
    """Local wall-clock time on ``day`` as an aware UTC datetime (a time skipped by the clock change
    resolves forward, a repeated one to its first occurrence).

    Everything is compared in UTC: Python compares two datetimes in the same zone by wall time, which
    is wrong for the repeated hour in October.
    """
    return datetime.combine(day, at).replace(tzinfo=LONDON).astimezone(UTC)


# Cached for the days away from a clock change, where a time's ``fold`` (which cache keys ignore:
# equal times hash alike whatever their fold) cannot change the answer. A directory has few distinct
# opening times.
_localise_cached = lru_cache(maxsize=8192)(_localise)


@lru_cache(maxsize=1024)
def _near_clock_change(day: date) -> bool:
    """True when the clock changes on ``day`` or the next day (sessions starting ``day`` may end then)."""
    offsets = {datetime.combine(day + timedelta(days=k), MIDNIGHT, LONDON).utcoffset() for k in range(3)}
    return len(offsets) > 1


# One concrete opening as the search uses it: (start, end, drop_in), start and end aware UTC.
_Opening = tuple[datetime, datetime, bool]


def _start_end(opening: _Opening) -> tuple[datetime, datetime]:
    return opening[0], opening[1]


class _Schedule:
    """One service's hours arranged for quick answers, remembering the openings of days asked about."""

    __slots__ = (
        "always_open",
        "by_weekday",
        "dated",
        "days",
        "never_closes",
        "never_opens",
        "on_bank_holidays",
        "source",
    )
    MAX_DAYS = 64  # a few requests' worth of days; then start again (the days asked about move on)

    def __init__(self, hours: OpeningHours) -> None:
        self.source = hours
        self.always_open = hours.always_open
        self.on_bank_holidays = hours.open_on_bank_holidays
        self.by_weekday = tuple(
            tuple((s.opens, s.closes, s.drop_in) for s in hours.sessions if s.weekday == weekday)
            for weekday in range(7)
        )
        self.dated: dict[date, tuple[DatedException, ...]] = {}
        for e in hours.exceptions:
            self.dated[e.day] = (*self.dated.get(e.day, ()), e)
        self.never_closes = hours.always_open and not hours.exceptions
        self.never_opens = not hours.always_open and not hours.sessions and not hours.exceptions
        self.days: dict[tuple[date, bool], tuple[_Opening, ...]] = {}

    def on(self, day: date, bank_holiday: bool, hours: OpeningHours) -> tuple[_Opening, ...]:
        """The openings of ``hours`` (equal to this schedule's) that start on local date ``day``, in
        start order."""
        if _near_clock_change(day):
            # Equal hours may differ in their times' ``fold``, which matters on these days only.
            exact = self if hours is self.source else _Schedule(hours)
            return exact._openings(day, bank_holiday, _localise)
        key = (day, bank_holiday)
        found = self.days.get(key)
        if found is None:
            if len(self.days) >= self.MAX_DAYS:
                self.days.clear()
            found = self.days[key] = self._openings(day, bank_holiday, _localise_cached)
        return found

    def _openings(
        self, day: date, bank_holiday: bool, localise: Callable[[date, time], datetime]
    ) -> tuple[_Opening, ...]:
        exceptions = self.dated.get(day, ())
        if any(e.closed for e in exceptions):
            return ()
        found: list[_Opening] = []
        if self.always_open:
            found.append((localise(day, MIDNIGHT), localise(day + ONE_DAY, MIDNIGHT), False))
        elif not (bank_holiday and not self.on_bank_holidays):
            for opens, closes, drop_in in self.by_weekday[day.weekday()]:
                end_day = day if closes > opens else day + ONE_DAY
                found.append((localise(day, opens), localise(end_day, closes), drop_in))
        for e in exceptions:
            if e.opens is not None and e.closes is not None:
                end_day = day if e.closes > e.opens else day + ONE_DAY
                found.append((localise(day, e.opens), localise(end_day, e.closes), False))
        if len(found) > 1:
            found.sort(key=_start_end)
        return tuple(found)


@lru_cache(maxsize=4096)
def _schedule(hours: OpeningHours) -> _Schedule:
    # Keyed by value: the bridge builds fresh but equal OpeningHours for every request.
    return _Schedule(hours)


def intervals_starting_on(hours: OpeningHours, day: date, bank_holidays: frozenset[date]) -> list[Interval]:
    """The openings that start on local date ``day``, in start order."""
    return [Interval(*o) for o in _schedule(hours).on(day, day in bank_holidays, hours)]


def open_state(
    hours: OpeningHours, at: datetime, bank_holidays: frozenset[date] = frozenset(), horizon_days: int = 14
) -> OpenState:
    """Whether the service is open at aware moment ``at``; if open, until when (merging sessions that
    touch); if closed, the next opening within ``horizon_days``.

    The openings considered are those starting from yesterday (whose overnight sessions reach into
    today) through ``horizon_days`` after today. When open and the merged opening runs to the end of
    the window (24/7), there is no closing time worth showing: ``closes_at`` is None.
    """
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    now = at.astimezone(UTC)
    day = at.astimezone(LONDON).date()
    days = horizon_days + 2
    schedule = _schedule(hours)
    if schedule.never_opens or days <= 0:
        return CLOSED
    if schedule.never_closes:
        # Back-to-back whole days through the window: open now (unless the window ends yesterday),
        # and the opening runs to the end of the window.
        return ALWAYS if days >= 2 else CLOSED
    # Only openings starting yesterday or today can hold ``now``; those of later days start later.
    yesterday = schedule.on(day - ONE_DAY, day - ONE_DAY in bank_holidays, hours)
    today = schedule.on(day, day in bank_holidays, hours) if days >= 2 else ()
    end: datetime | None = None
    drop_in = False
    for start, stop, drop in (*yesterday, *today):
        if start <= now < stop:
            drop_in = drop_in or drop
            if end is None or stop > end:
                end = stop
    if end is None:
        # Closed: the first opening after now. Openings of one day all start before the next day's.
        for offset in range(1, days):
            if offset >= 2:
                day += ONE_DAY
            for start, _, _ in today if offset == 1 else schedule.on(day, day in bank_holidays, hours):
                if start > now:
                    return OpenState(False, next_open=start.astimezone(LONDON))
        return CLOSED
    # Open: extend through openings that start by the time the current one ends, in start order
    # (yesterday's, then today's, then each later day's). Once one starts after ``end`` nothing later
    # can extend it; the answer is then 24/7 only if no opening in the window ends after ``end``.
    first_day = day
    merged = False
    for offset in range(days):
        if offset >= 2:
            day += ONE_DAY
        for start, stop, _ in (
            yesterday
            if offset == 0
            else today
            if offset == 1
            else schedule.on(day, day in bank_holidays, hours)
        ):
            if start <= end < stop:
                end = stop
            elif stop > end:
                merged = True
                break
        if merged:
            break
    # Open to the end of the window (24/7, or back-to-back whole days): no closing time worth showing.
    # An opening that ends before the window does (a lone extra session today) still shows when.
    last_day = first_day + timedelta(days=days - 2)
    window_end = datetime.combine(last_day + ONE_DAY, time(0)).replace(tzinfo=LONDON).astimezone(UTC)
    if end < window_end:
        return OpenState(True, closes_at=end.astimezone(LONDON), drop_in_now=drop_in)
    return OpenState(True, closes_at=None, drop_in_now=drop_in)


def is_open(hours: OpeningHours, at: datetime, bank_holidays: frozenset[date] = frozenset()) -> bool:
    """True when the service is open at aware moment ``at``."""
    return open_state(hours, at, bank_holidays, horizon_days=0).open_now


def next_opening(
    hours: OpeningHours, at: datetime, bank_holidays: frozenset[date] = frozenset(), horizon_days: int = 14
) -> datetime | None:
    """The next moment at or after ``at`` when the service is open (``at`` itself if open now), or
    None when nothing opens within ``horizon_days``."""
    state = open_state(hours, at, bank_holidays, horizon_days)
    return at.astimezone(LONDON) if state.open_now else state.next_open
