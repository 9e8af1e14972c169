"""While the database is away: a 503 retry page (JSON on the API), never a traceback page; once it is
back, the pool's pre-ping reconnects and pages work again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from directory.db import make_engine
from tests.cases import factories as make
from tests.cases.conftest import World, client_for
from tests.conftest import Databases


@contextmanager
def postgresql_away(databases: Databases, url: str) -> Iterator[None]:
    """Refuse new connections to the app's database and cut the ones it has, then let it back."""
    name = make_url(url).database
    admin = create_engine(databases.admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


def _unavailable(app: Flask, practitioner: FlaskClient) -> None:
    for response in (
        app.test_client().get("/package"),
        app.test_client().post("/package", data=make.PACKAGE_FORM),
        practitioner.post("/cases/new", data=make.PACKAGE_FORM),
    ):
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "Sorry, the service is unavailable" in page
        assert "Try again in a minute" in page
        assert "Traceback" not in page
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in response.headers
    api = app.test_client().get("/api/v1/services")
    assert api.status_code == 503
    assert api.get_json()["error"]["status"] == 503


def test_pages_are_a_503_retry_page_while_the_database_is_away_then_work_again(
    app: Flask,
    world: World,
    backend: str,
    databases: Databases,
    tmp_path: Path,
    db: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production
    practitioner = client_for(app, world.pat)
    assert practitioner.post("/cases/new", data=make.PACKAGE_FORM).status_code == 200  # the pool is warm
    db.close()
    if backend == "postgresql":
        with postgresql_away(databases, app.config["DATABASE_URL"]):
            _unavailable(app, practitioner)
    else:  # SQLite has no server to lose: an engine on a file that cannot be opened stands in
        with monkeypatch.context() as patch:
            gone = make_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}")
            patch.setitem(app.extensions, "db_engine", gone)
            patch.setitem(app.extensions, "db_sessionmaker", sessionmaker(gone))
            _unavailable(app, practitioner)
    assert app.test_client().get("/package").status_code == 200
    assert practitioner.post("/cases/new", data=make.PACKAGE_FORM).status_code == 200


@pytest.mark.parametrize("path", ["/package", "/api/v1/services"])
def test_connections_cut_under_the_app_are_replaced_unseen(
    app: Flask, world: World, backend: str, databases: Databases, db: Session, path: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has no server connections to cut")
    client = app.test_client()
    assert client.get(path).status_code == 200
    db.close()
    name = make_url(app.config["DATABASE_URL"]).database
    admin = create_engine(databases.admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        cut = connection.execute(
            text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :name"),
            {"name": name},
        ).scalar()
    admin.dispose()
    assert cut
    assert client.get(path).status_code == 200
