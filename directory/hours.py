"""Opening hours for stored services: the bridge from rows to ``matcher.hours``.

Bank holidays come from the ``govuk-bank-holidays`` data shipped with the package (England and
Wales), so no network is needed.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from govuk_bank_holidays.bank_holidays import BankHolidays

from directory.models import Service
from matcher.hours import LONDON, DatedException, OpeningHours, OpenState, Session, open_state


@lru_cache(maxsize=1)
def bank_holidays() -> frozenset[date]:
    """England and Wales bank holidays, from the offline copy."""
    source = BankHolidays(use_cached_holidays=True)
    return frozenset(h["date"] for h in source.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


def bank_holiday_names() -> dict[date, str]:
    """Bank holiday dates with their names."""
    source = BankHolidays(use_cached_holidays=True)
    return {h["date"]: h["title"] for h in source.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)}


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
