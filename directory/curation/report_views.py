"""Practitioners report a problem with a listing: /services/<id>/report-problem."""

from __future__ import annotations

from flask import Blueprint, render_template

from directory.auth.permissions import Permission, require
from directory.auth.sessions import signed_in_user
from directory.auth.views import Page
from directory.curation import problems
from directory.curation.forms import ProblemReportForm
from directory.db import by_id, get_session
from directory.models import Service

bp = Blueprint("problems", __name__)


@bp.route("/services/<service_id>/report-problem", methods=["GET", "POST"])
def report_problem(service_id: str) -> Page:
    """Tell the curators something in a listing is wrong."""
    service = require(Permission.REPORT_PROBLEM, by_id(get_session(), Service, service_id))
    form = ProblemReportForm()
    if form.validate_on_submit():
        problems.report(
            get_session(), signed_in_user(), service, form.kind.data or "", form.details.data or ""
        )
        return render_template("curation/report_sent.html", service=service)
    return render_template("curation/report_problem.html", service=service, form=form)
