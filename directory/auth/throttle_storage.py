"""A ``limits`` storage in the app's own database, so every worker counts together without Redis.

Fixed windows only (the strategy ``directory.auth.throttle`` uses): one row per key holding the count
and when its window ends. Each call runs in its own short transaction on the engine, apart from the
request's session: a count must stand even when the request that made it rolls back.
"""

from __future__ import annotations

import random
import time
from typing import Any, cast

from limits.storage import Storage
from sqlalchemy import Engine, Table, case, delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from directory.models import ThrottleCount

TABLE = cast(Table, ThrottleCount.__table__)  # the declarative base types it as any FROM clause
TIDY_SHARE = 0.02  # of calls that also delete rows whose window ended over a day ago


class DatabaseStorage(Storage):
    """Counts in the ``throttle_count`` table of ``engine``'s database (SQLite or PostgreSQL)."""

    STORAGE_SCHEME = None  # built by the app with its engine, never from a URI

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self._insert = postgresql_insert if engine.dialect.name == "postgresql" else sqlite_insert

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` to ``key``'s count (a new window of ``expiry`` seconds once the last ended)."""
        now = time.time()
        ended = TABLE.c.expires_at <= now
        statement: Any = self._insert(TABLE).values(key=key, count=amount, expires_at=now + expiry)
        statement = statement.on_conflict_do_update(
            index_elements=[TABLE.c.key],
            set_={
                "count": case((ended, amount), else_=TABLE.c.count + amount),
                "expires_at": case((ended, now + expiry), else_=TABLE.c.expires_at),
            },
        ).returning(TABLE.c.count)
        with self.engine.begin() as connection:
            if random.random() < TIDY_SHARE:  # now and then, windows long over are cleared away
                connection.execute(delete(TABLE).where(TABLE.c.expires_at < now - 86400))
            return int(connection.execute(statement).scalar_one())

    def _row(self, key: str) -> tuple[int, float] | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(TABLE.c.count, TABLE.c.expires_at).where(
                    TABLE.c.key == key, TABLE.c.expires_at > time.time()
                )
            ).first()
        return (int(row[0]), float(row[1])) if row else None

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(select(func.count()).select_from(TABLE))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self.engine.begin() as connection:
            return connection.execute(delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(TABLE).where(TABLE.c.key == key))
