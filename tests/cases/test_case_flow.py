"""Opening a case from a package, handing over, following up and closing, over HTTP."""

from __future__ import annotations

import json
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.cases.workdays import nth_working_day
from directory.hours import today
from directory.models import AuditEvent, Case, FollowUpTask, Referral
from tests.cases import factories as make
from tests.cases.conftest import World, client_for, open_case_over_http


def _case(db: Session, url: str) -> Case:
    db.expire_all()
    case = db.get(Case, url.rsplit("/", 1)[1])
    assert case is not None
    return case


def _rank(db: Session, url: str, service_key: str, world: World) -> int:
    return make.rank_of(_case(db, url), world.services[service_key])


def test_the_package_page_offers_a_case_to_team_practitioners_only(
    app: Flask, world: World, db: Session
) -> None:
    signed_in = client_for(app, world.pat).post("/package", data=make.PACKAGE_FORM).get_data(as_text=True)
    anonymous = client_for(app, None).post("/package", data=make.PACKAGE_FORM).get_data(as_text=True)
    assert "Open a case from this package" in signed_in
    assert "Open a case from this package" not in anonymous
    assert "Print a plan for the person" in anonymous


def test_opening_a_case_asks_for_a_reference_then_keeps_only_what_is_needed(
    app: Flask, world: World, db: Session
) -> None:
    client = client_for(app, world.pat)
    first = client.post("/cases/new", data=make.PACKAGE_FORM)
    page = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Open a case from this package" in page
    assert "Housing options" in page
    assert 'name="person_name"' not in page  # names are off unless the deployment switches them on
    assert 'value="SE13 6LJ"' in page  # the package travels on in the form, not in the URL

    url = open_case_over_http(client, "lew 123")
    case = _case(db, url)
    assert case.reference == "LEW123"
    assert case.team.name == "Lewisham custody"
    assert case.setting == "custody"
    assert case.needs == ["NO_BED_TONIGHT", "SUBST_ALCOHOL"]
    assert case.person_name is None
    assert case.attributes["home_district"] == "SE13"
    assert case.attributes["age"] == 34
    assert "SE13 6LJ" not in json.dumps(case.attributes)  # the full home postcode is not kept
    assert {item["service_name"] for item in case.plan["items"]} == {"Housing options", "Alcohol service"}
    assert client.get(url).status_code == 200


