"""Diversion Directory: a curated directory of local support and a matcher for L&D teams."""

from __future__ import annotations

from typing import Any

from flask import Flask

from directory import config as settings


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app from small register steps; ``config`` overrides environment settings."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="static",
        static_url_path="/assets",
    )
    if config and config.get("INSTANCE_PATH"):
        app.instance_path = config["INSTANCE_PATH"]
    app.config.from_mapping(settings.load(app.instance_path, config))

    from directory import auth, cli, db, errors, extensions, security, templating, views

    db.init_app(app)
    extensions.init_app(app)
    auth.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    views.init_app(app)
    cli.init_app(app)
    return app
