"""Diversion Directory: a curated directory of local support and a matcher for L&D teams.

``create_app`` (in ``directory.app``) builds the Flask app; ``flask --app directory`` finds it here.
"""

from directory.app import create_app

__all__ = ["create_app"]
