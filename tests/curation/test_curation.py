"""Curation: approve, reject with a reason, edit then approve, outdated proposals, problem reports,
reviews, duplicates, and records (organisations, services, editors, retiring)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.curation import duplicates
from directory.hours import today
from directory.models import (
    AuditEvent,
    DuplicateDecision,
    Organization,
    ProblemReport,
    ProposedChange,
    Service,
    User,
)
from tests.auth import factories as make


def _world(app: Flask, db: Session) -> tuple[FlaskClient, FlaskClient, Service, User]:
    org = make.organisation(db, "Agency A")
    editor = make.user(db, "editor", "ed@example.org", organisations=[org])
    curator = make.user(db, "curator", "cu@example.org")
    svc = make.service(db, org, "Drop-in advice")
    db.commit()
    return make.sign_in(app.test_client(), editor), make.sign_in(app.test_client(), curator), svc, editor


def _reload(db: Session, model: type, ident: str):  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.get(model, ident)


def test_curator_approves_a_proposal_and_it_goes_live(app: Flask, db: Session) -> None:
    editor_client, curator_client, svc, editor = _world(app, db)
    change = make.proposal(db, svc, editor, description="Drop-in advice helps people with debt.")
    change_id, svc_id = change.id, svc.id
    db.commit()
    page = curator_client.get(f"/curation/changes/{change_id}").get_data(as_text=True)
    # A word-level diff: only the changed words are marked.
    assert (
        'Drop-in advice helps <del class="dd-diff-del">people.</del> <ins class="dd-diff-ins">people with debt.</ins>'
        in page
    )
    assert (
        curator_client.post(f"/curation/changes/{change_id}/approve", data={"reason": "Checked"}).status_code
        == 302
    )
    assert _reload(db, Service, svc_id).description == "Drop-in advice helps people with debt."
    approved = _reload(db, ProposedChange, change_id)
    assert approved.status == "approved"
    assert approved.applied["description"]["after"].endswith("with debt.")
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "service.change_approved"))
    assert event is not None
    assert event.related_id == change_id
    assert event.reason == "Checked"
    assert event.changes["description"]["before"] == "Drop-in advice helps people."
    assert "Approved" in editor_client.get(f"/listings/{svc_id}").get_data(as_text=True)


def test_rejection_needs_a_reason_and_the_agency_sees_it(app: Flask, db: Session) -> None:
    editor_client, curator_client, svc, editor = _world(app, db)
    change_id, svc_id = make.proposal(db, svc, editor, name="Best advice ever").id, svc.id
    db.commit()
    empty = curator_client.post(f"/curation/changes/{change_id}/reject", data={"reason": " "})
    assert empty.status_code == 400
    assert "Enter a reason the agency can act on" in empty.get_data(as_text=True)
    curator_client.post(
        f"/curation/changes/{change_id}/reject", data={"reason": "Please keep the official name."}
    )
    assert _reload(db, Service, svc_id).name == "Drop-in advice"
    listing = editor_client.get(f"/listings/{svc_id}").get_data(as_text=True)
    assert "Please keep the official name." in listing
    assert "Please keep the official name." in editor_client.get(
        f"/listings/{svc_id}/changes/{change_id}"
    ).get_data(as_text=True)


def test_another_agency_never_sees_the_answer(app: Flask, db: Session) -> None:
    _editor_client, curator_client, svc, editor = _world(app, db)
    other = make.user(db, "editor", "other@example.org", organisations=[make.organisation(db, "Agency B")])
    change_id, svc_id = make.proposal(db, svc, editor, name="Renamed").id, svc.id
    db.commit()
    curator_client.post(f"/curation/changes/{change_id}/reject", data={"reason": "Private reason"})
    snoop = make.sign_in(app.test_client(), other)
    for url in (
        f"/listings/{svc_id}",
        f"/listings/{svc_id}/changes/{change_id}",
        f"/listings/{svc_id}/history",
    ):
        response = snoop.get(url)
        assert response.status_code == 404
        assert "Private reason" not in response.get_data(as_text=True)


def test_edit_then_approve_publishes_the_curators_version(app: Flask, db: Session) -> None:
    _editor_client, curator_client, svc, editor = _world(app, db)
    change_id, svc_id = make.proposal(db, svc, editor, name="drop in advise").id, svc.id
    db.commit()
    page = curator_client.get(f"/curation/changes/{change_id}/edit").get_data(as_text=True)
    assert 'value="drop in advise"' in page  # the proposal, applied, to start from
    form = {
        "version": str(svc.version),
        "name": "Drop-in advice (Catford)",
        "description": "Drop-in advice helps people.",
        "referral_routes": ["self"],
        "address": "1 High Street",
        "town": "London",
        "postcode": "SE6 4RU",
        "phone_1_number": "020 8314 6000",
        "phone_1_label": "Main line",
        "phone_2_number": "020 7946 0999",
        "phone_2_label": "Professionals",
        "phone_2_professional": "y",
    }
    assert curator_client.post(f"/curation/changes/{change_id}/edit", data=form).status_code == 302
    assert _reload(db, Service, svc_id).name == "Drop-in advice (Catford)"
    change = _reload(db, ProposedChange, change_id)
    assert change.status == "approved"
    assert change.applied == {"name": {"before": "Drop-in advice", "after": "Drop-in advice (Catford)"}}


def test_an_outdated_proposal_is_not_approved_blindly(app: Flask, db: Session) -> None:
    _editor_client, curator_client, svc, editor = _world(app, db)
    change_id, svc_id = make.proposal(db, svc, editor, name="Name from the agency").id, svc.id
    svc.name = "Name set by someone else meanwhile"
    db.commit()
    response = curator_client.post(f"/curation/changes/{change_id}/approve", data={})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "The listing has changed since this was proposed" in page
    assert "Name set by someone else meanwhile" in page
    assert _reload(db, Service, svc_id).name == "Name set by someone else meanwhile"
    assert _reload(db, ProposedChange, change_id).status == "pending"


def test_curators_edit_details_directly(app: Flask, db: Session) -> None:
    _editor_client, curator_client, svc, _editor = _world(app, db)
    svc_id, version = svc.id, svc.version
    response = curator_client.post(
        f"/listings/{svc_id}/details",
        data={
            "version": str(version),
            "name": "Drop-in advice",
            "description": "Now with a new description.",
            "postcode": "SE13",
        },
    )
    assert response.status_code == 302
    found = _reload(db, Service, svc_id)
    assert found.description == "Now with a new description."
    assert found.locations[0].postcode == "SE13"
    assert found.locations[0].local_authority == "E09000023"
    assert found.phones == []  # the form said no phones
    assert db.scalar(select(ProposedChange)) is None


def test_practitioners_report_problems_and_curators_close_them(app: Flask, db: Session) -> None:
    editor_client, curator_client, svc, _editor = _world(app, db)
    practitioner = make.user(db, "practitioner", "pr@example.org", team="Lewisham custody")
    db.commit()
    svc_id = svc.id
    reporter = make.sign_in(app.test_client(), practitioner)
    missing = reporter.post(f"/services/{svc_id}/report-problem", data={"kind": "other", "details": ""})
    assert "Tell us what is wrong" in missing.get_data(as_text=True)
    sent = reporter.post(
        f"/services/{svc_id}/report-problem",
        data={"kind": "phone_wrong", "details": "Number is 020 8314 6001"},
    )
    assert "Thank you" in sent.get_data(as_text=True)
    report = db.scalar(select(ProblemReport))
    assert report is not None
    assert report.kind == "phone_wrong"
    report_id = report.id
    assert "1 problem reported by practitioners" in editor_client.get("/listings/").get_data(as_text=True)
    queue = curator_client.get("/curation/problems").get_data(as_text=True)
    assert "Phone number wrong" in queue
    assert "pr@example.org" in queue
    curator_client.post(
        f"/curation/problems/{report_id}", data={"outcome": "resolved", "note": "Number fixed"}
    )
    assert _reload(db, ProblemReport, report_id).status == "resolved"
    assert "problem reported" not in editor_client.get("/listings/").get_data(as_text=True)


def test_review_queue_lists_the_oldest_verified_first(app: Flask, db: Session) -> None:
    org = make.organisation(db, "Agency A")
    curator = make.user(db, "curator", "cu@example.org")
    make.service(db, org, "Recent", assured=today() - timedelta(days=5))
    make.service(db, org, "Older", assured=today() - timedelta(days=200))
    make.service(db, org, "Oldest", assured=date(2020, 1, 1))
    make.service(db, org, "Never")
    db.commit()
    page = make.sign_in(app.test_client(), curator).get("/curation/review").get_data(as_text=True)
    order = [page.index(name) for name in (">Never<", ">Oldest<", ">Older<")]
    assert order == sorted(order)
    assert ">Recent<" not in page


def _duplicates_world(db: Session) -> tuple[Service, Service, Service]:
    trussell = make.organisation(db, "Lewisham Foodbank")
    council = make.organisation(db, "Lewisham Foodbank (Trussell)")
    a = make.service(
        db,
        trussell,
        "Lewisham Foodbank - Catford",
        phone="020 8314 1234",
        website="https://lewisham.foodbank.org.uk/",
    )
    b = make.service(
        db,
        council,
        "Lewisham Food Bank Catford",
        phone="0208 314 1234",
        website="http://www.lewisham.foodbank.org.uk",
    )
    c = make.service(db, trussell, "Lewisham debt advice line", phone="020 8000 0000", postcode="SE13 6LJ")
    return a, b, c


def test_possible_duplicates_are_found_with_their_evidence(app: Flask, db: Session) -> None:
    a, b, _c = _duplicates_world(db)
    db.commit()
    found = duplicates.possible_duplicates(db)
    assert [(x.first.name, x.second.name) for x in found] in (
        [(a.name, b.name)],
        [(b.name, a.name)],
    )
    assert set(found[0].reasons) == {
        "similar names",  # "Lewisham Foodbank - Catford" and "Lewisham Food Bank Catford"
        "similar organisation names",  # two organisations, not one
        "same postcode (SE6 4RU)",
        "same phone number",
        "same web page (lewisham.foodbank.org.uk)",
    }


def test_the_evidence_says_exactly_what_matched(app: Flask, db: Session) -> None:
    agency = make.organisation(db, "Agency A")
    make.service(db, agency, "Housing Options (Catford)", phone="020 8314 6000")
    make.service(db, agency, "housing options catford", phone="020 8314 6000")
    other = make.organisation(db, "Agency B")
    make.service(db, other, "Catford advice centre", phone="020 7000 1111", postcode="SE13 6LJ")
    make.service(
        db,
        make.organisation(db, "Agency C"),
        "Catford advice centres",
        phone="020 7000 2222",
        postcode="SE13 7AA",
    )
    db.commit()
    by_names = {
        frozenset((c.first.name, c.second.name)): c.reasons for c in duplicates.possible_duplicates(db)
    }
    same_org = by_names[frozenset(("Housing Options (Catford)", "housing options catford"))]
    assert same_org[:2] == ("same name apart from capitals and punctuation", "same organisation")
    different = by_names.get(frozenset(("Catford advice centre", "Catford advice centres")))
    assert different is not None  # different names, different organisations: never "same"
    assert different[0] == "similar names"
    assert not {"same organisation", "same name", "organisations with the same name"} & set(different)
    assert "same postcode district (SE13)" in different


def test_dismissed_pairs_are_not_suggested_again(app: Flask, db: Session) -> None:
    a, b, _c = _duplicates_world(db)
    curator = make.user(db, "curator", "cu@example.org")
    db.commit()
    client = make.sign_in(app.test_client(), curator)
    assert "Not duplicates: dismiss" in client.get("/curation/duplicates").get_data(as_text=True)
    client.post("/curation/duplicates/dismiss", data={"first": a.id, "second": b.id})
    assert duplicates.possible_duplicates(db) == []
    assert (
        client.post("/curation/duplicates/dismiss", data={"first": a.id, "second": b.id}).status_code == 409
    )


def test_merging_keeps_one_and_retires_the_other(app: Flask, db: Session) -> None:
    a, b, _c = _duplicates_world(db)
    practitioner = make.user(db, "practitioner", "pr@example.org")
    curator = make.user(db, "curator", "cu@example.org")
    from directory.models import Need

    b.needs = [db.get(Need, "FOOD_ESSENTIALS")]  # type: ignore[list-item]
    make.problem(db, b, practitioner)
    db.commit()
    a_id, b_id, a_name, b_name = a.id, b.id, a.name, b.name
    client = make.sign_in(app.test_client(), curator)
    assert (
        client.post(
            "/curation/duplicates/merge", data={"first": a_id, "second": b_id, "keep": "nonsense"}
        ).status_code
        == 400
    )
    # The list offers one button per listing, each naming the listing it keeps.
    listed = client.get("/curation/duplicates").get_data(as_text=True)
    assert "Keep this one, retire the other" not in listed
    assert f"Keep {a_name}<" in listed
    assert f"Keep {b_name}<" in listed
    # It leads to a page that says what will happen; nothing has changed yet.
    confirm = client.get(f"/curation/duplicates/merge?first={a_id}&second={b_id}&keep={a_id}")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert f"Keep {a_name} and retire {b_name}?" in page
    assert "and add the needs only the other listing covered: Food and essentials" in page
    assert "move 1 open problem report to" in page
    assert _reload(db, Service, b_id).status != "defunct"
    # A post without the confirmation (an old one-click form) only leads to the confirmation page.
    unconfirmed = client.post(
        "/curation/duplicates/merge", data={"first": a_id, "second": b_id, "keep": a_id}
    )
    assert unconfirmed.status_code == 303
    assert "/curation/duplicates/merge?" in unconfirmed.headers["Location"]
    assert _reload(db, Service, b_id).status != "defunct"
    assert (
        client.post(
            "/curation/duplicates/merge",
            data={"first": a_id, "second": b_id, "keep": a_id, "confirmed": "yes"},
        ).status_code
        == 302
    )
    kept, retired = _reload(db, Service, a_id), _reload(db, Service, b_id)
    assert retired.status == "defunct"  # never deleted
    assert "FOOD_ESSENTIALS" in kept.need_codes
    assert db.scalar(select(ProblemReport)).service_id == a_id  # type: ignore[union-attr]
    decision = db.scalar(select(DuplicateDecision))
    assert decision is not None
    assert decision.decision == "merged"
    assert decision.kept_service_id == a_id


def test_curators_create_organisations_services_bind_editors_and_retire(app: Flask, db: Session) -> None:
    curator = make.user(db, "curator", "cu@example.org")
    editor = make.user(db, "editor", "ed@example.org")
    make.user(db, "practitioner", "pr@example.org")
    db.commit()
    editor_id = editor.id
    client = make.sign_in(app.test_client(), curator)
    invalid = client.post("/curation/organisations/new", data={"name": "", "website": "not a site"})
    assert "Enter the organisation" in invalid.get_data(as_text=True)
    created = client.post(
        "/curation/organisations/new", data={"name": "  New   Agency ", "website": "https://new.example.org"}
    )
    org = db.scalar(select(Organization).where(Organization.name == "New Agency"))
    assert org is not None
    assert created.headers["Location"].endswith(org.id)
    org_id = org.id
    not_editor = client.post(f"/curation/organisations/{org_id}/editors", data={"editor": "pr@example.org"})
    assert "There is no agency editor account with that email address" in not_editor.get_data(as_text=True)
    client.post(f"/curation/organisations/{org_id}/editors", data={"editor": "ED@example.org"})
    assert _reload(db, User, editor_id).organization_ids == {org_id}
    response = client.post(f"/curation/organisations/{org_id}/services/new", data={"name": "New service"})
    svc = db.scalar(select(Service).where(Service.name == "New service"))
    assert svc is not None
    assert response.headers["Location"] == f"/listings/{svc.id}"
    svc_id = svc.id
    editor_client = make.sign_in(app.test_client(), _reload(db, User, editor_id))
    assert editor_client.get(f"/listings/{svc_id}").status_code == 200
    assert "Enter why" in client.post(f"/curation/services/{svc_id}/retire", data={"reason": ""}).get_data(
        as_text=True
    )
    client.post(f"/curation/services/{svc_id}/retire", data={"reason": "Service closed in March"})
    assert _reload(db, Service, svc_id).status == "defunct"
    assert (
        editor_client.post(
            f"/listings/{svc_id}/update", data={"capacity_status": "accepting", "version": "1"}
        ).status_code
        == 403
    )
    actions = list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert [
        a
        for a in actions
        if a in {"organisation.created", "user.organisation_bound", "service.created", "service.retired"}
    ] == ["organisation.created", "user.organisation_bound", "service.created", "service.retired"]


def test_a_proposal_stored_holding_a_nul_is_approved_without_it(app: Flask, db: Session) -> None:
    """Proposals saved before forms stripped control characters can hold them (a JSON column takes a
    NUL; a text column on PostgreSQL does not): approving one publishes the text without them."""
    _editor_client, curator_client, svc, editor = _world(app, db)
    change = make.proposal(db, svc, editor, description="Advice\u0000 on debt.")
    change_id, svc_id = change.id, svc.id
    db.commit()
    response = curator_client.post(f"/curation/changes/{change_id}/approve", data={"reason": "Checked"})
    assert response.status_code == 302
    assert _reload(db, Service, svc_id).description == "Advice on debt."
