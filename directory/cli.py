"""Command line: ``flask --app directory db upgrade | seed | check | setup``."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, inspect, select

from directory import migrate, quality
from directory.db import engine, get_session
from directory.feeds.mapping import load_seed_mappings
from directory.models import Service
from directory.seeding import SeedError, SeedReport, seed, seed_taxonomy

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")


@db_cli.command("upgrade")
@click.argument("revision", default="heads")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo("Database schema is up to date.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (e.g. base)."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database schema is at {revision}.")


def _print_report(report: SeedReport) -> None:
    kinds = sorted(set(report.created) | set(report.updated) | set(report.unchanged))
    for kind in kinds:
        click.echo(
            f"  {kind}: {report.created[kind]} created, {report.updated[kind]} updated, "
            f"{report.unchanged[kind]} unchanged"
        )


def _seed(*, demo: bool = True) -> None:
    session = get_session()
    try:
        report = seed(session) if demo else seed_taxonomy(session)
    except SeedError as error:
        session.rollback()
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException(
            f"{len(error.problems)} problem(s) in seeds/; nothing was loaded."
        ) from None
    mappings = load_seed_mappings(session)
    session.commit()
    click.echo(
        "Seeded the needs taxonomy and the demo directory:"
        if demo
        else "Seeded the needs taxonomy (no demo services):"
    )
    _print_report(report)
    click.echo(f"  taxonomy mappings: {mappings} added")


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load the needs taxonomy and the demo directory (idempotent)."""
    _seed()


@click.command("setup")
@click.option(
    "--empty",
    is_flag=True,
    help="No demo directory: only the needs taxonomy and the shipped taxonomy mappings, ready for `import`.",
)
@with_appcontext
def setup_command(empty: bool) -> None:
    """Migrate, and load the demo directory when the database has no services (--empty: never)."""
    migrate.upgrade(current_app.config["DATABASE_URL"])
    if empty:
        _seed(demo=False)
        return
    if get_session().scalar(select(func.count()).select_from(Service)):
        click.echo("Database ready (it already holds services; demo data not reloaded).")
        return
    _seed()


@click.command("check")
@with_appcontext
@click.option("--fail-on-problems", is_flag=True, help="Exit with status 1 when anything is found.")
def check_command(fail_on_problems: bool) -> None:
    """Report listings with missing hours, stale assured dates and unknown postcodes."""
    if "service" not in inspect(engine()).get_table_names():
        raise click.ClickException("The database has no schema yet: run `flask --app directory db upgrade`.")
    findings = quality.check(get_session(), date.today())
    titles = {
        "missing_hours": "Listings with no opening times",
        "stale": "Not verified for over a year (verify before use)",
        "due_review": "Due for review (not verified for 90 days)",
        "unknown_postcode": "Locations with unknown postcodes",
    }
    for kind, title in titles.items():
        rows = [f for f in findings if f.kind == kind]
        click.echo(f"{title}: {len(rows)}")
        for finding in rows:
            click.echo(f"  - {finding.name} ({finding.detail}) [{finding.record_id}]")
    if fail_on_problems and findings:
        raise SystemExit(1)
