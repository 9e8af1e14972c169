"""Every page fits a 375 px phone: nothing scrolls sideways, signed in as each role, tables full."""

from __future__ import annotations

import os

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from tests.auth.factories import PASSWORD
from tests.browser.conftest import LiveServer
from tests.browser.site_tour import EMAILS, NOT_PAGES, ROLES, build

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}
# The first few elements that reach past the right edge (and have no child that does), to say why.
CULPRITS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth + 1))
  .slice(0, 3)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
    + ' "' + (e.textContent || '').trim().slice(0, 30) + '"')"""
# Set SCREENSHOTS=/tmp/somewhere to keep a full-page PNG of every stop.
SCREENSHOTS = os.environ.get("SCREENSHOTS")


def _sign_in(page: object, base: str, email: str) -> None:
    page.goto(base + "/login")  # type: ignore[attr-defined]
    page.get_by_label("Email address").fill(email)  # type: ignore[attr-defined]
    page.get_by_label("Password", exact=True).fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]


def _screenshots(page: object, stem: str) -> None:
    """The page in 1,200 px slices (small enough to look at)."""
    height = page.evaluate("document.documentElement.scrollHeight")  # type: ignore[attr-defined]
    width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    for top in range(0, height, 1200):
        clip = {"x": 0, "y": top, "width": width, "height": min(1200, height - top)}
        page.screenshot(path=f"{stem}-{top // 1200}.png", full_page=True, clip=clip)  # type: ignore[attr-defined]


def test_no_page_scrolls_sideways_at_375_px(
    browser: object, app: Flask, db: Session, live_app: LiveServer
) -> None:
    tour = build(app, db)
    pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or set())
        and rule.endpoint not in NOT_PAGES
        and not rule.endpoint.startswith("api.")
    }
    assert pages - tour.endpoints() == set(), "add these pages to tests/browser/site_tour.py"

    too_wide: list[str] = []
    broken: list[str] = []
    for role in ROLES:
        context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
        page = context.new_page()
        page.set_default_timeout(10_000)
        if role != "anonymous":
            _sign_in(page, live_app.url, EMAILS[role])
        for number, (who, url, endpoint) in enumerate(tour.stops):
            if who != role:
                continue
            response = page.goto(live_app.url + url)
            expected = 404 if endpoint == "(404)" else 200
            if response is None or response.status != expected:
                broken.append(f"{role} {url}: {response.status if response else 'no response'}")
                continue
            width = page.evaluate("document.documentElement.scrollWidth")
            inner = page.evaluate("window.innerWidth")
            if SCREENSHOTS:
                _screenshots(page, f"{SCREENSHOTS}/{number:02d}-{role}-{endpoint}")
            if width > inner:
                culprits = "; ".join(page.evaluate(CULPRITS))
                too_wide.append(f"{role} {url} ({endpoint}): {width} px: {culprits}")
        context.close()
    assert broken == []
    assert too_wide == [], "pages wider than 375 px:\n" + "\n".join(too_wide)


def _top(page: object, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()  # type: ignore[attr-defined]
    assert box is not None, selector
    return float(box["y"])


def test_on_a_phone_results_come_before_the_filters(browser: object, live_seeded: LiveServer) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(live_seeded.url + "/search?q=housing")
    first_result = _top(page, "[data-testid=result]")
    assert first_result < 900, first_result  # on the first screen or just below it
    assert first_result < _top(page, "#filters")
    jump = page.get_by_role("link", name="Filter the results")
    assert jump.is_visible()
    assert jump.get_attribute("href") == "#filters"
    context.close()


def test_on_a_wide_screen_filters_sit_beside_the_results_in_one_column(
    browser: object, live_seeded: LiveServer
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(live_seeded.url + "/search?q=housing")
    filters = page.locator("#filters")
    apply = filters.get_by_role("button", name="Apply filters").first.bounding_box()
    where = filters.get_by_role("heading", name="Where").bounding_box()
    column = filters.bounding_box()
    results = page.locator("[data-testid=result]").first.bounding_box()
    assert apply
    assert where
    assert column
    assert results
    assert apply["y"] + apply["height"] <= where["y"]  # one above the other, not side by side
    assert abs(apply["x"] - where["x"]) < 2  # aligned on the column's left edge
    assert column["x"] < results["x"]  # the filters on the left, the results on the right
    assert abs(_top(page, "#filters") - _top(page, ".dd-search-results")) < 60
    assert not page.get_by_role("link", name="Filter the results").is_visible()
    context.close()
