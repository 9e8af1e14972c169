"""The home page, error pages and security headers."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from directory.seeding import seed

DATA = Path(__file__).parent / "data"


def test_coverage_shows_the_directory_size_by_area_and_need(client: FlaskClient, db: Session) -> None:
    seed(db, demo_dir=DATA / "demo_small")
    db.commit()
    page = client.get("/directory/coverage").get_data(as_text=True)
    assert "3 services from 1 organisation," in page  # one organisation, not "1 organisations"
    assert "<strong>Lewisham</strong>: 2 services" in page
    assert "<strong>National</strong>: 1 service</li>" in page
    assert "Nowhere to sleep tonight" in page


def test_security_headers_are_set(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "<script>" not in page
    assert page.count("<script") == page.count('<script src="') + page.count('<script type="module" src="')


def test_unknown_page_is_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert "Not Found" not in response.get_data(as_text=True)  # our words, not Werkzeug's
    assert "requested URL" not in response.get_data(as_text=True)
    assert "Go to the directory" in response.get_data(as_text=True)


def test_unknown_api_path_is_json(client: FlaskClient) -> None:
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"]["status"] == 404


def test_static_assets_are_served(client: FlaskClient) -> None:
    assert client.get("/assets/govuk/govuk-frontend.min.css").status_code == 200
    assert client.get("/assets/js/app.js").status_code == 200
