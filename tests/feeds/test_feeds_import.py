"""Importing feeds: what lands, idempotency, retirement, curators' corrections, mapping, the CLI."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.feeds.curation import clear_curated, mark_curated
from directory.feeds.importer import run_import
from directory.feeds.mapping import list_mappings, load_seed_mappings, set_mapping
from directory.models import AuditEvent, Location, Organization, Service, TaxonomyMapping
from directory.oruk.records import TermRef

DATA = Path(__file__).parents[1] / "data"
FEED = DATA / "feeds" / "council_feed.json"
TEMPLATE = Path(__file__).parents[2] / "seeds" / "import_template.csv"
FOOD_BANK = "5a1d3c0e-0000-4000-8000-000000000001"


def service(db: Session, external_id: str) -> Service:
    found = db.scalar(select(Service).where(Service.external_id == external_id))
    assert found is not None
    return found


def count(db: Session, model: type) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def write_feed(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(items))
    return path


def feed_items() -> list[dict[str, Any]]:
    return json.loads(FEED.read_text())


def test_a_council_feed_lands_with_mapped_needs_hours_and_places(db: Session) -> None:
    report = run_import(db, FEED, source="council")
    db.commit()
    assert report.ok, list(report.lines())
    assert report.summary() == "services: 3 created, 0 updated, 0 unchanged, 0 retired"
    assert report.unmapped == {TermRef("lewisham categories", "LEW-FOOD-7", "Food vouchers"): 1}
    food = service(db, FOOD_BANK)
    assert food.id == FOOD_BANK  # the feed's UUID is kept
    assert food.need_codes == ["FOOD_ESSENTIALS"]  # Open Eligibility 1120 through the shipped mapping
    assert food.catchment_type == "residence"
    assert food.catchment_areas == ["E09000023"]  # from the service area
    assert [(s.weekday, s.opens_at, s.closes_at) for s in food.sessions] == [
        (0, time(10), time(13)),
        (2, time(10), time(13)),
        (4, time(10), time(13)),
    ]
    assert [(e.day, e.closed, e.note) for e in food.exceptions] == [
        (date(2026, 12, 25), True, "Christmas Day")
    ]
    assert food.hours_known
    assert food.website == "https://lewisham.foodbank.org.uk"
    assert food.how_to_refer == "Ask any referral agency for a voucher."
    assert [p.number for p in food.phones] == ["020 8123 4567"]
    place = food.locations[0]
    assert (place.postcode, place.postcode_district, place.local_authority) == (
        "SE13 6BT",
        "SE13",
        "E09000023",
    )
    assert place.latitude is not None
    manchester = service(db, "5a1d3c0e-0000-4000-8000-000000000002")
    assert manchester.status == "temporarily_closed"
    assert manchester.need_codes == ["SUBST_DRUGS", "SUBST_ALCOHOL"]
    assert service(db, "5a1d3c0e-0000-4000-8000-000000000003").need_codes == ["DEBT"]
    assert count(db, Organization) == 2


def test_importing_the_same_feed_twice_changes_nothing(db: Session) -> None:
    run_import(db, FEED, source="council")
    db.commit()
    before = {s.id: (s.version, s.updated_at) for s in db.scalars(select(Service))}
    report = run_import(db, FEED, source="council")
    db.commit()
    assert report.summary() == "services: 0 created, 0 updated, 3 unchanged, 0 retired"
    assert report.summary("locations") == "locations: 0 created, 0 updated, 2 unchanged, 0 retired"
    db.expire_all()
    assert {s.id: (s.version, s.updated_at) for s in db.scalars(select(Service))} == before


def test_changes_update_in_place_and_missing_services_retire(db: Session, tmp_path: Path) -> None:
    run_import(db, FEED, source="council")
    db.commit()
    items = feed_items()
    items[0]["name"] = "Lewisham Food Bank (Albion Way)"
    items[0]["schedules"][0]["byday"] = "MO"
    dropped = items.pop(1)
    report = run_import(db, write_feed(tmp_path / "feed.json", items), source="council")
    db.commit()
    assert report.summary() == "services: 0 created, 1 updated, 1 unchanged, 1 retired"
    db.expire_all()
    food = service(db, FOOD_BANK)
    assert food.name == "Lewisham Food Bank (Albion Way)"
    assert [s.weekday for s in food.sessions] == [0]
    assert food.version == 2
    gone = service(db, dropped["id"])
    assert gone.status == "inactive"  # retired, never deleted
    assert count(db, Service) == 3
    again = run_import(db, FEED, source="council")
    db.commit()
    assert again.summary() == "services: 0 created, 2 updated, 1 unchanged, 0 retired"
    db.expire_all()
    assert service(db, dropped["id"]).status == "temporarily_closed"  # back as the feed says


def test_a_curators_correction_wins_unless_overwrite(db: Session, tmp_path: Path) -> None:
    run_import(db, FEED, source="council")
    db.commit()
    food = service(db, FOOD_BANK)
    food.name = "Lewisham Food Bank - Albion Way hall"
    food.minimum_age = None
    assert mark_curated(db, food, ["name", "minimum_age", "sessions"]) == ["hours", "minimum_age", "name"]
    db.commit()
    items = feed_items()
    items[0]["name"] = "Lewisham Foodbank"
    items[0]["description"] = "New description from the council."
    feed = write_feed(tmp_path / "feed.json", items)
    report = run_import(db, feed, source="council")
    db.commit()
    assert report.ok
    conflicts = {(c.field, c.ours, c.feed, c.overwritten) for c in report.conflicts}
    assert conflicts == {
        ("name", "Lewisham Food Bank - Albion Way hall", "Lewisham Foodbank", False),
        ("minimum_age", "", "18", False),
    }
    assert any(
        line.startswith("conflict: service 5a1d3c0e") and "--overwrite" in line for line in report.lines()
    )
    db.expire_all()
    food = service(db, FOOD_BANK)
    assert (food.name, food.minimum_age) == ("Lewisham Food Bank - Albion Way hall", None)
    assert food.description == "New description from the council."  # not curated: the feed wins
    again = run_import(db, feed, source="council")
    assert len(again.conflicts) == 2  # still listed on the next run
    db.rollback()
    forced = run_import(db, feed, source="council", overwrite=True)
    db.commit()
    assert {(c.field, c.overwritten) for c in forced.conflicts} == {("name", True), ("minimum_age", True)}
    db.expire_all()
    food = service(db, FOOD_BANK)
    assert (food.name, food.minimum_age) == ("Lewisham Foodbank", 18)
    assert food.curated_fields == ["hours"]
    assert clear_curated(db, food) == []
    with pytest.raises(ValueError, match="not a field"):
        mark_curated(db, food, ["version"])


def test_a_dry_run_reports_but_writes_nothing(db: Session) -> None:
    report = run_import(db, FEED, source="council", dry_run=True)
    db.commit()
    assert report.ok
    assert report.summary() == "services: 3 created, 0 updated, 0 unchanged, 0 retired"
    assert "Dry run: nothing was saved." in list(report.lines())
    assert count(db, Service) == 0
    assert count(db, Location) == 0


def test_the_same_feed_under_another_source_is_another_set_of_records(db: Session) -> None:
    run_import(db, FEED, source="council")
    report = run_import(db, FEED, source="council-copy")
    db.commit()
    assert report.summary() == "services: 3 created, 0 updated, 0 unchanged, 0 retired"
    assert count(db, Service) == 6
    copy = db.scalar(
        select(Service).where(Service.source == "council-copy", Service.external_id == FOOD_BANK)
    )
    assert copy is not None
    assert copy.id != FOOD_BANK  # that id was taken


def test_mapping_a_term_gives_its_needs_on_the_next_import(db: Session) -> None:
    run_import(db, FEED, source="council")
    db.commit()
    row = set_mapping(
        db, "Lewisham categories", "LEW-FOOD-7", "Food vouchers", ["FOOD_ESSENTIALS", "INCOME_BENEFITS"]
    )
    db.commit()
    assert row.need_codes == ("FOOD_ESSENTIALS", "INCOME_BENEFITS")
    report = run_import(db, FEED, source="council")
    db.commit()
    assert report.unmapped == {}
    assert report.summary() == "services: 0 created, 1 updated, 2 unchanged, 0 retired"
    db.expire_all()
    assert service(db, FOOD_BANK).need_codes == ["INCOME_BENEFITS", "FOOD_ESSENTIALS"]
    assert [m.term for m in list_mappings(db, "lewisham categories")] == ["LEW-FOOD-7"]


def test_shipped_mappings_load_once_and_keep_curators_choices(db: Session) -> None:
    set_mapping(db, "Open Eligibility", "1120", "Emergency Food", ["NO_BED_TONIGHT"])
    added = load_seed_mappings(db)
    assert added > 80
    assert load_seed_mappings(db) == 0
    food = next(m for m in list_mappings(db, "open_eligibility") if m.term == "1120")
    assert food.need_codes == ("NO_BED_TONIGHT",)
    ignored = next(m for m in list_mappings(db, "open_eligibility") if m.term == "20003")
    assert ignored.need_codes == ()  # "Adults": deliberately mapped to nothing


def test_the_seed_command_loads_the_shipped_mappings(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "taxonomy mappings:" in result.output
    with app.app_context():
        from directory.db import get_session

        assert count(get_session(), TaxonomyMapping) > 80


def test_the_load_mappings_command_leaves_an_audit_record_like_a_mapping_edit(
    app: Flask, db: Session
) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["load-mappings"])
    assert result.exit_code == 0, result.output
    db.expire_all()
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "mapping.loaded")).one()
    assert event.actor_id is None
    assert event.actor_label.startswith("command line")
    assert event.changes["rows_added"]["after"] == count(db, TaxonomyMapping) > 80
    assert runner.invoke(args=["load-mappings"]).exit_code == 0  # nothing new: nothing to record
    assert len(db.scalars(select(AuditEvent).where(AuditEvent.action == "mapping.loaded")).all()) == 1


@pytest.mark.parametrize(
    "example",
    [
        DATA / "hsds3" / "examples" / "service_full.json",
        DATA / "oruk3" / "examples" / "service_full.json",
        DATA / "hsds3" / "examples" / "csv",
        DATA / "oruk3" / "examples" / "csv",
    ],
    ids=["hsds-json", "oruk-json", "hsds-datapackage", "oruk-csv-folder"],
)
def test_the_hsds_and_oruk_examples_import(db: Session, example: Path) -> None:
    report = run_import(db, example, source="example")
    db.commit()
    assert report.ok, list(report.lines())
    assert report.summary() == "services: 1 created, 0 updated, 0 unchanged, 0 retired"
    counselling = service(db, "ac148810-d857-441c-9679-408f346de14b")
    assert counselling.name == "Community Counselling"
    assert (counselling.minimum_age, counselling.maximum_age) == (12, 100)
    assert counselling.organization.name == "Example Organization Inc."
    lines = "\n".join(report.lines())
    assert "'ABC 1234' is outside the UK (country US)" in lines  # the example's US address: kept, not placed
    assert "the schedule ended on 2005-01-01" in lines


def test_a_saved_page_imports_but_retires_nothing(db: Session) -> None:
    run_import(db, FEED, source="example")
    report = run_import(db, DATA / "oruk3" / "examples" / "service_list.json", source="example")
    db.commit()
    assert report.ok
    assert report.summary() == "services: 1 created, 0 updated, 0 unchanged, 0 retired"
    assert "this is one page (1 of 10 services)" in "\n".join(report.lines())
    assert count(db, Service) == 4


def test_our_spreadsheet_template(db: Session) -> None:
    report = run_import(db, TEMPLATE, source="template")
    db.commit()
    assert report.ok, list(report.lines())
    assert report.summary() == "services: 3 created, 0 updated, 0 unchanged, 0 retired"
    housing = service(db, "example-housing-options")
    assert sorted(p.postcode for p in housing.locations) == [
        "SE6 4RU",
        "SE8 4RJ",
    ]  # a second row adds a place
    assert [(p.number, p.label, p.professional_only) for p in housing.phones] == [
        ("020 7946 0000", "Housing options", False),
        ("020 7946 0999", "Out of hours", False),
        ("020 7946 0555", "Duty to Refer line", True),
    ]
    assert housing.referral_routes == ["self", "professional", "drop_in"]
    assert [(s.weekday, s.drop_in) for s in housing.sessions] == [
        (0, False),
        (1, False),
        (2, False),
        (2, True),
        (3, False),
        (4, False),
    ]
    assert housing.exceptions[0].note == "Christmas Eve"
    assert housing.need_codes == ["NO_BED_TONIGHT", "HOUSING_RISK"]
    refuge = service(db, "example-refuge")
    assert refuge.always_open
    assert refuge.open_on_bank_holidays
    assert refuge.locations[0].confidential
    assert (refuge.capacity_status, refuge.wait_days, refuge.genders) == ("waiting_list", 3, ["female"])
    assert service(db, "example-debt-line").languages == ["en", "pl", "ur"]
    assert (
        run_import(db, TEMPLATE, source="template").summary()
        == "services: 0 created, 0 updated, 3 unchanged, 0 retired"
    )


def test_the_import_command(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", str(FEED), "--source", "council", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "services: 3 created, 0 updated, 0 unchanged, 0 retired" in result.output
    assert "Dry run: nothing was saved." in result.output
    assert "Reading..." in result.output  # not a terminal: plain lines, no bar
    result = runner.invoke(args=["import", str(FEED), "--source", "council"])
    assert result.exit_code == 0
    assert "services: 3 created" in result.output
    result = runner.invoke(args=["import", str(FEED), "--source", "council"])
    assert "services: 0 created, 0 updated, 3 unchanged, 0 retired" in result.output
    bad = write_feed(tmp_path / "bad.json", [{"id": "x"}])
    result = runner.invoke(args=["import", str(bad)])
    assert result.exit_code == 1
    assert "error: item 1 (service x): name: is missing" in result.output
    assert "Nothing was imported" in result.output
    result = runner.invoke(args=["import", str(FEED), "--source", "demo"])
    assert result.exit_code == 1
    assert "seeded demo directory" in result.output


def test_the_import_command_leaves_an_audit_record_like_an_upload(app: Flask, db: Session) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["import", str(FEED), "--source", "council", "--dry-run"]).exit_code == 0
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "import.applied")) is None  # saved nothing
    assert runner.invoke(args=["import", str(FEED), "--source", "council", "--overwrite"]).exit_code == 0
    db.expire_all()
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "import.applied")).one()
    assert event.object_label == f"council ({FEED.name})"
    assert event.actor_id is None
    assert event.actor_label.startswith("command line")
    assert event.changes["services"]["after"]["created"] == 3
    assert "overwrite" in event.reason
