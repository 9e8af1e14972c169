"""The measurement for search near a postcode: in every demo area, for ten common need words typed
well and misspelt, the top three results are services of that area or ones covering it."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from directory.geography import Place, resolve
from directory.models import Service
from directory.search import SearchQuery, search_services
from directory.seeding import SEEDS_DIR, read_demo

# Each demo area's seed file and postcodes in it (Plymouth, Bodmin and Truro share one file).
AREAS = {
    "lewisham.yaml": ["SE13 6LJ", "SE6"],
    "manchester.yaml": ["M1 3BE", "M13"],
    "portsmouth.yaml": ["PO1", "PO4"],
    "plymouth_cornwall.yaml": ["PL1", "PL31", "TR1"],
}
WORDS = [
    ("alcohol", "alchohol"),
    ("homeless", "homless"),
    ("food bank", "foodbank"),
    ("debt", "debts"),
    ("mental health", "mental helth"),
    ("drugs", "drug"),
    ("domestic abuse", "domestic abuce"),
    ("benefits", "benifits"),
    ("self harm", "selfharm"),
    ("housing", "housin"),
]
TYPED = [word for pair in WORDS for word in pair]


def seed_files() -> dict[str, str]:
    """Each demo service's slug -> the seed file it comes from."""
    return {
        svc["id"]: name for name, org in read_demo(SEEDS_DIR / "demo") for svc in org.get("services") or []
    }


def of_area_or_covering(service: Service, area_file: str, place: Place, files: dict[str, str]) -> bool:
    """A service listed for the area, or one (national or another area's) whose areas name the place
    or that names no area and has no building (a national line)."""
    areas = set(service.catchment_areas or [])
    if files.get(service.external_id or "") == area_file:
        return True
    if areas & {place.local_authority, place.postcode.district}:
        return True
    return not areas and not service.location_links


@pytest.mark.parametrize("radius", [None, 10.0], ids=["any distance", "within 10 km"])
def test_the_top_three_near_each_demo_area_are_of_that_area_or_cover_it(
    seeded_db: Session, radius: float | None
) -> None:
    files = seed_files()
    misses = []
    asked = 0
    for area_file, postcodes in AREAS.items():
        for postcode in postcodes:
            place = resolve(postcode)
            for text in TYPED:
                query = SearchQuery(text=text, postcode=postcode, radius_km=radius, per_page=3)
                hits = search_services(seeded_db, query).items
                asked += 1
                wrong = [
                    h.service.name
                    for h in hits
                    if not of_area_or_covering(h.service, area_file, place, files)
                ]
                if len(hits) < 3 or wrong:
                    misses.append(f"{text!r} near {postcode}: {len(hits)} found, not local: {wrong}")
    assert asked == 9 * 20
    assert misses == []
