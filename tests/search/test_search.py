"""search_services: typo-tolerant ranking, filters in SQL, distance, paging, and freshness."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.geography import Place, PostcodeError, distance_km, resolve
from directory.hours import service_open_state
from directory.models import Location, Need, Service, ServiceAtLocation
from directory.search import SearchQuery, nearest_matches, search_services
from directory.search.engine import filter_mask
from directory.search.filters import filtered_ids
from directory.search.index import current_index
from matcher.vocabulary import LONDON
from tests.search.helpers import directory, load_search_directory, search_app, search_db, search_url

__all__ = ["directory", "search_app", "search_db", "search_url"]  # fixtures

# A Wednesday in term time, 10:30 in London (no bank holiday).
WEDNESDAY_MORNING = datetime(2026, 11, 18, 10, 30, tzinfo=LONDON)


def names(db: Session, query: SearchQuery) -> list[str]:
    return [hit.service.name for hit in search_services(db, query).items]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("citzens advise", "Citizens Advice"),
        ("alchohol", "alcohol"),
        ("foodbank lewisham", "Lewisham Foodbank - Catford centre"),
        ("womens aid manchester", "Manchester Women's Aid"),
        ("op courage", "Op COURAGE"),
        ("manchster foodbank", "Manchester Central Foodbank"),
        ("food bank", "Foodbank"),
    ],
)
def test_a_misspelt_query_finds_what_a_person_means_first(
    search_db: Session, directory: dict[str, Service], typed: str, meant: str
) -> None:
    found = names(search_db, SearchQuery(text=typed))
    assert found, f"nothing found for {typed!r}"
    assert meant.lower() in found[0].lower(), found


def test_place_words_put_services_in_that_place_first(
    search_db: Session, directory: dict[str, Service]
) -> None:
    assert names(search_db, SearchQuery(text="citizens advice manchester"))[0].startswith(
        "Citizens Advice Manchester"
    )
    assert names(search_db, SearchQuery(text="citizens advice lewisham"))[0].startswith(
        "Citizens Advice Lewisham"
    )
    assert names(search_db, SearchQuery(text="foodbank manchester")) == ["Manchester Central Foodbank"]


def test_every_word_must_match_somewhere(search_db: Session, directory: dict[str, Service]) -> None:
    found = names(search_db, SearchQuery(text="foodbank lewisham"))
    assert found == ["Lewisham Foodbank - Catford centre"]


def test_scores_run_best_first_from_0_to_100(search_db: Session, directory: dict[str, Service]) -> None:
    hits = search_services(search_db, SearchQuery(text="alcohol")).items
    scores = [hit.score for hit in hits]
    assert all(s is not None and 0 < s <= 100 for s in scores)
    assert [round(s) for s in scores if s is not None] == sorted(
        (round(s) for s in scores if s is not None), reverse=True
    )


def test_only_active_and_temporarily_closed_services_are_found(
    search_db: Session, directory: dict[str, Service]
) -> None:
    found = names(search_db, SearchQuery(text="lewisham alcohol"))
    assert "Lewisham young people's drug and alcohol service" in found  # temporarily closed
    assert "Lewisham alcohol recovery cafe" not in found  # inactive
    assert "Lewisham alcohol advice line (old)" not in found  # defunct
    everything = search_services(search_db, SearchQuery(per_page=100))
    statuses = {hit.service.status for hit in everything.items}
    assert statuses == {"active", "temporarily_closed"}
    assert everything.total == 12


def test_an_empty_query_lists_everything_matching_the_filters_by_name(
    search_db: Session, directory: dict[str, Service]
) -> None:
    results = search_services(search_db, SearchQuery(needs=("SUBST_ALCOHOL",)))
    assert [hit.service.name for hit in results.items] == [
        "Lewisham New Direction (adult drug and alcohol service)",
        "Lewisham young people's drug and alcohol service",
        "Manchester Integrated Alcohol and Drug Service",
    ]
    assert all(hit.score is None for hit in results.items)


def test_needs_match_any_of_the_chosen(search_db: Session, directory: dict[str, Service]) -> None:
    found = set(names(search_db, SearchQuery(needs=("VETERAN", "FOOD_ESSENTIALS"))))
    assert found == {
        "Op COURAGE: veterans mental health and wellbeing service",
        "Lewisham Foodbank - Catford centre",
        "Manchester Central Foodbank",
    }


def test_age_gender_referral_and_delivery_filters(search_db: Session, directory: dict[str, Service]) -> None:
    sixteen = set(names(search_db, SearchQuery(text="alcohol", age=16)))
    assert sixteen == {"Lewisham young people's drug and alcohol service"}
    men = set(names(search_db, SearchQuery(needs=("DA_HIGH",), gender="male")))
    assert men == set()
    women = set(names(search_db, SearchQuery(needs=("DA_HIGH",), gender="female")))
    assert women == {"Manchester Women's Aid helpline", "Manchester Women's Aid refuge"}
    self_referral = set(names(search_db, SearchQuery(needs=("FOOD_ESSENTIALS",), self_referral=True)))
    assert self_referral == {
        "Lewisham Foodbank - Catford centre"
    }  # drop in counts; professional-only does not
    online = set(names(search_db, SearchQuery(delivery=("online",), per_page=50)))
    assert online == {"Citizens Advice Manchester - debt and benefits advice", "National housing advice line"}


def test_organisation_and_modified_after_filters(search_db: Session, directory: dict[str, Service]) -> None:
    cgl = directory["s-cgl-lewisham-alcohol"].organization_id
    assert set(names(search_db, SearchQuery(organization_id=cgl, per_page=50))) == {
        "Lewisham New Direction (adult drug and alcohol service)",
        "Manchester Integrated Alcohol and Drug Service",
        "Lewisham young people's drug and alcohol service",
    }
    future = datetime.now(UTC) + timedelta(days=1)
    assert names(search_db, SearchQuery(modified_after=future)) == []
    past = datetime.now(UTC) - timedelta(days=1)
    assert search_services(search_db, SearchQuery(modified_after=past)).total == 12


def test_radius_keeps_nearby_services_and_remote_ones_covering_the_area(
    search_db: Session, directory: dict[str, Service]
) -> None:
    results = search_services(search_db, SearchQuery(postcode="SE13 6LJ", radius_km=10, per_page=50))
    found = {hit.service.name: hit.distance_km for hit in results.items}
    assert "Lewisham Foodbank - Catford centre" in found
    assert "Citizens Advice Manchester - debt and benefits advice" not in found
    # Phone services with no building: in when they cover Lewisham or anywhere, out when they cover elsewhere.
    assert found["Out-of-hours emergency housing line"] is None
    assert found["National housing advice line"] is None
    assert "Manchester Women's Aid helpline" not in found
    located = [d for d in found.values() if d is not None]
    assert located
    assert all(d <= 10 for d in located)
    assert results.origin is not None
    assert str(results.origin.postcode) == "SE13 6LJ"
    # Within the radius only nearby places are measured; they are the same distances as everywhere.
    everywhere = search_services(search_db, SearchQuery(postcode="SE13 6LJ", per_page=50))
    unlimited = {hit.service.name: hit.distance_km for hit in everywhere.items}
    assert {name: unlimited[name] for name in found} == found


def test_relevance_ties_break_on_distance_and_sort_by_distance(
    search_db: Session, directory: dict[str, Service]
) -> None:
    near_manchester = names(search_db, SearchQuery(text="citizens advice", postcode="M1 3BE"))
    assert near_manchester[0].startswith("Citizens Advice Manchester")
    near_lewisham = names(search_db, SearchQuery(text="citizens advice", postcode="SE13 6LG"))
    assert near_lewisham[0].startswith("Citizens Advice Lewisham")
    by_distance = search_services(
        search_db, SearchQuery(needs=("SUBST_ALCOHOL", "NO_BED_TONIGHT"), postcode="M4", sort="distance")
    )
    distances = [hit.distance_km for hit in by_distance.items]
    located = [d for d in distances if d is not None]
    assert located == sorted(located)
    assert distances.index(None) == len(located)  # no location: after every located service


def test_open_now_filter(search_db: Session, directory: dict[str, Service]) -> None:
    found = set(
        names(search_db, SearchQuery(needs=("SUBST_ALCOHOL", "DEBT"), open_now=True, at=WEDNESDAY_MORNING))
    )
    assert found == {
        "Citizens Advice Lewisham - debt and benefits advice",  # 24 hours every day
        "Citizens Advice Manchester - debt and benefits advice",  # 9 to 5 weekdays
        "Lewisham New Direction (adult drug and alcohol service)",  # 9 to 5 weekdays
    }
    friday_night = datetime(2026, 11, 21, 2, 0, tzinfo=LONDON)  # Saturday 2am: Friday's overnight session
    night = set(names(search_db, SearchQuery(needs=("SUBST_ALCOHOL",), open_now=True, at=friday_night)))
    assert night == {"Manchester Integrated Alcohol and Drug Service"}


def _moments() -> list[datetime]:
    """Every 90 minutes over a week, plus a bank holiday, Christmas Eve and a clock-change weekend."""
    start = datetime(2026, 11, 16, 0, 15, tzinfo=LONDON)
    week = [start + timedelta(minutes=90 * n) for n in range(7 * 16)]
    special = [datetime(2026, 12, 24, h, 30, tzinfo=LONDON) for h in (2, 10, 18)]
    special += [datetime(2026, 12, 25, h, 30, tzinfo=LONDON) for h in (2, 10, 18)]
    special += [datetime(2026, 12, 28, h, 30, tzinfo=LONDON) for h in (8, 10, 19)]  # Boxing Day (substitute)
    return week + special


def test_the_sql_open_now_filter_agrees_with_the_hours_engine(
    search_db: Session, directory: dict[str, Service]
) -> None:
    findable = [s for s in directory.values() if s.status in ("active", "temporarily_closed")]
    for moment in _moments():
        expected = {s.name for s in findable if service_open_state(s, moment).open_now}
        found = set(names(search_db, SearchQuery(open_now=True, at=moment, per_page=100)))
        assert found == expected, moment


def test_pages_split_the_results_and_keep_the_total(
    search_db: Session, directory: dict[str, Service]
) -> None:
    first = search_services(search_db, SearchQuery(per_page=5))
    second = search_services(search_db, SearchQuery(per_page=5, page=2))
    third = search_services(search_db, SearchQuery(per_page=5, page=3))
    assert first.total == second.total == third.total == 12
    assert first.pages == 3
    assert (len(first.items), len(second.items), len(third.items)) == (5, 5, 2)
    ids = [h.service.id for r in (first, second, third) for h in r.items]
    assert len(set(ids)) == 12
    text_first = search_services(search_db, SearchQuery(text="alcohol", per_page=2))
    text_second = search_services(search_db, SearchQuery(text="alcohol", per_page=2, page=2))
    assert text_first.total == text_second.total == 3
    assert {h.service.id for h in text_first.items}.isdisjoint({h.service.id for h in text_second.items})


def test_hits_carry_the_open_state_at_the_moment_asked(
    search_db: Session, directory: dict[str, Service]
) -> None:
    hit = search_services(
        search_db, SearchQuery(text="citizens advice manchester", at=WEDNESDAY_MORNING)
    ).items[0]
    assert hit.open_state.open_now
    assert hit.open_state.closes_at is not None
    assert hit.open_state.closes_at.hour == 17


def test_the_index_notices_changes_to_the_directory(db: Session) -> None:
    services = load_search_directory(db)
    assert names(db, SearchQuery(text="zebra crossing")) == []
    cafe = services["s-foodbank-lewisham-catford"]
    cafe.name = "Zebra crossing community pantry"
    db.commit()
    assert names(db, SearchQuery(text="zebra")) == ["Zebra crossing community pantry"]
    # Needs changed alone (no column of the service row): still noticed, via updated_at.
    cafe.needs = [*cafe.needs, db.get(Need, "VETERAN")]
    db.commit()
    assert "Zebra crossing community pantry" in names(
        db, SearchQuery(text="armed forces veteran", per_page=50)
    )
    cafe.status = "defunct"
    db.commit()
    assert names(db, SearchQuery(text="zebra")) == []
    # Deleted: the total drops at once (the deletion touches its organisation).
    before = search_services(db, SearchQuery(text="foodbank")).total
    db.delete(services["s-foodbank-manchester-central"])
    db.commit()
    after = search_services(db, SearchQuery(text="foodbank"))
    assert after.total == before - 1
    assert after.items == []


def test_nearest_matches_ignore_filters_and_need_only_some_words(
    search_db: Session, directory: dict[str, Service]
) -> None:
    query = SearchQuery(text="foodbank brixton", gender="male", age=70)
    assert search_services(search_db, query).total == 0
    suggestions = [hit.service.name for hit in nearest_matches(search_db, query)]
    assert suggestions[:2] == [
        "Lewisham Foodbank - Catford centre",
        "Manchester Central Foodbank",
    ] or suggestions[:2] == ["Manchester Central Foodbank", "Lewisham Foodbank - Catford centre"]
    nearest = nearest_matches(search_db, replace(query, text="", postcode="SE6"))
    assert nearest[0].service.name == "Lewisham Foodbank - Catford centre"


def test_bad_postcodes_raise_a_postcode_error(search_db: Session, directory: dict[str, Service]) -> None:
    with pytest.raises(PostcodeError):
        search_services(search_db, SearchQuery(postcode="not a postcode"))
    with pytest.raises(PostcodeError):
        search_services(search_db, SearchQuery(postcode="ZZ99"))


def test_a_query_is_checked_when_made() -> None:
    with pytest.raises(ValueError, match="sort"):
        SearchQuery(sort="popularity")
    with pytest.raises(ValueError, match="page"):
        SearchQuery(page=0)
    with pytest.raises(ValueError, match="radius"):
        SearchQuery(radius_km=-1)
    with pytest.raises(ValueError, match="timezone"):
        SearchQuery(open_now=True, at=datetime(2026, 11, 18, 10, 30))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("citzens advise", "Citizens Advice"),
        ("alchohol", "alcohol"),
        ("foodbank lewisham", "Lewisham Foodbank"),
        ("womens aid manchester", "Manchester Women's Aid"),
        ("op courage", "Op COURAGE"),
    ],
)
def test_the_demo_directory_answers_misspelt_queries(seeded_db: Session, typed: str, meant: str) -> None:
    if not seeded_db.query(Service).count():
        pytest.skip("demo directory not loaded")
    found = names(seeded_db, SearchQuery(text=typed))
    assert found
    assert meant.lower() in found[0].lower(), found[:5]


FILTER_QUERIES = [
    SearchQuery(),
    SearchQuery(needs=("SUBST_ALCOHOL", "DEBT")),
    SearchQuery(needs=("NOT_A_NEED",)),
    SearchQuery(age=16),
    SearchQuery(age=70, gender="male"),
    SearchQuery(gender="female", self_referral=True),
    SearchQuery(delivery=("phone",)),
    SearchQuery(delivery=("online", "in_person"), needs=("DEBT",)),
    SearchQuery(open_now=True, at=WEDNESDAY_MORNING),
    SearchQuery(open_now=True, at=datetime(2026, 12, 25, 3, 0, tzinfo=LONDON)),
    SearchQuery(postcode="SE13 6LJ", radius_km=5),
    SearchQuery(postcode="M1", radius_km=3, needs=("FOOD_ESSENTIALS", "DA_HIGH")),
    SearchQuery(statuses=("inactive", "defunct")),
    SearchQuery(modified_after=datetime(2000, 1, 1, tzinfo=UTC)),
]


def sql_filtered(db: Session, query: SearchQuery, origin: Place | None) -> set[str]:
    """The plain SQL filters' answer, with the radius box cut to its circle (as search does)."""
    found = set(db.scalars(filtered_ids(query, origin)))
    if origin is None or not query.radius_km:
        return found
    nearest: dict[str, float] = {}
    for service_id, lat, lon in db.execute(
        select(ServiceAtLocation.service_id, Location.latitude, Location.longitude).join(Location)
    ):
        km = distance_km((lat, lon), (origin.latitude, origin.longitude))
        nearest[service_id] = min(km, nearest.get(service_id, km))
    return {sid for sid in found if nearest.get(sid, 0.0) <= query.radius_km}


@pytest.mark.parametrize("query", FILTER_QUERIES, ids=lambda q: repr(q)[:80])
def test_filters_in_memory_answer_what_the_sql_filters_answer(
    search_db: Session, directory: dict[str, Service], query: SearchQuery
) -> None:
    origin = resolve(query.postcode) if query.postcode else None
    index = current_index(search_db)
    distances = index.distances(origin.latitude, origin.longitude) if origin else None
    in_memory = {index.ids[d] for d in filter_mask(index, query, origin, distances).nonzero()[0]}
    assert in_memory == sql_filtered(search_db, query, origin)
