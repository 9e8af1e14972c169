"""The audit log's pages (for staff): everything, per listing, per user; CSV export."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from directory import wording
from directory.audit import queries
from directory.auth.permissions import Permission, require
from directory.auth.views import Page
from directory.db import by_id, get_session
from directory.models import Service, User
from directory.models.base import utcnow

bp = Blueprint("audit", __name__)


@bp.app_template_filter("audit_value")
def audit_value(value: Any, field: str = "") -> str:
    """A recorded value as a person reads it (opening hours as "Monday 9am to 5pm", yes or no)."""
    return wording.plain(value, field)


@bp.app_template_filter("stamp")
def stamp(value: datetime) -> str:
    """``22 November 2026 at 11:49pm`` in London time."""
    return wording.moment(value)


def _filters() -> queries.Filters:
    def arg(name: str) -> str | None:
        value = (request.args.get(name) or "").strip()
        return value[:60] or None

    return queries.Filters(service_id=arg("service"), user_id=arg("user"), action=arg("action"))


def _page_number() -> int:
    try:
        return max(int(request.args.get("page", "1")), 1)
    except ValueError:
        return 1


@bp.get("/audit")
def index() -> Page:
    """The whole log, newest first, filterable by listing, user and action."""
    require(Permission.VIEW_AUDIT)
    db = get_session()
    filters = _filters()
    number = _page_number()
    events, total = queries.page(db, filters, number)
    subject_service = by_id(db, Service, filters.service_id)
    subject_user = by_id(db, User, filters.user_id)
    return render_template(
        "audit/index.html",
        events=events,
        total=total,
        number=number,
        page_size=queries.PAGE_SIZE,
        filters=filters,
        actions=queries.actions(db),
        subject_service=subject_service,
        subject_user=subject_user,
        export_url=url_for(
            "audit.export", service=filters.service_id, user=filters.user_id, action=filters.action
        ),
    )


@bp.get("/audit/export.csv")
def export() -> Response:
    """The (filtered) log as CSV, one row per changed field."""
    require(Permission.VIEW_AUDIT)
    body = queries.to_csv(queries.all_events(get_session(), _filters()))
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
    )


@bp.get("/listings/<service_id>/history")
def listing_history(service_id: str) -> Page:
    """A listing's history: for curators, and for the agency's own editors."""
    service = require(Permission.VIEW_HISTORY, by_id(get_session(), Service, service_id))
    number = _page_number()
    events, total = queries.page(get_session(), queries.Filters(service_id=service.id), number)
    return render_template(
        "audit/listing.html",
        service=service,
        events=events,
        total=total,
        number=number,
        page_size=queries.PAGE_SIZE,
    )
