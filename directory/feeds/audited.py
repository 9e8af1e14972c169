"""Imports and mapping changes, each recorded in the audit log.

The curator's screens and the ``import`` command call these rather than the bare feed functions so
that every import and every mapping change has an audit event in the same transaction. None of them
commit.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy.orm import Session

from directory import audit
from directory.feeds.importer import default_source, run_import
from directory.feeds.mapping import (
    MappingRow,
    delete_mapping,
    list_mappings,
    load_seed_mappings,
    set_mapping,
)
from directory.feeds.progress import Progress
from directory.feeds.report import OUTCOMES, ImportReport
from directory.models import User
from directory.oruk.parse import taxonomy_key


def import_feed(
    session: Session,
    actor: User | None,
    path: Path,
    *,
    source: str | None,
    overwrite: bool,
    filename: str,
    max_bytes: int,
    full_postcodes_file: str = "",
    progress: Progress | None = None,
    actor_label: str | None = None,
) -> ImportReport:
    """Import for real (an upload or a file named on the command line); on success add an
    ``import.applied`` audit event. ``actor_label`` names who ran it when there is no signed-in user."""
    source = source or default_source(path)
    report = run_import(
        session,
        path,
        source=source,
        overwrite=overwrite,
        max_bytes=max_bytes,
        full_postcodes_file=full_postcodes_file,
        progress=progress,
    )
    if report.ok:
        audit.record(
            session,
            actor,
            "import.applied",
            "import",
            None,
            f"{source} ({filename})" if filename else source,
            changes={
                kind: {"before": None, "after": {o: counts[o] for o in OUTCOMES}}
                for kind, counts in sorted(report.counts.items())
            },
            reason="overwrite: the feed replaced curators' corrections" if overwrite else "",
            actor_label=actor_label,
        )
    return report


def counts_table(report: ImportReport) -> list[tuple[str, Counter[str]]]:
    """(kind, counts by outcome) for organisations, locations and services, in that order."""
    return [
        (kind, report.counts[kind])
        for kind in ("organisations", "locations", "services")
        if kind in report.counts
    ]


def find_mapping(session: Session, taxonomy: str, term: str) -> MappingRow | None:
    """The mapping of one term, or None."""
    key, term = taxonomy_key(taxonomy), term.strip()
    return next((row for row in list_mappings(session, key) if row.term == term), None)


def save_mapping(
    session: Session, actor: User, taxonomy: str, term: str, term_name: str, need_codes: list[str]
) -> MappingRow:
    """``set_mapping`` plus a ``mapping.changed`` audit event (need codes before and after)."""
    before = find_mapping(session, taxonomy, term)
    row = set_mapping(session, taxonomy, term, term_name, need_codes)
    after = {"term_name": row.term_name, "need_codes": list(row.need_codes)}
    old = {"term_name": before.term_name, "need_codes": list(before.need_codes)} if before else {}
    audit.record(
        session,
        actor,
        "mapping.changed" if before else "mapping.added",
        "taxonomy_mapping",
        None,
        f"{row.taxonomy} {row.term}",
        changes=audit.diff(old, after),
    )
    return row


def remove_mapping(session: Session, actor: User, taxonomy: str, term: str) -> int:
    """``delete_mapping`` plus a ``mapping.deleted`` audit event; returns rows removed."""
    before = find_mapping(session, taxonomy, term)
    removed = delete_mapping(session, taxonomy, term)
    if removed and before:
        audit.record(
            session,
            actor,
            "mapping.deleted",
            "taxonomy_mapping",
            None,
            f"{before.taxonomy} {before.term}",
            changes={"need_codes": {"before": list(before.need_codes), "after": None}},
        )
    return removed


def load_shipped_mappings(session: Session, actor: User | None, *, actor_label: str | None = None) -> int:
    """``load_seed_mappings`` plus a ``mapping.loaded`` audit event when it added any rows; returns
    how many. ``actor_label`` names who ran it when there is no signed-in user."""
    added = load_seed_mappings(session)
    if added:
        audit.record(
            session,
            actor,
            "mapping.loaded",
            "taxonomy_mapping",
            None,
            "shipped mappings (seeds/taxonomy_mappings/)",
            changes={"rows_added": {"before": None, "after": added}},
            actor_label=actor_label,
        )
    return added


def taxonomies(session: Session) -> list[tuple[str, int]]:
    """Each mapped taxonomy with how many terms it maps."""
    counted = Counter(row.taxonomy for row in list_mappings(session))
    return sorted(counted.items())
