"""Opening-hours rules: closing minute, midnight, overnight sessions, clock change, bank holidays."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from govuk_bank_holidays.bank_holidays import BankHolidays
from hypothesis import given, settings
from hypothesis import strategies as st

from directory import hours as directory_hours
from directory.models import Service
from directory.search.display import coming_changes, week_hours
from matcher.hours import (
    DatedException,
    Interval,
    OpeningHours,
    OpenState,
    Session,
    intervals_starting_on,
    is_open,
    next_opening,
    open_state,
)
from matcher.vocabulary import LONDON

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
OFFICE = OpeningHours(sessions=tuple(Session(d, time(9), time(17)) for d in (MON, TUE, WED, THU, FRI)))
# Lewisham's housing access point: Mon/Tue/Thu/Fri 9-3, Wed 1-3.
ACCESS_POINT = OpeningHours(
    sessions=(
        *(Session(d, time(9), time(15)) for d in (MON, TUE, THU, FRI)),
        Session(WED, time(13), time(15)),
    )
)
# Out-of-hours line: weeknights 17:30 to 09:00, weekends all day.
OUT_OF_HOURS = OpeningHours(
    sessions=(
        *(Session(d, time(17, 30), time(9)) for d in (MON, TUE, WED, THU, FRI)),
        Session(SAT, time(0), time(0)),
        Session(SUN, time(0), time(0)),
    ),
    open_on_bank_holidays=True,
)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def test_office_is_open_inside_hours_and_closed_at_the_closing_minute() -> None:
    assert is_open(OFFICE, london(2026, 11, 23, 9, 0))
    assert is_open(OFFICE, london(2026, 11, 23, 16, 59))
    assert not is_open(OFFICE, london(2026, 11, 23, 17, 0))
    assert not is_open(OFFICE, london(2026, 11, 23, 8, 59))


def test_a_nine_to_five_office_is_never_open_at_ten_at_night() -> None:
    for day in range(23, 30):
        assert not is_open(OFFICE, london(2026, 11, day, 22, 0))


def test_access_point_closes_at_three() -> None:
    assert is_open(ACCESS_POINT, london(2026, 11, 25, 14, 59))  # Wednesday
    assert not is_open(ACCESS_POINT, london(2026, 11, 25, 15, 0))
    assert not is_open(ACCESS_POINT, london(2026, 11, 25, 10, 0))  # Wednesday morning: closed


def test_overnight_session_runs_past_midnight() -> None:
    assert is_open(OUT_OF_HOURS, london(2026, 11, 24, 2, 30))  # Tuesday 02:30, from Monday evening
    assert not is_open(OUT_OF_HOURS, london(2026, 11, 24, 9, 0))
    assert is_open(OUT_OF_HOURS, london(2026, 11, 23, 17, 30))
    state = open_state(OUT_OF_HOURS, london(2026, 11, 24, 2, 30))
    assert state.closes_at == london(2026, 11, 24, 9, 0)


def test_weekend_all_day_sessions_merge_into_one_opening() -> None:
    state = open_state(OUT_OF_HOURS, london(2026, 11, 21, 12, 0))  # Saturday noon
    assert state.open_now
    assert state.closes_at == london(2026, 11, 23, 0, 0)  # through Sunday, until Monday starts


def test_midnight_is_the_start_of_the_next_day() -> None:
    late = OpeningHours(sessions=(Session(FRI, time(20), time(0)),))
    assert is_open(late, london(2026, 11, 27, 23, 59))
    assert not is_open(late, london(2026, 11, 28, 0, 0))


def test_next_opening_skips_the_weekend() -> None:
    assert next_opening(OFFICE, london(2026, 11, 20, 17, 0)) == london(2026, 11, 23, 9, 0)
    assert next_opening(OFFICE, london(2026, 11, 23, 10, 0)) == london(2026, 11, 23, 10, 0)


def test_bank_holiday_closes_the_office_unless_it_opens_on_bank_holidays() -> None:
    christmas = frozenset({date(2026, 12, 25), date(2026, 12, 28)})
    assert not is_open(OFFICE, london(2026, 12, 25, 10, 0), christmas)
    assert next_opening(OFFICE, london(2026, 12, 24, 18, 0), christmas) == london(2026, 12, 29, 9, 0)
    assert is_open(OUT_OF_HOURS, london(2026, 12, 25, 20, 0), christmas)


@pytest.fixture
def counted_bank_holidays(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts ``BankHolidays()`` constructions, starting from an empty per-process table."""
    built: list[int] = []

    class Counted(BankHolidays):
        def __init__(self, *args: object, **kwargs: object) -> None:
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(directory_hours, "BankHolidays", Counted)
    directory_hours.bank_holiday_names.cache_clear()
    directory_hours.bank_holidays.cache_clear()
    yield built
    directory_hours.bank_holiday_names.cache_clear()
    directory_hours.bank_holidays.cache_clear()


