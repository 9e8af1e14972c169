"""The fast row loader gives the matcher exactly what the ORM path gives."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.matching.bridge import candidate_services, service_option
from directory.matching.loading import load_options
from directory.models import Service
from directory.search.index import current_index


def test_load_options_matches_the_orm_for_every_demo_service(seeded_db: Session) -> None:
    ids = sorted(seeded_db.scalars(select(Service.id)))
    if not ids:
        pytest.skip("demo directory not loaded")
    expected = [service_option(s) for s in candidate_services(seeded_db, ids)]
    assert load_options(seeded_db, ids) == expected
    # With needs read from the search index the candidates were chosen from, as the bridge does.
    assert load_options(seeded_db, ids, current_index(seeded_db).need_codes) == expected
    assert load_options(seeded_db, []) == []
    assert load_options(seeded_db, ["no-such-id"]) == []
