"""Opening hours for stored services: the bridge from rows to ``matcher.hours``.

Bank holidays come from the ``govuk-bank-holidays`` data shipped with the package (England and
Wales), so no network is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from types import MappingProxyType

from govuk_bank_holidays.bank_holidays import BankHolidays

from directory.models import Service
from matcher.hours import DatedException, OpeningHours, OpenState, Session, open_state
from matcher.vocabulary import LONDON


def today() -> date:
    """Today's date in London: the day pages, rules and reminders count from."""
    return datetime.now(LONDON).date()


@lru_cache(maxsize=1)
def bank_holiday_names() -> Mapping[date, str]:
    """England and Wales bank holidays with their names, from the offline copy.

    Built once per process: ``BankHolidays()`` parses every division's dates (tens of thousands of
    ``strptime`` calls), which used to cost a service page most of its time. Read-only, as it is shared.
    """
    source = BankHolidays(use_cached_holidays=True)
    division = source.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    return MappingProxyType({h["date"]: h["title"] for h in division})


@lru_cache(maxsize=1)
def bank_holidays() -> frozenset[date]:
    """England and Wales bank holiday dates: what the matcher's rules take as data."""
    return frozenset(bank_holiday_names())


def opening_hours(service: Service) -> OpeningHours:
    """The matcher's view of a stored service's opening times."""
    return OpeningHours(
        always_open=service.always_open,
        sessions=tuple(Session(s.weekday, s.opens_at, s.closes_at, s.drop_in) for s in service.sessions),
        exceptions=tuple(
            DatedException(e.day, e.closed, e.opens_at, e.closes_at, e.note) for e in service.exceptions
        ),
        open_on_bank_holidays=service.open_on_bank_holidays,
        known=service.hours_known,
    )


def service_open_state(service: Service, at: datetime | None = None) -> OpenState:
    """Is ``service`` open at ``at`` (default now), until when, or when it next opens."""
    moment = at or datetime.now(LONDON)
    return open_state(opening_hours(service), moment, bank_holidays())
