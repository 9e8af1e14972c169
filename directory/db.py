"""The database: engine per app, one session per request, committed by the request.

Service functions take a ``Session`` and never commit; a request that ends with a status below 400
commits, anything else rolls back.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from enum import StrEnum
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g
from sqlalchemy import Engine, Enum, MetaData, create_engine, event, inspect, select, text
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from directory.config import ConfigError
from matcher.vocabulary import CapacityStatus, CatchmentType, NeedGroup, RecipientKind, ServiceStatus, Setting

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def codes(vocabulary: type[StrEnum], length: int) -> Enum:
    """A column holding one code of ``vocabulary``, stored as its plain string in a VARCHAR of
    ``length`` (no database enum type, no CHECK constraint: the schema stays a string column). A value
    outside the vocabulary is refused on write; rows read back as members of the enum."""
    return Enum(
        vocabulary,
        native_enum=False,
        create_constraint=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    """Declarative base for every model; constraint names are stable for Alembic.

    A column annotated with a vocabulary enum (``Mapped[ServiceStatus]``) stores its code as a string
    of the length given here."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        CapacityStatus: codes(CapacityStatus, 24),
        CatchmentType: codes(CatchmentType, 12),
        NeedGroup: codes(NeedGroup, 20),
        RecipientKind: codes(RecipientKind, 20),
        ServiceStatus: codes(ServiceStatus, 20),
        Setting: codes(Setting, 12),
    }


M = TypeVar("M", bound=Base)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys on and a busy timeout.

    Bound parameters never reach a log line or an error message: case tables hold what practitioners
    typed (consent reasons, referral notes).
    """
    kwargs: dict[str, Any] = {"future": True, "hide_parameters": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 15}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


def check_connection(engine: Engine) -> None:
    """Fail start-up with one clear line when the database cannot be reached."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise ConfigError(f"cannot reach the database at {engine.url.render_as_string()}: {reason}") from None


def init_app(app: Flask) -> None:
    """Create the engine and the per-request session handling."""
    engine = make_engine(app.config["DATABASE_URL"])
    if not app.config.get("SKIP_DB_CHECK"):
        check_connection(engine)
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)

    @app.after_request
    def _finish(response: Response) -> Response:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            if response.status_code < 400:
                try:
                    session.commit()
                finally:
                    session.close()
            else:
                _discard(session)
        return response

    @app.teardown_appcontext
    def _close(_error: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            _discard(session)


def _discard(session: Session) -> None:
    """Roll back and close, even when the connection is gone (a rollback then has nothing to undo)."""
    try:
        session.rollback()
    except DBAPIError:
        with suppress(DBAPIError):
            session.invalidate()
    finally:
        with suppress(DBAPIError):
            session.close()


def reset_session() -> None:
    """Drop this request's session before an error page is rendered: after a failed statement it can
    run no other (``PendingRollbackError``), and the page asks who is signed in. The next
    ``get_session`` starts afresh."""
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        _discard(session)


def database_unreachable(error: BaseException) -> bool:
    """True when ``error`` means the database is away (down, restarting, our connection cut), so
    trying again later will do: the pool's pre-ping reconnects once it is back."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError | DisconnectionError)


def get_session() -> Session:
    """This request's (or CLI command's) session."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    session: Session = g.db_session
    return session


def by_id(session: Session, model: type[M], key: str | None) -> M | None:
    """The record with this id, or None (an id from a URL or a form may match nothing)."""
    return session.get(model, key) if key else None


def by_ids(session: Session, model: type[M], keys: Iterable[str]) -> dict[str, M]:
    """The records with these ids, by id (one query; ids that match nothing are left out)."""
    wanted = set(keys)
    if not wanted:
        return {}
    mapper = inspect(model)
    column = mapper.primary_key[0]
    key = mapper.get_property_by_column(column).key
    return {getattr(r, key): r for r in session.scalars(select(model).where(column.in_(wanted)))}


def engine() -> Engine:
    """The current app's engine."""
    found: Engine = current_app.extensions["db_engine"]
    return found
