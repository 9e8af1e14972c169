"""The running app in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_coverage_page_shows_the_demo_directory(page: object, live_seeded: LiveServer) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_seeded.url + "/directory/coverage")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Local support")
    expect(page.get_by_test_id("area-counts")).to_contain_text("Lewisham")
    expect(page.get_by_test_id("area-counts")).to_contain_text("Manchester")
    expect(page.locator("body")).to_have_class("govuk-template__body js-enabled govuk-frontend-supported")
    table = page.get_by_test_id("need-area-table")
    expect(table.get_by_role("row", name="Nowhere to sleep tonight")).to_be_visible()
    page.get_by_role("link", name="Skip to main content").focus()
    assert errors == [], errors  # no CSP violations or script errors
