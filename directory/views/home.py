"""The home page: proof the directory is there, and how big it is."""

from __future__ import annotations

from flask import Blueprint, render_template

from directory.db import get_session
from directory.models.taxonomy import GROUP_LABELS
from directory.stats import directory_size

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """Directory size by area and need."""
    return render_template("home.html", size=directory_size(get_session()), group_labels=GROUP_LABELS)


@bp.get("/healthz")
def health() -> dict[str, str]:
    """Liveness probe for deployments."""
    return {"status": "ok"}
