"""``/healthz``: ready (200) only when the database answers and this process holds the search index."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from directory.db import make_engine
from directory.health.warm import warm
from directory.search import index
from directory.search.index import current_index

# Databases nobody listens for: a folder that does not exist, a port nothing serves on this machine.
UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-folder/directory.sqlite3",
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/directory?connect_timeout=2",
}


@pytest.fixture
def no_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as a worker that has built no index yet."""
    monkeypatch.setattr(index, "_cache", {})


def test_ready_once_the_index_is_built(client: FlaskClient, db: Session) -> None:
    current_index(db)
    response = client.get("/healthz")
    assert response.status_code == 200
    # Only these three facts: nothing about the directory's content, no person, no version.
    assert response.get_json() == {"ready": True, "database": True, "index": True}
    assert "Set-Cookie" not in response.headers


@pytest.mark.usefixtures("no_index")
def test_not_ready_before_the_index_is_built(client: FlaskClient, db: Session) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"ready": False, "database": True, "index": False}
    current_index(db)
    assert client.get("/healthz").status_code == 200


def test_not_ready_when_the_database_does_not_answer(
    app: Flask, client: FlaskClient, db: Session, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    current_index(db)
    away = make_engine(UNREACHABLE[backend])
    monkeypatch.setitem(app.extensions, "db_engine", away)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] is False
    assert response.get_json()["ready"] is False
    away.dispose()


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # warm() freezes what is alive for a server's lifetime; a test run is not one


@pytest.mark.usefixtures("no_index", "unfrozen")
def test_warm_builds_the_index_and_keeps_no_connection(app: Flask, client: FlaskClient) -> None:
    engine = app.extensions["db_engine"]
    assert client.get("/healthz").status_code == 503
    warm(app)
    assert engine.pool.checkedin() == 0  # nothing a forked worker could share with the master
    assert client.get("/healthz").status_code == 200
