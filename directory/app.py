"""The application factory: the one table of contents.

Every feature's settings, blueprints, template helpers and commands are listed here, in order, and
nowhere else; each ``register_*`` step depends only on the settings, never on another step's effects.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from govuk_frontend_wtf.main import wtforms_errors
from werkzeug.middleware.proxy_fix import ProxyFix

from directory import cli, control_characters, db, errors, extensions, security, templating, widget_renders
from directory import config as settings
from directory.api import match_views
from directory.api import views as api_views
from directory.auth import admin_views, csrf_field, throttle, user_can
from directory.auth import settings as account_settings
from directory.auth import views as auth_views
from directory.auth.cli import demo_users, users_cli
from directory.auth.limits import TooManyAttempts, too_many_attempts
from directory.auth.nav import nav_items
from directory.auth.sessions import expire_idle_sessions, login_manager
from directory.cases import cli as case_cli
from directory.cases import display as case_display
from directory.cases import settings as case_settings
from directory.cases import views as case_views
from directory.curation import audit_views, report_views
from directory.curation import views as curation_views
from directory.feeds import cli as feed_cli
from directory.feeds import views as import_views
from directory.health import views as health_views
from directory.listings import views as listing_views
from directory.matching import views as package_views
from directory.search import home_views
from directory.search import views as search_views
from directory.shipped import shipped_folder


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides environment settings (tests pass these)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(shipped_folder("templates")),
        static_folder="static",
        static_url_path="/assets",
    )
    if config and config.get("INSTANCE_PATH"):
        app.instance_path = config["INSTANCE_PATH"]
    register_settings(app, config)
    register_extensions(app)
    register_request_hooks(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_globals(app)
    register_commands(app)
    return app


def register_settings(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Every setting, from the environment then ``overrides``, checked once."""

    app.config.from_mapping(settings.load(app.instance_path, overrides))
    account_settings.apply(app.config)
    case_settings.apply(app.config)


def register_extensions(app: Flask) -> None:
    """The database, CSRF, the GOV.UK form helpers, throttling counts, Flask-Login, and the client's
    address from a trusted proxy's X-Forwarded-For (only when PROXY_FIX_X_FOR says how many)."""

    db.init_app(app)
    extensions.init_app(app)
    throttle.init_app(app)
    login_manager.init_app(app)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_X_FOR"]))  # type: ignore[method-assign]


def register_request_hooks(app: Flask) -> None:
    """What runs around every request: control characters are stripped or refused, idle sessions end,
    security headers go out."""

    control_characters.init_app(app)
    app.before_request(expire_idle_sessions)
    security.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Every feature's pages and API routes."""

    for blueprint in (
        home_views.bp,
        search_views.bp,
        package_views.bp,
        api_views.bp,
        match_views.bp,
        import_views.bp,
        auth_views.bp,
        admin_views.bp,
        listing_views.bp,
        curation_views.bp,
        report_views.bp,
        audit_views.bp,
        case_views.bp,
        health_views.bp,
    ):
        app.register_blueprint(blueprint)


def register_error_handlers(app: Flask) -> None:
    """Error pages in HTML or JSON as the request expects, and the page for too many attempts."""

    errors.init_app(app)
    app.register_error_handler(TooManyAttempts, too_many_attempts)


def register_template_globals(app: Flask) -> None:
    """The template loader, filters, the helpers templates call, and the store of choice widget renders."""

    templating.init_app(app)
    widget_renders.init_app(app)
    app.jinja_env.filters.update(case_display.FILTERS)
    for helper in (wtforms_errors, user_can, csrf_field, nav_items):
        app.add_template_global(helper)
    # The home page (search's) shows a practitioner their team's follow-ups (cases', a layer above).
    app.template_context_processors[home_views.bp.name].append(case_display.home_follow_ups)


def register_commands(app: Flask) -> None:
    """Every ``flask --app directory ...`` command."""

    for command in (
        cli.db_cli,
        cli.seed_command,
        cli.setup_command,
        cli.check_command,
        feed_cli.import_command,
        feed_cli.export_command,
        feed_cli.load_mappings_command,
        users_cli,
        demo_users,
        case_cli.purge_command,
        case_cli.counts_command,
    ):
        app.cli.add_command(command)
