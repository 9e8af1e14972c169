"""Inclusion criteria on the details form: an agency proposes them (by the needs' names), a curator
approves or sets them, and the matcher then keeps the service for the people it is for."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import ProposedChange
from directory.seeding import seed_taxonomy
from tests.listings.test_eligibility_fields import UNCHANGED, _person, _refusal, _reload, _world

LEWISHAM = "E09000023"


def test_an_agency_proposes_inclusion_criteria_and_the_approved_ones_reach_the_matcher(
    app: Flask, db: Session
) -> None:
    seed_taxonomy(db)
    editor_client, curator_client, svc, _editor = _world(app, db)
    svc_id = svc.id
    page = editor_client.get(f"/listings/{svc_id}/details").get_data(as_text=True)
    assert "Only for people with these needs" in page
    form = {
        **UNCHANGED,
        "version": str(svc.version),
        "requires_needs": "drug use OR Alcohol use\r\nSevere mental illness",
    }
    assert editor_client.post(f"/listings/{svc_id}/details", data=form).status_code == 302
    assert _reload(db, svc_id).requires_needs == []  # nothing changes until a curator approves
    change = db.scalar(select(ProposedChange))
    assert change is not None
    assert change.changes == {
        "requires_needs": {"before": [], "after": [["SUBST_DRUGS", "SUBST_ALCOHOL"], ["MH_SEVERE"]]}
    }
    review = curator_client.get(f"/curation/changes/{change.id}").get_data(as_text=True)
    assert "+ Drug use or Alcohol use" in review
    assert "+ Severe mental illness" in review
    assert "SUBST_DRUGS" not in review
    approve = curator_client.post(f"/curation/changes/{change.id}/approve", data={"reason": "Checked"})
    assert approve.status_code == 302
    assert _reload(db, svc_id).requires_needs == [["SUBST_DRUGS", "SUBST_ALCOHOL"], ["MH_SEVERE"]]
    assert _refusal(db, svc_id, _person(LEWISHAM), ("DEBT",)) == "required_needs"
    assert _refusal(db, svc_id, _person(LEWISHAM), ("DEBT", "SUBST_ALCOHOL", "MH_SEVERE")) is None
    again = editor_client.get(f"/listings/{svc_id}/details").get_data(as_text=True)
    assert "Drug use or Alcohol use\nSevere mental illness</textarea>" in again


def test_a_curator_sets_them_at_once_and_can_clear_them(app: Flask, db: Session) -> None:
    seed_taxonomy(db)
    _editor_client, curator_client, svc, _editor = _world(app, db)
    svc_id = svc.id
    form = {**UNCHANGED, "version": str(svc.version), "requires_needs": "LD"}
    assert curator_client.post(f"/listings/{svc_id}/details", data=form).status_code == 302
    found = _reload(db, svc_id)
    assert found.requires_needs == [["LD"]]
    form = {**UNCHANGED, "version": str(found.version), "requires_needs": ""}
    assert curator_client.post(f"/listings/{svc_id}/details", data=form).status_code == 302
    assert _reload(db, svc_id).requires_needs == []


def test_an_unknown_need_is_named_and_nothing_is_saved(app: Flask, db: Session) -> None:
    seed_taxonomy(db)
    editor_client, _curator_client, svc, _editor = _world(app, db)
    form = {**UNCHANGED, "version": str(svc.version), "requires_needs": "Learning disability or Wizardry"}
    response = editor_client.post(f"/listings/{svc.id}/details", data=form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert 'href="#requires_needs"' in page
    assert "We do not know “Wizardry”" in page
    assert "Learning disability or Wizardry</textarea>" in page
    assert db.scalar(select(ProposedChange)) is None
