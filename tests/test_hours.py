"""Opening-hours rules: closing minute, midnight, overnight sessions, clock change, bank holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from matcher.hours import LONDON, DatedException, OpeningHours, Session, is_open, next_opening, open_state

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
