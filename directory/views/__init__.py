"""Blueprints: each feature registers its own."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register every blueprint."""
    from directory import api
    from directory.auth.blueprints import register as register_accounts
    from directory.cases import register as register_cases
    from directory.views import home, imports, match_api, package, search

    app.register_blueprint(home.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(package.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(match_api.bp)
    app.register_blueprint(imports.bp)
    register_accounts(app)
    register_cases(app)
