"""Search results and service pages: thin views over ``directory.search``."""

from __future__ import annotations

import json
import uuid
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, get_template_attribute, render_template, request, url_for
from markupsafe import Markup

from directory import needs
from directory.db import get_session
from directory.hours import service_open_state
from directory.labels import NEED_GROUP_LABELS
from directory.models import Need, Service
from directory.search import SearchResults, display, nearest_matches, search_services
from directory.search.access import can_see_professional_details
from directory.search.engine import load_services
from directory.search.forms import SearchForm

bp = Blueprint("search", __name__)

PER_PAGE = 20
MAX_PAGE = 100_000


def needs_by_group() -> list[tuple[str, str, list[Need]]]:
    """The needs taxonomy as (group, group label, needs), in the taxonomy's order."""
    taxonomy = needs.in_order(get_session())
    return [
        (group, label, [n for n in taxonomy if n.group == group])
        for group, label in NEED_GROUP_LABELS.items()
    ]


def search_form() -> tuple[SearchForm, list[tuple[str, str, list[Need]]]]:
    """The search form bound to the query string, with the need choices from the taxonomy."""
    groups = needs_by_group()
    choices = [(need.code, need.label) for _g, _l, in_group in groups for need in in_group]
    return SearchForm(request.args, choices), groups


@lru_cache(maxsize=1024)
def _checkboxes(params_json: str) -> Markup:
    """govukCheckboxes rendered once per distinct state: 24 needs on every page otherwise cost more
    than the search."""
    macro = get_template_attribute("govuk_frontend_jinja/components/checkboxes/macro.html", "govukCheckboxes")
    return Markup(macro(json.loads(params_json)))  # noqa: S704 (the macro's own escaped output)


def need_checkboxes(form: SearchForm, groups: list[tuple[str, str, list[Need]]]) -> list[Markup]:
    """Each need group's checkboxes (GOV.UK markup); every box is named ``need``."""
    chosen = set(form.need.data or [])
    found = []
    for n, (group, label, in_group) in enumerate(groups):
        params: dict[str, Any] = {
            "idPrefix": f"need-{group}",
            "name": "need",
            "classes": "govuk-checkboxes--small",
            "fieldset": {"legend": {"text": label, "classes": "govuk-fieldset__legend--s"}},
            "items": [
                {"value": need.code, "text": need.label, "checked": need.code in chosen} for need in in_group
            ],
        }
        if n == 0 and form.need.errors:
            params["errorMessage"] = {"text": form.need.errors[0]}
        found.append(_checkboxes(json.dumps(params, sort_keys=True)))
    return found


def error_list(form: SearchForm, groups: list[tuple[str, str, list[Need]]]) -> list[dict[str, str]]:
    """The error summary's entries, each linking to its field."""
    anchors = {"need": f"need-{groups[0][0]}" if groups else "need"}
    return [
        {"text": field.errors[0], "href": "#" + anchors.get(field.short_name, field.id)}
        for field in form
        if field.errors
    ]


def form_context(form: SearchForm, groups: list[tuple[str, str, list[Need]]]) -> dict[str, Any]:
    """What the search form templates need."""
    return {"form": form, "need_groups": need_checkboxes(form, groups), "errors": error_list(form, groups)}


def _page_number() -> int:
    text = request.args.get("page", "1").strip()
    return min(int(text), MAX_PAGE) if text.isdigit() and int(text) >= 1 else 1


def page_url(page: int) -> str:
    """This search's URL at ``page`` (every other parameter kept, in order)."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    if page > 1:
        pairs.append(("page", str(page)))
    return url_for("search.results") + ("?" + urlencode(pairs) if pairs else "")


def pagination(results: SearchResults) -> dict[str, Any] | None:
    """govukPagination parameters: previous, next, and page numbers with ellipses."""
    if results.pages <= 1:
        return None
    current, last = results.page, results.pages
    shown = sorted({1, last, *range(max(1, current - 1), min(last, current + 1) + 1)})
    items: list[dict[str, Any]] = []
    for n, number in enumerate(shown):
        if n and number - shown[n - 1] > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": page_url(number), "current": number == current})
    params: dict[str, Any] = {"items": items, "landmarkLabel": "Results pages"}
    if current > 1:
        params["previous"] = {"href": page_url(min(current - 1, last))}
    if current < last:
        params["next"] = {"href": page_url(current + 1)}
    return params


def map_markers(services: list[Service]) -> list[dict[str, Any]]:
    """Map markers for the services' public locations (never a confidential one)."""
    markers = []
    for service in services:
        for location in service.locations:
            if location.confidential or location.latitude is None or location.longitude is None:
                continue
            markers.append(
                {
                    "lat": round(location.latitude, 5),
                    "lon": round(location.longitude, 5),
                    "name": service.name,
                    "url": url_for("search.service_page", service_id=service.id),
                    "address": location.public_address or "",
                }
            )
    return markers


def map_settings() -> dict[str, str]:
    """The tile server settings maps.js reads."""
    return {
        "tile_url": current_app.config.get("TILE_URL", ""),
        "tile_attribution": current_app.config.get("TILE_ATTRIBUTION", ""),
    }


@bp.get("/search")
def results() -> tuple[str, int] | str:
    """Search results for the query string; a bad filter re-renders the form with its error."""
    form, groups = search_form()
    valid = form.validate()
    context: dict[str, Any] = {
        **form_context(form, groups),
        "d": display,
        "show_professional": can_see_professional_details(),
        "maps": map_settings(),
    }
    if not valid:
        return render_template("search/results.html", results=None, **context), 400
    query = form.to_query(_page_number(), PER_PAGE)
    postcodes_file = current_app.config.get("FULL_POSTCODES_FILE", "")
    found = search_services(get_session(), query, postcodes_file)
    suggestions = nearest_matches(get_session(), query, postcodes_file) if found.total == 0 else []
    return render_template(
        "search/results.html",
        results=found,
        query=query,
        suggestions=suggestions,
        pagination=pagination(found),
        markers=map_markers([hit.service for hit in found.items]),
        **context,
    )


def _load_service(service_id: str) -> Service:
    try:
        canonical = str(uuid.UUID(service_id))
    except ValueError:
        abort(404)
    if canonical != service_id.lower():
        abort(404)
    service = load_services(get_session(), [canonical]).get(canonical)
    if service is None:
        abort(404)
    return service


@bp.get("/services/<service_id>")
def service_page(service_id: str) -> str:
    """Everything a practitioner needs to refer today."""
    service = _load_service(service_id)
    show_professional = can_see_professional_details(service)
    return render_template(
        "search/service.html",
        service=service,
        d=display,
        # The taxonomy's labels are read only for the few services with inclusion criteria.
        only_for_needs=display.required_needs(
            service, needs.labels(get_session()) if service.requires_needs else {}
        ),
        state=service_open_state(service),
        show_professional=show_professional,
        phones=service.phones if show_professional else service.public_phones,
        hidden_phones=not show_professional and len(service.public_phones) < len(service.phones),
        markers=map_markers([service]),
        maps=map_settings(),
    )
