"""Eligibility facts the matcher relies on (catchment, cohorts, exclusions, delivery, languages, GP
registration, joint services) are proposed by agencies and approved by curators like other details."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.listings.fields import display
from directory.matching.bridge import need_taxonomy
from directory.matching.loading import load_options
from directory.models import AuditEvent, ProposedChange, Service, User
from matcher import rules
from matcher.model import Person, Where
from tests.auth import factories as make

LEWISHAM, GREENWICH, MANCHESTER = "E09000023", "E09000011", "E08000003"
# What the details form holds for make.service's listing, untouched.
UNCHANGED = {
    "name": "Drop-in advice",
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


def _world(app: Flask, db: Session) -> tuple[FlaskClient, FlaskClient, Service, User]:
    org = make.organisation(db, "Agency A")
    editor = make.user(db, "editor", "ed@example.org", organisations=[org])
    curator = make.user(db, "curator", "cu@example.org")
    svc = make.service(db, org, "Drop-in advice")
    db.commit()
    return make.sign_in(app.test_client(), editor), make.sign_in(app.test_client(), curator), svc, editor


def _reload(db: Session, svc_id: str) -> Service:
    db.expire_all()
    found = db.get(Service, svc_id)
    assert found is not None
    return found


def _refusal(db: Session, svc_id: str, person: Person, needs: tuple[str, ...] = ("DEBT",)) -> str | None:
    """The first eligibility rule the matcher's view of the listing fails for ``person``, if any."""
    (option,) = load_options(db, [svc_id])
    where = Where(setting="custody", district="SE6", authority=LEWISHAM)
    roles = rules.roles_by_code(need_taxonomy(db).values())
    ctx = rules.Context(person, where, frozenset(needs), date(2026, 6, 1), None, 5.0, roles)
    failed = rules.first_failure(rules.ELIGIBILITY_RULES, ctx, option, needs[0])
    return failed.rule if failed else None


def _person(authority: str, **kw: object) -> Person:
    return Person(age=34, gender="male", home_district=None, home_authority=authority, **kw)  # type: ignore[arg-type]


def test_editor_proposes_eligibility_and_the_approved_values_reach_the_matcher(
    app: Flask, db: Session
) -> None:
    editor_client, curator_client, svc, _editor = _world(app, db)
    svc_id = svc.id
    page = editor_client.get(f"/listings/{svc_id}/details").get_data(as_text=True)
    assert 'name="catchment_type" type="radio" value="none" checked' in page
    assert "People registered with a GP in these areas" in page
    assert _refusal(db, svc_id, _person(MANCHESTER)) is None

    form = {
        **UNCHANGED,
        "version": str(svc.version),
        "catchment_type": "residence",
        "catchment_areas": "Lewisham, se6\nRoyal Borough of Greenwich",
        "cohorts": ["probation"],
        "exclusions": ["crisis", "immediate_risk"],
        "delivery_modes": ["phone", "in_person"],
        "languages": "English, pl",
        "requires_gp_registration": "y",
        "note": "We only take Lewisham and Greenwich residents on probation",
    }
    assert editor_client.post(f"/listings/{svc_id}/details", data=form).status_code == 302
    assert _reload(db, svc_id).catchment_type == "none"  # nothing changes until a curator approves
    change = db.scalar(select(ProposedChange))
    assert change is not None
    assert set(change.changes) == {
        "catchment_type",
        "catchment_areas",
        "cohorts",
        "exclusions",
        "delivery_modes",
        "languages",
        "requires_gp_registration",
    }
    assert change.changes["catchment_areas"] == {"before": [], "after": [GREENWICH, LEWISHAM, "SE6"]}
    assert change.changes["exclusions"]["after"] == ["immediate_risk", "crisis"]
    assert change.changes["languages"]["after"] == ["en", "pl"]

    review = curator_client.get(f"/curation/changes/{change.id}").get_data(as_text=True)
    assert "+ Lewisham (E09000023)" in review
    assert "+ People in a mental health crisis" in review
    assert "People living in these areas" in review
    assert (
        curator_client.post(f"/curation/changes/{change.id}/approve", data={"reason": "Checked"}).status_code
        == 302
    )

    found = _reload(db, svc_id)
    assert (found.catchment_type, found.catchment_areas) == ("residence", [GREENWICH, LEWISHAM, "SE6"])
    assert (found.cohorts, found.exclusions) == (["probation"], ["immediate_risk", "crisis"])
    assert (found.delivery_modes, found.languages) == (["in_person", "phone"], ["en", "pl"])
    assert found.requires_gp_registration is True
    assert found.joint_or_couple is False
    assert _refusal(db, svc_id, _person(MANCHESTER, probation="licence")) == "catchment"
    assert _refusal(db, svc_id, _person(GREENWICH)) == "cohort"
    assert _refusal(db, svc_id, _person(GREENWICH, probation="licence"), ("MH_CRISIS", "DEBT")) == (
        "clinical_exclusion"
    )
    assert _refusal(db, svc_id, _person(GREENWICH, probation="licence")) is None

    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "service.change_approved"))
    assert event is not None
    assert event.changes["catchment_areas"] == {"before": [], "after": [GREENWICH, LEWISHAM, "SE6"]}
    assert event.changes["cohorts"] == {"before": [], "after": ["probation"]}
    listing = editor_client.get(f"/listings/{svc_id}").get_data(as_text=True)
    assert "Greenwich (E09000011), Lewisham (E09000023), SE6" in listing
    again = editor_client.get(f"/listings/{svc_id}/details").get_data(as_text=True)
    assert "Greenwich (E09000011)\nLewisham (E09000023)\nSE6</textarea>" in again


