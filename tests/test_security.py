"""CSRF on every POST, cookies, oversized and malformed posts: 400 and 413 pages, never a 500."""

from __future__ import annotations

import re
import runpy
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

import directory
from directory.models import Service
from directory.security import MAX_PATH_BYTES, MAX_QUERY_BYTES
from tests.auth import factories as make
from tests.auth.factories import PASSWORD
from tests.conftest import make_app


@pytest.fixture
def csrf_app(empty_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(empty_url, tmp_path / "instance", WTF_CSRF_ENABLED=True)
    yield app
    app.extensions["db_engine"].dispose()


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, page
    return match.group(1)


def test_posts_without_a_csrf_token_are_refused(app: Flask, csrf_app: Flask, db: Session) -> None:
    org = make.organisation(db, "Agency A")
    editor = make.user(db, "editor", "ed@example.org", organisations=[org])
    svc = make.service(db, org, "Service A")
    db.commit()
    client = csrf_app.test_client()
    refused = client.post("/login", data={"email": "ed@example.org", "password": PASSWORD})
    assert refused.status_code == 400
    assert "Your form expired" in refused.get_data(as_text=True)
    token = _token(client.get("/login").get_data(as_text=True))
    assert (
        client.post(
            "/login", data={"email": "ed@example.org", "password": PASSWORD, "csrf_token": token}
        ).status_code
        == 302
    )
    # Signed in, a forged post from elsewhere (no token) still changes nothing.
    forged = client.post(
        f"/listings/{svc.id}/update", data={"capacity_status": "at_capacity", "version": "1"}
    )
    assert forged.status_code == 400
    db.expire_all()
    assert db.get(Service, svc.id).capacity_status == "accepting"  # type: ignore[union-attr]
    page = client.get(f"/listings/{svc.id}/update").get_data(as_text=True)
    ok = client.post(
        f"/listings/{svc.id}/update",
        data={"capacity_status": "at_capacity", "version": str(svc.version), "csrf_token": _token(page)},
    )
    assert ok.status_code == 302
    assert editor.role == "editor"


def test_every_form_on_our_pages_carries_a_csrf_token(app: Flask, csrf_app: Flask, db: Session) -> None:
    org = make.organisation(db, "Agency A")
    admin = make.user(db, "admin", "ad@example.org")
    editor = make.user(db, "editor", "ed@example.org", organisations=[org])
    svc = make.service(db, org, "Service A")
    db.commit()
    client = make.sign_in(csrf_app.test_client(), admin)
    pages = [
        "/account",
        "/account/password",
        "/logout",
        f"/admin/users/{editor.id}",
        "/admin/users/invite",
        f"/listings/{svc.id}",
        f"/listings/{svc.id}/update",
        f"/listings/{svc.id}/opening-times",
        f"/listings/{svc.id}/exceptions",
        f"/listings/{svc.id}/details",
        f"/curation/organisations/{org.id}",
        f"/curation/services/{svc.id}/retire",
        f"/services/{svc.id}/report-problem",
    ]
    for url in pages:
        page = client.get(url).get_data(as_text=True)
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", page, flags=re.S)
        assert forms, url
        for body in forms:
            assert 'name="csrf_token"' in body, url


def test_secure_cookies_in_production(
    empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = make_app(
        empty_url,
        tmp_path / "instance",
        DIRECTORY_ENV="production",
        SESSION_COOKIE_SECURE=True,
        WTF_CSRF_ENABLED=True,
    )
    try:
        assert app.config["SESSION_COOKIE_SECURE"] is True
        assert app.config["REMEMBER_COOKIE_SECURE"] is True
        response = app.test_client().get(
            "/login", base_url="https://localhost"
        )  # the CSRF token starts a session
        cookie = response.headers.get("Set-Cookie", "")
        assert "Secure" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert "max-age" in response.headers["Strict-Transport-Security"]
    finally:
        app.extensions["db_engine"].dispose()


def test_oversized_posts_get_a_413_page(empty_url: str, tmp_path: Path) -> None:
    app = make_app(empty_url, tmp_path / "instance", MAX_CONTENT_LENGTH=1024)
    try:
        response = app.test_client().post("/login", data={"email": "a@example.org", "password": "x" * 5000})
        assert response.status_code == 413
        assert "That was too big" in response.get_data(as_text=True)
    finally:
        app.extensions["db_engine"].dispose()


def test_malformed_posts_get_a_400_page_not_a_500(app: Flask, db: Session) -> None:
    org = make.organisation(db, "Agency A")
    editor = make.user(db, "editor", "ed@example.org", organisations=[org])
    svc = make.service(db, org, "Service A")
    db.commit()
    client = make.sign_in(app.test_client(), editor)
    damaged = client.post(
        f"/listings/{svc.id}/update", data={"capacity_status": "accepting", "version": "abc"}
    )
    assert damaged.status_code == 400
    assert "This form was damaged" in damaged.get_data(as_text=True)
    bad_choice = client.post(
        f"/listings/{svc.id}/update", data={"capacity_status": "on_fire", "version": "1"}
    )
    assert bad_choice.status_code == 200
    assert "Not a valid choice" in bad_choice.get_data(as_text=True)
    huge_wait = client.post(
        f"/listings/{svc.id}/update",
        data={"capacity_status": "waiting_list", "wait_days": "1e9", "version": "1"},
    )
    assert huge_wait.status_code == 200
    assert "govuk-error-summary" in huge_wait.get_data(as_text=True)
    not_form = client.post(
        f"/listings/{svc.id}/update",
        data=b"\xff\xfe\x00garbage",
        content_type="application/x-www-form-urlencoded",
    )
    assert not_form.status_code in (200, 400)
    json_body = client.post(f"/listings/{svc.id}/details", json={"name": "x"})
    assert json_body.status_code in (200, 400)
    bad_date = client.post(
        f"/listings/{svc.id}/exceptions", data={"day": ["31", "2", "2027"], "closed": "closed"}
    )
    assert bad_date.status_code == 200
    assert "govuk-error-summary" in bad_date.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LOGIN_LIMIT_PER_IP", "lots", "LOGIN_LIMIT_PER_IP must be a rate limit"),
        ("SESSION_IDLE_MINUTES", "soon", "SESSION_IDLE_MINUTES must be a whole number"),
        ("PASSWORD_MIN_LENGTH", "4", "PASSWORD_MIN_LENGTH must be at least 8"),
        ("RATELIMIT_STORAGE_URI", "mongodb://x", "RATELIMIT_STORAGE_URI must be 'database'"),
        ("PROXY_FIX_X_FOR", "yes", "PROXY_FIX_X_FOR must be a whole number"),
    ],
)
def test_bad_account_settings_stop_the_app_with_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    from directory import create_app
    from directory.config import ConfigError

    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})


