"""An agency's or a curator's correction to an imported listing wins over the next import of the feed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.feeds.importer import run_import
from directory.listings.proposals import approve
from directory.listings.updates import Operational, update_operational
from directory.models import Service
from tests.accounts import factories

FEED = Path(__file__).parent / "data" / "feeds" / "council_feed.json"


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
