"""``GET /healthz``: JSON for a load balancer or an orchestrator; no sign-in, no personal data."""

from __future__ import annotations

from flask import Blueprint

from directory.db import engine
from directory.health.status import health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, bool], int]:
    """200 when this worker is ready to serve, 503 (with what is missing) while it is not."""
    found = health(engine())
    return found, 200 if found["ready"] else 503
