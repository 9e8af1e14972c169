"""Exports: valid HSDS 3.0 / ORUK, nothing confidential, and round trips that give the same data."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.feeds.export import package_descriptor, write_datapackage, write_oruk, write_spreadsheet
from directory.feeds.importer import run_import
from directory.feeds.spreadsheet import TEMPLATE_COLUMNS
from directory.models import Location, Service
from directory.seeding import seed
from tests.conftest import _empty_tables
from tests.hsds import errors, hsds, oruk

DATA = Path(__file__).parents[1] / "data"
TEMPLATE = Path(__file__).parents[2] / "seeds" / "import_template.csv"
SECRETS = ("020 8314 0000", "020 7946 0555", "020 7946 0777")  # professional-only lines in the test data


@pytest.fixture
def directory(db: Session) -> Session:
    """Demo listings (a refuge at a confidential place, a professionals' line), a council feed and our template."""
    seed(db, demo_dir=DATA / "demo_small")
    assert run_import(db, DATA / "feeds" / "council_feed.json", source="council").ok
    assert run_import(db, TEMPLATE, source="template").ok
    db.commit()
    return db


def oruk_export(db: Session) -> list[dict[str, Any]]:
    out = io.StringIO()
    write_oruk(db, out)
    return json.loads(out.getvalue())


def without_timestamps(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k != "last_modified"} for item in items]


def confidential_things(db: Session) -> list[str]:
    places = db.scalars(select(Location).where(Location.confidential.is_(True))).all()
    assert places
    return [p.id for p in places] + [p.external_id or "" for p in places]


def empty_and_reimport(app: Flask, db: Session, path: Path) -> None:
    db.rollback()
    _empty_tables(app)
    report = run_import(db, path, source="round-trip")
    assert report.ok, list(report.lines())
    db.commit()
    db.expire_all()


def test_oruk_export_is_valid_hsds_and_oruk_and_holds_nothing_confidential(directory: Session) -> None:
    exported = oruk_export(directory)
    assert len(exported) == 9
    for item in exported:
        assert errors(hsds("service"), item) == []
        assert errors(oruk("service"), item) == []
    text = json.dumps(exported)
    for secret in (*SECRETS, *confidential_things(directory)):
        assert secret not in text
    refuges = [s for s in exported if "refuge" in s["name"].lower()]
    assert len(refuges) == 2
    assert all(s["service_at_locations"] == [] for s in refuges)


def test_oruk_round_trip_gives_the_same_data(app: Flask, directory: Session, tmp_path: Path) -> None:
    first = oruk_export(directory)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(first))
    empty_and_reimport(app, directory, path)
    assert without_timestamps(oruk_export(directory)) == without_timestamps(first)


def test_datapackage_export_follows_the_hsds_descriptor_and_round_trips(
    app: Flask, directory: Session, tmp_path: Path
) -> None:
    first = oruk_export(directory)
    target = tmp_path / "package"
    assert write_datapackage(directory, target) == 9
    descriptor = json.loads((target / "datapackage.json").read_text())
    assert descriptor == package_descriptor()
    for resource in descriptor["resources"]:
        with (target / resource["path"]).open(newline="") as handle:
            assert next(csv.reader(handle)) == [f["name"] for f in resource["schema"]["fields"]]
    everything = "".join(p.read_text() for p in target.iterdir())
    for secret in (*SECRETS, *confidential_things(directory)):
        assert secret not in everything
    terms = list(csv.DictReader((target / "taxonomy_terms.csv").open()))
    assert len(terms) == 24 + 15  # needs, then our fields (vocab.FIELDS)
    empty_and_reimport(app, directory, target)
    assert without_timestamps(oruk_export(directory)) == without_timestamps(first)


def test_datapackage_export_as_a_zip_imports(app: Flask, directory: Session, tmp_path: Path) -> None:
    first = oruk_export(directory)
    target = tmp_path / "package.zip"
    write_datapackage(directory, target)
    with zipfile.ZipFile(target) as archive:
        assert "datapackage.json" in archive.namelist()
        assert "services.csv" in archive.namelist()
    empty_and_reimport(app, directory, target)
    assert without_timestamps(oruk_export(directory)) == without_timestamps(first)


def test_spreadsheet_export_round_trips_and_keeps_professional_lines_out(
    app: Flask, directory: Session, tmp_path: Path
) -> None:
    out = io.StringIO()
    assert write_spreadsheet(directory, out) == 9
    text = out.getvalue()
    assert text.splitlines()[0] == ",".join(TEMPLATE_COLUMNS)
    for secret in SECRETS:
        assert secret not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    housing = [r for r in rows if r["service_id"] == "example-housing-options"]
    assert [r["postcode"] for r in housing] == ["SE6 4RU", "SE8 4RJ"]
    assert all(
        r["postcode"] != "SE13" for r in rows if r["service_id"] in ("example-refuge", "test-refuge-service")
    )
    path = tmp_path / "export.csv"
    path.write_text(text)
    empty_and_reimport(app, directory, path)
    again = io.StringIO()
    write_spreadsheet(directory, again)
    assert again.getvalue() == text


def test_the_export_command(app: Flask, directory: Session, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "--format", "oruk", "-o", str(tmp_path / "out" / "feed.json")])
    assert result.exit_code == 0, result.output
    assert "Exported 9 services as oruk" in result.output
    assert len(json.loads((tmp_path / "out" / "feed.json").read_text())) == 9
    result = runner.invoke(args=["export", "--format", "csv"])
    assert result.stdout.startswith("organisation_id,organisation,")
    result = runner.invoke(args=["export", "--format", "datapackage"])
    assert result.exit_code == 2
    assert "needs -o" in result.output
    result = runner.invoke(args=["export", "--format", "pdf"])
    assert result.exit_code == 2


def test_the_demo_directory_round_trips(seeded_app: Flask, seeded_db: Session, tmp_path: Path) -> None:
    """On the real demo directory, when it is loaded (export, then import into another database)."""
    if not seeded_db.scalar(select(Service.id).limit(1)):
        pytest.skip("demo directory not loaded")
    first = oruk_export(seeded_db)
    for item in first:
        assert errors(oruk("service"), item) == []
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(first))
    report = run_import(seeded_db, path, source="demo-copy", dry_run=True)
    assert report.ok, list(report.lines())
    assert report.summary() == f"services: {len(first)} created, 0 updated, 0 unchanged, 0 retired"


FORMULAS = {
    "alert": '=HYPERLINK("http://example.com/x","Click")',
    "how_to_refer": "+44 20 7946 0000, then press 1",
    "eligibility_summary": "-1+1",
    "cost": "@SUM(A1:A9)",
    "description": "=1+1 is two",
}


def test_spreadsheet_export_writes_no_formulas_and_reads_back_the_same(
    app: Flask, directory: Session, tmp_path: Path
) -> None:
    service = directory.scalars(select(Service).where(Service.external_id == "example-housing-options")).one()
    for field, value in FORMULAS.items():
        setattr(service, field, value)
    directory.commit()
    out = io.StringIO()
    write_spreadsheet(directory, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    cells = [value for row in rows for value in row.values()]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    housing = next(r for r in rows if r["service_id"] == "example-housing-options")
    assert housing["alert"] == "'" + FORMULAS["alert"]  # shown as text by a spreadsheet
    path = tmp_path / "export.csv"
    path.write_text(out.getvalue())
    empty_and_reimport(app, directory, path)
    again = directory.scalars(select(Service).where(Service.external_id == "example-housing-options")).one()
    assert {field: getattr(again, field) for field in FORMULAS} == FORMULAS
