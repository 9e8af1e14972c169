"""Everyday words and misspellings reach the needs they mean through the needs taxonomy's labels and
synonyms, kept as data (seeds/need_synonyms.csv, loaded into need.synonyms), and a postcode typed
among the words is the place searched from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Need
from directory.search import SearchQuery, search_services
from directory.search.typed_place import split_postcode
from directory.seeding import SEEDS_DIR, SeedError, read_need_synonyms, seed
from tests.search.test_search_views import result_names, text_of

SYNONYM_DATA = Path(__file__).parents[1] / "data" / "synonyms"


def found(db: Session, query: SearchQuery) -> list[str]:
    return [hit.service.external_id or "" for hit in search_services(db, query).items]


def copy_of_seeds(tmp_path: Path) -> Path:
    """The shipped taxonomy and synonyms in a folder a test may edit."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in ("needs.csv", "need_synonyms.csv"):
        shutil.copy(SEEDS_DIR / name, folder / name)
    return folder


@pytest.fixture
def synonyms(db: Session) -> Session:
    seed(db, demo_dir=SYNONYM_DATA)
    db.commit()
    return db


def test_seeding_loads_the_synonyms_file_into_the_taxonomy(synonyms: Session) -> None:
    needs = {need.code: need for need in synonyms.scalars(select(Need))}
    shipped = read_need_synonyms(SEEDS_DIR / "need_synonyms.csv")
    assert set(shipped) == set(needs)  # every need has everyday words
    assert "homeless" in needs["NO_BED_TONIGHT"].synonyms
    assert "food bank" in needs["FOOD_ESSENTIALS"].synonyms
    assert all(needs[code].synonyms == words for code, words in shipped.items())


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("homeless", "y-nightstop"),
        ("homless", "y-nightstop"),  # misspelt
        ("rough sleeping", "y-nightstop"),
        ("debt", "y-owed"),
        ("bailiffs", "y-owed"),
        ("money advice", "y-owed"),
    ],
)
def test_everyday_words_reach_services_offering_the_need_they_mean(
    synonyms: Session, typed: str, meant: str
) -> None:
    assert meant in found(synonyms, SearchQuery(text=typed))


def test_a_services_own_words_rank_above_a_need_synonym(synonyms: Session) -> None:
    assert found(synonyms, SearchQuery(text="homless"))[:2] == ["y-homeless-nurse", "y-nightstop"]


def test_synonyms_are_data_a_curator_edits(db: Session, tmp_path: Path) -> None:
    seeds = copy_of_seeds(tmp_path)
    seed(db, seeds_dir=seeds, demo_dir=SYNONYM_DATA)
    db.commit()
    assert "y-nightstop" not in found(db, SearchQuery(text="kipping"))
    with (seeds / "need_synonyms.csv").open("a", encoding="utf-8") as handle:
        handle.write("NO_BED_TONIGHT,Kipping; sofa surfing\n")
    seed(db, seeds_dir=seeds, demo_dir=SYNONYM_DATA)
    db.commit()
    assert "kipping" in db.get_one(Need, "NO_BED_TONIGHT").synonyms
    assert "y-nightstop" in found(db, SearchQuery(text="kipping"))  # the index noticed
    # Edited in the database (as a curator's tool would), the search follows too.
    need = db.get_one(Need, "DEBT")
    need.synonyms = [*need.synonyms, "catalogue arrears"]
    db.commit()
    assert "y-owed" in found(db, SearchQuery(text="catalogue"))


def test_synonyms_for_an_unknown_need_are_refused(db: Session, tmp_path: Path) -> None:
    seeds = copy_of_seeds(tmp_path)
    with (seeds / "need_synonyms.csv").open("a", encoding="utf-8") as handle:
        handle.write("NOT_A_NEED,whatever\n")
    with pytest.raises(SeedError) as refused:
        seed(db, seeds_dir=seeds, demo_dir=SYNONYM_DATA)
    assert refused.value.problems == ["need_synonyms.csv: need_code NOT_A_NEED: not a need in needs.csv"]


@pytest.mark.parametrize(
    ("typed", "words", "postcode"),
    [
        ("debt advice SE6", "debt advice", "SE6"),
        ("food bank se13 6lj", "food bank", "SE13 6LJ"),
        ("SE136LJ, foodbank", "foodbank", "SE13 6LJ"),
        ("alcohol", "alcohol", None),
        ("help 24 hours", "help 24 hours", None),  # numbers are not postcodes
        ("ZZ9 help", "ZZ9 help", None),  # not a district we know
    ],
)
def test_a_postcode_typed_among_the_words_is_the_place(typed: str, words: str, postcode: str | None) -> None:
    assert split_postcode(typed) == (words, postcode)


def test_the_demo_directory_finds_out_of_hours_housing_for_homless(seeded_db: Session) -> None:
    hits = search_services(seeded_db, SearchQuery(text="homless", per_page=100)).items
    names = [hit.service.name for hit in hits]
    out_of_hours = [n for n in names if "out-of-hours" in n and ("housing" in n or "homelessness" in n)]
    assert len(out_of_hours) == 5, names  # Lewisham, Manchester, Portsmouth, Plymouth and Cornwall
    near = found(seeded_db, SearchQuery(text="homless", postcode="SE13"))[:5]
    assert "lbl-housing-out-of-hours" in near
    assert "lbl-housing-duty-to-refer" in near


def test_the_demo_directory_finds_citizens_advice_lewisham_for_debt_advice_se6(
    seeded_db: Session, seeded_client: FlaskClient
) -> None:
    assert found(seeded_db, SearchQuery(text="debt advice SE6"))[0] == "ca-lewisham-advice"
    page = text_of(seeded_client, "/search?q=debt+advice+SE6")
    assert result_names(page)[0].startswith("Citizens Advice Lewisham")
    assert "within 10 km of SE6" in page


def test_a_typed_postcode_sorts_by_distance_on_the_search_page(seeded_client: FlaskClient) -> None:
    page = text_of(seeded_client, "/search?q=foodbank+SE6&sort=distance&radius=")
    assert "Enter a postcode to sort by distance" not in page
    assert result_names(page)[0].startswith("Lewisham Foodbank")
    assert "near SE6" in page
