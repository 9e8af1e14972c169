"""A curator uploads a council feed in the browser, checks the preview and confirms the import."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import Service
from tests.auth import factories as make
from tests.auth.factories import PASSWORD
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
FEED = Path(__file__).parent.parent / "data" / "feeds" / "council_feed.json"


def test_curator_uploads_previews_and_confirms_an_import(
    page: object, live_app: LiveServer, db: Session
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    make.user(db, "curator", "curator@example.org")
    db.commit()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(live_app.url + "/login")
    page.get_by_label("Email address").fill("curator@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Imports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a feed")

    page.get_by_label("Feed file").set_input_files(str(FEED))
    page.get_by_label("Source name").fill("lewisham-council")
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    services = page.get_by_test_id("counts-services")
    expect(services.locator('[data-outcome="created"]')).to_have_text("3")
    expect(page.locator("#unmapped")).to_contain_text("LEW-FOOD-7")
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Service)) == 0

    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import complete")
    expect(services.locator('[data-outcome="created"]')).to_have_text("3")
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Service)) == 3
    assert errors == []
