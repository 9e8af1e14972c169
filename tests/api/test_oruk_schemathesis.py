"""Schemathesis against our OpenAPI document, in-process, on both databases: it must find nothing.

Every built-in check runs (server errors, status codes, content types, response schemas and headers,
and that valid requests are accepted and invalid ones rejected). Two things the document states in
words are taught to the generator: ``format: uk-postcode`` means postcodes we know, and a request with
``proximity`` but no ``postcode`` is a 400 (checked here, since OpenAPI cannot say it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance
from sqlalchemy.orm import Session

from directory import geography
from directory.api.openapi import openapi_document
from directory.feeds.importer import run_import
from directory.seeding import seed

DATA = Path(__file__).parents[1] / "data"

_districts = sorted(geography.districts())
schemathesis.openapi.format(
    "uk-postcode",
    st.one_of(
        st.sampled_from(_districts),
        st.tuples(st.sampled_from(_districts), st.from_regex(r"\A[0-9][A-Z]{2}\Z")).map(" ".join),
    ),
)
schemathesis.openapi.format(
    "local-authority", st.sampled_from(sorted(c for c in geography.local_authorities() if c.startswith("E")))
)

schema = schemathesis.openapi.from_dict(openapi_document())


@pytest.fixture
def api_app(app: Flask, db: Session) -> Flask:
    """The app on a small directory: demo listings (with a refuge) and a council feed."""
    seed(db, demo_dir=DATA / "demo_small")
    assert run_import(db, DATA / "feeds" / "council_feed.json", source="council").ok
    db.commit()
    return app


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_openapi_document(case: Any, api_app: Flask) -> None:
    query = case.query or {}
    if "proximity" in query and "postcode" not in query:
        # Documented in words (OpenAPI cannot say one parameter needs another): a 400 naming proximity.
        response = case.call(app=api_app)
        case.validate_response(response, excluded_checks=[positive_data_acceptance])
        assert response.status_code == 400
        assert response.json()["error"]["parameter"] in ("proximity", *query)
        return
    body = case.body if isinstance(case.body, dict) else {}
    at = body.get("at")
    if case.path == "/match" and isinstance(at, str) and at[:4].isdigit() and not 2000 <= int(at[:4]) <= 2100:
        # Documented in words: times outside 2000-2100 are a 400 naming "at".
        response = case.call(app=api_app)
        case.validate_response(response, excluded_checks=[positive_data_acceptance])
        assert response.status_code == 400
        assert "at" in response.json()["error"]["fields"]
        return
    case.call_and_validate(app=api_app)
