"""A referral's lifecycle, its follow-up checks, and problem reports filed from outcomes."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.cases import referrals
from directory.cases.common import CaseError
from directory.models import Case, ProblemReport, Referral
from matcher.vocabulary import LONDON
from tests.cases import factories as make
from tests.cases.conftest import World, client_for


def _referral(
    db: Session, world: World, level: str = "referral_sent", **extra: object
) -> tuple[Case, Referral]:
    case = make.open_case(db, world.pat)
    make.consent(db, world.pat, case)
    referral = referrals.make_referral(
        db,
        world.pat,
        case,
        make.rank_of(case, world.services["housing"]),
        level,
        **extra,  # type: ignore[arg-type]
    )
    return case, referral


def test_steps_follow_the_lifecycle(app: Flask, world: World, db: Session) -> None:
    _case, referral = _referral(db, world)
    assert referrals.next_steps(referral) == ["acknowledged", "declined", "attended", "missed", "closed"]
    with pytest.raises(CaseError, match="cannot be recorded as that"):
        referrals.record_step(db, world.pat, referral, "engaged")
    referrals.record_step(db, world.pat, referral, "acknowledged")
    with pytest.raises(CaseError, match="cannot be recorded as that"):
        referrals.record_step(db, world.pat, referral, "acknowledged")
    referrals.record_step(db, world.pat, referral, "missed")
    referrals.record_step(db, world.pat, referral, "attended")  # rebooked and went
    referrals.record_step(db, world.pat, referral, "engaged")
    assert referrals.next_steps(referral) == ["closed"]
    with pytest.raises(CaseError, match="Choose whether the need was met"):
        referrals.record_step(db, world.pat, referral, "closed")
    referrals.record_step(
        db, world.pat, referral, "closed", outcome="partly_met", outcome_reason="still_waiting"
    )
    assert referral.status == "closed"
    assert referrals.next_steps(referral) == []


def test_a_decline_needs_a_reason(app: Flask, world: World, db: Session) -> None:
    case, referral = _referral(db, world)
    db.commit()
    url, referral_id = f"/cases/{case.id}/referrals/{referral.id}", referral.id
    client = client_for(app, world.pat)
    missing = client.post(f"{url}/declined", data={"note": "x"})
    assert missing.status_code == 400
    assert "Choose why the service declined" in missing.get_data(as_text=True)
    done = client.post(f"{url}/declined", data={"decline_reason": "out_of_area", "note": ""})
    assert done.status_code == 302
    db.expire_all()
    assert db.get(Referral, referral_id).decline_reason == "out_of_area"  # type: ignore[union-attr]


def test_steps_not_open_to_a_referral_are_refused_over_http(app: Flask, world: World, db: Session) -> None:
    case, referral = _referral(db, world)
    db.commit()
    url = f"/cases/{case.id}/referrals/{referral.id}"
    client = client_for(app, world.pat)
    assert client.post(f"{url}/engaged", data={}).status_code == 403
    assert client.get(f"{url}/launch").status_code == 404


def test_an_appointment_needs_date_time_and_place(app: Flask, world: World, db: Session) -> None:
    case = make.open_case(db, world.pat)
    make.consent(db, world.pat, case)
    db.commit()
    url = f"/cases/{case.id}/items/{make.rank_of(case, world.services['housing'])}/refer"
    client = client_for(app, world.pat)
    no_place = client.post(
        url,
        data={
            "level": "appointment_booked",
            "appointment_date": ["2", "11", "2026"],
            "appointment_time": "14:00",
        },
    )
    assert no_place.status_code == 400
    assert "Enter the appointment" in no_place.get_data(as_text=True)
    no_time = client.post(
        url,
        data={
            "level": "appointment_booked",
            "appointment_date": ["2", "11", "2026"],
            "appointment_place": "Here",
        },
    )
    assert no_time.status_code == 400
    assert "Enter both the date and the time" in no_time.get_data(as_text=True)
    bad_time = client.post(
        url,
        data={
            "level": "appointment_booked",
            "appointment_date": ["31", "2", "2026"],
            "appointment_time": "25:99",
            "appointment_place": "Here",
        },
    )
    assert bad_time.status_code == 400
    assert "Enter a 24-hour time" in bad_time.get_data(as_text=True)


def test_a_missed_appointment_rebooked_gets_a_new_check(app: Flask, world: World, db: Session) -> None:
    first = datetime(2026, 11, 2, 14, 0, tzinfo=LONDON)
    case, referral = _referral(
        db, world, "appointment_booked", appointment_at=first, appointment_place="Catford"
    )
    referrals.record_step(db, world.pat, referral, "missed")
    second = datetime(2026, 11, 9, 10, 0, tzinfo=LONDON)
    referrals.change_level(
        db, world.pat, referral, "appointment_booked", appointment_at=second, appointment_place="Catford"
    )
    checks = sorted((t.due_on.isoformat(), t.is_open) for t in case.tasks if t.kind == "after_appointment")
    assert checks == [("2026-11-03", False), ("2026-11-10", True)]


def test_wrong_contact_details_or_a_closed_service_tell_the_curators(
    app: Flask, world: World, db: Session
) -> None:
    case, referral = _referral(db, world)
    report = referrals.record_step(
        db,
        world.pat,
        referral,
        "closed",
        outcome="not_met",
        outcome_reason="contact_details_wrong",
        note="Alex could not get through",
        listing_note="The main line is disconnected",
    )
    assert report is not None
    assert report.kind == "phone_wrong"
    assert report.status == "open"
    assert report.service_id == world.services["housing"].id
    assert report.reported_by_id == world.pat.id
    assert "The main line is disconnected" in report.details
    assert "Alex" not in report.details  # nothing about the person reaches the curators
    assert case.reference not in report.details

    again_case, again = _referral(db, world)
    same = referrals.record_step(
        db, world.pat, again, "closed", outcome="not_met", outcome_reason="contact_details_wrong"
    )
    assert same is not None
    assert same.id == report.id  # one open report per problem, not one per referral

    _closed_case, closed = _referral(db, world)
    shut = referrals.record_step(
        db, world.pat, closed, "closed", outcome="not_met", outcome_reason="service_closed"
    )
    assert shut is not None
    assert shut.kind == "closed"
    db.commit()
    assert len(db.scalars(select(ProblemReport)).all()) == 2
    assert again_case.id != case.id


def test_closing_with_a_listing_problem_over_http_says_curators_were_told(
    app: Flask, world: World, db: Session
) -> None:
    case, referral = _referral(db, world)
    db.commit()
    client = client_for(app, world.pat)
    response = client.post(
        f"/cases/{case.id}/referrals/{referral.id}/closed",
        data={
            "outcome": "not_met",
            "outcome_reason": "service_closed",
            "listing_note": "Building boarded up",
        },
        follow_redirects=True,
    )
    assert "curators have been told" in response.get_data(as_text=True)
    assert db.scalar(select(ProblemReport.kind)) == "closed"


def test_a_signposted_person_goes_themselves_so_nobody_acknowledges(
    app: Flask, world: World, db: Session
) -> None:
    _case, referral = _referral(db, world, "signposted")
    # No appointment was made for them (H0), so there is none to attend or miss (issue 11).
    assert referrals.next_steps(referral) == ["closed"]
    for step in ("acknowledged", "attended", "missed"):
        with pytest.raises(CaseError, match="cannot be recorded as that"):
            referrals.record_step(db, world.pat, referral, step)
    assert {t.kind for t in referral.case.tasks} - {"same_day"} == {"outcome"}
    referrals.change_level(db, world.pat, referral, "referral_sent")  # later, with consent, a referral
    assert {t.kind for t in referral.case.tasks} - {"same_day"} == {"outcome", "acknowledgement"}


@pytest.mark.parametrize(
    ("made_at", "due"),
    [
        (datetime(2026, 12, 4, 10, 0, tzinfo=LONDON), date(2026, 12, 4)),  # Friday morning: today
        (datetime(2026, 12, 4, 16, 59, tzinfo=LONDON), date(2026, 12, 4)),
        (datetime(2026, 12, 4, 17, 0, tzinfo=LONDON), date(2026, 12, 7)),  # Friday evening: Monday
        (datetime(2026, 12, 7, 23, 30, tzinfo=LONDON), date(2026, 12, 8)),
    ],
)
def test_an_urgent_item_gets_a_same_day_check(
    app: Flask, world: World, db: Session, made_at: datetime, due: date
) -> None:
    _case, referral = _referral(db, world, "signposted", at=made_at)
    assert referral.urgent  # the bed tonight
    same_day = [t for t in referral.case.tasks if t.kind == "same_day"]
    assert [t.due_on for t in same_day] == [due]
    assert {t.kind for t in referral.case.tasks} == {"same_day", "outcome"}  # on top of the others
