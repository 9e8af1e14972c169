"""``/package``: build a coordinated package of support, and print the person's plan."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request

from directory import needs
from directory.db import get_session
from directory.labels import NEED_GROUP_LABELS
from directory.matching.bridge import match
from directory.matching.display import act_order, hours_lines, person_step, shown_items
from directory.matching.forms import PackageForm

bp = Blueprint("package", __name__)


def _matched(form: PackageForm) -> dict[str, Any]:
    """The package for a valid form, with what the pages show beside it."""
    session = get_session()
    data = form.to_input()
    package = match(session, data)
    return {
        "data": data,
        "package": package,
        "items": shown_items(session, package),
        "labels": needs.labels(session),
    }


@bp.route("/package", methods=["GET", "POST"])
def build() -> tuple[str, int] | str:
    """The form; on a valid POST, the package below it, ready to edit and re-run."""
    form = PackageForm.for_request(get_session())
    if request.method == "GET":
        return render_template("package/build.html", form=form, package=None, group_labels=NEED_GROUP_LABELS)
    if not form.validate():
        return render_template(
            "package/build.html", form=form, package=None, group_labels=NEED_GROUP_LABELS
        ), 400
    return render_template("package/build.html", form=form, group_labels=NEED_GROUP_LABELS, **_matched(form))


@bp.post("/package/plan")
def plan() -> tuple[str, int] | str:
    """A one-page plan for the person, in plain English; their needs only if the practitioner chose."""
    form = PackageForm.for_request(get_session())
    if not form.validate():
        return render_template(
            "package/build.html", form=form, package=None, group_labels=NEED_GROUP_LABELS
        ), 400
    matched = _matched(form)
    return render_template(
        "package/plan.html",
        **{**matched, "items": act_order(matched["items"], matched["data"].at)},
        show_needs=request.form.get("show_needs") == "yes",
        person_step=person_step,
        hours_lines=hours_lines,
        team_contact=current_app.config.get("TEAM_CONTACT", ""),
    )
