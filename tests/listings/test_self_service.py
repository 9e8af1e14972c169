"""Agency self-service: attention flags, "still accurate", operational updates, schedules, proposals,
and optimistic locking with a clear conflict page."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.db import get_session
from directory.hours import today
from directory.listings import updates
from directory.models import AuditEvent, ProposedChange, Service
from tests.auth import factories as make


def _setup(app: Flask, db: Session, **service_args: object) -> tuple[FlaskClient, Service]:
    org = make.organisation(db, "Agency A")
    editor = make.user(db, "editor", "ed@example.org", organisations=[org])
    svc = make.service(db, org, "Drop-in advice", **service_args)  # type: ignore[arg-type]
    db.commit()
    return make.sign_in(app.test_client(), editor), svc


def _reload(db: Session, svc: Service) -> Service:
    db.expire_all()
    found = db.get(Service, svc.id)
    assert found is not None
    return found


def _actions(db: Session, svc: Service) -> list[str]:
    return list(
        db.scalars(select(AuditEvent.action).where(AuditEvent.object_id == svc.id).order_by(AuditEvent.id))
    )


def test_your_listings_flags_what_needs_attention(app: Flask, db: Session) -> None:
    org = make.organisation(db, "Agency A")
    practitioner = make.user(db, "practitioner", "pr@example.org")
    editor = make.user(db, "editor", "ed@example.org", organisations=[org])
    fresh = make.service(db, org, "Fresh listing", assured=today() - timedelta(days=10))
    stale = make.service(db, org, "Stale listing", assured=today() - timedelta(days=120), hours=False)
    make.problem(db, fresh, practitioner)
    make.service(db, make.organisation(db, "Agency B"), "Someone else's listing")
    db.commit()
    page = make.sign_in(app.test_client(), editor).get("/listings/").get_data(as_text=True)
    assert "Someone else" not in page
    stale_row = page.split(f'data-testid="listing-{stale.id}"')[1].split("</tr>")[0]
    fresh_row = page.split(f'data-testid="listing-{fresh.id}"')[1].split("</tr>")[0]
    assert "Not verified for 120 days" in stale_row
    assert "No opening times" in stale_row
    assert "1 problem reported by practitioners" in fresh_row
    assert "Not verified" not in fresh_row


def test_still_accurate_in_one_click(app: Flask, db: Session) -> None:
    client, svc = _setup(app, db, assured=date(2025, 1, 1))
    response = client.post(f"/listings/{svc.id}/accurate", data={"version": svc.version, "back": "list"})
    assert response.headers["Location"] == "/listings/"
    found = _reload(db, svc)
    assert found.assured_date == today()
    assert found.assured_by == "Test editor"
    assert _actions(db, svc) == ["service.assured"]


def test_capacity_and_closure_publish_at_once_and_are_audited(app: Flask, db: Session) -> None:
    client, svc = _setup(app, db)
    version = svc.version
    response = client.post(
        f"/listings/{svc.id}/update",
        data={
            "capacity_status": "waiting_list",
            "wait_days": "14",
            "temporarily_closed": "y",
            "alert": "Moved to 3 Rushey Green this month",
            "version": svc.version,
        },
    )
    assert response.status_code == 302
    found = _reload(db, svc)
    assert (found.capacity_status, found.wait_days, found.status) == (
        "waiting_list",
        14,
        "temporarily_closed",
    )
    assert found.alert == "Moved to 3 Rushey Green this month"
    assert found.version == version + 1
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "service.operational_updated"))
    assert event is not None
    assert event.changes["capacity_status"] == {"before": "accepting", "after": "waiting_list"}
    assert event.changes["status"] == {"before": "active", "after": "temporarily_closed"}
    # Re-opening clears the closure.
    client.post(f"/listings/{svc.id}/update", data={"capacity_status": "accepting", "version": found.version})
    assert _reload(db, svc).status == "active"


def test_two_editors_never_silently_overwrite_each_other(app: Flask, db: Session) -> None:
    first, svc = _setup(app, db)
    curator = make.user(db, "curator", "cu@example.org")
    db.commit()
    second = make.sign_in(app.test_client(), curator)
    opened_at = svc.version
    assert (
        first.post(
            f"/listings/{svc.id}/update", data={"capacity_status": "at_capacity", "version": opened_at}
        ).status_code
        == 302
    )
    late = second.post(
        f"/listings/{svc.id}/update",
        data={"capacity_status": "accepting", "wait_days": "3", "version": opened_at},
    )
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "Someone else changed this listing while you were editing" in page
    conflict = page.split('data-testid="conflict"')[1]
    assert "accepting" in conflict
    assert "at_capacity" in conflict
    assert (
        f'name="version" type="hidden" value="{opened_at + 1}"' in page
    )  # try again from the current version
    assert 'value="3"' in page  # what they typed is kept
    assert _reload(db, svc).capacity_status == "at_capacity"


def test_a_write_racing_between_read_and_save_is_a_conflict(app: Flask, db: Session) -> None:
    _client, svc = _setup(app, db)
    with app.app_context():
        mine = get_session()
        loaded = mine.get(Service, svc.id)
        assert loaded is not None
        with app.app_context():  # someone else, in their own transaction
            theirs = get_session()
            other = theirs.get(Service, svc.id)
            assert other is not None
            other.capacity_status = "closed_to_referrals"
            theirs.commit()
        actor = make.user(mine, "curator", "racer@example.org")
        try:
            updates.update_operational(
                mine, actor, loaded, loaded.version, updates.Operational("at_capacity", None, False, "")
            )
        except updates.VersionConflictError:
            pass
        else:
            raise AssertionError("a stale write went through")
    assert _reload(db, svc).capacity_status == "closed_to_referrals"


def test_weekly_grid_with_several_sessions_and_copying_monday(app: Flask, db: Session) -> None:
    client, svc = _setup(app, db)
    form = {
        "version": svc.version,
        "mon_1_opens": "9am",
        "mon_1_closes": "12:30pm",
        "mon_2_opens": "13:30",
        "mon_2_closes": "17:00",
        "copy_monday": "y",
        "sat_1_opens": "10",
        "sat_1_closes": "14",
        "sat_1_drop_in": "y",
        "sun_1_opens": "22:00",
        "sun_1_closes": "06:00",
    }
    assert client.post(f"/listings/{svc.id}/opening-times", data=form).status_code == 302
    found = _reload(db, svc)
    sessions = [(s.weekday, s.opens_at, s.closes_at, s.drop_in) for s in found.sessions]
    weekday_sessions = [(d, time(9), time(12, 30), False) for d in range(5)] + [
        (d, time(13, 30), time(17), False) for d in range(5)
    ]
    assert sorted(sessions) == sorted(
        [*weekday_sessions, (5, time(10), time(14), True), (6, time(22), time(6), False)]
    )
    assert found.hours_known
    assert "service.schedule_updated" in _actions(db, svc)
    page = client.get(f"/listings/{svc.id}/opening-times").get_data(as_text=True)
    assert 'name="fri_2_opens" type="text" value="13:30"' in page


def test_open_all_hours(app: Flask, db: Session) -> None:
    client, svc = _setup(app, db, hours=False)
    client.post(
        f"/listings/{svc.id}/opening-times",
        data={"version": svc.version, "always_open": "y", "open_on_bank_holidays": "y"},
    )
    found = _reload(db, svc)
    assert found.always_open
    assert found.open_on_bank_holidays
    assert found.hours_known
    assert found.sessions == []


def test_bad_times_are_explained_and_what_was_typed_is_kept(app: Flask, db: Session) -> None:
    client, svc = _setup(app, db)
    page = client.post(
        f"/listings/{svc.id}/opening-times",
        data={
            "version": svc.version,
            "tue_1_opens": "25:00",
            "tue_1_closes": "17:00",
            "wed_1_opens": "9:00",
            "wed_1_closes": "13:00",
            "wed_2_opens": "12:00",
            "wed_2_closes": "15:00",
        },
    ).get_data(as_text=True)
    assert "Enter a real opening time for Tuesday" in page
    assert "Sessions on Wednesday overlap" in page
    assert 'href="#tue_1_opens"' in page
    assert 'value="25:00"' in page
    assert 'value="12:00"' in page
    assert [s.weekday for s in _reload(db, svc).sessions] == [0]  # nothing saved


def test_exceptions_for_particular_days(app: Flask, db: Session) -> None:
    client, svc = _setup(app, db)
    tomorrow = today() + timedelta(days=1)
    client.post(
        f"/listings/{svc.id}/exceptions",
        data={
            "day": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)],
            "closed": "closed",
            "note": "Staff training",
        },
    )
    extra = client.post(
        f"/listings/{svc.id}/exceptions",
        data={
            "day": [str(today().day), str(today().month), str(today().year)],
            "closed": "open",
            "opens": "5pm",
            "closes": "7pm",
        },
    )
    assert extra.status_code == 302
    found = _reload(db, svc)
    assert [(e.day, e.closed, e.opens_at) for e in found.exceptions] == [
        (today(), False, time(17)),
        (tomorrow, True, None),
    ]
    past = today() - timedelta(days=3)
    refused = client.post(
        f"/listings/{svc.id}/exceptions",
        data={"day": [str(past.day), str(past.month), str(past.year)], "closed": "closed"},
    )
    assert "The date must be today or in the future" in refused.get_data(as_text=True)
    closed_day = next(e for e in found.exceptions if e.closed)
    client.post(f"/listings/{svc.id}/exceptions/{closed_day.id}/remove")
    assert len(_reload(db, svc).exceptions) == 1
    assert _actions(db, svc).count("service.exception_added") == 2
    assert "service.exception_removed" in _actions(db, svc)


@pytest.mark.parametrize(
    "day", [["24"], ["24", "5"], ["24", "5", "2030", "1"], []], ids=["one", "two", "four", "none"]
)
def test_an_exception_date_with_the_wrong_number_of_parts_is_asked_again(
    app: Flask, db: Session, day: list[str]
) -> None:
    client, svc = _setup(app, db)
    response = client.post(f"/listings/{svc.id}/exceptions", data={"day": day, "closed": "closed"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page
    assert 'href="#day"' in page
    assert _reload(db, svc).exceptions == []


def test_an_exception_of_another_listing_cannot_be_removed_through_mine(app: Flask, db: Session) -> None:
    client, svc = _setup(app, db)
    other_org = make.organisation(db, "Agency B")
    theirs = make.service(db, other_org, "Their service")
    from directory.models import ScheduleException

    theirs.exceptions.append(ScheduleException(day=today(), closed=True))
    db.commit()
    exception_id, mine_id, theirs_id = theirs.exceptions[0].id, svc.id, theirs.id
    assert client.post(f"/listings/{mine_id}/exceptions/{exception_id}/remove").status_code == 404
    assert client.post(f"/listings/{theirs_id}/exceptions/{exception_id}/remove").status_code == 404
    db.expire_all()
    assert len(db.get(Service, theirs_id).exceptions) == 1  # type: ignore[union-attr]


def test_descriptive_edits_become_a_proposal_not_a_change(app: Flask, db: Session) -> None:
    client, svc = _setup(app, db)
    form = {
        "version": svc.version,
        "name": "Drop-in advice",
        "description": "Drop-in advice helps people with debt and benefits.",
        "referral_routes": ["self", "drop_in"],
        "needs": ["DEBT"],
        "address": "1 High Street",
        "town": "London",
        "postcode": "se64ru",
        "phone_1_number": "020 8314 6000",
        "phone_1_label": "Main line",
        "phone_2_number": "020 7946 0999",
        "phone_2_label": "Professionals",
        "phone_2_professional": "y",
        "note": "We now cover benefits too",
    }
    assert client.post(f"/listings/{svc.id}/details", data=form).status_code == 302
    found = _reload(db, svc)
    assert found.description == "Drop-in advice helps people."  # unchanged until a curator approves
    change = db.scalar(select(ProposedChange))
    assert change is not None
    assert change.status == "pending"
    assert set(change.changes) == {"description", "referral_routes", "needs"}
    assert change.changes["referral_routes"] == {"before": ["self"], "after": ["self", "drop_in"]}
    assert change.note == "We now cover benefits too"
    assert "service.change_proposed" in _actions(db, svc)
    listing = client.get(f"/listings/{svc.id}").get_data(as_text=True)
    assert "Pending" in listing
    # The same form again, with nothing changed, is refused with a message.
    again = client.post(
        f"/listings/{svc.id}/details",
        data={**form, "description": found.description, "referral_routes": ["self"], "needs": []},
    )
    assert "You have not changed anything yet" in again.get_data(as_text=True)


def test_editors_can_withdraw_their_proposal(app: Flask, db: Session) -> None:
    client, svc = _setup(app, db)
    editor = db.scalar(select(make.User).where(make.User.email == "ed@example.org"))
    assert editor is not None
    change = make.proposal(db, svc, editor, name="New name")
    db.commit()
    assert client.post(f"/listings/{svc.id}/changes/{change.id}/withdraw").status_code == 302
    db.expire_all()
    assert db.get(ProposedChange, change.id).status == "withdrawn"  # type: ignore[union-attr]
