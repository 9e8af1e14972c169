"""Get a process ready before it takes traffic: the search index, the tables the first search or
match would otherwise load (postcode districts, council names, bank holidays) and every page
template compiled (about 2 s for all of them; a worker's first page otherwise pays for its own).

gunicorn (``gunicorn.conf.py``) calls ``warm`` once in the master before any worker is forked
(``preload_app``: the workers share the master's pages copy-on-write) and ``refresh`` before each
fork (a worker forked after the directory changed starts with the new index). Each forked worker
calls ``forget_connections``: a database connection opened in the master must never be used by two
processes.
"""

from __future__ import annotations

import gc

from flask import Flask

from directory import geography, hours
from directory.search.index import current_index


def is_directory_app(app: object) -> bool:
    """True for this project's Flask app (gunicorn also serves bench/'s bare app with the same config)."""
    return isinstance(app, Flask) and "db_sessionmaker" in app.extensions


def warm(app: Flask) -> None:
    """Load the lookup tables and build the search index, then close every database connection."""
    geography.districts()
    geography.local_authorities()
    geography.authorities_by_name()
    hours.bank_holiday_names()
    hours.bank_holidays()
    for name in app.jinja_env.list_templates(extensions=("html",)):
        app.jinja_env.get_template(name)  # kept in the environment's cache
    refresh(app)
    # What is loaded now lives as long as the process: keep the cyclic collector from walking (and so
    # writing to, and un-sharing) the pages the workers inherit.
    gc.freeze()


def refresh(app: Flask) -> None:
    """Bring the index up to date with the database (a fingerprint read when nothing changed)."""
    with app.extensions["db_sessionmaker"]() as session:  # read only: closing it ends the transaction
        current_index(session)
    forget_connections(app, close=True)


def forget_connections(app: Flask, *, close: bool) -> None:
    """Drop the engine's pooled connections: closed in the process that opened them (``close``), only
    forgotten in a forked child (closing there would end the parent's sessions with the server)."""
    app.extensions["db_engine"].dispose(close=close)
