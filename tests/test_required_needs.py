"""Inclusion criteria ("requires at least one need from each group") through the directory: the seed
format and the demo directory, the matcher's loader and candidates, and the service page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.matching.candidates import Seeker, candidate_ids
from directory.matching.loading import load_options
from directory.models import Location, Need, Organization, Service, ServiceAtLocation
from directory.search import display
from directory.search.index import current_index
from directory.seeding import SeedError, seed, seed_taxonomy

DATA = Path(__file__).parent / "data"
SMALL = (DATA / "demo_small" / "small.yaml").read_text()
REFUGE = "eligibility: {genders: [female], min_age: 16}"
CATFORD = (51.4452, -0.0209)
DUAL = [["SUBST_DRUGS", "SUBST_ALCOHOL"], ["MH_SEVERE"]]


def by_slug(db: Session, slug: str) -> Service:
    found = db.scalar(select(Service).where(Service.external_id == slug))
    assert found is not None
    return found


def test_the_seed_format_carries_inclusion_criteria_and_reseeding_changes_nothing(
    db: Session, tmp_path: Path
) -> None:
    (tmp_path / "small.yaml").write_text(
        SMALL.replace(
            REFUGE, "eligibility: {genders: [female], min_age: 16, requires_needs: [[DA_HIGH, DA_STANDARD]]}"
        )
    )
    seed(db, demo_dir=tmp_path)
    db.commit()
    assert by_slug(db, "test-refuge-service").requires_needs == [["DA_HIGH", "DA_STANDARD"]]
    assert by_slug(db, "test-no-hours").requires_needs == []
    again = seed(db, demo_dir=tmp_path)
    db.commit()
    assert not again.changed
    assert by_slug(db, "test-refuge-service").requires_needs == [["DA_HIGH", "DA_STANDARD"]]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("[[DA_HIGH, NOT_A_NEED]]", "unknown need code 'NOT_A_NEED' in requires_needs"),
        ("[DA_HIGH]", "requires_needs must be a list of groups"),
        ("[[]]", "requires_needs must be a list of groups"),
    ],
)
def test_the_seed_refuses_unknown_codes_and_shapeless_criteria(
    db: Session, tmp_path: Path, value: str, problem: str
) -> None:
    (tmp_path / "small.yaml").write_text(SMALL.replace(REFUGE, f"eligibility: {{requires_needs: {value}}}"))
    with pytest.raises(SeedError) as caught:
        seed(db, demo_dir=tmp_path)
    assert any(problem in p for p in caught.value.problems)


def test_demo_services_with_inclusion_criteria(seeded_db: Session) -> None:
    def criteria(name: str) -> list[list[str]]:
        service = seeded_db.scalar(select(Service).where(Service.name == name))
        assert service is not None
        return service.requires_needs

    assert criteria("Lewisham Community Learning Disability Team") == [["LD"]]
    assert criteria("Manchester Dual Diagnosis Liaison Service") == DUAL
    assert criteria("Mencap Learning Disability Helpline") == []  # families and carers call it too


def add(db: Session, name: str, **fields: object) -> str:
    """A Lewisham drugs and mental health service in Catford."""
    org = Organization(name=f"{name} org")
    needs = list(db.scalars(select(Need).where(Need.code.in_(["SUBST_DRUGS", "MH_SEVERE"]))))
    location = Location(
        organization=org,
        name=name,
        postcode="SE6 4RU",
        postcode_district="SE6",
        local_authority="E09000023",
        latitude=CATFORD[0],
        longitude=CATFORD[1],
    )
    service = Service(organization=org, name=name, needs=needs, status="active", **fields)
    service.location_links = [ServiceAtLocation(location=location)]
    db.add(service)
    db.flush()
    return service.id


def test_the_loader_and_the_candidates_keep_services_with_inclusion_criteria(db: Session) -> None:
    seed_taxonomy(db)
    dual = add(db, "Dual diagnosis", requires_needs=DUAL)
    plain = add(db, "Anyone")
    db.commit()
    options = {o.id: o for o in load_options(db, [dual, plain])}
    assert options[dual].requires_needs == (("SUBST_DRUGS", "SUBST_ALCOHOL"), ("MH_SEVERE",))
    assert options[plain].requires_needs == ()
    # The prefilter leaves the judging to the matcher: the service is shown for either need, so a
    # person with both gets it and a person with one is told why not.
    at = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    for need in ("SUBST_DRUGS", "MH_SEVERE"):
        found = candidate_ids(
            current_index(db), ("active",), [(need, False)], Seeker(34, "male"), [CATFORD], 10.0, [], at
        )
        assert dual in found


def test_the_service_page_says_who_it_is_only_for(seeded_client: FlaskClient, seeded_db: Session) -> None:
    def page(name: str) -> str:
        service = seeded_db.scalar(select(Service).where(Service.name == name))
        assert service is not None
        return seeded_client.get(f"/services/{service.id}").get_data(as_text=True)

    assert "Only for people with a learning disability" in page("Lewisham Community Learning Disability Team")
    dual = page("Manchester Dual Diagnosis Liaison Service")
    assert "Only for people with drug use or alcohol use, and a severe mental illness" in dual
    assert "SUBST_DRUGS" not in dual
    assert 'data-testid="required-needs"' not in page("Mencap Learning Disability Helpline")


def test_several_groups_and_alternatives_read_as_a_sentence() -> None:
    labels = {"SUBST_DRUGS": "Drug use", "SUBST_ALCOHOL": "Alcohol use", "DA_STANDARD": "Domestic abuse"}
    say = display.required_needs
    assert say(Service(requires_needs=[]), labels) == ""
    assert say(Service(requires_needs=[["LD"], ["DA_STANDARD"]]), labels) == (
        "Only for people with a learning disability and domestic abuse"
    )
    assert say(Service(requires_needs=[["SUBST_DRUGS"], ["SUBST_ALCOHOL"], ["LD"]]), labels) == (
        "Only for people with drug use, alcohol use and a learning disability"
    )


MANCHESTER_PERSON = {
    "age": 40,
    "gender": "male",
    "postcode": "M4 5JD",
    "gp_registered": True,
    "probation": "none",
    "veteran": False,
    "language": "en",
}


def _match(client: FlaskClient, needs: list[str]) -> dict[str, object]:
    body = {
        "needs": needs,
        "person": MANCHESTER_PERSON,
        "where": {"setting": "custody", "postcode": "M4 5JD"},
        "at": "2026-11-23T11:00:00Z",
    }
    response = client.post("/api/v1/match", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()  # type: ignore[no-any-return]


def test_on_the_demo_directory_no_package_offers_a_service_the_person_does_not_qualify_for(
    seeded_client: FlaskClient, seeded_db: Session
) -> None:
    dual = seeded_db.scalar(
        select(Service).where(Service.name == "Manchester Dual Diagnosis Liaison Service")
    )
    assert dual is not None
    for needs in (
        ["SUBST_DRUGS"],
        ["MH_SEVERE"],
        ["SUBST_ALCOHOL", "HOUSING_RISK"],
        ["SUBST_DRUGS", "MH_SEVERE"],
    ):
        package = _match(seeded_client, needs)
        items = package["items"]
        assert isinstance(items, list)
        ids = [item["service_id"] for item in items]
        for service in seeded_db.scalars(select(Service).where(Service.id.in_(ids))):
            assert all(set(group) & set(needs) for group in service.requires_needs), (service.name, needs)
        if needs != ["SUBST_DRUGS", "MH_SEVERE"]:
            assert dual.id not in ids
