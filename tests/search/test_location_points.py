"""Distances from a point to every service's nearest place (the search index's geometry)."""

import math

from geopy.distance import great_circle
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.search.points import LocationPoints

LEWISHAM = (51.4566, -0.0134)
CATFORD = (51.4452, -0.0209)
MANCHESTER = (53.4808, -2.2426)
PENZANCE = (50.1186, -5.5372)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(great_circle(a, b).km)


def test_distance_is_geopys_great_circle() -> None:
    points = LocationPoints([0, 1, 2], *zip(LEWISHAM, MANCHESTER, PENZANCE, strict=True), size=3)
    found = points.distances_km(*CATFORD)
    for doc, place in enumerate((LEWISHAM, MANCHESTER, PENZANCE)):
        assert math.isclose(found[doc], km(CATFORD, place), rel_tol=1e-9, abs_tol=1e-6)


def test_a_service_with_several_places_is_as_far_as_its_nearest_and_unlocated_ones_are_infinitely_far() -> (
    None
):
    # Document 1 has places in Manchester, then Catford, then Penzance (out of order on purpose);
    # documents 0 and 3 have none.
    points = LocationPoints([1, 2, 1, 1], *zip(MANCHESTER, LEWISHAM, CATFORD, PENZANCE, strict=True), size=4)
    found = points.distances_km(*CATFORD)
    assert found[1] == 0.0
    assert math.isclose(found[2], km(CATFORD, LEWISHAM), rel_tol=1e-9)
    assert math.isinf(found[0])
    assert math.isinf(found[3])


def test_no_located_services_at_all() -> None:
    assert list(LocationPoints([], [], [], size=2).distances_km(*LEWISHAM)) == [math.inf, math.inf]


latitudes = st.floats(49.8, 60.9)
longitudes = st.floats(-8.7, 1.8)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), latitudes, longitudes), max_size=12),
    latitudes,
    longitudes,
)
def test_each_distance_is_the_minimum_great_circle_distance(places, latitude, longitude) -> None:
    docs = [doc for doc, _, _ in places]
    points = LocationPoints(docs, [p[1] for p in places], [p[2] for p in places], size=6)
    found = points.distances_km(latitude, longitude)
    for doc in range(6):
        expected = min(
            (km((latitude, longitude), (lat, lon)) for d, lat, lon in places if d == doc), default=math.inf
        )
        assert math.isclose(found[doc], expected, rel_tol=1e-7, abs_tol=1e-6)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), latitudes, longitudes), max_size=12),
    latitudes,
    longitudes,
    st.floats(0.5, 400),
)
def test_distances_within_a_radius_are_exact_inside_it(places, latitude, longitude, within) -> None:
    points = LocationPoints([p[0] for p in places], [p[1] for p in places], [p[2] for p in places], size=6)
    everywhere = points.distances_km(latitude, longitude)
    nearby = points.distances_within(latitude, longitude, within)
    for doc in range(6):
        if everywhere[doc] <= within:
            assert nearby[doc] == everywhere[doc]
        else:
            assert nearby[doc] >= within


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), latitudes, longitudes), max_size=12),
    latitudes,
    longitudes,
    st.lists(st.integers(0, 5), max_size=6),
)
def test_distances_to_some_documents_are_their_nearest_places(places, latitude, longitude, docs) -> None:
    points = LocationPoints([p[0] for p in places], [p[1] for p in places], [p[2] for p in places], size=6)
    everywhere = points.distances_km(latitude, longitude)
    assert list(points.distances_to(latitude, longitude, docs)) == [everywhere[d] for d in docs]
