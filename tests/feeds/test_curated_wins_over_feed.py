"""An agency's or a curator's correction to an imported listing wins over the next import of the feed."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.feeds.importer import run_import
from directory.listings.fields import FIELDS
from directory.listings.proposals import CURATED_AS, approve, edit_directly
from directory.listings.updates import Operational, add_exception, update_operational, update_schedule
from directory.models import Service
from directory.oruk.records import CURATABLE_FIELDS
from tests.auth import factories

FEED = Path(__file__).parents[1] / "data" / "feeds" / "council_feed.json"


def test_agency_and_curator_corrections_survive_a_reimport(db: Session) -> None:
    assert run_import(db, FEED, source="council").ok
    db.commit()
    service = db.scalars(select(Service).where(Service.source == "council").order_by(Service.id)).first()
    assert service is not None
    feed_description = service.description
    curator = factories.user(db, "curator")
    editor = factories.user(db, "editor", organisations=[service.organization])

    update_operational(db, editor, service, service.version, Operational("at_capacity", None, False, ""))
    change = factories.proposal(db, service, editor, description="Corrected by the agency.")
    approve(db, curator, change)
    db.commit()
    assert {"capacity_status", "description"} <= set(service.curated_fields)

    report = run_import(db, FEED, source="council")
    db.commit()
    assert report.ok
    db.refresh(service)
    assert service.capacity_status == "at_capacity"
    assert service.description == "Corrected by the agency."
    assert service.description != feed_description
    assert {c.field for c in report.conflicts if c.service_name == service.name} >= {"description"}


@pytest.mark.parametrize("how", ["approved proposal", "curator's direct edit"])
def test_a_curated_catchment_survives_a_reimport_of_a_changed_record(
    db: Session, tmp_path: Path, how: str
) -> None:
    assert run_import(db, FEED, source="council").ok
    db.commit()
    service = db.scalars(select(Service).where(Service.source == "council").order_by(Service.id)).first()
    assert service is not None
    feed_catchment = (service.catchment_type, service.catchment_areas)
    assert feed_catchment != ("gp", ["SE6"])
    curator = factories.user(db, "curator")
    editor = factories.user(db, "editor", organisations=[service.organization])
    corrected = {"catchment_type": "gp", "catchment_areas": ["SE6"], "cohorts": ["veteran"]}
    if how == "approved proposal":
        approve(db, curator, factories.proposal(db, service, editor, **corrected))
    else:
        edit_directly(db, curator, service, service.version, corrected)
    db.commit()
    assert {"catchment_type", "catchment_areas", "cohorts"} <= set(service.curated_fields)

    # The feed's record changes (so it is compared field by field), still with its own catchment.
    records = json.loads(FEED.read_text())
    record = next(r for r in records if r["id"] == service.external_id)
    record["description"] = "New words from the council."
    changed = tmp_path / "council_feed.json"
    changed.write_text(json.dumps(records))
    report = run_import(db, changed, source="council")
    db.commit()
    assert report.ok
    db.refresh(service)
    assert service.description == "New words from the council."  # the feed still updates the rest
    assert (service.catchment_type, service.catchment_areas) == ("gp", ["SE6"])
    assert service.cohorts == ["veteran"]


def test_an_agencys_opening_times_and_dated_closures_survive_a_reimport_of_a_changed_record(
    db: Session, tmp_path: Path
) -> None:
    assert run_import(db, FEED, source="council").ok
    db.commit()
    service = db.scalars(select(Service).where(Service.source == "council").order_by(Service.id)).first()
    assert service is not None
    editor = factories.user(db, "editor", organisations=[service.organization])
    update_schedule(
        db,
        editor,
        service,
        service.version,
        always_open=False,
        open_on_bank_holidays=False,
        sessions=[(2, time(10), time(14), True)],
    )
    add_exception(db, editor, service, day=date(2026, 12, 24), closed=True, opens=None, closes=None, note="")
    db.commit()
    assert "hours" in service.curated_fields

    records = json.loads(FEED.read_text())
    record = next(r for r in records if r["id"] == service.external_id)
    record["description"] = "New words from the council."
    changed = tmp_path / "council_feed.json"
    changed.write_text(json.dumps(records))
    report = run_import(db, changed, source="council")
    db.commit()
    assert report.ok
    db.refresh(service)
    assert service.description == "New words from the council."
    assert [(s.weekday, s.opens_at, s.closes_at, s.drop_in) for s in service.sessions] == [
        (2, time(10), time(14), True)
    ]
    assert (date(2026, 12, 24), True) in [(e.day, e.closed) for e in service.exceptions]


def test_every_descriptive_field_is_one_a_feed_import_knows() -> None:
    assert {CURATED_AS.get(name, name) for name in FIELDS} <= set(CURATABLE_FIELDS)
