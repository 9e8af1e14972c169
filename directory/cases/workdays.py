"""Working days in England and Wales: weekdays that are not bank holidays.

Follow-up deadlines count working days because agencies do: some councils close an unanswered
housing referral after 3 working days, so the acknowledgement check falls due on the third.
"""

from __future__ import annotations

from collections.abc import Set
from datetime import date, timedelta

from directory.hours import bank_holidays


def is_working_day(day: date, holidays: Set[date] | None = None) -> bool:
    """Monday to Friday and not a bank holiday."""
    holidays = bank_holidays() if holidays is None else holidays
    return day.weekday() < 5 and day not in holidays


def nth_working_day(start: date, n: int, holidays: Set[date] | None = None) -> date:
    """The ``n``-th working day counting from ``start`` (``start`` itself is the first if it is one).

    A referral made on Thursday 24 December 2026 has its third working day on Wednesday 30 December:
    Christmas Day (Friday) and the Boxing Day substitute (Monday 28th) are bank holidays.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    holidays = bank_holidays() if holidays is None else holidays
    day, counted = start, 0
    while True:
        if is_working_day(day, holidays):
            counted += 1
            if counted == n:
                return day
        day += timedelta(days=1)


def next_working_day_after(day: date, holidays: Set[date] | None = None) -> date:
    """The first working day after ``day``."""
    return nth_working_day(day + timedelta(days=1), 1, holidays)


def on_or_after(day: date, holidays: Set[date] | None = None) -> date:
    """``day`` if it is a working day, else the next one."""
    return nth_working_day(day, 1, holidays)
