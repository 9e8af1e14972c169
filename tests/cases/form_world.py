"""Every page with a form, signed in as someone who may use it: the control-character test and the
form fuzz post to them all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from directory.models import Service
from tests.auth import factories as people
from tests.cases import factories as make
from tests.form_pages import Form, post_forms

if TYPE_CHECKING:
    from tests.cases.conftest import World


@dataclass
class FormWorld:
    app: Flask
    clients: dict[str | None, FlaskClient]
    urls: dict[str, str]
    service: Service

    def client(self, who: str | None) -> FlaskClient:
        return self.clients[who]


def build_form_world(app: Flask, db: Session, world: World) -> FormWorld:
    """A listing with its editor, a proposal, a problem report and a consented case, and who uses them."""
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
        "practitioner": people.sign_in(app.test_client(), world.pat),
        "editor": people.sign_in(app.test_client(), editor),
        "curator": people.sign_in(app.test_client(), curator),
        "admin": people.sign_in(app.test_client(), admin),
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
