"""The home page's search form, /search results, and /services/<id> pages."""

from __future__ import annotations

import json
import re
from datetime import datetime
from html import unescape

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from directory.models import Service
from directory.search.access import can_see_professional_details
from matcher.vocabulary import LONDON
from tests.search.helpers import (
    directory,
    load_search_directory,
    search_app,
    search_client,
    search_db,
    search_url,
)

__all__ = ["directory", "search_app", "search_client", "search_db", "search_url"]  # fixtures


def text_of(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return unescape(response.get_data(as_text=True))


def result_names(page: str) -> list[str]:
    return re.findall(
        r'<h3 class="govuk-heading-m govuk-!-margin-bottom-1">\s*<a class="govuk-link" href="/services/[^"]+">([^<]+)</a>',
        page,
    )


# -- the home page -----------------------------------------------------------------------------------


def test_home_page_has_a_search_box_and_every_filter(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    page = text_of(search_client, "/")
    assert 'action="/search"' in page
    assert 'method="get"' in page
    assert 'name="q"' in page
    for group in ("Risk and safety", "Basic needs", "Health", "Work, family and wellbeing"):
        assert group in page
    assert page.count('name="need"') == 24
    for name in ("postcode", "radius", "age", "gender", "open_now", "self_referral", "delivery"):
        assert f'name="{name}"' in page, name
    assert "Search 11 services from 8 organisations" in page  # active only
    assert 'href="/directory/coverage"' in page


# -- results -----------------------------------------------------------------------------------------


def test_a_typo_finds_the_service_with_what_a_practitioner_needs(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    page = text_of(search_client, "/search?q=citzens+advise+lewisham")
    assert result_names(page)[0] == "Citizens Advice Lewisham - debt and benefits advice"
    assert "1 service found for “citzens advise lewisham”" in page
    assert "Citizens Advice Lewisham</p>" in page  # organisation
    assert '<strong class="govuk-tag govuk-tag--blue">Debt</strong>' in page
    assert "Open now" in page  # 24 hours every day
    assert "Self-referral, Drop in, Professionals can refer" in page
    assert "Accepting referrals" in page
    assert re.search(r"Verified \d+ days? ago|Verified today", page)


def test_results_show_distance_capacity_alert_and_stale_listings(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    page = text_of(search_client, "/search?q=alcohol&postcode=SE13+6LJ&radius=")
    assert re.search(r'data-testid="distance">0\.0 km<', page)
    assert "Waiting list: about 21 days" in page
    assert "Evening drop-in moves to Thursdays from 1 December" in page
    assert "Temporarily closed" in page
    veterans = text_of(search_client, "/search?q=op+courage")
    assert "verify before use" in veterans  # verified in January 2024


def test_filters_live_in_the_query_string_and_the_form_keeps_them(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    url = "/search?q=&need=DA_HIGH&need=DA_STANDARD&gender=female&age=30&delivery=phone&open_now=y&self_referral=y"
    page = text_of(search_client, url)
    assert result_names(page) == ["Manchester Women's Aid helpline"]
    assert re.search(r'value="DA_HIGH" checked', page)
    assert re.search(r'value="DA_STANDARD" checked', page)
    assert re.search(r'name="gender" type="radio" value="female" checked', page)
    assert re.search(r'name="age"[^>]*value="30"', page)
    assert re.search(r'name="open_now" type="checkbox" value="y" checked', page)
    assert re.search(r'name="delivery" type="checkbox" value="phone" checked', page)


def test_pagination_keeps_every_other_parameter(client: FlaskClient, db: Session) -> None:
    services = load_search_directory(db)
    page = text_of(
        client,
        "/search?need=DEBT&need=SUBST_ALCOHOL&need=FOOD_ESSENTIALS&need=NO_BED_TONIGHT&need=HOUSING_RISK&radius=",
    )
    assert "10 services found" in page
    assert len(result_names(page)) == 10  # one page of 20
    for n in range(25):  # make more than one page
        clone = Service(
            name=f"Debt clinic {n:02d}", organization_id=services["s-ca-lewisham-advice"].organization_id
        )
        clone.needs = list(services["s-ca-lewisham-advice"].needs)
        db.add(clone)
    db.commit()
    first = text_of(client, "/search?q=debt+clinic&need=DEBT")
    assert "25 services found" in first
    assert 'href="/search?q=debt+clinic&need=DEBT&page=2"' in first
    second = text_of(client, "/search?q=debt+clinic&need=DEBT&page=2")
    assert len(result_names(second)) == 5
    assert 'href="/search?q=debt+clinic&need=DEBT"' in second  # back to page 1: no page parameter
    assert set(result_names(first)).isdisjoint(result_names(second))
    beyond = text_of(client, "/search?q=debt+clinic&need=DEBT&page=9")
    assert "There is no page 9" in beyond


@pytest.mark.parametrize(
    ("query", "message", "kept"),
    [
        ("postcode=XX99+9XX", "We do not know the postcode district XX99", 'value="XX99 9XX"'),
        ("age=-1", "Enter age as a whole number of years, like 34", 'value="-1"'),
        ("postcode=banana", "is not a UK postcode", 'value="banana"'),
        ("age=thirty", "Enter age as a whole number of years, like 34", 'value="thirty"'),
        ("age=150", "Age must be between 0 and 120", 'value="150"'),
        ("sort=distance", "Enter a postcode to sort by distance", 'value="housing"'),
        ("radius=7&postcode=SE13", "Choose a distance from the list", 'value="SE13"'),
        ("need=NOT_A_NEED", "Choose needs from the list", 'name="need"'),
        ("gender=robot", "Choose a gender from the list", 'name="gender"'),
    ],
)
def test_bad_input_gets_an_error_summary_and_keeps_what_was_typed(
    search_client: FlaskClient, directory: dict[str, Service], query: str, message: str, kept: str
) -> None:
    page = text_of(search_client, f"/search?q=housing&{query}", status=400)
    assert "There is a problem" in page
    assert 'class="govuk-error-summary' in page
    assert message in page
    assert kept in page
    assert "<title>Error: " in page


def test_odd_input_never_breaks_the_page(search_client: FlaskClient, directory: dict[str, Service]) -> None:
    for url in (
        "/search?page=-3",
        "/search?page=abc",
        "/search?page=99999999999999999999999",
        "/search?q=%F0%9F%98%80+%E2%80%99%27%22%3Cscript%3E",
        "/search?q=" + "a" * 150,
        "/search?q=a&q=b",
        "/search?open_now=maybe",
    ):
        assert search_client.get(url).status_code == 200, url
    assert search_client.get("/search?q=" + "a" * 500).status_code == 400


def test_no_results_suggests_removing_filters_and_shows_nearest_matches(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    page = text_of(search_client, "/search?q=foodbank+brixton&age=70&gender=male")
    assert "0 services found" in page
    assert 'data-testid="no-results"' in page
    assert "search without any filters" in page
    suggestions = page.split('data-testid="suggestions"')[1]
    assert "Lewisham Foodbank - Catford centre" in suggestions


def test_results_map_has_public_locations_only(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    page = search_client.get("/search?q=womens+aid").get_data(as_text=True)
    assert "Manchester Women's Aid refuge" in unescape(page)
    assert 'data-testid="map"' not in page  # the refuge is confidential and the helpline has no building
    page = search_client.get("/search?q=foodbank").get_data(as_text=True)
    markers = json.loads(unescape(re.search(r"data-markers='([^']*)'", page).group(1)))  # type: ignore[union-attr]
    assert {m["name"] for m in markers} == {
        "Lewisham Foodbank - Catford centre",
        "Manchester Central Foodbank",
    }
    assert "/assets/vendor/leaflet/leaflet.js" in page
    assert "/assets/js/maps.js" in page


def test_search_pages_have_no_inline_scripts_or_styles(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    for url in ("/", "/search?q=foodbank", f"/services/{directory['s-foodbank-lewisham-catford'].id}"):
        page = search_client.get(url).get_data(as_text=True)
        scripts = re.findall(r"<script[^>]*>", page)
        assert all(" src=" in tag for tag in scripts), scripts
        assert " style=" not in page
        assert "<style" not in page


# -- service pages -----------------------------------------------------------------------------------


def test_the_professional_phone_is_never_shown(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    assert can_see_professional_details(None) is False
    service = directory["s-ca-lewisham-advice"]
    page = text_of(search_client, f"/services/{service.id}")
    assert 'href="tel:08082787813"' in page
    assert "0808 278 7813" in page
    assert "020 7946 0999" not in page
    assert "Professionals line" not in page
    assert "shown to signed-in staff" in page
    results = text_of(search_client, "/search?q=citizens+advice")
    assert "020 7946 0999" not in results


def test_a_confidential_address_is_never_shown(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    refuge = directory["s-womens-aid-manchester-refuge"]
    page = text_of(search_client, f"/services/{refuge.id}")
    assert "Address given on referral" in page
    assert "M14" not in page
    assert 'data-testid="map"' not in page
    assert "0161 496 0300" not in page  # its only phone is professional-only
    assert "Professional referral only" in page


def test_service_page_has_hours_with_today_highlighted_and_open_state(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    service = directory["s-cgl-lewisham-alcohol"]
    page = text_of(search_client, f"/services/{service.id}")
    table = page.split('data-testid="hours"')[1].split("</table>")[0]
    assert table.count('class="govuk-table__row') == 8  # heading row and Monday to Sunday
    today = datetime.now(LONDON)
    today_row = re.search(r'aria-current="date" data-testid="today">\s*<th[^>]*>([^<]+)<', table)
    assert today_row is not None
    assert today_row.group(1).strip() == f"{today:%A} {today.day} {today:%B}"
    assert table.count('aria-current="date"') == 1
    assert "9am to 5pm" in table
    assert "5pm to 8pm (drop in)" in table
    assert re.search(
        r'data-testid="open-state"><strong class="govuk-tag govuk-tag--(green|grey)">(Open now|Closed)', page
    )
    assert "Evening drop-in moves to Thursdays from 1 December" in page  # alert banner
    assert "People living in Lewisham" in page  # catchment by local authority name
    assert "18 and over" in page


def test_service_page_shows_bank_holidays_exceptions_and_eligibility(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    service = directory["s-cgl-lewisham-alcohol"]
    page = text_of(search_client, f"/services/{service.id}")
    today = datetime.now(LONDON).date()
    if today.month in (11, 12):  # Christmas is within the coming eight weeks
        assert "Christmas Day: closed" in page
        assert "Closed (Christmas Eve)" in page
    veterans = text_of(search_client, f"/services/{directory['s-op-courage-london'].id}")
    assert "Only for armed forces veterans" in veterans
    assert "over a year ago: verify before use" in veterans
    helpline = text_of(search_client, f"/services/{directory['s-womens-aid-manchester-helpline'].id}")
    assert "Women only" in helpline
    assert "Open now, 24 hours" in helpline or "24 hours" in helpline
    assert "No building to visit" in helpline


def test_service_page_address_and_map_for_a_public_location(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    service = directory["s-ca-lewisham-advice"]
    page = text_of(search_client, f"/services/{service.id}")
    assert "Lewisham Library: 199-201 Lewisham High Street, London, SE13 6LG" in page
    markers = json.loads(re.search(r"data-markers='([^']*)'", page).group(1))  # type: ignore[union-attr]
    assert markers[0]["name"] == service.name
    assert markers[0]["address"].endswith("SE13 6LG")


@pytest.mark.parametrize(
    "service_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "x" * 300, "1", "%00"]
)
def test_unknown_service_ids_are_404(search_client: FlaskClient, service_id: str) -> None:
    response = search_client.get(f"/services/{service_id}")
    assert response.status_code == 404
    assert "Go to the directory" in response.get_data(as_text=True)


def test_a_service_that_stopped_says_so(search_client: FlaskClient, directory: dict[str, Service]) -> None:
    page = text_of(search_client, f"/services/{directory['s-cgl-old-alcohol-line'].id}")
    assert "This service is no longer running" in page


def test_overnight_and_all_day_hours_read_plainly(
    search_client: FlaskClient, directory: dict[str, Service]
) -> None:
    page = text_of(search_client, f"/services/{directory['s-housing-line-lewisham'].id}")
    table = page.split('data-testid="hours"')[1].split("</table>")[0]
    assert table.count("5:30pm to 9am next day") == 5  # Monday to Friday
    assert table.count("Open 24 hours") == 2  # Saturday and Sunday
    unknown = text_of(search_client, f"/services/{directory['s-cgl-young-people'].id}")
    assert "Hours not known" in unknown
    assert "This service is temporarily closed" in unknown
