"""Fixtures and helpers for the search tests: the small search directory (tests/data/search).

``search_db`` / ``search_client`` share one database per backend, seeded once and read-only, so the
many read-only search tests do not reseed; tests that change the directory use ``db`` and
``load_search_directory`` instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.db import get_session
from directory.models import Service
from directory.seeding import seed
from tests.conftest import Databases, make_app

SEARCH_DATA = Path(__file__).parents[1] / "data" / "search"


def load_search_directory(db: Session) -> dict[str, Service]:
    """Seed tests/data/search and commit; services by their seed slug."""
    seed(db, demo_dir=SEARCH_DATA)
    db.commit()
    return {s.external_id or "": s for s in db.scalars(select(Service))}


_created: dict[str, str] = {}  # one database per backend, however many modules import the fixture


@pytest.fixture(scope="session")
def search_url(databases: Databases) -> str:
    """A migrated database holding the search directory (read-only)."""
    if databases.prefix + databases.backend in _created:
        return _created[databases.prefix + databases.backend]
    url = databases.create("search")
    app = make_app(url, databases.folder / "instance-search")
    with app.app_context():
        seed(get_session(), demo_dir=SEARCH_DATA)
        get_session().commit()
    app.extensions["db_engine"].dispose()
    _created[databases.prefix + databases.backend] = url
    return url


@pytest.fixture
def search_app(search_url: str, tmp_path: Path) -> Iterator[Flask]:
    application = make_app(search_url, tmp_path / "instance")
    yield application
    application.extensions["db_engine"].dispose()


@pytest.fixture
def search_client(search_app: Flask) -> FlaskClient:
    return search_app.test_client()


@pytest.fixture
def search_db(search_app: Flask) -> Iterator[Session]:
    """A session on the search directory; rolled back at the end."""
    with search_app.app_context():
        session = get_session()
        yield session
        session.rollback()


@pytest.fixture
def directory(search_db: Session) -> dict[str, Service]:
    """The search directory's services by seed slug."""
    return {s.external_id or "": s for s in search_db.scalars(select(Service))}
