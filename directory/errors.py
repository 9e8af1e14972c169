"""Error pages and JSON errors: never a bare 500 for bad input."""

from __future__ import annotations

import traceback

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from directory import wording
from directory.db import database_unreachable, reset_session


def wants_json() -> bool:
    """True for API requests, which get JSON errors."""
    return request.path.startswith("/api/")


def json_error(status: int, message: str, **extra: object) -> tuple[Response, int]:
    """A JSON error body: ``{"error": {"status": ..., "message": ...}}``."""
    return jsonify({"error": {"status": status, "message": message, **extra}}), status


def database_error_summary(error: DBAPIError) -> str:
    """What failed, naming no value: the driver's error class, PostgreSQL's code and the table, column
    and constraint it names, and the statement (parameters are never rendered, see ``db.make_engine``)."""
    orig = error.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:
        # PostgreSQL's message and DETAIL can quote the values ("Failing row contains (...)").
        named = ("sqlstate", "table_name", "column_name", "constraint_name")
        found = [f"{name}={getattr(diag, name)}" for name in named if getattr(diag, name, None)]
    else:  # SQLite names the constraint and column only
        lines = str(orig).strip().splitlines()
        found = lines[:1]
    return f"{type(orig).__name__} {' '.join(found)}; statement: {error.statement}"


def log_unexpected(app: Flask, error: Exception) -> None:
    """Log an unhandled error with its traceback; a database error without the values it carried."""
    where = f"{request.method} {request.path}"
    if isinstance(error, DBAPIError):
        frames = "".join(traceback.format_tb(error.__traceback__))
        app.logger.error(
            "Unhandled database error on %s: %s\n%s", where, database_error_summary(error), frames
        )
    else:
        app.logger.exception("Unhandled error on %s", where)


def init_app(app: Flask) -> None:
    """Register handlers that answer in HTML or JSON as the request expects."""

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        return render_template(
            "errors/error.html",
            status=400,
            title="Your form expired",
            message="For your security, forms expire. Go back, refresh the page and try again.",
        ), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[Response | str, int]:
        status = error.code or 500
        if wants_json():
            return json_error(status, error.description or error.name)
        title, message = wording.error_words(status)
        if error.description and error.description != type(error).description:
            message = error.description  # a view's own explanation, already in our words
        reset_session()
        return _page("errors/error.html", status, title=title, message=message)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[Response | str, int]:
        reset_session()
        if database_unreachable(error):
            app.logger.warning(
                "Database unreachable on %s %s: %s", request.method, request.path, type(error).__name__
            )
            if wants_json():
                return json_error(503, "The service is unavailable for a moment; try again in a minute.")
            return _page("errors/unavailable.html", 503, standalone=True)
        log_unexpected(app, error)
        if wants_json():
            return json_error(500, "Something went wrong on our side. It has been logged.")
        title, message = wording.error_words(500)
        return _page("errors/error.html", 500, title=title, message=message)


def _page(template: str, status: int, standalone: bool = False, **context: object) -> tuple[str, int]:
    """An error page; a plain one if the page itself cannot be built, so a response (and its security
    headers) always goes out. A ``standalone`` page skips the context processors, which ask the
    database who is signed in."""
    try:
        if standalone:
            found = current_app.jinja_env.get_template(template)
            return found.render(request=request, status=status, **context), status
        return render_template(template, status=status, **context), status
    except Exception:
        current_app.logger.exception("The error page for %s could not be built", status)
        return FALLBACK, status


FALLBACK = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sorry, there is a problem</title></head>'
    "<body><h1>Sorry, there is a problem</h1><p>Try again in a minute.</p></body></html>"
)
