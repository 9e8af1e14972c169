"""Blueprints: each feature registers its own."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register every blueprint."""
    from directory.views import home, search

    app.register_blueprint(home.bp)
    app.register_blueprint(search.bp)
