"""``POST /api/v1/match`` and the bridge, on the demo directory: contract, validation, scenarios."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.api.match_views import MAX_BODY_BYTES
from directory.hours import service_open_state
from directory.models import Service

BASE: dict[str, Any] = {
    "needs": ["NO_BED_TONIGHT", "SUBST_ALCOHOL"],
    "person": {
        "age": 34,
        "gender": "male",
        "postcode": "SE13 6LJ",
        "local_authority": None,
        "gp_registered": True,
        "probation": "none",
        "veteran": False,
        "language": "en",
    },
    "where": {"setting": "custody", "postcode": "SE6 4RU"},
    "at": "2026-11-22T02:30:00Z",
}


def ask(client: FlaskClient, **changes: Any) -> dict[str, Any]:
    body = {**BASE, **{k: v for k, v in changes.items() if k not in {"person", "where"}}}
    body["person"] = {**BASE["person"], **changes.get("person", {})}
    body["where"] = {**BASE["where"], **changes.get("where", {})}
    response = client.post("/api/v1/match", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def slug_of(db: Session, service_id: str) -> str:
    return db.scalar(select(Service.external_id).where(Service.id == service_id)) or ""


def services(db: Session, package: dict[str, Any]) -> list[Service]:
    ids = [item["service_id"] for item in package["items"]]
    found = {s.id: s for s in db.scalars(select(Service).where(Service.id.in_(ids)))}
    return [found[i] for i in ids]


def covered_or_unmet(package: dict[str, Any], needs: list[str]) -> None:
    covered = {code for item in package["items"] for code in item["needs"]}
    unmet = {u["need"] for u in package["unmet"]}
    for need in needs:
        assert (need in covered) != (need in unmet), (
            f"{need}: covered={need in covered} unmet={need in unmet}"
        )


@pytest.fixture(autouse=True)
def _needs_demo(seeded_db: Session) -> None:
    if not seeded_db.scalar(select(Service.id).limit(1)):
        pytest.skip("demo directory not loaded")


def test_contract_shape(seeded_client: FlaskClient) -> None:
    package = ask(seeded_client)
    assert set(package) == {"items", "lead_service_id", "unmet", "warnings"}
    item = package["items"][0]
    assert set(item) == {
        "rank",
        "service_id",
        "service_name",
        "organization_name",
        "needs",
        "urgent",
        "open_now",
        "next_open",
        "distance_km",
        "route",
        "action",
        "reasons",
        "alternatives",
    }
    assert [i["rank"] for i in package["items"]] == list(range(1, len(package["items"]) + 1))
    assert item["route"] in {"self", "professional", "probation", "gp", "drop_in"}
    assert package["lead_service_id"] in {i["service_id"] for i in package["items"]}


def test_bed_tonight_at_half_past_two_puts_an_open_service_first(seeded_client: FlaskClient) -> None:
    package = ask(seeded_client)
    first = package["items"][0]
    assert first["urgent"] is True
    assert first["open_now"] is True
    assert "NO_BED_TONIGHT" in first["needs"]
    covered_or_unmet(package, BASE["needs"])


def test_the_same_request_gives_the_same_package(seeded_client: FlaskClient) -> None:
    assert ask(seeded_client) == ask(seeded_client)


@pytest.mark.parametrize(
    ("home", "here"),
    [
        ("SE13 6LJ", "SE6 4RU"),
        ("M13 9WP", "M1 1AA"),
        ("PO1 2AA", "PO2 8BD"),
        ("PL1 2AY", "PL4 0AA"),
        ("TR1 2AA", "PL31 2AA"),
    ],
)
def test_every_area_gets_a_package_that_covers_or_explains_every_need(
    seeded_client: FlaskClient, seeded_db: Session, home: str, here: str
) -> None:
    needs = ["NO_BED_TONIGHT", "INCOME_BENEFITS", "SUBST_DRUGS", "MH_COMMON", "DEBT", "ETE"]
    package = ask(
        seeded_client,
        needs=needs,
        person={"postcode": home},
        where={"postcode": here},
        at="2026-11-24T11:00:00Z",
    )
    covered_or_unmet(package, needs)
    assert package["items"], "a package with nothing in it"
    for item in package["items"]:
        assert item["distance_km"] is None or item["distance_km"] < 60


def test_under_18_gets_no_adult_only_service(seeded_client: FlaskClient, seeded_db: Session) -> None:
    package = ask(
        seeded_client, needs=["SUBST_DRUGS", "MH_COMMON"], person={"age": 15}, at="2026-11-24T11:00:00Z"
    )
    for service in services(seeded_db, package):
        assert service.minimum_age is None or service.minimum_age <= 15, service.name
        assert service.maximum_age is None or service.maximum_age >= 15, service.name
    covered_or_unmet(package, ["SUBST_DRUGS", "MH_COMMON"])


def test_no_fixed_abode_measures_from_where_they_are(seeded_client: FlaskClient) -> None:
    package = ask(
        seeded_client,
        needs=["NO_BED_TONIGHT", "FOOD_ESSENTIALS"],
        person={"postcode": None},
        where={"setting": "court", "postcode": "M1 1AA"},
        at="2026-11-24T11:00:00Z",
    )
    covered_or_unmet(package, ["NO_BED_TONIGHT", "FOOD_ESSENTIALS"])
    near = [i["distance_km"] for i in package["items"] if i["distance_km"] is not None]
    assert near
    assert all(d < 20 for d in near)  # Manchester, not Lewisham


def test_probation_only_services_only_for_people_on_probation(
    seeded_client: FlaskClient, seeded_db: Session
) -> None:
    needs = ["ETE", "HOUSING_RISK"]
    on_licence = ask(seeded_client, needs=needs, person={"probation": "licence"}, at="2026-11-24T11:00:00Z")
    not_on_probation = ask(seeded_client, needs=needs, at="2026-11-24T11:00:00Z")
    assert all("probation" not in s.cohorts for s in services(seeded_db, not_on_probation))
    probation_items = [i for i in on_licence["items"] if i["route"] == "probation"]
    for item in probation_items:
        assert "probation" in item["action"].lower()


def test_closing_minute_of_the_lewisham_access_point(seeded_client: FlaskClient, seeded_db: Session) -> None:
    access_point = seeded_db.scalar(select(Service).where(Service.external_id == "lbl-housing-access-point"))
    assert access_point is not None
    before, at_close = datetime(2026, 11, 25, 14, 59, tzinfo=UTC), datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    assert service_open_state(access_point, before).open_now  # Wednesday 13:00-15:00
    assert not service_open_state(access_point, at_close).open_now
    for moment in (before, at_close):
        package = ask(seeded_client, needs=["HOUSING_RISK", "NO_BED_TONIGHT"], at=moment.isoformat())
        for item, service in zip(package["items"], services(seeded_db, package), strict=True):
            assert item["open_now"] == service_open_state(service, moment).open_now, service.name


def test_a_nine_to_five_office_is_never_shown_open_at_ten_at_night(
    seeded_client: FlaskClient, seeded_db: Session
) -> None:
    moment = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
    package = ask(seeded_client, needs=["INCOME_BENEFITS", "DEBT", "HOUSING_RISK"], at=moment.isoformat())
    for item, service in zip(package["items"], services(seeded_db, package), strict=True):
        if item["open_now"]:
            assert service_open_state(service, moment).open_now, service.name
            assert service.always_open or any(
                s.closes_at <= s.opens_at or s.closes_at.hour >= 22 for s in service.sessions
            )
        else:
            assert item["next_open"] is not None or not service.sessions


def test_a_service_at_capacity_is_never_offered(seeded_client: FlaskClient, seeded_db: Session) -> None:
    full = set(seeded_db.scalars(select(Service.id).where(Service.capacity_status == "at_capacity")))
    assert full, "the demo directory should hold a service at capacity"
    for home, needs in (("SE13 6LJ", ["NO_BED_TONIGHT"]), ("M13 9WP", ["SUBST_DRUGS", "MH_SEVERE"])):
        package = ask(seeded_client, needs=needs, person={"postcode": home}, at="2026-11-24T11:00:00Z")
        assert not full & {i["service_id"] for i in package["items"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BASE, "needs": ["NOT_A_NEED"]}, "needs"),
        ({**BASE, "needs": []}, "needs"),
        ({**BASE, "person": {**BASE["person"], "postcode": "ZZ99 9ZZ"}}, "person.postcode"),
        ({**BASE, "person": {**BASE["person"], "postcode": "not a postcode"}}, "person.postcode"),
        ({**BASE, "person": {**BASE["person"], "age": 130}}, "person.age"),
        ({**BASE, "person": {**BASE["person"], "age": -1}}, "person.age"),
        ({**BASE, "person": {**BASE["person"], "age": "34"}}, "person.age"),
        ({**BASE, "at": "yesterday"}, "at"),
        ({**BASE, "at": "2026-11-22T02:30:00"}, "at"),
        ({**BASE, "where": {"setting": "pub", "postcode": "SE6 4RU"}}, "where.setting"),
        ({**BASE, "person": {**BASE["person"], "probation": "maybe"}}, "person.probation"),
        (
            {
                **BASE,
                "person": {**BASE["person"], "postcode": None},
                "where": {"setting": "custody", "postcode": None},
            },
            "where.postcode",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    seeded_client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    response = seeded_client.post("/api/v1/match", json=body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("raw", [b"", b"not json", b"[]", b"123", b'{"needs": "x"}'])
def test_malformed_bodies_are_400_not_500(seeded_client: FlaskClient, raw: bytes) -> None:
    response = seeded_client.post("/api/v1/match", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.is_json


def _nested_needs(depth: int) -> bytes:
    inner = b'{"a":' * depth + b"1" + b"}" * depth
    body = json.dumps({**BASE, "needs": ["__INNER__"]}).encode()
    return body.replace(b'"__INNER__"', inner)


@pytest.mark.parametrize(
    "raw",
    [b"[" * 100_000 + b"]" * 100_000, _nested_needs(5_000), b'{"needs": ' + b"[" * 100 + b"]" * 100 + b"}"],
    ids=["arrays-100000-deep", "objects-5000-deep-inside-needs", "arrays-100-deep-inside-needs"],
)
def test_deeply_nested_bodies_are_a_400_naming_the_problem_and_log_nothing(
    seeded_app: Flask, raw: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    seeded_app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production, not raise into the test
    with caplog.at_level(logging.WARNING):
        response = seeded_app.test_client().post("/api/v1/match", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert "nest" in response.get_json()["error"]["fields"]["body"]
    assert caplog.records == []


def test_a_body_over_the_size_limit_is_a_413(seeded_app: Flask) -> None:
    seeded_app.config["PROPAGATE_EXCEPTIONS"] = False
    raw = json.dumps({**BASE, "padding": "x" * (MAX_BODY_BYTES + 1)}).encode()
    response = seeded_app.test_client().post("/api/v1/match", data=raw, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["status"] == 413
