"""Inclusion criteria travel through the spreadsheet (``requires_needs``: ``;`` between groups, ``|``
between alternatives) and through ORUK (a ``requires_needs`` attribute per group), both ways."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.feeds.export import write_oruk, write_spreadsheet
from directory.feeds.importer import run_import
from directory.feeds.spreadsheet import TEMPLATE_COLUMNS
from directory.models import Service
from directory.oruk import vocab
from directory.seeding import seed_taxonomy
from tests.conftest import _empty_tables
from tests.hsds import errors, oruk

DUAL = [["SUBST_DRUGS", "SUBST_ALCOHOL"], ["MH_SEVERE"]]


def sheet(tmp_path: Path, **rows: str) -> Path:
    """A spreadsheet with one service per keyword: service id -> its ``requires_needs`` cell."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TEMPLATE_COLUMNS)
    writer.writeheader()
    for key, cell in rows.items():
        writer.writerow(
            dict.fromkeys(TEMPLATE_COLUMNS, "")
            | {
                "organisation": "Example NHS Trust",
                "service_id": key,
                "service": key.replace("-", " ").title(),
                "needs": "SUBST_DRUGS; SUBST_ALCOHOL; MH_SEVERE",
                "referral_routes": "professional",
                "requires_needs": cell,
            }
        )
    path = tmp_path / "services.csv"
    path.write_text(out.getvalue())
    return path


def criteria(db: Session) -> dict[str, list[list[str]]]:
    db.expire_all()
    return {s.external_id or "": s.requires_needs for s in db.scalars(select(Service))}


def test_the_spreadsheet_column_imports_and_exports(db: Session, tmp_path: Path) -> None:
    seed_taxonomy(db)
    path = sheet(tmp_path, dual=" subst_drugs | SUBST_ALCOHOL ;MH_SEVERE ", anyone="")
    report = run_import(db, path, source="sheet")
    assert report.ok, list(report.lines())
    db.commit()
    assert criteria(db) == {"dual": DUAL, "anyone": []}
    out = io.StringIO()
    write_spreadsheet(db, out)
    cells = {r["service_id"]: r["requires_needs"] for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert cells == {"dual": "SUBST_DRUGS|SUBST_ALCOHOL; MH_SEVERE", "anyone": ""}
    again = run_import(db, path, source="sheet")
    assert again.summary() == "services: 0 created, 0 updated, 2 unchanged, 0 retired"


def test_an_unknown_code_is_an_error_on_its_row(db: Session, tmp_path: Path) -> None:
    seed_taxonomy(db)
    report = run_import(
        db, sheet(tmp_path, fine="LD", wrong="SUBST_DRUGS|NOT_A_NEED; MH_SEVERE"), source="sheet"
    )
    lines = "\n".join(report.lines())
    assert not report.ok
    assert "row 3" in lines
    assert "requires_needs" in lines
    assert "unknown need code 'NOT_A_NEED'" in lines
    assert "row 2" not in lines


def oruk_export(db: Session) -> list[dict[str, Any]]:
    out = io.StringIO()
    write_oruk(db, out)
    return json.loads(out.getvalue())


def test_oruk_carries_one_attribute_per_group_and_reads_it_back(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    seed_taxonomy(db)
    assert run_import(db, sheet(tmp_path, dual="SUBST_DRUGS|SUBST_ALCOHOL; MH_SEVERE"), source="sheet").ok
    db.commit()
    [exported] = oruk_export(db)
    assert errors(oruk("service"), exported) == []
    values = [
        a["value"]
        for a in exported["attributes"]
        if a["taxonomy_term"]["code"] == "requires_needs"
        and a["taxonomy_term"]["taxonomy"] == vocab.FIELDS_TAXONOMY
    ]
    assert values == ["SUBST_DRUGS|SUBST_ALCOHOL", "MH_SEVERE"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps([exported]))
    db.rollback()
    _empty_tables(app)
    seed_taxonomy(db)
    assert run_import(db, path, source="oruk").ok
    db.commit()
    assert list(criteria(db).values()) == [DUAL]


def test_oruk_refuses_an_unknown_code(app: Flask, db: Session, tmp_path: Path) -> None:
    seed_taxonomy(db)
    assert run_import(db, sheet(tmp_path, dual="SUBST_DRUGS; MH_SEVERE"), source="sheet").ok
    db.commit()
    [exported] = oruk_export(db)
    for attribute in exported["attributes"]:
        if attribute["taxonomy_term"]["code"] == "requires_needs":
            attribute["value"] = attribute["value"].replace("MH_SEVERE", "MH_VERY")
    path = tmp_path / "export.json"
    path.write_text(json.dumps([exported]))
    report = run_import(db, path, source="oruk")
    assert not report.ok
    assert "unknown need code 'MH_VERY'" in "\n".join(report.lines())
