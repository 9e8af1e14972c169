"""Working-day arithmetic for follow-up checks, across weekends and England and Wales bank holidays."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from sqlalchemy.orm import Session

from directory.cases import followup, referrals
from directory.cases.workdays import is_working_day, next_working_day_after, nth_working_day, on_or_after
from directory.models import FollowUpTask
from matcher.vocabulary import LONDON
from tests.cases import factories as make


def test_christmas_2026_bank_holidays_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day, a Friday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day falls on a Saturday: Monday is the substitute
    assert is_working_day(date(2026, 12, 24))
    assert is_working_day(date(2026, 12, 29))


def test_three_working_days_from_christmas_eve_is_wednesday_30_december() -> None:
    assert followup.acknowledgement_due(date(2026, 12, 24)) == date(2026, 12, 30)


def test_counting_starts_on_the_day_itself_when_it_is_a_working_day() -> None:
    assert nth_working_day(date(2026, 10, 19), 1) == date(2026, 10, 19)  # a Monday
    assert followup.acknowledgement_due(date(2026, 10, 19)) == date(2026, 10, 21)


def test_a_weekend_referral_counts_from_monday() -> None:
    assert followup.acknowledgement_due(date(2026, 10, 24)) == date(2026, 10, 28)  # Saturday -> Wednesday


def test_easter_2027_moves_the_deadline_past_good_friday_and_easter_monday() -> None:
    assert followup.acknowledgement_due(date(2027, 3, 25)) == date(2027, 3, 31)  # Thu -> Tue 30 is day 2


def test_after_appointment_and_outcome_checks_land_on_working_days() -> None:
    friday_before_christmas = datetime(2026, 12, 24, 15, 0, tzinfo=LONDON)
    assert followup.after_appointment_due(friday_before_christmas) == date(2026, 12, 29)
    assert next_working_day_after(date(2026, 12, 31)) == date(2027, 1, 4)  # New Year's Day, then the weekend
    assert followup.outcome_due(date(2026, 11, 30)) == date(2026, 12, 29)  # 28 Dec is a bank holiday
    assert on_or_after(date(2026, 10, 22)) == date(2026, 10, 22)


def test_a_referral_on_christmas_eve_is_due_for_acknowledgement_on_30_december(
    app: Flask, db: Session
) -> None:
    services = make.directory(db)
    user = make.team_member(db, "Lewisham custody", "pat@example.org")
    case = make.open_case(db, user)
    make.consent(db, user, case)
    christmas_eve = datetime(2026, 12, 24, 16, 45, tzinfo=LONDON)
    referrals.make_referral(
        db, user, case, make.rank_of(case, services["housing"]), "referral_sent", at=christmas_eve
    )
    db.commit()
    db.expire_all()

    [task] = [t for t in db.query(FollowUpTask).all() if t.kind == "acknowledgement"]
    [same_day] = [t for t in db.query(FollowUpTask).all() if t.kind == "same_day"]  # a bed tonight
    assert task.due_on == date(2026, 12, 30)
    assert same_day.due_on == date(2026, 12, 24)  # before 17:00: the same day
    assert followup.team_due(db, user.team_id, on=date(2026, 12, 29)).coming_up == [task]
    assert followup.team_due(db, user.team_id, on=date(2026, 12, 30)).due_today == [task]
    assert followup.team_due(db, user.team_id, on=date(2026, 12, 31)).overdue == [same_day, task]


def test_an_urgent_check_raised_after_five_falls_on_the_next_working_morning() -> None:
    assert followup.same_day_due(datetime(2026, 12, 24, 17, 30, tzinfo=LONDON)) == date(2026, 12, 29)
    assert followup.same_day_due(datetime(2026, 12, 24, 9, 0, tzinfo=LONDON)) == date(2026, 12, 24)
