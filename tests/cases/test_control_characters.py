"""A NUL (or another C0 control character) in any form field never reaches the database.

PostgreSQL refuses NUL in text: each form below was a 500 there, some with an error page that failed
in turn (``PendingRollbackError``). Every text field of every form on each page is sent holding
control characters; the answer must be a page, never a 5xx, and what is stored has them stripped
(directory/control_characters.py says why they are stripped rather than refused).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import ProblemReport
from tests.cases.conftest import World
from tests.cases.form_world import PAGES, FormWorld, page_forms
from tests.form_pages import Form

DIRTY = "a\x00b\x01c\x1fd"
CLEAN = "abcd"


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


def test_the_api_strips_them_from_query_strings(app: Flask, world: World) -> None:
    client = app.test_client()
    clean = client.get("/api/v1/services?search=Housing").get_json()
    listed = client.get("/api/v1/services?search=Hou%00sing%01")
    assert listed.status_code == 200
    assert listed.get_json()["total_items"] == clean["total_items"] > 0
    body = {  # the match request is stored nowhere: a NUL in its notes is harmless, and accepted
        "needs": ["NO_BED_TONIGHT"],
        "person": {"age": 30, "gender": "male", "safe_contact_notes": "Text\u0000only"},
        "where": {"setting": "custody", "postcode": "SE6 4RU"},
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
