"""The taxonomy mapping: terms of other taxonomies (Open Eligibility, LGA/esd, a feed's own) -> need codes.

Service functions for the CLI and the curator screens; none of them commit.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from directory.models import Need, TaxonomyMapping
from directory.oruk.parse import taxonomy_key
from directory.oruk.records import TermRef
from directory.seeding import SEEDS_DIR

MAPPINGS_DIR = SEEDS_DIR / "taxonomy_mappings"


class MappingError(ValueError):
    """A mapping that cannot be saved; the message says why."""


@dataclass(frozen=True)
class MappingRow:
    taxonomy: str
    term: str
    term_name: str
    need_codes: tuple[str, ...]  # empty: deliberately mapped to nothing


def read_mapping_file(path: Path) -> list[MappingRow]:
    """Rows of a mapping CSV (``taxonomy,term,term_name,need_codes`` with codes separated by ``;``)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [
            MappingRow(
                taxonomy_key(row["taxonomy"]),
                row["term"].strip(),
                row.get("term_name", "").strip(),
                tuple(c.strip() for c in (row.get("need_codes") or "").split(";") if c.strip()),
            )
            for row in csv.DictReader(handle)
        ]


def load_seed_mappings(session: Session, directory: Path = MAPPINGS_DIR) -> int:
    """Add the shipped starting mappings that are not there yet; returns how many rows were added.

    Terms a curator has already mapped (any row for the same taxonomy and term) are left alone.
    """
    existing = {
        (t, term) for t, term in session.execute(select(TaxonomyMapping.taxonomy, TaxonomyMapping.term))
    }
    added = 0
    for path in sorted(directory.glob("*.csv")):
        for row in read_mapping_file(path):
            if (row.taxonomy, row.term) in existing:
                continue
            for code in row.need_codes or (None,):
                session.add(
                    TaxonomyMapping(
                        taxonomy=row.taxonomy, term=row.term, term_name=row.term_name, need_code=code
                    )
                )
                added += 1
            existing.add((row.taxonomy, row.term))
    session.flush()
    return added


def list_mappings(session: Session, taxonomy: str | None = None) -> list[MappingRow]:
    """Every mapped term (one row per term, its need codes together), by taxonomy then term."""
    query = select(TaxonomyMapping).order_by(
        TaxonomyMapping.taxonomy, TaxonomyMapping.term, TaxonomyMapping.need_code
    )
    if taxonomy:
        query = query.where(TaxonomyMapping.taxonomy == taxonomy_key(taxonomy))
    grouped: dict[tuple[str, str], list[TaxonomyMapping]] = defaultdict(list)
    for row in session.scalars(query):
        grouped[(row.taxonomy, row.term)].append(row)
    return [
        MappingRow(t, term, rows[0].term_name, tuple(r.need_code for r in rows if r.need_code))
        for (t, term), rows in grouped.items()
    ]


def set_mapping(
    session: Session, taxonomy: str, term: str, term_name: str, need_codes: list[str]
) -> MappingRow:
    """Map a term to these need codes (none: deliberately unmapped), replacing what it mapped to."""
    key, term = taxonomy_key(taxonomy), term.strip()
    if not key or not term:
        raise MappingError("Enter the taxonomy and the term")
    known = set(session.scalars(select(Need.code)))
    unknown = [c for c in need_codes if c not in known]
    if unknown:
        raise MappingError(f"Unknown need code(s): {', '.join(unknown)}")
    session.execute(
        delete(TaxonomyMapping).where(TaxonomyMapping.taxonomy == key, TaxonomyMapping.term == term)
    )
    codes = tuple(dict.fromkeys(need_codes))
    for code in codes or (None,):
        session.add(TaxonomyMapping(taxonomy=key, term=term, term_name=term_name.strip(), need_code=code))
    session.flush()
    return MappingRow(key, term, term_name.strip(), codes)


def delete_mapping(session: Session, taxonomy: str, term: str) -> int:
    """Forget a term's mapping (it will be reported as unmapped again); returns rows removed."""
    result = session.execute(
        delete(TaxonomyMapping).where(
            TaxonomyMapping.taxonomy == taxonomy_key(taxonomy), TaxonomyMapping.term == term
        )
    )
    session.flush()
    # Session.execute is typed as returning Result even for DML; a DELETE's is a CursorResult.
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


class MappingIndex:
    """Looks terms up by code, then by name (the last part of a ``A > B`` path), case-insensitively."""

    def __init__(self, session: Session) -> None:
        self.by_term: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
        for taxonomy, term, name, code in session.execute(
            select(
                TaxonomyMapping.taxonomy,
                TaxonomyMapping.term,
                TaxonomyMapping.term_name,
                TaxonomyMapping.need_code,
            )
        ):
            found = {code} if code else set()
            self.by_term[(taxonomy, term.lower())] |= found
            if name:
                self.by_name[(taxonomy, name.split(">")[-1].strip().lower())] |= found

    def needs(self, ref: TermRef) -> set[str] | None:
        """The need codes a term maps to (maybe none), or None when the term is not in the table."""
        for table, text in ((self.by_term, ref.term), (self.by_name, ref.name), (self.by_name, ref.term)):
            key = (ref.taxonomy, text.strip().lower())
            if text and key in table:
                return table[key]
        return None
