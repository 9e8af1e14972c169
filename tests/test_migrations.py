"""Migrations build the schema from empty, match the models, and can be reverted."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import Session

from directory import migrate
from directory.db import Base
from directory.models import Need
from tests.conftest import Databases


def test_upgrade_from_empty_gives_a_schema_matching_the_models(databases: Databases) -> None:
    url = databases.create("migrations")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        assert migrate.is_current(engine, url)
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(databases: Databases) -> None:
    url = databases.create("roundtrip")
    migrate.downgrade(url, "base")
    engine = create_engine(url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(url)
        assert {"service", "organization", "location", "need"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migration_files_are_numbered_in_chain_order() -> None:
    """One line of migrations, and each file's number is its place in it (0001 first), so a reader
    can follow the schema's history by file name. New migrations take the next number."""
    scripts = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(scripts.get_heads()) == 1
    chain = list(reversed(list(scripts.walk_revisions())))
    numbers = [Path(script.path).name[:5] for script in chain]
    assert numbers == [f"{place:04d}_" for place in range(1, len(chain) + 1)]


def test_need_roles_are_filled_in_for_a_database_that_is_not_reseeded(databases: Databases) -> None:
    url = databases.create("roles")
    migrate.downgrade(url, "0006_sign_in_sessions")  # the revision before need roles
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for position, (code, group) in enumerate([("DA_HIGH", "risk"), ("DEBT", "basic")]):
                connection.execute(
                    text(
                        'INSERT INTO need (code, label, "group", urgent, basic, description, position) '
                        "VALUES (:code, :code, :group, false, false, '', :position)"
                    ),
                    {"code": code, "group": group, "position": position},
                )
        migrate.upgrade(url)
        with Session(engine) as session:
            found = {n.code: (n.roles, n.recipient) for n in session.scalars(select(Need))}
        assert found == {"DA_HIGH": (["domestic_abuse"], "safeguarding"), "DEBT": ([], "community")}
    finally:
        engine.dispose()
