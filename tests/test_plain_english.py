"""What people read is written in plain English: actions as sentences, opening hours as "Monday 9am
to 5pm", yes or no, dates in words, correct plurals and our own error pages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from directory import wording
from tests.auth import factories as make
from tests.cases import factories as cases
from tests.cases.conftest import open_case_over_http

ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _text(html: str) -> str:
    """The page's words (tags and attributes dropped)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_values_are_written_as_people_read_them() -> None:
    assert wording.plain([[0, "09:00", "17:00", False], [5, "10:00", "14:30", True]], "sessions") == (
        "Monday 9am to 5pm; Saturday 10am to 2:30pm (drop-in)"
    )
    assert wording.plain(True) == "Yes"
    assert wording.plain(False) == "No"
    assert wording.plain(None) == "(none)"
    assert wording.plain("at_capacity", "capacity_status") == "At capacity"
    assert wording.plain("2026-12-04T03:05:00+00:00") == "4 December 2026 at 3:05am"
    assert wording.plain("2026-07-04T12:00:00+00:00") == "4 July 2026 at 1pm"  # British Summer Time
    assert wording.plain("1990-04-03") == "3 April 1990"
    assert wording.plain("2026-12-05: closed all day") == "5 December 2026: closed all day"
    assert wording.moment(datetime(2026, 12, 4, 0, 0, tzinfo=UTC)) == "4 December 2026 at midnight"
    assert wording.moment(date(2026, 12, 4)) == "4 December 2026"
    assert wording.action_sentence("service.schedule_updated") == "Changed the weekly opening times"
    assert wording.action_sentence("thing.never_seen") == "Never seen"
    assert wording.field_label("gp_registered") == "Registered with a GP"
    assert [wording.plural(n, "service") for n in (0, 1, 2)] == ["0 services", "1 service", "2 services"]


def test_a_listings_history_says_what_changed_in_words(app: Flask, db: Session) -> None:
    org = make.organisation(db, "Agency A")
    editor = make.user(db, "editor", "ed@example.org", organisations=[org])
    svc = make.service(db, org, "Drop-in advice")
    db.commit()
    client = make.sign_in(app.test_client(), editor)
    saved = client.post(
        f"/listings/{svc.id}/opening-times",
        data={
            "version": svc.version,
            "mon_1_opens": "9am",
            "mon_1_closes": "5:30pm",
            "sat_1_opens": "10",
            "sat_1_closes": "14",
            "sat_1_drop_in": "y",
            "open_on_bank_holidays": "y",
        },
    )
    assert saved.status_code == 302
    page = _text(client.get(f"/listings/{svc.id}/history").get_data(as_text=True))
    assert "Changed the weekly opening times" in page
    assert "Monday 9am to 5:30pm; Saturday 10am to 2pm (drop-in)" in page
    assert "Open on bank holidays" in page
    assert "service.schedule_updated" not in page
    assert "09:00" not in page
    assert "False" not in page
    assert "True" not in page
    assert "1 event" in page
    assert not ISO_MOMENT.search(page)


def test_the_subject_access_export_page_is_plain_english(app: Flask, db: Session) -> None:
    cases.directory(db)
    pat = cases.team_member(db, "Lewisham custody", "pat@example.org")
    db.commit()
    client = make.sign_in(app.test_client(), pat)
    url = open_case_over_http(client)
    client.post(
        f"{url}/consent",
        data={"decision": "given", "shares": ["needs"], "recipients": ["housing"], "method": "verbal"},
    )
    page = _text(client.get(f"{url}/export").get_data(as_text=True))
    assert "No fixed address No" in page
    assert "Registered with a GP Yes" in page
    assert "Gp registered" not in page
    assert "False" not in page
    assert "True" not in page
    assert not ISO_MOMENT.search(page), ISO_MOMENT.search(page)
    assert "Housing options" in page  # the package of support, as a list of services
    assert '"service_id"' not in page


def test_counts_have_the_right_plural(seeded_client: FlaskClient) -> None:
    page = _text(seeded_client.get("/directory/coverage").get_data(as_text=True))
    assert "1 services" not in page
    assert re.search(r"\b1 service\b", page)


def test_error_pages_are_in_our_words(client: FlaskClient) -> None:
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "Page not found" in missing.get_data(as_text=True)
    assert "The requested URL was not found" not in missing.get_data(as_text=True)
    wrong_method = client.get("/package/plan")
    assert wrong_method.status_code == 405
    text = wrong_method.get_data(as_text=True)
    assert "That does not work on this page" in text
    assert "Method Not Allowed" not in text
    assert "not allowed for the requested URL" not in text