def test_the_bank_holiday_table_is_built_once_per_process(counted_bank_holidays: list[int]) -> None:
    # Building it parses every division's dates; a service page asks for it several times.
    office = Service(always_open=False, open_on_bank_holidays=False, hours_known=True)
    for _ in range(3):
        days = week_hours(office, on=date(2026, 12, 24))
        changes = coming_changes(office, on=date(2026, 12, 20))
        directory_hours.bank_holidays()
    assert len(counted_bank_holidays) == 1
    assert "Bank holiday: Christmas Day" in [d.note for d in days]
    assert [c.text for c in changes][:2] == ["Christmas Day: closed", "Boxing Day: closed"]
    assert date(2026, 12, 28) in directory_hours.bank_holidays()


def test_dated_exceptions_close_a_day_or_add_a_session() -> None:
    hours = OpeningHours(
        sessions=OFFICE.sessions,
        exceptions=(
            DatedException(date(2026, 11, 24), closed=True, note="Staff training"),
            DatedException(date(2026, 11, 28), closed=False, opens=time(10), closes=time(12)),
        ),
    )
    assert not is_open(hours, london(2026, 11, 24, 10, 0))
    assert is_open(hours, london(2026, 11, 28, 11, 0))  # an extra Saturday session
    assert not is_open(hours, london(2026, 11, 28, 12, 0))


def test_always_open_is_open_at_any_time_and_has_no_closing_time() -> None:
    hours = OpeningHours(always_open=True)
    state = open_state(hours, datetime(2026, 3, 29, 1, 30, tzinfo=UTC))
    assert state.open_now
    assert state.closes_at is None


def test_spring_clock_change_keeps_wall_clock_hours() -> None:
    # 29 March 2026: clocks go forward at 01:00 GMT. A 9-5 Sunday service opens at 9am BST = 08:00 UTC.
    sunday = OpeningHours(sessions=(Session(SUN, time(9), time(17)),))
    assert not is_open(sunday, datetime(2026, 3, 29, 7, 59, tzinfo=UTC))
    assert is_open(sunday, datetime(2026, 3, 29, 8, 0, tzinfo=UTC))
    assert not is_open(sunday, datetime(2026, 3, 29, 16, 0, tzinfo=UTC))  # 17:00 BST


def test_autumn_clock_change_night_session_lasts_an_extra_hour() -> None:
    # 25 October 2026: clocks go back at 02:00 BST. A session 00:00-03:00 lasts four real hours.
    night = OpeningHours(sessions=(Session(SUN, time(0), time(3)),))
    assert is_open(night, datetime(2026, 10, 24, 23, 0, tzinfo=UTC))  # 00:00 BST
    assert is_open(night, datetime(2026, 10, 25, 2, 30, tzinfo=UTC))  # 02:30 GMT
    assert not is_open(night, datetime(2026, 10, 25, 3, 0, tzinfo=UTC))  # 03:00 GMT


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        is_open(OFFICE, datetime(2026, 11, 23, 10, 0))


def test_nothing_opens_for_a_service_with_no_sessions() -> None:
    assert next_opening(OpeningHours(), london(2026, 11, 23, 10, 0)) is None


# --- The fast open_state against the simple original, kept here as the reference ---------------------


def _ref_localise(day: date, at: time) -> datetime:
    return datetime.combine(day, at).replace(tzinfo=LONDON).astimezone(UTC)


def _ref_intervals_on(hours: OpeningHours, day: date, bank_holidays: frozenset[date]) -> list[Interval]:
    exceptions = [e for e in hours.exceptions if e.day == day]
    if any(e.closed for e in exceptions):
        return []

    def session(opens: time, closes: time, drop_in: bool) -> Interval:
        end_day = day if closes > opens else day + timedelta(days=1)
        return Interval(_ref_localise(day, opens), _ref_localise(end_day, closes), drop_in)

    found: list[Interval] = []
    if hours.always_open:
        found.append(Interval(_ref_localise(day, time(0)), _ref_localise(day + timedelta(days=1), time(0))))
    elif not (day in bank_holidays and not hours.open_on_bank_holidays):
        found.extend(
            session(s.opens, s.closes, s.drop_in) for s in hours.sessions if s.weekday == day.weekday()
        )
    found.extend(
        session(e.opens, e.closes, False) for e in exceptions if e.opens is not None and e.closes is not None
    )
    return sorted(found, key=lambda i: (i.start, i.end))


