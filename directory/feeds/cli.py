"""``flask --app directory import FILE`` and ``flask --app directory export --format ...``."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from directory.db import get_session
from directory.feeds.audited import import_feed, load_shipped_mappings
from directory.feeds.export import FORMATS, write_datapackage, write_oruk, write_spreadsheet
from directory.feeds.importer import DEFAULT_MAX_BYTES, collector_paused, run_import
from directory.seeding import ensure_needs_taxonomy


class TerminalProgress:
    """A click progress bar per stage when output is a terminal; one line per stage otherwise."""

    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.bar: Any = None

    def start(self, label: str, total: int | None) -> None:
        self.finish()
        if self.tty:
            self.bar = click.progressbar(length=total or 0, label=label.ljust(8), file=sys.stderr)
            self.bar.__enter__()
        else:
            click.echo(f"{label}...")

    def advance(self, amount: int) -> None:
        if self.bar is not None:
            self.bar.update(amount)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--source", help="Name of the feed; records match by source + id (default: from the file name)."
)
@click.option("--dry-run", is_flag=True, help="Check and report what would change; save nothing.")
@click.option("--overwrite", is_flag=True, help="Let the feed replace fields a curator corrected by hand.")
@with_appcontext
def import_command(file: Path, source: str | None, dry_run: bool, overwrite: bool) -> None:
    """Import an Open Referral UK / HSDS 3.0 JSON file, an HSDS data package, or our spreadsheet (CSV)."""
    session = get_session()
    options: dict[str, Any] = {
        "source": source,
        "overwrite": overwrite,
        "max_bytes": int(current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)),
        "full_postcodes_file": current_app.config.get("FULL_POSTCODES_FILE", ""),
        "progress": TerminalProgress(sys.stderr.isatty()),
    }
    with collector_paused():
        if dry_run:
            report = run_import(session, file, dry_run=True, **options)
        else:  # audited like an upload through the import screens
            report = import_feed(session, None, file, filename=file.name, actor_label=operator(), **options)
    if report.ok and not dry_run:
        session.commit()
    else:
        session.rollback()
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        sys.exit(1)


def operator() -> str:
    """Who ran a command, for the audit log: the operating-system account."""
    try:
        return f"command line ({getpass.getuser()})"
    except (OSError, KeyError):  # no name for this user id (some containers)
        return "command line"


@click.command("export")
@click.option(
    "--format", "kind", type=click.Choice(FORMATS), required=True, help="oruk (JSON), datapackage or csv."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File (or folder / .zip for a data package); default stdout.",
)
@with_appcontext
def export_command(kind: str, output: Path | None) -> None:
    """Export the directory (confidential addresses and professional-only phones are never included)."""
    session = get_session()
    if kind == "datapackage":
        if output is None:
            raise click.UsageError("a data package needs -o FOLDER or -o FILE.zip")
        count = write_datapackage(session, output)
    else:
        writer = write_oruk if kind == "oruk" else write_spreadsheet
        if output is None:
            count = writer(session, sys.stdout)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = writer(session, handle)
    session.rollback()
    click.echo(f"Exported {count} services as {kind}{f' to {output}' if output else ''}.", err=True)


@click.command("load-mappings")
@with_appcontext
def load_mappings_command() -> None:
    """Load the shipped taxonomy mappings (seeds/taxonomy_mappings/) that are not there yet."""
    session = get_session()
    needs = ensure_needs_taxonomy(session)  # the mappings point at need codes
    added = load_shipped_mappings(session, None, actor_label=operator())  # audited like a web edit
    session.commit()
    if needs:
        click.echo(f"Loaded the needs taxonomy ({needs} needs): the database had none.")
    click.echo(f"Added {added} taxonomy mapping row(s).")
