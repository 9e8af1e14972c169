"""The "open now" filter in SQL, with the same rules as ``matcher.hours.open_state``.

A service is open at local time ``t`` on date ``d`` when it is always open and ``d`` is not closed by
an exception, or a session covers ``t``: one starting on ``d`` at or before ``t`` that has not yet
closed, or one starting the day before that runs past midnight beyond ``t``. Sessions starting on a day
closed by an exception, or on a bank holiday for a service closed on bank holidays, do not count; dated
extra sessions do. Times are Europe/London wall-clock times, so the answer can differ from
``open_state`` only within the hour the clocks change.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, exists, false, or_, select, true

from directory.hours import bank_holidays
from directory.models import ScheduleException, ScheduleSession, Service
from matcher.vocabulary import LONDON


def _closed_on(day: date) -> ColumnElement[bool]:
    return exists(
        select(ScheduleException.id).where(
            ScheduleException.service_id == Service.id,
            ScheduleException.day == day,
            ScheduleException.closed == true(),
        )
    )


def _runs_on(day: date) -> ColumnElement[bool]:
    """Weekly sessions starting on ``day`` run (no closing exception, not a closed bank holiday)."""
    runs = ~_closed_on(day)
    if day in bank_holidays():
        runs = and_(runs, Service.open_on_bank_holidays == true())
    return runs


# A session's opening and closing times: columns (or expressions) of time, NULL-able for exceptions.
Clock = SQLColumnExpression[time | None]


def _covers_today(opens: Clock, closes: Clock, now: time) -> ColumnElement[bool]:
    # Started at or before now, and either closes later today or runs past midnight.
    return and_(opens <= now, or_(closes > now, closes <= opens))


def _covers_from_yesterday(opens: Clock, closes: Clock, now: time) -> ColumnElement[bool]:
    # Ran past midnight (closes at or before it opened) and has not closed yet today.
    return and_(closes <= opens, closes > now)


def open_now_condition(at: datetime) -> ColumnElement[bool]:
    """A condition on ``Service`` that is true when the service is open at aware moment ``at``."""
    local = at.astimezone(LONDON)
    today, now = local.date(), local.time().replace(tzinfo=None)
    yesterday = today - timedelta(days=1)
    weekly_today = exists(
        select(ScheduleSession.id).where(
            ScheduleSession.service_id == Service.id,
            ScheduleSession.weekday == today.weekday(),
            _covers_today(ScheduleSession.opens_at, ScheduleSession.closes_at, now),
        )
    )
    weekly_yesterday = exists(
        select(ScheduleSession.id).where(
            ScheduleSession.service_id == Service.id,
            ScheduleSession.weekday == yesterday.weekday(),
            _covers_from_yesterday(ScheduleSession.opens_at, ScheduleSession.closes_at, now),
        )
    )

    def extra_session(day: date, covers: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists(
            select(ScheduleException.id).where(
                ScheduleException.service_id == Service.id,
                ScheduleException.day == day,
                ScheduleException.closed == false(),
                ScheduleException.opens_at.is_not(None),
                ScheduleException.closes_at.is_not(None),
                covers,
            )
        )

    extra_today = extra_session(
        today, _covers_today(ScheduleException.opens_at, ScheduleException.closes_at, now)
    )
    extra_yesterday = extra_session(
        yesterday, _covers_from_yesterday(ScheduleException.opens_at, ScheduleException.closes_at, now)
    )
    return or_(
        and_(Service.always_open == true(), ~_closed_on(today)),
        and_(Service.always_open == false(), weekly_today, _runs_on(today)),
        and_(Service.always_open == false(), weekly_yesterday, _runs_on(yesterday)),
        and_(extra_today, ~_closed_on(today)),
        and_(extra_yesterday, ~_closed_on(yesterday)),
    )
