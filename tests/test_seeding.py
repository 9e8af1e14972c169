"""The seed command: validation, idempotency, and what lands in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.matching.bridge import need_taxonomy
from directory.models import Location, Need, Organization, Service
from directory.seeding import SeedError, seed, seed_taxonomy
from matcher.vocabulary import NeedRole

DATA = Path(__file__).parent / "data"


def count(db: Session, model: type) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_seed_loads_services_with_their_children(db: Session) -> None:
    report = seed(db, demo_dir=DATA / "demo_small")
    db.commit()
    assert report.created["services"] == 3
    access = db.scalar(select(Service).where(Service.external_id == "test-access-point"))
    assert access is not None
    assert access.need_codes == ["NO_BED_TONIGHT", "HOUSING_RISK"]  # taxonomy order
    assert [p.number for p in access.public_phones] == ["020 8314 6622"]
    assert len(access.phones) == 2
    assert len(access.sessions) == 5
    assert access.exceptions[0].note == "Christmas Eve"
    assert access.catchment_areas == ["E09000023"]
    office = access.locations[0]
    assert office.postcode == "SE6 4RU"
    assert office.local_authority == "E09000023"
    assert office.latitude is not None


def test_seeding_twice_changes_nothing(db: Session) -> None:
    seed(db, demo_dir=DATA / "demo_small")
    db.commit()
    versions = dict(db.execute(select(Service.external_id, Service.version)).all())
    updated = dict(db.execute(select(Service.external_id, Service.updated_at)).all())
    report = seed(db, demo_dir=DATA / "demo_small")
    db.commit()
    assert not report.changed
    assert report.unchanged["services"] == 3
    assert count(db, Service) == 3
    assert count(db, Organization) == 1
    assert count(db, Location) == 2
    assert dict(db.execute(select(Service.external_id, Service.version)).all()) == versions
    assert dict(db.execute(select(Service.external_id, Service.updated_at)).all()) == updated


def test_reseeding_updates_an_edited_record_in_place(db: Session, tmp_path: Path) -> None:
    seed(db, demo_dir=DATA / "demo_small")
    db.commit()
    edited = (DATA / "demo_small" / "small.yaml").read_text().replace("Housing access point", "Housing hub")
    (tmp_path / "small.yaml").write_text(edited)
    report = seed(db, demo_dir=tmp_path)
    db.commit()
    assert report.updated["services"] == 1
    assert count(db, Service) == 3
    assert db.scalar(select(Service.name).where(Service.external_id == "test-access-point")) == "Housing hub"


def test_bad_seed_files_report_every_problem_and_load_nothing(db: Session) -> None:
    with pytest.raises(SeedError) as caught:
        seed(db, demo_dir=DATA / "demo_bad")
    problems = "\n".join(caught.value.problems)
    for expected in (
        "id 'Bad Id' must be a lower-case slug",
        "ZZ99",
        "status 'open' is not one of",
        "unknown need code 'NOT_A_NEED'",
        "referral route 'carrier_pigeon'",
        "min_age 30 is above max_age 20",
        "a catchment needs areas",
        "day 'funday'",
        "weekly opens '9am' must be HH:MM",
        "location 'nowhere' is not one of its organisation's locations",
        "id 'broken-service' is used twice",
    ):
        assert expected in problems
    db.rollback()
    assert count(db, Service) == 0


def test_confidential_location_has_no_public_address(db: Session) -> None:
    seed(db, demo_dir=DATA / "demo_small")
    refuge = db.scalar(select(Location).where(Location.external_id == "test-refuge"))
    office = db.scalar(select(Location).where(Location.external_id == "test-housing-office"))
    assert refuge is not None
    assert office is not None
    assert refuge.public_address is None
    assert office.public_address == "1 Catford Road, London, SE6 4RU"


def test_need_roles_and_recipients_are_seeded_and_reach_the_matcher(db: Session) -> None:
    seed_taxonomy(db)
    db.commit()
    da = db.get(Need, "DA_HIGH")
    assert da is not None
    assert (da.roles, da.recipient) == (["domestic_abuse"], "safeguarding")
    assert need_taxonomy(db)["NO_BED_TONIGHT"].roles == {NeedRole.SURVIVAL, NeedRole.HOUSING}
    # A curator's change to the taxonomy is what the matcher reads next time.
    da.roles = []
    db.commit()
    db.info.pop("need_taxonomy")
    assert need_taxonomy(db)["DA_HIGH"].roles == frozenset()


def test_an_unknown_need_role_or_recipient_is_refused(db: Session, tmp_path: Path) -> None:
    needs = (Path(__file__).parents[1] / "seeds" / "needs.csv").read_text()
    bad = needs.replace(
        "DA_HIGH,Domestic abuse - high risk,risk,yes,no,domestic_abuse,safeguarding,",
        "DA_HIGH,Domestic abuse - high risk,risk,yes,no,domestic_abuse shelter,police,",
    )
    assert bad != needs
    (tmp_path / "needs.csv").write_text(bad)
    with pytest.raises(SeedError) as caught:
        seed_taxonomy(db, seeds_dir=tmp_path)
    problems = "\n".join(caught.value.problems)
    assert "role 'shelter' is not one of" in problems
    assert "recipient 'police' is not one of" in problems
