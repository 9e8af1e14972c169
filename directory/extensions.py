"""Flask extensions, created once here and bound to each app by ``create_app``."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers

csrf = CSRFProtect()
wtforms_helpers = WTFormsHelpers()
# Limits are put on views with decorators (``directory.auth.limits``); none apply by default.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_app(app: Flask) -> None:
    """Bind the extensions to ``app``."""
    csrf.init_app(app)
    wtforms_helpers.init_app(app)
    # Flask-Limiter keeps the first app's key prefix; tests build many apps in one process.
    # TODO(sec): per-app throttling storage replaces this (issue 16).
    limiter._key_prefix = ""
    limiter.init_app(app)
