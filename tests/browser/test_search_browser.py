"""Searching in a real browser: a typo, filters, a service page and its open-now state."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from tests.browser.conftest import LiveServer
from tests.search.helpers import load_search_directory

pytestmark = pytest.mark.browser


def test_search_with_a_typo_filter_and_open_a_service(
    page: object, db: Session, live_app: LiveServer
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    load_search_directory(db)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(live_app.url + "/")
    page.get_by_label("Search the directory").fill("citzens advise")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_test_id("results-count")).to_contain_text("2 services found for “citzens advise”")
    results = page.get_by_test_id("result")
    expect(results.first.get_by_role("link")).to_contain_text("Citizens Advice")

    page.get_by_label("Postcode").fill("SE13 6LG")
    page.get_by_label("Within").select_option("5")
    page.get_by_label("Open now").check()
    page.get_by_role("button", name="Apply filters").first.click()
    expect(page).to_have_url(re.compile(r"/search\?.*postcode=SE13\+6LG.*open_now=y"))
    expect(page.get_by_test_id("results-count")).to_contain_text("1 service found")
    expect(results).to_have_count(1)
    expect(results.first.get_by_test_id("distance")).to_have_text("0.0 km")
    expect(page.get_by_label("Open now")).to_be_checked()  # the form keeps its state

    results.first.get_by_role("link", name="Citizens Advice Lewisham - debt and benefits advice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Citizens Advice Lewisham - debt and benefits advice"
    )
    expect(page.get_by_test_id("open-state")).to_contain_text("Open now")
    expect(page.get_by_test_id("today")).to_contain_text("Today")
    expect(page.get_by_role("link", name="0808 278 7813")).to_have_attribute("href", "tel:08082787813")
    expect(page.get_by_text("020 7946 0999")).to_have_count(0)  # professional-only line
    expect(page.locator(".dd-map.dd-map--ready .leaflet-marker-icon")).to_have_count(1)  # drawn, no tiles
    assert errors == [], errors  # no CSP violations or script errors
