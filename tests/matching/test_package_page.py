"""The /package page: form, validation, the package, and the person's printable plan."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Service

FORM: dict[str, Any] = {
    "needs_basic": ["NO_BED_TONIGHT"],
    "needs_health": ["SUBST_ALCOHOL"],
    "age": "34",
    "gender": "male",
    "home_postcode": "se136lj",
    "gp_registered": "yes",
    "probation": "none",
    "language": "en",
    "setting": "custody",
    "where_postcode": "SE6 4RU",
    "when": "later",
    "at_date": ["22", "11", "2026"],
    "at_time": "02:30",
}


@pytest.fixture(autouse=True)
def _needs_demo(seeded_db: Session) -> None:
    if not seeded_db.scalar(select(Service.id).limit(1)):
        pytest.skip("demo directory not loaded")


def test_form_groups_the_needs(seeded_client: FlaskClient) -> None:
    page = seeded_client.get("/package").get_data(as_text=True)
    for legend in ("Risk and safety", "Basic needs", "Health", "Work, family and wellbeing"):
        assert legend in page
    assert 'value="NO_BED_TONIGHT"' in page


def test_bad_input_rerenders_with_an_error_summary_and_keeps_what_was_typed(
    seeded_client: FlaskClient,
) -> None:
    response = seeded_client.post(
        "/package",
        data={**FORM, "needs_basic": [], "needs_health": [], "age": "300", "home_postcode": "ZZ99 9ZZ"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Choose at least one need" in page
    assert "Age must be from 0 to 120" in page
    assert "do not know the postcode district ZZ99" in page
    assert 'value="ZZ99 9ZZ"' in page
    assert 'value="SE6 4RU"' in page


def test_no_fixed_abode_needs_where_they_are(seeded_client: FlaskClient) -> None:
    response = seeded_client.post(
        "/package", data={**FORM, "home_postcode": "", "no_fixed_abode": "y", "where_postcode": ""}
    )
    assert response.status_code == 400
    assert "With no fixed abode, enter the postcode of where they are now" in response.get_data(as_text=True)


def test_a_valid_form_shows_the_package_and_keeps_the_form_to_edit(seeded_client: FlaskClient) -> None:
    response = seeded_client.post("/package", data=FORM)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The package" in page
    assert page.count('data-testid="package-item"') >= 2
    assert "Open now" in page
    assert "Lead agency" in page
    assert 'value="SE13 6LJ"' in page or 'value="se136lj"' in page  # the form is still filled in
    assert "Print a plan for the person" in page


def test_plan_hides_needs_unless_asked(seeded_client: FlaskClient) -> None:
    data = {**FORM, "at_iso": "2026-11-22T02:30:00+00:00"}
    hidden = seeded_client.post("/package/plan", data=data).get_data(as_text=True)
    shown = seeded_client.post("/package/plan", data={**data, "show_needs": "yes"}).get_data(as_text=True)
    assert "Your plan" in hidden
    assert "Nowhere to sleep tonight" not in hidden
    assert "Alcohol use" not in hidden
    assert "Nowhere to sleep tonight" in shown
    assert "NHS 111" in hidden


def test_professional_only_phones_never_appear(seeded_client: FlaskClient, seeded_db: Session) -> None:
    from directory.models import Phone

    secret = set(seeded_db.scalars(select(Phone.number).where(Phone.professional_only.is_(True))))
    public = set(seeded_db.scalars(select(Phone.number).where(Phone.professional_only.is_(False))))
    page = seeded_client.post(
        "/package", data={**FORM, "needs_basic": ["NO_BED_TONIGHT", "HOUSING_RISK"]}
    ).get_data(as_text=True)
    for number in secret - public:
        assert number not in page


def test_a_post_missing_the_date_boxes_is_not_a_500(seeded_client: FlaskClient) -> None:
    data = {k: v for k, v in FORM.items() if k != "at_date"}
    response = seeded_client.post("/package", data=data)
    assert response.status_code == 400
    assert "Enter the date and time, or choose" in response.get_data(as_text=True)
