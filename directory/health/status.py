"""What ``/healthz`` reports: cheap facts about this process, nothing about any person."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from directory.search.index import is_built


def database_answers(engine: Engine) -> bool:
    """Whether the database runs ``SELECT 1`` now (a connection from the pool, given straight back)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError:
        return False
    return True


def health(engine: Engine) -> dict[str, bool]:
    """``ready`` when the database answers and this worker holds the search index (a load balancer
    sends traffic only then). No query touches the directory: the index check reads memory."""
    database = database_answers(engine)
    index = is_built(engine)
    return {"ready": database and index, "database": database, "index": index}
