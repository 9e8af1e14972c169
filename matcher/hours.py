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

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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


def _localise(day: date, at: time) -> datetime:
    """Local wall-clock time on ``day`` as an aware UTC datetime (a time skipped by the clock change
    resolves forward, a repeated one to its first occurrence).

    Everything is compared in UTC: Python compares two datetimes in the same zone by wall time, which
    is wrong for the repeated hour in October.
    """
    return datetime.combine(day, at).replace(tzinfo=LONDON).astimezone(UTC)


def _session_interval(day: date, opens: time, closes: time, drop_in: bool) -> Interval:
    start = _localise(day, opens)
    end_day = day if closes > opens else day + timedelta(days=1)
    end = _localise(end_day, closes)
    return Interval(start, end, drop_in)


def intervals_starting_on(hours: OpeningHours, day: date, bank_holidays: frozenset[date]) -> list[Interval]:
    """The openings that start on local date ``day``, in start order."""
    exceptions = [e for e in hours.exceptions if e.day == day]
    if any(e.closed for e in exceptions):
        return []
    found: list[Interval] = []
    if hours.always_open:
        found.append(Interval(_localise(day, time(0)), _localise(day + timedelta(days=1), time(0))))
    elif not (day in bank_holidays and not hours.open_on_bank_holidays):
        found.extend(
            _session_interval(day, s.opens, s.closes, s.drop_in)
            for s in hours.sessions
            if s.weekday == day.weekday()
        )
    found.extend(
        _session_interval(day, e.opens, e.closes, False)
        for e in exceptions
        if e.opens is not None and e.closes is not None
    )
    return sorted(found, key=lambda i: (i.start, i.end))


def _intervals_from(
    hours: OpeningHours, day: date, bank_holidays: frozenset[date], days: int
) -> Iterator[Interval]:
    for offset in range(days):
        yield from intervals_starting_on(hours, day + timedelta(days=offset), bank_holidays)


def open_state(
    hours: OpeningHours, at: datetime, bank_holidays: frozenset[date] = frozenset(), horizon_days: int = 14
) -> OpenState:
    """Whether the service is open at aware moment ``at``; if open, until when (merging sessions that
    touch); if closed, the next opening within ``horizon_days``."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    now = at.astimezone(UTC)
    # Yesterday's overnight sessions reach into today.
    start_day = at.astimezone(LONDON).date() - timedelta(days=1)
    intervals = list(_intervals_from(hours, start_day, bank_holidays, horizon_days + 2))
    current = [i for i in intervals if i.start <= now < i.end]
    if current:
        end = max(i.end for i in current)
        # Extend through sessions that start exactly when (or before) the current one ends.
        for nxt in sorted(intervals, key=lambda i: i.start):
            if nxt.start <= end < nxt.end:
                end = nxt.end
        # Open through the whole horizon (24/7): no closing time worth showing.
        closes_at = None if end >= max(i.end for i in intervals) else end.astimezone(LONDON)
        return OpenState(True, closes_at=closes_at, drop_in_now=any(i.drop_in for i in current))
    upcoming = [i.start for i in intervals if i.start > now]
    return OpenState(False, next_open=min(upcoming).astimezone(LONDON) if upcoming else None)


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
