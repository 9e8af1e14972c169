"""The Open Referral UK read API: HSDS 3.0 shapes, filters, privacy, CORS and bad parameters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.feeds.importer import run_import
from directory.models import Location, Organization, Service, ServiceAtLocation
from directory.oruk import vocab
from directory.seeding import seed
from tests.hsds import errors, hsds, oruk

DATA = Path(__file__).parents[1] / "data"
FEED = DATA / "feeds" / "council_feed.json"
FOOD_BANK = "5a1d3c0e-0000-4000-8000-000000000001"
MANCHESTER = "5a1d3c0e-0000-4000-8000-000000000002"
DEFUNCT = "5a1d3c0e-0000-4000-8000-000000000003"


@pytest.fixture
def directory(db: Session) -> Session:
    """The small demo directory (with a refuge and a professional line) and a council feed."""
    seed(db, demo_dir=DATA / "demo_small")
    report = run_import(db, FEED, source="council")
    assert report.ok, list(report.lines())
    db.commit()
    return db


def get(client: FlaskClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()


def service_id(db: Session, external_id: str) -> str:
    found = db.scalar(select(Service.id).where(Service.external_id == external_id))
    assert found
    return found


def test_index_names_version_profile_and_openapi(client: FlaskClient) -> None:
    body = get(client, "/api/v1/")
    assert errors(_validator("api_details"), body) == []
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/api/v1/openapi.json")
    assert get(client, "/api/v1/openapi.json")["openapi"] == "3.1.0"


def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator, FormatChecker

    schema = json.loads((DATA / "oruk3" / f"{name}.json").read_text())
    return Draft202012Validator(schema, format_checker=FormatChecker())


def test_services_page_is_the_hsds_envelope_of_listed_services(
    client: FlaskClient, directory: Session
) -> None:
    body = get(client, "/api/v1/services?per_page=2")
    assert {
        k: body[k]
        for k in ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty")
    } == {
        "total_items": 5,  # three demo services and the feed's two live ones (not the defunct one)
        "total_pages": 3,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    rest = (
        get(client, "/api/v1/services?per_page=2&page=2")["contents"]
        + get(client, "/api/v1/services?per_page=2&page=3")["contents"]
    )
    names = [s["name"] for s in body["contents"] + rest]
    assert names == sorted(names)
    assert "Old Lewisham Advice Drop-in" not in names  # defunct: not listed
    for item in body["contents"] + rest:
        assert errors(hsds("service"), item) == []
        assert errors(oruk("service"), item) == []
    past = get(client, "/api/v1/services?per_page=2&page=9")
    assert (past["contents"], past["empty"], past["last_page"]) == ([], True, True)


def test_temporarily_closed_maps_to_hsds_words(client: FlaskClient, directory: Session) -> None:
    body = get(client, f"/api/v1/services/{MANCHESTER}")
    assert body["status"] == "temporarily closed"
    assert body["alert"] == "Closed for refurbishment until 3 March"


def test_a_service_is_fully_nested_and_valid_hsds_and_oruk(client: FlaskClient, directory: Session) -> None:
    access = service_id(directory, "test-access-point")
    body = get(client, f"/api/v1/services/{access}")
    assert errors(hsds("service"), body) == []
    assert errors(oruk("service"), body) == []
    assert body["organization"]["name"] == "Test Council Housing"
    assert body["minimum_age"] == 16
    assert body["eligibility_description"] == "Lewisham residents 16+."
    assert [p["number"] for p in body["phones"]] == ["020 8314 6622"]  # never the professionals' line
    weekly = [s for s in body["schedules"] if s.get("freq") == "WEEKLY"]
    assert {(s["byday"], s["opens_at"], s["closes_at"]) for s in weekly} == {
        ("MO,TU,TH,FR", "09:00", "15:00"),
        ("WE", "13:00", "15:00"),
    }
    closed = [s for s in body["schedules"] if "freq" not in s]
    assert closed == [
        {
            "id": closed[0]["id"],
            "service_id": access,
            "valid_from": "2026-12-24",
            "valid_to": "2026-12-24",
            "dtstart": "2026-12-24",
            "description": "Closed all day on Thursday 24 December 2026",
            "notes": "Christmas Eve",
        }
    ]
    place = body["service_at_locations"][0]["location"]
    assert place["addresses"][0]["postal_code"] == "SE6 4RU"
    assert place["addresses"][0]["state_province"] == "Lewisham"
    needs = [
        a["taxonomy_term"]["code"]
        for a in body["attributes"]
        if a["taxonomy_term"]["taxonomy"] == vocab.NEEDS_TAXONOMY
    ]
    assert needs == ["NO_BED_TONIGHT", "HOUSING_RISK"]
    fields = {
        (a["taxonomy_term"]["code"], a["value"])
        for a in body["attributes"]
        if a["taxonomy_term"]["taxonomy"] == vocab.FIELDS_TAXONOMY
    }
    assert {
        ("referral_route", "self"),
        ("referral_route", "drop_in"),
        ("delivery_mode", "in_person"),
        ("catchment_type", "residence"),
        ("catchment_area", "E09000023"),
        ("capacity_status", "accepting"),
        ("hours_known", "true"),
        ("assured_by", "Test"),
    } == fields
    assert body["service_areas"][0]["name"] == "Lewisham"
    assert body["assured_date"] == "2026-11-01"


def test_confidential_locations_and_professional_phones_never_appear(
    client: FlaskClient, directory: Session
) -> None:
    refuge = service_id(directory, "test-refuge-service")
    body = get(client, f"/api/v1/services/{refuge}")
    assert body["service_at_locations"] == []
    hidden = directory.scalar(select(Location).where(Location.external_id == "test-refuge"))
    link = directory.scalar(select(ServiceAtLocation).where(ServiceAtLocation.location_id == hidden.id))
    get(client, f"/api/v1/service_at_locations/{link.id}", 404)
    org = directory.scalar(select(Organization).where(Organization.external_id == "test-housing"))
    everything = json.dumps(
        [
            get(client, "/api/v1/services?per_page=100"),
            get(client, "/api/v1/service_at_locations?per_page=100"),
            get(client, "/api/v1/service_at_locations?postcode=SE13&proximity=50000"),
            get(client, "/api/v1/services?postcode=SE13&proximity=50000"),
            get(client, f"/api/v1/organizations/{org.id}"),
            *[get(client, f"/api/v1/services/{s}") for s in directory.scalars(select(Service.id))],
        ]
    )
    assert hidden.id not in everything
    assert "020 8314 0000" not in everything  # the professionals' line
    assert refuge in everything  # the service itself is listed, just not where it is


def test_filters(client: FlaskClient, directory: Session) -> None:
    def names(query: str) -> list[str]:
        return sorted(s["name"] for s in get(client, f"/api/v1/services?{query}")["contents"])

    need_term = vocab.term_id(vocab.NEEDS_TAXONOMY, "FOOD_ESSENTIALS")
    assert names(f"taxonomy_term_id={need_term}") == [
        "Lewisham Food Bank"
    ]  # mapped from Open Eligibility 1120
    assert names("taxonomy_term_id=SUBST_DRUGS") == ["Manchester Drug and Alcohol Service"]
    assert names("taxonomy_term_id=NOT_A_TERM") == []
    assert names("taxonomy_term_id=referral_route") == ["Housing access point", "Refuge"]
    assert names("search=FOOD") == ["Lewisham Food Bank"]
    assert names("search=council") == [
        "Advice line with unknown hours",
        "Housing access point",
        "Refuge",
    ]  # organisation
    assert names("search=100%25") == []
    org = directory.scalar(
        select(Organization.id).where(Organization.external_id == "0a000000-0000-4000-8000-000000000002")
    )
    assert names(f"organization_id={org}") == ["Manchester Drug and Alcohol Service"]
    assert names("maximum_age=16") == ["Advice line with unknown hours", "Housing access point", "Refuge"]
    assert names("minimum_age=18&maximum_age=18") == names("per_page=100")
    assert names("modified_after=2000-01-01T00:00:00Z") == names("per_page=100")
    assert names("modified_after=2999-01-01T00:00:00%2B01:00") == []
    # postcode alone: services whose catchment covers it, and those with none
    assert names("postcode=SE13 6LJ") == [
        "Advice line with unknown hours",
        "Housing access point",
        "Lewisham Food Bank",
        "Manchester Drug and Alcohol Service",
        "Refuge",
    ]
    assert "Housing access point" not in names("postcode=M15")


def test_postcode_and_proximity_list_nearest_first_with_distance(
    client: FlaskClient, directory: Session
) -> None:
    near = get(client, "/api/v1/services?postcode=SE13 6LJ&proximity=10000")["contents"]
    assert [(s["name"], s["distance"] < 10000) for s in near] == [
        ("Lewisham Food Bank", True),
        ("Housing access point", True),
    ]
    assert near[0]["distance"] <= near[1]["distance"]
    wide = get(client, "/api/v1/service_at_locations?postcode=SE13&proximity=400000")["contents"]
    assert [s["service"]["name"] for s in wide][-1] == "Manchester Drug and Alcohol Service"
    for item in wide:
        assert errors(hsds("service_at_location"), item) == []
    assert get(client, "/api/v1/services?postcode=M15 5FQ&proximity=0")["total_items"] == 1


def test_organizations_and_taxonomies(client: FlaskClient, directory: Session) -> None:
    page = get(client, "/api/v1/organizations")
    assert page["total_items"] == 3
    for item in page["contents"]:
        assert errors(hsds("organization"), item) == []
    org_id = page["contents"][0]["id"]
    org = get(client, f"/api/v1/organizations/{org_id}")
    assert errors(oruk("organization"), org) == []
    assert all(s["organization_id"] == org_id for s in org["services"])
    taxonomies = get(client, "/api/v1/taxonomies")["contents"]
    assert [t["name"] for t in taxonomies] == [vocab.NEEDS_TAXONOMY, vocab.FIELDS_TAXONOMY]
    needs = get(client, f"/api/v1/taxonomies/{taxonomies[0]['id']}")
    assert errors(oruk("taxonomy"), needs) == []
    assert len(needs["taxonomy_terms"]) == 24
    terms = get(client, f"/api/v1/taxonomy_terms?taxonomy_id={taxonomies[1]['id']}&per_page=100")["contents"]
    route = next(t for t in terms if t["code"] == "referral_route")
    assert "self, professional, probation, gp, drop_in" in route["description"]  # the vocabulary is published
    for term in terms:
        assert errors(hsds("taxonomy_term"), term) == []
    assert get(client, f"/api/v1/taxonomy_terms/{route['id']}") == route
    assert get(client, "/api/v1/taxonomy_terms?search=sleep")["contents"][0]["code"] == "NO_BED_TONIGHT"


def test_service_at_location_detail_has_the_full_service(client: FlaskClient, directory: Session) -> None:
    item = get(client, "/api/v1/service_at_locations?search=food")["contents"][0]
    detail = get(client, f"/api/v1/service_at_locations/{item['id']}")
    assert errors(oruk("service_at_location"), detail) == []
    assert detail["service"]["id"] == FOOD_BANK
    assert detail["service"]["schedules"]
    assert detail["location"]["addresses"][0]["postal_code"] == "SE13 6BT"


def test_an_unlisted_service_is_still_found_by_id(client: FlaskClient, directory: Session) -> None:
    assert get(client, f"/api/v1/services/{DEFUNCT}")["status"] == "defunct"


@pytest.mark.parametrize(
    ("url", "parameter", "words"),
    [
        ("/api/v1/services?page=0", "page", "from 1 to 1000000"),
        ("/api/v1/services?page=-3", "page", "from 1 to 1000000"),
        ("/api/v1/services?page=99999999999999999999", "page", "from 1 to 1000000"),
        ("/api/v1/services?page=999999999999999999999999", "page", "whole number"),
        ("/api/v1/services?page=two", "page", "whole number"),
        ("/api/v1/services?page=1.5", "page", "whole number"),
        ("/api/v1/services?page=", "page", "whole number"),
        ("/api/v1/services?per_page=101", "per_page", "from 1 to 100"),
        ("/api/v1/services?per_page=100000000", "per_page", "from 1 to 100"),
        ("/api/v1/services?page=1&page=2", "page", "once"),
        ("/api/v1/services?minimum_age=-1", "minimum_age", "from 0 to 150"),
        ("/api/v1/services?maximum_age=old", "maximum_age", "whole number"),
        ("/api/v1/services?postcode=nowhere", "postcode", "UK postcode"),
        ("/api/v1/services?postcode=ZZ9 9ZZ", "postcode", "do not know"),
        ("/api/v1/services?proximity=500", "proximity", "needs a postcode"),
        ("/api/v1/services?postcode=SE13&proximity=far", "proximity", "number"),
        ("/api/v1/services?postcode=SE13&proximity=-1", "proximity", "from 0"),
        ("/api/v1/services?postcode=SE13&proximity=1e9", "proximity", "from 0"),
        ("/api/v1/services?modified_after=yesterday", "modified_after", "date-time"),
        ("/api/v1/services?modified_after=2025-02-30T00:00:00Z", "modified_after", "not a real date"),
        ("/api/v1/services?organization_id=42", "organization_id", "UUID"),
        ("/api/v1/services?taxonomy_term_id=no spaces", "taxonomy_term_id", "term"),
        ("/api/v1/services?search=" + "x" * 201, "search", "at most 200"),
        ("/api/v1/services/12345678901234567890123456789", "id", "UUID"),
        ("/api/v1/organizations/not-an-id", "id", "UUID"),
        ("/api/v1/taxonomy_terms?top_only=maybe", "top_only", "true or false"),
        ("/api/v1/service_at_locations?page=x", "page", "whole number"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(
    client: FlaskClient, url: str, parameter: str, words: str
) -> None:
    body = get(client, url, 400)
    assert body["error"]["status"] == 400
    assert body["error"]["parameter"] == parameter
    assert body["error"]["message"].startswith(f"{parameter}: ")
    assert words in body["error"]["message"]


@pytest.mark.parametrize(
    "path", ["services", "organizations", "taxonomies", "taxonomy_terms", "service_at_locations"]
)
def test_unknown_ids_are_404_json(client: FlaskClient, path: str) -> None:
    body = get(client, f"/api/v1/{path}/6f1c1f9e-5d0b-4d59-9a39-3d5a2d1f0c11", 404)
    assert body["error"]["status"] == 404


def test_cors_on_preflight_unknown_paths_and_wrong_methods(client: FlaskClient) -> None:
    preflight = client.options(
        "/api/v1/services", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["Access-Control-Allow-Origin"] == "*"
    assert missing.get_json()["error"]["status"] == 404
    posted = client.post("/api/v1/services", json={})
    assert posted.status_code == 405
    assert posted.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in posted.headers["Allow"]
    assert "Access-Control-Allow-Origin" not in client.get("/healthz").headers
