"""Issue 11 §4 on the demo directory: plain words on the package page and the printed plan."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Service
from tests.matching.test_package_page import FORM

CODES = re.compile(r"\b(under_18|referral_route|clinical_exclusion|domestic_abuse_safety|E0[6-9]\d{6})\b")


@pytest.fixture(autouse=True)
def _needs_demo(seeded_db: Session) -> None:
    if not seeded_db.scalar(select(Service.id).limit(1)):
        pytest.skip("demo directory not loaded")


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def _screen_numbers(page: str) -> dict[str, int]:
    found = re.findall(
        r'<h3 class="govuk-heading-m[^"]*">(\d+)\. <a class="govuk-link" href="[^"]+">([^<]+)</a>', page
    )
    return {name: int(rank) for rank, name in found}


def test_the_package_page_has_no_internal_codes(seeded_client: FlaskClient) -> None:
    form: dict[str, Any] = {**FORM, "language": "pl", "needs_health": ["SUBST_ALCOHOL", "MH_COMMON"]}
    page = seeded_client.post("/package", data=form).get_data(as_text=True)
    text = _text(page)
    assert "Passed:" not in text
    assert not CODES.search(text), CODES.search(text)
    assert "(pl)" not in text
    assert "0.0 km" not in text
    assert not re.search(
        r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ [A-Z][a-z]{2} \d\d:\d\d", text
    )  # one way of times


def test_the_printed_plan_is_in_the_order_they_can_act_numbered_as_on_screen(
    seeded_client: FlaskClient,
) -> None:
    seeded_client.application.config["TEAM_CONTACT"] = "Lewisham Liaison and Diversion, 020 8000 0000"
    screen = _screen_numbers(seeded_client.post("/package", data=FORM).get_data(as_text=True))
    plan = seeded_client.post("/package/plan", data=FORM).get_data(as_text=True)
    steps = re.findall(r'<h2 class="govuk-heading-m[^"]*">(\d+)\. ([^<]+)</h2>', plan)
    assert steps
    assert {name: int(rank) for rank, name in steps} == screen  # the same number on paper as on screen
    text = _text(plan)
    assert "Open now" not in text  # on paper, the hours
    assert text.count("Opening hours:") == len(steps)
    for block in plan.split('data-testid="plan-step"')[1:]:
        block = block.split("</li>")[0]
        assert any(word in block for word in ("Where:", "Phone:", "Website:")), block
        assert not ("just turn up" in block and "your appointment" in block.lower())
    assert "data-dd-print" in plan  # a print button
    assert "Lewisham Liaison and Diversion, 020 8000 0000" in text


def test_the_printed_plan_puts_urgent_items_first(seeded_client: FlaskClient) -> None:
    package = seeded_client.post("/api/v1/match", json=_api_body()).get_json()
    urgent = {i["service_name"] for i in package["items"] if i["urgent"]}
    plan = seeded_client.post("/package/plan", data=FORM).get_data(as_text=True)
    names = [name for _, name in re.findall(r'<h2 class="govuk-heading-m[^"]*">(\d+)\. ([^<]+)</h2>', plan)]
    assert urgent
    assert set(names[: len(urgent)]) == urgent


def _api_body() -> dict[str, Any]:
    return {
        "needs": ["NO_BED_TONIGHT", "SUBST_ALCOHOL"],
        "person": {"age": 34, "gender": "male", "home_postcode": "SE13 6LJ", "gp_registered": True},
        "where": {"setting": "custody", "postcode": "SE6 4RU"},
        "at": "2026-11-22T02:30:00+00:00",
    }
