"""A practitioner builds a package in a real browser and opens the person's printable plan."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_build_a_package_and_open_the_printable_plan(page: object, live_seeded: LiveServer) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(live_seeded.url + "/package")
    page.get_by_label("Nowhere to sleep tonight").check()
    page.get_by_label("Alcohol use").check()
    page.get_by_label("Age", exact=True).fill("34")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Home postcode").fill("se136lj")
    page.get_by_label("Postcode of the custody suite").fill("SE6 4RU")
    page.get_by_label("At another time").check()
    page.get_by_label("Day").fill("22")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Time (24-hour)").fill("02:30")
    page.get_by_role("button", name="Build the package").click()

    items = page.get_by_test_id("package-item")
    expect(items.first).to_be_visible()
    expect(items.first).to_contain_text("Open now")
    item_count = items.count()
    assert item_count >= 2
    items.first.get_by_text("Why this service").click()
    expect(items.first.locator(".govuk-details__text")).to_be_visible()
    expect(page.get_by_label("Age", exact=True)).to_have_value("34")  # edit and re-run without retyping

    page.get_by_role("button", name="Print a plan for the person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your plan")
    steps = page.get_by_test_id("plan-steps").locator("li")
    assert steps.count() == item_count
    expect(page.locator("main")).not_to_contain_text("Alcohol use")
