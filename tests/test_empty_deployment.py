"""An empty deployment (issue 14): a freshly migrated database with no demo data takes mappings and imports.

Each test gets its own newly migrated database (no needs taxonomy, no mappings, no services), on SQLite
and PostgreSQL, and drives the real commands.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from directory.db import get_session
from directory.models import AuditEvent, Need, Organization, Service, TaxonomyMapping
from tests.conftest import Databases, make_app

FEED = Path(__file__).parent / "data" / "feeds" / "council_feed.json"


@pytest.fixture
def fresh_app(databases: Databases, tmp_path: Path) -> Flask:
    """An app on a database that has just been migrated: not even the needs taxonomy."""
    url = databases.create(f"fresh_{secrets.token_hex(3)}")
    application = make_app(url, tmp_path / "instance")
    with application.app_context():
        assert _count(Need) == 0
    return application


def _count(model: type) -> int:
    return int(get_session().scalar(select(func.count()).select_from(model)) or 0)


def _counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        counts = {
            "needs": _count(Need),
            "mappings": _count(TaxonomyMapping),
            "services": _count(Service),
            "organisations": _count(Organization),
        }
        get_session().rollback()
        return counts


def test_load_mappings_on_a_freshly_migrated_database_loads_the_taxonomy_first(fresh_app: Flask) -> None:
    result = fresh_app.test_cli_runner().invoke(args=["load-mappings"])
    assert result.exit_code == 0, result.output
    assert "Loaded the needs taxonomy (24 needs)" in result.output
    counts = _counts(fresh_app)
    assert counts["needs"] == 24
    assert counts["mappings"] > 50
    assert counts["services"] == 0
    again = fresh_app.test_cli_runner().invoke(args=["load-mappings"])
    assert again.exit_code == 0
    assert "Added 0 taxonomy mapping row(s)." in again.output
    assert "Loaded the needs taxonomy" not in again.output


def test_import_on_a_freshly_migrated_database_works(fresh_app: Flask) -> None:
    result = fresh_app.test_cli_runner().invoke(args=["import", str(FEED), "--source", "council"])
    assert result.exit_code == 0, result.output
    assert "services: 3 created" in result.output
    counts = _counts(fresh_app)
    assert counts["needs"] == 24
    assert counts["services"] == 3
    with fresh_app.app_context():
        food = get_session().scalar(select(Service).where(Service.name.like("%ood%")))
        assert food is not None
        assert food.need_codes == ["FOOD_ESSENTIALS"]  # through the shipped mapping


def test_setup_empty_makes_a_ready_database_without_demo_services(fresh_app: Flask) -> None:
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["setup", "--empty"])
    assert result.exit_code == 0, result.output
    assert "no demo services" in result.output
    counts = _counts(fresh_app)
    assert counts["needs"] == 24
    assert counts["mappings"] > 50
    assert counts["services"] == counts["organisations"] == 0

    again = runner.invoke(args=["setup", "--empty"])  # idempotent
    assert again.exit_code == 0, again.output
    assert _counts(fresh_app) == counts

    imported = runner.invoke(args=["import", str(FEED), "--source", "council"])
    assert imported.exit_code == 0, imported.output
    assert _counts(fresh_app)["services"] == 3
    with fresh_app.app_context():
        assert get_session().scalar(select(func.count()).where(AuditEvent.action == "import.applied")) == 1

    plain = runner.invoke(args=["setup"])  # services exist now: the demo directory is not added
    assert plain.exit_code == 0
    assert _counts(fresh_app)["services"] == 3
