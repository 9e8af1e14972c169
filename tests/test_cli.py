"""The command line: seed, setup and check."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session

from directory import quality
from directory.seeding import seed

DATA = Path(__file__).parent / "data"


def test_check_reports_missing_hours_stale_listings_and_unknown_postcodes(app: Flask, db: Session) -> None:
    seed(db, demo_dir=DATA / "demo_small")
    from directory.models import Location

    db.add(Location(name="Typo House", postcode="ZZ9 9ZZ"))
    db.commit()
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 0
    assert "Listings with no opening times: 1" in result.output
    assert "Advice line with unknown hours" in result.output
    assert (
        "Not verified for over a year (verify before use): 2" in result.output
    )  # the refuge and the no-date line
    assert "Locations with unknown postcodes: 1" in result.output
    assert "Typo House" in result.output
    failing = app.test_cli_runner().invoke(args=["check", "--fail-on-problems"])
    assert failing.exit_code == 1


def test_stale_listings_are_oldest_first(db: Session) -> None:
    from datetime import date

    seed(db, demo_dir=DATA / "demo_small")
    findings = quality.stale_listings(db, date(2027, 6, 1))
    assert [f.name for f in findings] == ["Advice line with unknown hours", "Refuge", "Housing access point"]
    assert [f.kind for f in findings] == ["stale", "stale", "due_review"]


def test_seed_command_is_idempotent(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0
    assert "needs: 0 created, 0 updated, 24 unchanged" in second.output
    assert "services: 0 created, 0 updated," in second.output