def test_a_curator_corrects_the_catchment_then_approves(app: Flask, db: Session) -> None:
    _editor_client, curator_client, svc, editor = _world(app, db)
    change = make.proposal(
        db, svc, editor, catchment_type="gp", catchment_areas=[LEWISHAM], exclusions=["secondary_care"]
    )
    change_id, svc_id, version = change.id, svc.id, svc.version
    db.commit()
    page = curator_client.get(f"/curation/changes/{change_id}/edit").get_data(as_text=True)
    assert 'name="catchment_type" type="radio" value="gp" checked' in page
    assert "Lewisham (E09000023)</textarea>" in page
    form = {
        **UNCHANGED,
        "version": str(version),
        "catchment_type": "either",
        "catchment_areas": "Lewisham (E09000023)\nBristol, City of",
        "exclusions": ["secondary_care"],
    }
    assert curator_client.post(f"/curation/changes/{change_id}/edit", data=form).status_code == 302
    found = _reload(db, svc_id)
    assert (found.catchment_type, found.catchment_areas) == ("either", ["E06000023", LEWISHAM])
    assert found.exclusions == ["secondary_care"]
    applied = db.get(ProposedChange, change_id).applied  # type: ignore[union-attr]
    assert applied["catchment_type"] == {"before": "none", "after": "either"}


def test_unknown_catchment_areas_are_named_and_nothing_is_saved(app: Flask, db: Session) -> None:
    editor_client, _curator_client, svc, _editor = _world(app, db)
    svc_id = svc.id
    form = {
        **UNCHANGED,
        "version": str(svc.version),
        "description": "Now for Lewisham people on probation.",
        "catchment_type": "residence",
        "catchment_areas": "Lewisham, Lewishm, XX99",
        "cohorts": ["probation"],
        "languages": "English, Klingon",
    }
    response = editor_client.post(f"/listings/{svc_id}/details", data=form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert 'href="#catchment_areas"' in page
    assert "We do not know “Lewishm”, “XX99”" in page
    assert "We do not know “Klingon”" in page
    assert "Lewisham, Lewishm, XX99</textarea>" in page  # what they typed is kept
    assert "Now for Lewisham people on probation.</textarea>" in page
    assert 'name="cohorts" type="checkbox" value="probation" checked' in page
    assert 'name="catchment_type" type="radio" value="residence" checked' in page
    assert db.scalar(select(ProposedChange)) is None
    assert _reload(db, svc_id).catchment_type == "none"

    no_areas = editor_client.post(
        f"/listings/{svc_id}/details", data={**form, "catchment_areas": " , "}
    ).get_data(as_text=True)
    assert "Enter the areas you take people from" in no_areas
    assert db.scalar(select(ProposedChange)) is None


def test_taking_anyone_clears_the_areas(app: Flask, db: Session) -> None:
    editor_client, _curator_client, svc, _editor = _world(app, db)
    svc.catchment_type, svc.catchment_areas = "residence", ["SE6"]
    db.commit()
    form = {**UNCHANGED, "version": str(svc.version), "catchment_type": "none", "catchment_areas": "SE6"}
    assert editor_client.post(f"/listings/{svc.id}/details", data=form).status_code == 302
    change = db.scalar(select(ProposedChange))
    assert change is not None
    assert change.changes["catchment_type"] == {"before": "residence", "after": "none"}
    assert change.changes["catchment_areas"] == {"before": ["SE6"], "after": []}


def test_an_editor_of_another_organisation_cannot_propose_eligibility(app: Flask, db: Session) -> None:
    _editor_client, _curator_client, svc, _editor = _world(app, db)
    other = make.user(db, "editor", "other@example.org", organisations=[make.organisation(db, "Agency B")])
    db.commit()
    snoop = make.sign_in(app.test_client(), other)
    form = {**UNCHANGED, "version": str(svc.version), "catchment_type": "gp", "catchment_areas": "SE6"}
    assert snoop.post(f"/listings/{svc.id}/details", data=form).status_code == 404
    assert db.scalar(select(ProposedChange)) is None


def test_eligibility_values_read_as_plain_english() -> None:
    assert display("catchment_areas", [LEWISHAM, "SE6"]) == "Lewisham (E09000023), SE6"
    assert display("catchment_type", "gp") == "People registered with a GP in these areas"
    assert display("cohorts", ["veteran", "probation"]) == "Armed forces veterans, People on probation"
    assert display("joint_or_couple", False) == "No"
    assert display("requires_gp_registration", True) == "Yes"
    assert display("languages", ["en", "xx"]) == "English, xx"
