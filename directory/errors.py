"""Error pages and JSON errors: never a bare 500 for bad input."""

from __future__ import annotations

import traceback

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from directory import wording


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
        return render_template("errors/error.html", status=status, title=title, message=message), status

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[Response | str, int]:
        log_unexpected(app, error)
        if wants_json():
            return json_error(500, "Something went wrong on our side. It has been logged.")
        title, message = wording.error_words(500)
        return render_template("errors/error.html", status=500, title=title, message=message), 500
