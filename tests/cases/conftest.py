"""Fixtures for the case tests: a small directory, two teams and their practitioners."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from directory.models import Service, User
from tests.auth.factories import sign_in
from tests.cases import factories as make
from tests.cases.form_world import FormWorld, build_form_world

CASE_URL = re.compile(r"^/cases/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass
class World:
    services: dict[str, Service]
    pat: User  # Lewisham custody
    sam: User  # Lewisham custody, same team as Pat
    kim: User  # Manchester court: another team


@pytest.fixture
def world(app: Flask, db: Session) -> Iterator[World]:
    """The directory and the people. Afterwards the test's session is closed: requests share the app
    context and take it from ``g``, so a session the test reads with afterwards is no longer there to
    be closed, and PostgreSQL's TRUNCATE at clean-up would wait for its open transaction."""
    services = make.directory(db)
    built = World(
        services=services,
        pat=make.team_member(db, "Lewisham custody", "pat@example.org"),
        sam=make.team_member(db, "Lewisham custody", "sam@example.org"),
        kim=make.team_member(db, "Manchester court", "kim@example.org"),
    )
    db.commit()
    yield built
    db.close()


@pytest.fixture
def form_world(app: Flask, db: Session, world: World) -> FormWorld:
    """Every page with a form and a client that may use it (tests/cases/form_world.py)."""
    return build_form_world(app, db, world)


def client_for(app: Flask, user: User | None) -> FlaskClient:
    client = app.test_client()
    return sign_in(client, user) if user is not None else client


def open_case_over_http(client: FlaskClient, reference: str = "LEW 123", **extra: object) -> str:
    """Open a case from the test package through /cases/new; returns the case's URL."""
    response = client.post(
        "/cases/new", data={**make.PACKAGE_FORM, "stage": "open", "reference": reference, **extra}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    location = response.headers["Location"]
    assert CASE_URL.match(location), location
    return location
