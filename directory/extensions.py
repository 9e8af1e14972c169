"""Flask extensions, created once here and bound to each app by ``create_app``."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers

csrf = CSRFProtect()
wtforms_helpers = WTFormsHelpers()


def init_app(app: Flask) -> None:
    """Bind the extensions to ``app``."""
    csrf.init_app(app)
    wtforms_helpers.init_app(app)
