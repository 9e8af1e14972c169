"""Which services the matcher is shown (``directory.matching.candidates``): short lists per need from
the search index, chosen among services that could take the person, with a few that cannot only when
none can (so the matcher can say why)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.matching.candidates import NEAR_PER_NEED, Seeker, candidate_ids
from directory.models import Location, Need, Organization, Service, ServiceAtLocation
from directory.search.index import current_index
from directory.seeding import seed_taxonomy

LIVE = ("active", "temporarily_closed", "inactive")
CATFORD = (51.4452, -0.0209)
AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ADULT_MAN = Seeker(age=34, gender="male")


def add(db: Session, name: str, *, km_east: float, **fields: object) -> str:
    """A Lewisham alcohol service ``km_east`` kilometres east of Catford (about 70 km per degree)."""
    org = Organization(name=f"{name} org")
    need = db.scalar(select(Need).where(Need.code == "SUBST_ALCOHOL"))
    location = Location(
        organization=org,
        name=name,
        postcode="SE6 4RU",
        postcode_district="SE6",
        local_authority="E09000023",
        latitude=CATFORD[0],
        longitude=CATFORD[1] + km_east / 69.4,
    )
    service = Service(organization=org, name=name, needs=[need], **{"status": "active", **fields})
    service.location_links = [ServiceAtLocation(location=location)]
    db.add(service)
    db.flush()
    return service.id


def shown(db: Session, seeker: Seeker) -> set[str]:
    db.commit()
    index = current_index(db)
    return set(candidate_ids(index, LIVE, [("SUBST_ALCOHOL", False)], seeker, [CATFORD], 10.0, [], AT))


def test_slots_go_to_services_that_could_take_the_person(db: Session) -> None:
    seed_taxonomy(db)
    women = [add(db, f"Women only {n}", km_east=0.1 * n, genders=["female"]) for n in range(NEAR_PER_NEED)]
    young = [add(db, f"Under 25s {n}", km_east=0.1 * n, minimum_age=16, maximum_age=25) for n in range(3)]
    closed = add(db, "Closed", km_east=0.05, status="inactive")
    further = add(db, "Further but for anyone", km_east=5)
    found = shown(db, ADULT_MAN)
    assert further in found
    assert not found & {*women, *young, closed}


def test_when_nobody_could_take_the_person_a_few_who_cannot_are_shown_so_the_matcher_can_say_why(
    db: Session,
) -> None:
    seed_taxonomy(db)
    women = [add(db, f"Women only {n}", km_east=0.1 * n, genders=["female"]) for n in range(5)]
    found = shown(db, ADULT_MAN)
    assert 0 < len(found) < len(women)
    assert found <= set(women)


def test_a_child_is_shown_youth_and_all_age_services_not_adult_ones_with_only_an_upper_limit(
    db: Session,
) -> None:
    seed_taxonomy(db)
    youth = add(db, "Youth service", km_east=0.3, maximum_age=18)
    all_ages = add(db, "All ages", km_east=0.4)
    states_age = add(db, "From 16", km_east=0.5, minimum_age=16)
    adult_upper = add(db, "Up to 65", km_east=0.1, maximum_age=65)
    adult = add(db, "Adults", km_east=0.2, minimum_age=18)
    found = shown(db, Seeker(age=16, gender="female"))
    assert {youth, all_ages, states_age} <= found
    assert not found & {adult_upper, adult}


MANCHESTER_COURT = (53.4794, -2.2453)


def test_where_they_are_now_gets_slots_of_its_own_beside_home(db: Session) -> None:
    """A person from Lewisham at a Manchester court: the help point near the court is a candidate
    though ten Lewisham services are nearer home than it is to the court (issue 11)."""
    seed_taxonomy(db)
    home = [add(db, f"Lewisham {n}", km_east=0.01 * n) for n in range(NEAR_PER_NEED + 2)]
    org = Organization(name="Manchester court help point org")
    need = db.scalar(select(Need).where(Need.code == "SUBST_ALCOHOL"))
    place = Location(
        organization=org,
        name="Court help point",
        postcode="M60 9DJ",
        postcode_district="M60",
        local_authority="E08000003",
        latitude=MANCHESTER_COURT[0],
        longitude=MANCHESTER_COURT[1] + 1 / 69.4 * 1.6,
    )
    court = Service(organization=org, name="Court help point", needs=[need], status="active")
    court.location_links = [ServiceAtLocation(location=place)]
    db.add(court)
    db.commit()
    index = current_index(db)
    wanted = [("SUBST_ALCOHOL", False)]
    found = set(
        candidate_ids(
            index,
            LIVE,
            wanted,
            ADULT_MAN,
            [CATFORD, MANCHESTER_COURT],
            10.0,
            ["E09000023"],
            AT,
            MANCHESTER_COURT,
            ("E08000003", "M1"),
        )
    )
    assert court.id in found
    assert len(found & set(home)) >= NEAR_PER_NEED