def test_a_blank_reference_is_made_up_and_a_bad_one_is_explained(
    app: Flask, world: World, db: Session
) -> None:
    client = client_for(app, world.pat)
    made_up = _case(db, open_case_over_http(client, ""))
    assert made_up.reference is not None
    assert made_up.reference.startswith("DD-")

    bad = client.post("/cases/new", data={**make.PACKAGE_FORM, "stage": "open", "reference": "<script>"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "There is a problem" in page
    assert "A reference can only have letters, numbers" in page
    assert 'value="SE6 4RU"' in page  # the package is still there to try again

    no_needs = client.post("/cases/new", data={**make.PACKAGE_FORM, "needs_basic": [], "needs_health": []})
    assert no_needs.status_code == 400
    assert "Choose at least one need" in no_needs.get_data(as_text=True)


def test_name_and_date_of_birth_only_when_the_deployment_allows(
    app: Flask, world: World, db: Session
) -> None:
    client = client_for(app, world.pat)
    ignored = _case(db, open_case_over_http(client, "A1", person_name="Alex Smith"))
    assert ignored.person_name is None

    app.config["CASE_PERSON_DETAILS"] = True
    page = client.post("/cases/new", data=make.PACKAGE_FORM).get_data(as_text=True)
    assert 'name="person_name"' in page
    kept = _case(
        db, open_case_over_http(client, "A2", person_name="Alex Smith", date_of_birth=["3", "4", "1990"])
    )
    assert kept.person_name == "Alex Smith"
    assert kept.date_of_birth == date(1990, 4, 3)


def test_hand_over_follow_up_and_close(app: Flask, world: World, db: Session) -> None:
    client = client_for(app, world.pat)
    url = open_case_over_http(client)
    housing, alcohol = _rank(db, url, "housing", world), _rank(db, url, "alcohol", world)

    consent = client.post(
        f"{url}/consent",
        data={
            "decision": "given",
            "shares": ["needs", "contact"],
            "recipients": ["housing", "health"],
            "method": "verbal",
        },
    )
    assert consent.status_code == 302
    booked = client.post(
        f"{url}/items/{housing}/refer",
        data={
            "level": "appointment_booked",
            "appointment_date": ["2", "11", "2026"],
            "appointment_time": "14:00",
            "appointment_place": "Laurence House, Catford",
        },
    )
    assert booked.status_code == 302
    assert client.post(f"{url}/items/{alcohol}/refer", data={"level": "signposted"}).status_code == 302

    case = _case(db, url)
    by_service = {r.service_name: r for r in case.referrals}
    assert by_service["Housing options"].level == "appointment_booked"
    assert by_service["Alcohol service"].level == "signposted"
    tasks = {(t.referral.service_name, t.kind): t for t in case.tasks}
    made_on = today()
    assert tasks[("Housing options", "acknowledgement")].due_on == nth_working_day(made_on, 3)
    assert tasks[("Housing options", "after_appointment")].due_on == date(2026, 11, 3)
    assert ("Alcohol service", "acknowledgement") not in tasks  # nobody to acknowledge a signpost
    assert ("Alcohol service", "outcome") in tasks

    dashboard = client.get("/cases/").get_data(as_text=True)
    assert "Check the referral was acknowledged" in dashboard
    assert "LEW123" in dashboard

    housing_id = by_service["Housing options"].id
    for step in ("acknowledged", "attended", "engaged"):
        assert client.post(f"{url}/referrals/{housing_id}/{step}", data={"note": ""}).status_code == 302
    closed = client.post(
        f"{url}/referrals/{housing_id}/closed",
        data={"outcome": "met", "outcome_reason": "helped", "note": "Placed in temporary accommodation"},
    )
    assert closed.status_code == 302

    refused = client.post(f"{url}/close", data={"note": ""})
    assert refused.status_code == 400
    assert "Close every referral first" in refused.get_data(as_text=True)
    alcohol_id = by_service["Alcohol service"].id
    client.post(
        f"{url}/referrals/{alcohol_id}/closed", data={"outcome": "not_met", "outcome_reason": "lost_contact"}
    )
    assert client.post(f"{url}/close", data={"note": "All done"}).status_code == 302

    case = _case(db, url)
    assert case.status == "closed"
    assert all(not t.is_open for t in case.tasks)
    housing_tasks = {t.kind: t.resolution for t in case.tasks if t.referral_id == housing_id}
    assert housing_tasks == {
        "same_day": "answered",  # a bed tonight is urgent: checked the same day (issue 11)
        "acknowledgement": "answered",
        "after_appointment": "answered",
        "outcome": "answered",
    }
    summaries = [e.summary for e in case.events]
    assert "Appointment booked: Housing options" in summaries
    assert "Attended the first appointment: Housing options" in summaries
    assert "Closed with an outcome: Housing options: need met (the service helped)" in summaries
    assert {e.actor_label for e in case.events} == {"Pat"}
    page = client.get(url).get_data(as_text=True)
    assert "moj-timeline__item" in page
    assert "Placed in temporary accommodation" in page


def test_every_view_and_change_is_audited_without_the_persons_details(
    app: Flask, world: World, db: Session
) -> None:
    client = client_for(app, world.pat)
    url = open_case_over_http(client, "LEW 999")
    case_id = url.rsplit("/", 1)[1]
    make_consent = {
        "decision": "given",
        "shares": ["needs"],
        "recipients": ["housing"],
        "method": "signed_form",
    }
    client.post(f"{url}/consent", data=make_consent)
    client.get(url)
    client.get(f"{url}/plan")
    client.get(f"{url}/export.json")
    db.expire_all()
    events = list(
        db.scalars(select(AuditEvent).where(AuditEvent.object_id == case_id).order_by(AuditEvent.id))
    )
    actions = [e.action for e in events]
    assert actions == [
        "case.opened",
        "case.consent_recorded",
        "case.viewed",
        "case.viewed_plan",
        "case.viewed_export",
    ]
    assert all(e.actor_id == world.pat.id for e in events)
    written = json.dumps([[e.object_label, e.changes, e.reason] for e in events])
    for personal in ("LEW999", "SE13", "NO_BED_TONIGHT", "Text only", "34"):
        assert personal not in written


def test_find_a_returning_persons_plan_by_reference(app: Flask, world: World, db: Session) -> None:
    pat, kim = client_for(app, world.pat), client_for(app, world.kim)
    url = open_case_over_http(pat, "LEW 555")
    found = pat.post("/cases/find", data={"reference": " lew555 "})
    assert found.status_code == 302
    assert found.headers["Location"] == url
    app.config["TEAM_CONTACT"] = "Lewisham Liaison and Diversion, 020 8000 0000"
    plan = pat.get(f"{url}/plan").get_data(as_text=True)
    assert "Your plan" in plan
    assert "Housing options" in plan
    assert "Opening hours:" in plan  # on paper, the hours (issue 11)
    assert "data-dd-print" in plan
    assert "Lewisham Liaison and Diversion, 020 8000 0000" in plan
    assert "LEW555" in plan
    assert "Nowhere to sleep tonight" not in plan  # needs only when the practitioner asks
    assert "Nowhere to sleep tonight" in pat.get(f"{url}/plan?needs=yes").get_data(as_text=True)

    missing = pat.post("/cases/find", data={"reference": "NOPE1"})
    assert missing.status_code == 400
    assert "No case has that reference" in missing.get_data(as_text=True)
    other_team = kim.post("/cases/find", data={"reference": "LEW555"})
    assert other_team.status_code == 400  # Manchester cannot find Lewisham's case

    second = open_case_over_http(pat, "LEW555")  # the person came back: a new case, same reference
    both = pat.post("/cases/find", data={"reference": "LEW555"}).get_data(as_text=True)
    assert url.rsplit("/", 1)[1] in both
    assert second.rsplit("/", 1)[1] in both


def test_text_to_send_holds_only_what_this_agency_needs(app: Flask, world: World, db: Session) -> None:
    client = client_for(app, world.pat)
    url = open_case_over_http(client)
    housing = _rank(db, url, "housing", world)
    client.post(
        f"{url}/consent",
        data={
            "decision": "given",
            "shares": ["needs", "circumstances", "safety"],
            "recipients": ["housing"],
            "method": "verbal",
        },
    )
    client.post(f"{url}/items/{housing}/refer", data={"level": "referral_sent"})
    referral = db.scalar(select(Referral).where(Referral.service_name == "Housing options"))
    assert referral is not None
    page = client.get(f"{url}/referrals/{referral.id}/text").get_data(as_text=True)
    assert "Our reference: LEW123" in page
    assert "Nowhere to sleep tonight" in page
    assert "Alcohol use" not in page  # the alcohol service's need is not the housing team's business
    assert "URGENT - please reply today" in page  # no bed tonight is urgent
    assert "Please reply to Pat, Lewisham custody: pat@example.org" in page
    assert "How to contact them safely: Text only, never call after 6pm" in page
    assert "Age: 34" in page
    assert "housing@example.org" in page
    assert 'data-copy-target="handover-text"' in page


def test_export_for_a_subject_access_request(app: Flask, world: World, db: Session) -> None:
    client = client_for(app, world.pat)
    url = open_case_over_http(client)
    client.post(
        f"{url}/consent",
        data={"decision": "given", "shares": ["needs"], "recipients": ["housing"], "method": "verbal"},
    )
    response = client.get(f"{url}/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert data["case"]["reference"] == "LEW123"
    assert data["consent"][0]["decision"] == "Gave explicit consent to share"
    assert data["consent"][0]["who_with"] == ["Housing and homelessness services"]
    assert data["details_used_to_find_services"]["safe_contact_notes"] == "Text only, never call after 6pm"
    assert [n["label"] for n in data["needs"]] == ["Nowhere to sleep tonight", "Alcohol use"]
    printable = client.get(f"{url}/export").get_data(as_text=True)
    assert "Everything we hold on case LEW123" in printable
    assert "Text only, never call after 6pm" in printable


def test_the_dashboard_splits_overdue_due_today_and_coming_up(app: Flask, world: World, db: Session) -> None:
    from directory.cases import followup, referrals

    case = make.open_case(db, world.pat, "DUE1")
    make.consent(db, world.pat, case)
    referrals.make_referral(
        db, world.pat, case, make.rank_of(case, world.services["housing"]), "referral_sent"
    )
    other_team_case = make.open_case(db, world.kim, "MAN1")
    make.consent(db, world.kim, other_team_case)
    referrals.make_referral(
        db,
        world.kim,
        other_team_case,
        make.rank_of(other_team_case, world.services["housing"]),
        "referral_sent",
    )
    db.commit()
    [ack] = [t for t in case.tasks if t.kind == "acknowledgement"]
    due = followup.team_due(db, world.pat.team_id or "", on=ack.due_on)
    assert due.due_today == [ack]
    assert all(t.case.team_id == world.pat.team_id for t in due.due_today + due.coming_up + due.overdue)
    page = client_for(app, world.sam).get("/cases/").get_data(as_text=True)  # Sam sees the team's checks
    assert "DUE1" in page
    assert "MAN1" not in page
    done = client_for(app, world.sam).post(
        f"/cases/{case.id}/tasks/{ack.id}/done", data={"note": "Chased by phone"}
    )
    assert done.status_code == 302
    db.expire_all()
    task = db.get(FollowUpTask, ack.id)
    assert task is not None
    assert task.resolution == "checked"
    assert task.done_by_id == world.sam.id


def test_the_home_page_tells_a_practitioner_what_is_due(app: Flask, world: World, db: Session) -> None:
    from directory.cases import referrals

    case = make.open_case(db, world.pat, "HOME1")
    make.consent(db, world.pat, case)
    referrals.make_referral(
        db, world.pat, case, make.rank_of(case, world.services["housing"]), "referral_sent"
    )
    for task in case.tasks:
        task.due_on = date(2020, 1, 6)  # long overdue
    db.commit()
    page = client_for(app, world.pat).get("/").get_data(as_text=True)
    assert "Your team has 3 follow-ups overdue" in page  # acknowledgement, outcome, same day (urgent)
    assert 'href="/cases/"' in page
    assert "follow-ups overdue" not in client_for(app, None).get("/").get_data(as_text=True)
    assert "follow-ups overdue" not in client_for(app, world.kim).get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "typed", ["lew-555/2", "LEW 555 2", "lew5552", " Lew\u2013555 \u2013 2 ", "lew_555.2"]
)
def test_find_by_reference_ignores_case_spaces_and_hyphens(
    app: Flask, world: World, db: Session, typed: str
) -> None:
    pat = client_for(app, world.pat)
    url = open_case_over_http(pat, "LEW-555/2")
    found = pat.post("/cases/find", data={"reference": typed})
    assert found.status_code == 302, found.get_data(as_text=True)[:500]
    assert found.headers["Location"] == url
    assert pat.post("/cases/find", data={"reference": "LEW-555-3"}).status_code == 400


def test_the_refer_page_shows_how_to_reach_the_service(app: Flask, world: World, db: Session) -> None:
    client = client_for(app, world.pat)
    url = open_case_over_http(client)
    housing = _rank(db, url, "housing", world)
    page = client.get(f"{url}/items/{housing}/refer").get_data(as_text=True)
    contact = page.split('data-testid="service-contact"', 1)[1].split("</div>", 1)[0]
    assert 'href="tel:02083146000"' in contact  # the public line
    assert "020 7946 0999" in contact  # the professionals' line: a practitioner may see it
    assert 'href="mailto:housing@example.org"' in contact
    assert "Referral routes:" in contact
