"""Error pages and JSON errors: never a bare 500 for bad input."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def wants_json() -> bool:
    """True for API requests, which get JSON errors."""
    return request.path.startswith("/api/")


def json_error(status: int, message: str, **extra: object) -> tuple[Response, int]:
    """A JSON error body: ``{"error": {"status": ..., "message": ...}}``."""
    return jsonify({"error": {"status": status, "message": message, **extra}}), status


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
        return render_template(
            "errors/error.html", status=status, title=error.name, message=error.description
        ), status

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[Response | str, int]:
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        wrapped = InternalServerError()
        if wants_json():
            return json_error(500, "Something went wrong on our side. It has been logged.")
        return render_template(
            "errors/error.html",
            status=500,
            title=wrapped.name,
            message="Something went wrong on our side. It has been logged.",
        ), 500
