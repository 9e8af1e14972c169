"""One import, start to finish: read, validate, then write all or nothing.

``run_import`` is the service function behind ``flask --app directory import`` and the curator's upload
screens. It never commits or rolls back; a dry run writes nothing at all. When the database refuses
the write, the report says so and is not ``ok``: the command or the request then rolls back.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from directory.feeds.apply import BulkWriter
from directory.feeds.mapping import load_seed_mappings
from directory.feeds.progress import NoProgress, Progress
from directory.feeds.readers import read_feed
from directory.feeds.report import ImportReport
from directory.feeds.validate import validate
from directory.models import TaxonomyMapping
from directory.seeding import SOURCE as DEMO_SOURCE
from directory.seeding import ensure_needs_taxonomy

DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
_SOURCE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


def default_source(path: Path) -> str:
    """A source name from the file name (``Lewisham feed.json`` -> ``lewisham-feed``)."""
    stem = path.name if path.is_dir() else path.stem
    if stem == "datapackage":
        stem = path.parent.name
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-")[:100] or "import"


def check_source(source: str) -> str | None:
    """Why ``source`` cannot be used, or None."""
    if not _SOURCE.match(source):
        return "a source is 1 to 100 lower-case letters, digits, dots, hyphens or underscores"
    if source == DEMO_SOURCE:
        return f"{DEMO_SOURCE!r} is the seeded demo directory; choose another source name"
    return None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, for the import command only.

    Big feeds allocate millions of small, acyclic objects that the collector would keep rescanning.
    The switch is for the whole process, so a web request (other threads) must never use it.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def run_import(
    session: Session,
    path: Path,
    *,
    source: str | None = None,
    dry_run: bool = False,
    overwrite: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    full_postcodes_file: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``path`` under ``source`` (default: from the file name) and report what happened."""
    progress = progress or NoProgress()
    source = source or default_source(path)
    report = ImportReport(source=source, dry_run=dry_run)
    problem = check_source(source)
    if problem:
        report.problems.error("", "--source", problem)
        return report
    feed = read_feed(path, max_bytes=max_bytes, progress=progress)
    report.kind, report.problems = feed.kind, feed.problems
    if not feed.services:
        return report
    ensure_needs_taxonomy(session)  # a freshly migrated, empty database: mappings point at the needs
    if not session.scalar(select(func.count()).select_from(TaxonomyMapping)):
        load_seed_mappings(session)
    # Validate every record even after reading errors, so one run reports every problem.
    report.unmapped = validate(session, feed, full_postcodes_file)
    if feed.problems.errors:
        return report
    progress.start("Writing", len(feed.services))
    try:
        BulkWriter(
            session, feed, source, report, overwrite=overwrite, dry_run=dry_run, progress=progress.advance
        ).run()
    except SQLAlchemyError as error:
        # The transaction is unusable now; whoever owns it (the command, the request) rolls it back.
        report.problems.error(
            "",
            "",
            f"the database refused the import, so nothing was saved: {error.__class__.__name__}: {str(error).splitlines()[0]}",
        )
        return report
    finally:
        progress.finish()
    report.applied = not dry_run
    return report