def _ref_open_state(
    hours: OpeningHours, at: datetime, bank_holidays: frozenset[date] = frozenset(), horizon_days: int = 14
) -> OpenState:
    """The original implementation: every interval of the whole window, then filter (with the closing
    time shown unless the opening runs to the end of the window)."""
    now = at.astimezone(UTC)
    start_day = at.astimezone(LONDON).date() - timedelta(days=1)
    intervals = [
        i
        for offset in range(horizon_days + 2)
        for i in _ref_intervals_on(hours, start_day + timedelta(days=offset), bank_holidays)
    ]
    current = [i for i in intervals if i.start <= now < i.end]
    if current:
        end = max(i.end for i in current)
        for nxt in sorted(intervals, key=lambda i: i.start):
            if nxt.start <= end < nxt.end:
                end = nxt.end
        last_day = start_day + timedelta(days=horizon_days + 1)
        window_end = (
            datetime.combine(last_day + timedelta(days=1), time(0)).replace(tzinfo=LONDON).astimezone(UTC)
        )
        closes_at = None if end >= window_end else end.astimezone(LONDON)
        return OpenState(True, closes_at=closes_at, drop_in_now=any(i.drop_in for i in current))
    upcoming = [i.start for i in intervals if i.start > now]
    return OpenState(False, next_open=min(upcoming).astimezone(LONDON) if upcoming else None)


SPRING, AUTUMN = date(2026, 3, 29), date(2026, 10, 25)
BASE_DAYS = (SPRING, AUTUMN, date(2026, 11, 23), date(2026, 12, 25), date(2026, 3, 28), date(2026, 10, 24))
TRICKY_TIMES = tuple(
    time(h, m) for h, m in ((0, 0), (0, 30), (1, 0), (1, 30), (2, 0), (2, 30), (9, 0), (23, 59))
)
plain_times = st.one_of(
    st.sampled_from(TRICKY_TIMES), st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 59]))
)
# Mostly as written; sometimes the second reading of a repeated time (or a skipped one).
times = st.one_of(plain_times, st.builds(lambda t: t.replace(fold=1), plain_times))


@st.composite
def schedules(draw: st.DrawFn, around: date) -> OpeningHours:
    nearby = st.builds(lambda k: around + timedelta(days=k), st.integers(-3, 17))
    return OpeningHours(
        always_open=draw(st.integers(0, 4)) == 0,
        sessions=tuple(
            draw(st.lists(st.builds(Session, st.integers(0, 6), times, times, st.booleans()), max_size=8))
        ),
        exceptions=tuple(
            draw(
                st.lists(
                    st.builds(
                        DatedException,
                        nearby,
                        st.booleans(),
                        st.one_of(st.none(), times),
                        st.one_of(st.none(), times),
                    ),
                    max_size=3,
                )
            )
        ),
        open_on_bank_holidays=draw(st.booleans()),
    )


@st.composite
def moments(draw: st.DrawFn, around: date) -> datetime:
    minute = draw(st.integers(-36 * 60, 60 * 60))
    base = datetime.combine(around, time(0), tzinfo=UTC) + timedelta(minutes=minute)
    if draw(st.booleans()):
        return base
    # The same wall clock read in London, either occurrence of a repeated time, or a skipped one.
    return base.replace(tzinfo=LONDON, fold=draw(st.integers(0, 1)))


@st.composite
def cases(draw: st.DrawFn) -> tuple[OpeningHours, datetime, frozenset[date], int]:
    around = draw(st.sampled_from(BASE_DAYS))
    holidays = draw(
        st.frozensets(st.builds(lambda k: around + timedelta(days=k), st.integers(-2, 16)), max_size=4)
    )
    horizon = draw(st.one_of(st.just(14), st.integers(-3, 16)))
    return draw(schedules(around)), draw(moments(around)), holidays, horizon


def _exact(state: OpenState) -> tuple[object, ...]:
    """Equality that also tells the two readings of a repeated hour apart (datetimes in one zone compare
    by wall clock) and checks the zone."""

    def when(moment: datetime | None) -> object:
        return None if moment is None else (moment.isoformat(), moment.tzinfo)

    return (state.open_now, when(state.closes_at), when(state.next_open), state.drop_in_now)