def _headers_of_every_answer(response: Any) -> None:
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_over_long_url_gets_the_apps_414_with_every_header(app: Flask, client: FlaskClient) -> None:
    api = client.get("/api/v1/services?search=" + "a" * (MAX_QUERY_BYTES + 1))
    assert api.status_code == 414
    assert api.headers["Access-Control-Allow-Origin"] == "*"  # browsers can read the error
    assert api.get_json()["error"]["status"] == 414
    _headers_of_every_answer(api)
    page = client.get("/search?q=" + "%C3%A9" * (MAX_QUERY_BYTES // 6 + 1))  # counted as sent
    assert page.status_code == 414
    assert "This web address is too long" in page.get_data(as_text=True)
    _headers_of_every_answer(page)
    assert client.get("/" + "a" * (MAX_PATH_BYTES + 1)).status_code == 414


def test_the_longest_request_the_openapi_document_allows_is_answered(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    """Every string parameter of GET /services at its maxLength, in four-byte characters where any
    character will do: well within the app's limits and gunicorn's (which are larger still)."""
    document = yaml.safe_load((Path(directory.__file__).parent / "api" / "openapi.yaml").read_text())
    parameters = document["components"]["parameters"]
    assert parameters["search"]["schema"]["maxLength"] == 200
    assert parameters["modified_after"]["schema"]["maxLength"] == 35
    query = urlencode(
        {
            "search": "\U0001f600" * 200,
            "taxonomy_term_id": "N" + "O" * 39,
            "taxonomy_id": str(uuid.uuid4()),
            "organization_id": str(uuid.uuid4()),
            "postcode": "SE13 6LJ",
            "proximity": "999999.999999999",
            "minimum_age": "150",
            "maximum_age": "150",
            "modified_after": "2025-01-31T09:00:00.123456789+01:00",
            "page": "1000000",
            "per_page": "100",
        }
    )
    assert len(query) < MAX_QUERY_BYTES
    assert client.get(f"/api/v1/services?{query}").status_code == 200
    line = f"OPTIONS /{'a' * MAX_PATH_BYTES}?{'q' * MAX_QUERY_BYTES} HTTP/1.1"
    settings = runpy.run_path(str(Path(directory.__file__).parents[1] / "gunicorn.conf.py"))
    assert len(line) < settings["limit_request_line"]  # so gunicorn never answers in the app's place
