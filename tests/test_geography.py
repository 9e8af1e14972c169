"""Postcodes: parsing, normalising, offline lookup and distances."""

from __future__ import annotations

from pathlib import Path

import pytest

from directory import geography
from directory.geography import PostcodeError, parse_postcode, resolve

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("text", "full", "district"),
    [
        ("se136lj", "SE13 6LJ", "SE13"),
        ("  SE13   6LJ ", "SE13 6LJ", "SE13"),
        ("m13 9wp", "M13 9WP", "M13"),
        ("EC1A1BB", "EC1A 1BB", "EC1A"),
        ("W1A 0AX", "W1A 0AX", "W1A"),
        ("se13", None, "SE13"),
        ("PL1", None, "PL1"),
    ],
)
def test_parse_normalises(text: str, full: str | None, district: str) -> None:
    postcode = parse_postcode(text)
    assert postcode.full == full
    assert postcode.district == district


@pytest.mark.parametrize("text", ["", "   ", "hello", "12345", "SE13 6L", "SE136LJX", "S", "1SE 6LJ"])
def test_malformed_postcodes_get_a_clear_error(text: str) -> None:
    with pytest.raises(PostcodeError, match="postcode"):
        parse_postcode(text)


def test_unknown_district_is_an_error() -> None:
    with pytest.raises(PostcodeError, match="do not know the postcode district ZZ9"):
        resolve("ZZ9 9ZZ")


def test_resolve_gives_the_local_authority_and_centroid() -> None:
    place = resolve("se13 6lj")
    assert place.local_authority == "E09000023"
    assert geography.authority_name(place.local_authority) == "Lewisham"
    assert 51.4 < place.latitude < 51.5
    assert not place.precise
    assert resolve("PL31 2AA").local_authority == "E06000052"  # Bodmin is in Cornwall
    assert resolve("M13").local_authority == "E08000003"


def test_northern_ireland_is_not_covered() -> None:
    with pytest.raises(PostcodeError):
        resolve("BT1 1AA")


def test_distance_between_lewisham_and_manchester() -> None:
    lewisham, manchester = resolve("SE13"), resolve("M13")
    km = geography.distance_km(
        (lewisham.latitude, lewisham.longitude), (manchester.latitude, manchester.longitude)
    )
    assert 255 < km < 275


def test_full_postcode_precision_from_a_deployment_file() -> None:
    sample = DATA / "full_postcodes_sample.csv"
    place = resolve("SE1 0AA", str(sample))
    assert place.precise
    assert (place.latitude, place.longitude) == (51.49870, -0.10174)
    assert not resolve("SE13 6LJ", str(sample)).precise  # not in the file: district centroid


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Lewisham, se6", ["E09000023", "SE6"]),
        ("London Borough of Lewisham\nLewisham Council; E09000023", ["E09000023"]),
        ("Lewisham (E09000023)\nSE 6\n", ["E09000023", "SE6"]),
        ("Royal Borough of Greenwich, Leeds City Council", ["E08000035", "E09000011"]),
        ("Bristol, City of, City of Bristol, bristol", ["E06000023"]),
        (
            "Newry, Mourne and Down\nBournemouth, Christchurch and Poole (E06000058)",
            ["E06000058", "N09000010"],
        ),
        ("", []),
    ],
)
def test_catchment_areas_from_names_codes_and_districts(text: str, codes: list[str]) -> None:
    assert geography.parse_areas(text) == (codes, [])


def test_unknown_catchment_areas_are_returned_as_typed() -> None:
    assert geography.parse_areas("Lewishm, SE6, SE6 4RU, XX99, Lewishm") == (
        ["SE6"],
        ["Lewishm", "SE6 4RU", "XX99"],
    )
