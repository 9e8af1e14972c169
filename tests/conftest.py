"""Shared fixtures. Every database test runs on SQLite and on PostgreSQL.

- ``backend``: ``sqlite`` or ``postgresql`` (session-scoped, parametrised). PostgreSQL runs when
  ``TEST_DATABASE_URL`` is set (``.ci/run`` sets it) and skips otherwise. Each test session creates its
  own PostgreSQL databases (``dd_test_<random>_*``) and drops them at the end, so parallel runs do not
  collide.
- ``app`` / ``client`` / ``db``: an app on an empty, migrated database (the needs taxonomy loaded);
  every table except the taxonomy is emptied after each test, so tests may write freely.
- ``seeded_app`` / ``seeded_client`` / ``seeded_db``: an app on a database holding the whole demo
  directory, loaded once per backend. Treat it as read-only.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from directory import create_app, migrate
from directory.db import Base, get_session
from directory.seeding import seed, seed_taxonomy
from tests.append_only import APPEND_ONLY_TABLES, purge_append_only

BACKENDS = ("sqlite", "postgresql")
KEEP_TABLES = {"need", "alembic_version"}


class Databases:
    """Creates migrated databases for one backend and drops them at the end."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        self.folder = folder
        self.prefix = f"dd_test_{secrets.token_hex(4)}"
        self.created: list[str] = []

    def admin_url(self) -> str:
        return (
            make_url(os.environ["TEST_DATABASE_URL"])
            .set(drivername="postgresql+psycopg")
            .render_as_string(hide_password=False)
        )

    def create(self, name: str) -> str:
        if self.backend == "sqlite":
            url = f"sqlite:///{self.folder / f'{name}.sqlite3'}"
        else:
            database = f"{self.prefix}_{name}"
            engine = create_engine(self.admin_url(), isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{database}"'))
            engine.dispose()
            self.created.append(database)
            url = make_url(self.admin_url()).set(database=database).render_as_string(hide_password=False)
        migrate.upgrade(url)
        return url

    def drop_all(self) -> None:
        if not self.created:
            return
        engine = create_engine(self.admin_url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            for database in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend under test."""
    if request.param == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip(
            "PostgreSQL tests run when TEST_DATABASE_URL is set (e.g. postgresql://postgres@127.0.0.1/postgres)"
        )
    return str(request.param)


@pytest.fixture(scope="session")
def databases(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """Creates and finally drops this backend's test databases."""
    factory = Databases(backend, tmp_path_factory.mktemp(f"db-{backend}"))
    yield factory
    factory.drop_all()


def make_app(url: str, instance: Path, **extra: object) -> Flask:
    """An app for tests on ``url``."""
    config = {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": str(instance),
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
    }
    config.update(extra)
    return create_app(config)


@pytest.fixture(scope="session")
def empty_url(databases: Databases) -> str:
    """A migrated database holding only the needs taxonomy."""
    url = databases.create("empty")
    app = make_app(url, databases.folder / "instance-empty")
    with app.app_context():
        seed_taxonomy(get_session())
        get_session().commit()
    return url


@pytest.fixture(scope="session")
def seeded_url(databases: Databases) -> str:
    """A migrated database holding the whole demo directory."""
    url = databases.create("seeded")
    app = make_app(url, databases.folder / "instance-seeded")
    with app.app_context():
        seed(get_session())
        get_session().commit()
    return url


def _empty_tables(app: Flask) -> None:
    engine = app.extensions["db_engine"]
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in APPEND_ONLY_TABLES:
                purge_append_only(connection, table.name)
            elif table.name not in KEEP_TABLES:
                connection.execute(table.delete())


@pytest.fixture
def app(empty_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty database; emptied again after the test."""
    application = make_app(empty_url, tmp_path / "instance")
    yield application
    _empty_tables(application)
    application.extensions["db_engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the empty database, inside an app context (commit it yourself)."""
    with app.app_context():
        session = get_session()
        yield session
        session.close()  # requests in the test may have taken it off ``g``; close it all the same


@pytest.fixture
def seeded_app(seeded_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on the demo directory (read-only)."""
    application = make_app(seeded_url, tmp_path / "instance")
    yield application
    application.extensions["db_engine"].dispose()


@pytest.fixture
def seeded_client(seeded_app: Flask) -> FlaskClient:
    return seeded_app.test_client()


@pytest.fixture
def seeded_db(seeded_app: Flask) -> Iterator[Session]:
    """A session on the demo directory; rolled back at the end."""
    with seeded_app.app_context():
        session = get_session()
        yield session
        session.rollback()
