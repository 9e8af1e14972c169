"""Test clean-up for append-only tables: the database refuses row deletes, so tests lift the guard.

PostgreSQL's trigger is disabled for the delete (the table's owner may do that; the change is
transactional); SQLite's triggers are dropped and re-created around it. Only test databases are ever
emptied this way.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from directory.models.audit import SQLITE_TRIGGER_NAMES, SQLITE_TRIGGERS

APPEND_ONLY_TABLES = {"audit_event"}


def purge_append_only(connection: Connection, table: str) -> None:
    """Empty an append-only table in a test database."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f'ALTER TABLE "{table}" DISABLE TRIGGER USER'))
        connection.execute(text(f'DELETE FROM "{table}"'))
        connection.execute(text(f'ALTER TABLE "{table}" ENABLE TRIGGER USER'))
        return
    for name in SQLITE_TRIGGER_NAMES:
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    connection.execute(text(f'DELETE FROM "{table}"'))
    for statement in SQLITE_TRIGGERS:
        connection.execute(text(statement))
