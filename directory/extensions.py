"""Flask extensions, created once and bound to each app."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    """Bind the extensions to ``app``."""
    csrf.init_app(app)
