"""The home page (search the directory) and the directory's coverage by area and need."""

from __future__ import annotations

from flask import Blueprint, render_template

from directory.db import get_session
from directory.labels import NEED_GROUP_LABELS
from directory.search.views import form_context, search_form
from directory.stats import directory_size, findable_counts

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """A search box and the filters."""
    form, groups = search_form()
    services, organisations = findable_counts(get_session())
    return render_template(
        "home.html", services=services, organisations=organisations, **form_context(form, groups)
    )


@bp.get("/directory/coverage")
def coverage() -> str:
    """Directory size by area and need: where the gaps are."""
    return render_template(
        "coverage.html", size=directory_size(get_session()), group_labels=NEED_GROUP_LABELS
    )
