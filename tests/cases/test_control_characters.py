"""A NUL (or another C0 control character) in any form field never reaches the database.

PostgreSQL refuses NUL in text: each form below was a 500 there, some with an error page that failed
in turn (``PendingRollbackError``). Every text field of every form on each page is sent holding
control characters; the answer must be a page, never a 5xx, and what is stored has them stripped
(directory/control_characters.py says why they are stripped rather than refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import ProblemReport, Service
from tests.auth import factories as people
from tests.cases import factories as make
from tests.cases.conftest import World, client_for
from tests.form_pages import Form, post_forms

DIRTY = "a\x00b\x01c\x1fd"
CLEAN = "abcd"


@dataclass
class FormWorld:
    app: Flask
    clients: dict[str | None, FlaskClient]
    urls: dict[str, str]
    service: Service

    def client(self, who: str | None) -> FlaskClient:
        return self.clients[who]


@pytest.fixture
def form_world(app: Flask, db: Session, world: World) -> FormWorld:
    service = next(iter(world.services.values()))
    org = service.organization
    editor = people.user(db, "editor", "editor@example.org", organisations=[org])
    curator = people.user(db, "curator", "curator@example.org")
    admin = people.user(db, "admin", "admin@example.org")
    change = people.proposal(db, service, editor, description="Newer words")
    report = people.problem(db, service, world.pat)
    case = make.open_case(db, world.pat, reference="LEW 1")
    make.consent(db, world.pat, case)
    rank = case.plan["items"][0]["rank"]
    db.commit()
    urls = {
        "sign-in": "/login",
        "forgot-password": "/forgot-password",
        "package": "/package",
        "listing-alert": f"/listings/{service.id}/update",
        "listing-details": f"/listings/{service.id}/details",
        "listing-exceptions": f"/listings/{service.id}/exceptions",
        "consent-reason": f"/cases/{case.id}/consent",
        "referral-note": f"/cases/{case.id}/items/{rank}/refer",
        "case-find": "/cases/find",
        "case-close": f"/cases/{case.id}/close",
        "problem-report": f"/services/{service.id}/report-problem",
        "curation-reject": f"/curation/changes/{change.id}",
        "curation-edit": f"/curation/changes/{change.id}/edit",
        "curation-problem": f"/curation/problems/{report.id}",
        "new-organisation": "/curation/organisations/new",
        "new-service": f"/curation/organisations/{org.id}/services/new",
        "editor-binding": f"/curation/organisations/{org.id}",
        "retire": f"/curation/services/{service.id}/retire",
        "mapping-edit": "/imports/mappings/edit?taxonomy=Lewisham+categories&term=LEW-FOOD-7&term_name=Food",
        "user-admin": f"/admin/users/{editor.id}",
        "invite": "/admin/users/invite",
        "password": "/account/password",
    }
    clients: dict[str | None, FlaskClient] = {
        None: app.test_client(),
        "practitioner": client_for(app, world.pat),
        "editor": client_for(app, editor),
        "curator": client_for(app, curator),
        "admin": client_for(app, admin),
    }
    return FormWorld(app=app, clients=clients, urls=urls, service=service)


WHO = {
    "listing-alert": "editor",
    "listing-details": "editor",
    "listing-exceptions": "editor",
    "consent-reason": "practitioner",
    "referral-note": "practitioner",
    "case-find": "practitioner",
    "case-close": "practitioner",
    "case-reference": "practitioner",
    "problem-report": "practitioner",
    "user-admin": "admin",
    "invite": "admin",
    "password": "editor",
}
PAGES = [
    "sign-in",
    "package",
    "listing-alert",
    "listing-details",
    "listing-exceptions",
    "consent-reason",
    "referral-note",
    "case-reference",
    "case-find",
    "case-close",
    "problem-report",
    "curation-reject",
    "curation-edit",
    "curation-problem",
    "new-organisation",
    "new-service",
    "editor-binding",
    "retire",
    "mapping-edit",
    "user-admin",
    "invite",
    "password",
]


def page_forms(world: FormWorld, page: str) -> tuple[FlaskClient, list[Form]]:
    """The signed-in client for ``page`` and the forms the page shows."""
    client = world.client(
        WHO.get(page, "curator") if page not in ("sign-in", "forgot-password", "package") else None
    )
    if page == "case-reference":  # shown by posting the package form
        response = client.post("/cases/new", data=make.PACKAGE_FORM)
        url = "/cases/new"
    else:
        url = world.urls[page]
        response = client.get(url)
    assert response.status_code == 200, (page, response.status_code)
    forms = post_forms(response.get_data(as_text=True), url)
    assert forms, f"{page} shows no form"
    return client, forms


def dirty(form: Form, text: str = DIRTY) -> dict[str, Any]:
    """The form's default post with every typed field holding control characters."""
    return form.data(**{name: f"{value}{text}" for name, value in form.fields if name in form.text})


@pytest.mark.parametrize("page", PAGES)
def test_control_characters_in_every_field_of_a_form_are_never_a_5xx(
    form_world: FormWorld, page: str
) -> None:
    client, forms = page_forms(form_world, page)
    for form in forms:
        response = client.post(form.action, data=dirty(form))
        assert response.status_code < 500, (page, form.action, response.get_data(as_text=True)[:3000])
        assert response.headers["X-Frame-Options"] == "DENY"


def test_what_is_stored_has_them_stripped(form_world: FormWorld, db: Session) -> None:
    client, forms = page_forms(form_world, "problem-report")
    form = next(f for f in forms if "details" in f.text)
    sent = client.post(form.action, data=form.data(details=f"The line {DIRTY}"))
    assert sent.status_code == 200, sent.get_data(as_text=True)[-4000:]
    assert "We have passed your report" in sent.get_data(as_text=True)
    db.expire_all()
    stored = db.scalars(select(ProblemReport.details).order_by(ProblemReport.created_at.desc())).first()
    assert stored == f"The line {CLEAN}"


def test_the_api_strips_them_from_query_strings_and_json(app: Flask, world: World) -> None:
    client = app.test_client()
    clean = client.get("/api/v1/services?search=Housing").get_json()
    listed = client.get("/api/v1/services?search=Hou%00sing%01")
    assert listed.status_code == 200
    assert listed.get_json()["total_items"] == clean["total_items"] > 0
    body = {
        "needs": ["NO_BED_TONIGHT\u0000"],
        "person": {"age": 30, "gender": "male", "safe_contact_notes": "Text\u0000only"},
        "where": {"setting": "custody", "postcode": "SE6\u0000 4RU"},
    }
    matched = client.post("/api/v1/match", json=body)
    assert matched.status_code == 200, matched.get_data(as_text=True)


def test_pages_strip_them_from_query_strings_and_a_path_holding_one_names_nothing(
    form_world: FormWorld,
) -> None:
    client = form_world.client("practitioner")
    assert client.get("/search?q=food%00bank&postcode=SE6%004RU").status_code == 200
    assert client.get(f"/services/{form_world.service.id}%00").status_code == 404
    assert form_world.client("editor").get(f"/listings/{form_world.service.id}%00/update").status_code == 404
