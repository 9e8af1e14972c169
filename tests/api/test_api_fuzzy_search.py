"""The read API's ``search`` is as forgiving as the search page."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Service


@pytest.fixture(autouse=True)
def _needs_demo(seeded_db: Session) -> None:
    if not seeded_db.scalar(select(Service.id).limit(1)):
        pytest.skip("demo directory not loaded")


@pytest.mark.parametrize(
    ("typo", "expected"), [("citzens advise", "Citizens Advice"), ("alchohol", "alcohol")]
)
def test_a_misspelt_search_finds_what_was_meant(seeded_client: FlaskClient, typo: str, expected: str) -> None:
    response = seeded_client.get("/api/v1/services", query_string={"search": typo, "per_page": 100})
    assert response.status_code == 200
    names = [s["name"] + " " + (s.get("description") or "") for s in response.get_json()["contents"]]
    assert any(expected.lower() in n.lower() for n in names), names


def test_an_exact_substring_still_matches(seeded_client: FlaskClient) -> None:
    response = seeded_client.get("/api/v1/services", query_string={"search": "Samaritans"})
    assert response.get_json()["total_items"] >= 1
