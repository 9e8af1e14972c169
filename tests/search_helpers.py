"""Helpers for the search tests: load the small search directory and look services up by slug."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Service
from directory.seeding import seed

SEARCH_DATA = Path(__file__).parent / "data" / "search"


def load_search_directory(db: Session) -> dict[str, Service]:
    """Seed tests/data/search and commit; services by their seed slug."""
    seed(db, demo_dir=SEARCH_DATA)
    db.commit()
    return {s.external_id or "": s for s in db.scalars(select(Service))}
