"""Search near a postcode: only places within the radius and services serving that place, best
matches weighed by distance, and "nearest matches" nearest first."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from directory.geography import resolve
from directory.models import Service
from directory.search import SearchHit, SearchQuery, nearest_matches, search_services
from directory.search.engine import filter_mask
from directory.search.filters import filtered_ids
from directory.search.index import current_index
from directory.seeding import seed

LOCALITY_DATA = Path(__file__).parents[1] / "data" / "locality"
LEWISHAM = "E09000023"


@pytest.fixture
def locality(db: Session) -> Session:
    """The locality directory (tests/data/locality), committed."""
    seed(db, demo_dir=LOCALITY_DATA)
    db.commit()
    return db


def slugs(hits: list[SearchHit]) -> list[str]:
    return [hit.service.external_id or "" for hit in hits]


def found(db: Session, query: SearchQuery) -> list[str]:
    return slugs(search_services(db, query).items)


def test_within_a_radius_only_nearby_places_and_services_serving_the_postcode(locality: Session) -> None:
    query = SearchQuery(text="alcohol", postcode="SE13 6LJ", radius_km=10)
    assert set(found(locality, query)) == {
        "l-lewisham-alcohol",
        "l-lewisham-alcohol-line",  # a phone line whose service area is Lewisham
        "l-greenwich-drop-in",  # 3 km away and takes anyone
        "l-national-alcohol-line",
    }
    # Left out: Greenwich's residents-only service 3 km away, a phone line serving Portsmouth (its
    # area named with no residence rule) and one for Portsmouth residents, and places in Portsmouth.


def test_the_sql_filters_agree_on_locality(locality: Session) -> None:
    for postcode in ("SE13 6LJ", "SE10", "PO1"):
        query = SearchQuery(postcode=postcode, radius_km=10)
        origin = resolve(postcode)
        index = current_index(locality)
        distances = index.distances(origin.latitude, origin.longitude)
        in_memory = {index.ids[d] for d in filter_mask(index, query, origin, distances).nonzero()[0]}
        assert in_memory == set(locality.scalars(filtered_ids(query, origin))), postcode


def test_best_match_weighs_distance_so_local_services_come_first(locality: Session) -> None:
    ranked = found(locality, SearchQuery(text="alcohol", postcode="SE13 6LJ"))
    # The Portsmouth services say "alcohol" most, but a person in Lewisham is shown Lewisham's first,
    # then what serves them from nearby or nationally, and other councils' services last.
    assert set(ranked[:2]) == {"l-lewisham-alcohol", "l-lewisham-alcohol-line"}
    assert set(ranked[2:4]) == {"l-greenwich-drop-in", "l-national-alcohol-line"}
    assert set(ranked[-4:]) == {
        "l-greenwich-alcohol",
        "l-portsmouth-alcohol",
        "l-portsmouth-alcohol-line",
        "l-portsmouth-residents-line",
    }
    near_portsmouth = found(locality, SearchQuery(text="alcohol", postcode="PO1"))
    assert set(near_portsmouth[:3]) == {
        "l-portsmouth-alcohol",
        "l-portsmouth-alcohol-line",
        "l-portsmouth-residents-line",
    }


def test_nearest_matches_come_nearest_first(locality: Session) -> None:
    query = SearchQuery(text="alcohol detox", postcode="SE13 6LJ", radius_km=10)
    assert search_services(locality, query).total == 0  # only Portsmouth's service offers detox
    suggestions = nearest_matches(locality, query)
    distances = [hit.distance_km for hit in suggestions]
    located = [d for d in distances if d is not None]
    assert located == sorted(located)
    assert suggestions[0].service.external_id in {"l-lewisham-alcohol"}
    # Phone lines serving another council are never suggested; those serving Lewisham may be.
    assert not {"l-portsmouth-alcohol-line", "l-portsmouth-residents-line"} & set(slugs(suggestions))


def serves(service: Service, authority: str, district: str, km: float | None, radius: float) -> bool:
    """A search hit near a place: a place within the radius that takes people from there, or a phone or
    online service naming no area or that place's."""
    areas = set(service.catchment_areas or [])
    names_place = not areas or bool(areas & {authority, district})
    if service.location_links:
        rule = service.catchment_type != "none" and areas
        return km is not None and km <= radius and (names_place or not rule)
    return names_place


@pytest.mark.parametrize("postcode", ["SE13 6LJ", "M1 3BE", "PO1", "PL1", "TR1"])
@pytest.mark.parametrize("text", ["alcohol", "housing", "debt", "mental health", ""])
def test_the_demo_directory_never_shows_another_councils_service_near_a_postcode(
    seeded_db: Session, postcode: str, text: str
) -> None:
    place = resolve(postcode)
    results = search_services(
        seeded_db, SearchQuery(text=text, postcode=postcode, radius_km=10, per_page=100)
    )
    assert results.items
    for hit in results.items:
        assert serves(hit.service, place.local_authority, place.postcode.district, hit.distance_km, 10), (
            hit.service.name
        )


def test_alcohol_near_se13_puts_lewisham_services_first_in_the_demo_directory(seeded_db: Session) -> None:
    hits = search_services(seeded_db, SearchQuery(text="alcohol", postcode="SE13")).items
    first = hits[0].service
    assert LEWISHAM in {location.local_authority for location in first.locations}, first.name
    lewisham = [
        n for n, hit in enumerate(hits) if LEWISHAM in {loc.local_authority for loc in hit.service.locations}
    ]
    elsewhere = [
        n
        for n, hit in enumerate(hits)
        if hit.service.locations and LEWISHAM not in {loc.local_authority for loc in hit.service.locations}
    ]
    assert lewisham
    assert elsewhere
    assert max(lewisham) < min(elsewhere)


def test_nearest_matches_on_the_demo_directory_are_sorted_by_distance(seeded_db: Session) -> None:
    query = SearchQuery(text="alcohol zzzz", postcode="M1", radius_km=1)
    assert search_services(seeded_db, query).total == 0
    distances = [hit.distance_km for hit in nearest_matches(seeded_db, query)]
    located = [d for d in distances if d is not None]
    assert located
    assert located == sorted(located)