@settings(max_examples=1000, deadline=None)
@given(cases())
def test_open_state_matches_the_reference(case: tuple[OpeningHours, datetime, frozenset[date], int]) -> None:
    hours, at, holidays, horizon = case
    expected = _exact(_ref_open_state(hours, at, holidays, horizon))
    assert _exact(open_state(hours, at, holidays, horizon)) == expected
    assert _exact(open_state(hours, at, holidays, horizon)) == expected  # again, from the cache


@settings(max_examples=300, deadline=None)
@given(cases())
def test_is_open_next_opening_and_intervals_match_the_reference(
    case: tuple[OpeningHours, datetime, frozenset[date], int],
) -> None:
    hours, at, holidays, _ = case
    reference = _ref_open_state(hours, at, holidays, horizon_days=0)
    assert is_open(hours, at, holidays) == reference.open_now
    full = _ref_open_state(hours, at, holidays)
    expected = at.astimezone(LONDON) if full.open_now else full.next_open
    got = next_opening(hours, at, holidays)
    assert (got is None, got and got.isoformat()) == (expected is None, expected and expected.isoformat())
    day = at.astimezone(LONDON).date()
    assert intervals_starting_on(hours, day, holidays) == _ref_intervals_on(hours, day, holidays)


def test_cached_answers_follow_bank_holidays_and_equal_hours() -> None:
    # Equal but distinct OpeningHours share a cache entry; the bank-holiday flag is part of the key.
    again = OpeningHours(sessions=tuple(Session(d, time(9), time(17)) for d in (MON, TUE, WED, THU, FRI)))
    christmas = frozenset({date(2026, 12, 25)})
    assert is_open(OFFICE, london(2026, 12, 25, 10, 0))
    assert not is_open(again, london(2026, 12, 25, 10, 0), christmas)
    assert is_open(again, london(2026, 12, 25, 10, 0))


@pytest.mark.parametrize("horizon", [0, 1, 14])
@pytest.mark.parametrize("minute", [0, 30, 75, 79, 80, 85, 95])
def test_sessions_in_the_skipped_spring_hour_match_the_reference(horizon: int, minute: int) -> None:
    # 01:30-02:10 on 29 March 2026 never happens as written: it starts at 01:30 GMT (the skipped hour
    # resolves forward) and ends at 02:10 BST, which is 01:10 UTC, before it starts.
    hours = OpeningHours(
        exceptions=(
            DatedException(SPRING, closed=False, opens=time(0), closes=time(1, 20)),
            DatedException(SPRING, closed=False, opens=time(1, 30), closes=time(2, 10)),
        )
    )
    at = datetime(2026, 3, 29, 0, 0, tzinfo=UTC) + timedelta(minutes=minute)
    expected = _exact(_ref_open_state(hours, at, frozenset(), horizon))
    assert _exact(open_state(hours, at, frozenset(), horizon)) == expected


def test_the_two_readings_of_a_repeated_time_get_their_own_answers() -> None:
    # 01:30 on 25 October 2026 happens twice: 00:30 UTC (BST) and 01:30 UTC (GMT). Equal as
    # datetimes (same zone, same wall clock), so nothing may be remembered by the moment alone.
    night = OpeningHours(sessions=(Session(SUN, time(0), time(1, 45)),))
    first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    second = first.replace(fold=1)
    assert is_open(night, first)
    assert not is_open(night, second)
    assert is_open(night, first)


def test_equal_hours_whose_times_differ_only_in_fold_get_their_own_answers() -> None:
    # Equal (fold is ignored by ==), but the closing time means the second 01:30 on 25 October.
    early = OpeningHours(sessions=(Session(SUN, time(0), time(1, 30)),))
    late = OpeningHours(sessions=(Session(SUN, time(0), time(1, 30, fold=1)),))
    at = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)  # 01:00 GMT, after the first 01:30
    assert not is_open(early, at)
    assert is_open(late, at)
    assert _exact(open_state(late, at)) == _exact(_ref_open_state(late, at))


def test_a_lone_extra_session_today_shows_when_it_closes() -> None:
    extra = OpeningHours(
        exceptions=(DatedException(date(2026, 11, 28), closed=False, opens=time(10), closes=time(12)),)
    )
    state = open_state(extra, london(2026, 11, 28, 11, 0))
    assert state.open_now
    assert state.closes_at == london(2026, 11, 28, 12, 0)
