"""Routes of the read API. Thin: parameters are checked in ``params``, data comes from ``queries``.

Every response under ``/api/`` carries ``Access-Control-Allow-Origin: *`` (errors and preflights too).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for

from directory.api import params, queries
from directory.api.openapi import openapi_document
from directory.db import get_session
from directory.errors import json_error
from directory.extensions import csrf
from directory.oruk import vocab

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
    "Access-Control-Max-Age": "86400",
}


@bp.after_app_request
def _cors(response: Response) -> Response:
    if request.path.startswith("/api/"):
        response.headers.update(CORS_HEADERS)
        requested = request.headers.get("Access-Control-Request-Headers")
        if requested:
            response.headers["Access-Control-Allow-Headers"] = requested[:500]
        if response.status_code == 405 and "Allow" not in response.headers:
            response.headers["Allow"] = "GET, HEAD, OPTIONS"
    return response


@bp.errorhandler(params.ApiError)
def _api_error(error: params.ApiError) -> tuple[Response, int]:
    extra = {"parameter": error.parameter} if error.parameter else {}
    return json_error(error.status, error.message, **extra)


def _not_found(kind: str, item_id: str) -> params.ApiError:
    return params.ApiError(404, f"There is no {kind} with id {item_id}")


def _service_filters() -> queries.ServiceFilters:
    args = request.args
    return queries.ServiceFilters(
        search=params.text(args, "search"),
        term=params.term(args, "taxonomy_term_id"),
        taxonomy_id=params.uuid(args, "taxonomy_id"),
        organization_id=params.uuid(args, "organization_id"),
        near=params.near(args),
        minimum_age=params.integer(args, "minimum_age", 0, params.MAX_AGE),
        maximum_age=params.integer(args, "maximum_age", 0, params.MAX_AGE),
        modified_after=params.date_time(args, "modified_after"),
    )


@bp.get("/")
def index() -> Response:
    """Which HSDS version and profile this API follows, and where its OpenAPI document is."""
    return jsonify(
        {
            "version": vocab.HSDS_VERSION,
            "profile": vocab.PROFILE_URL,
            "openapi_url": url_for("api.openapi", _external=True),
        }
    )


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.get("/services")
def services() -> Response:
    filters, paging = _service_filters(), params.paging(request.args)
    return jsonify(queries.list_services(get_session(), filters, paging).envelope())


@bp.get("/services/<service_id>")
def service(service_id: str) -> Response:
    found = queries.get_service(get_session(), params.path_id(service_id))
    if found is None:
        raise _not_found("service", service_id)
    return jsonify(found)


@bp.get("/organizations")
def organizations() -> Response:
    search, paging = params.text(request.args, "search"), params.paging(request.args)
    return jsonify(queries.list_organizations(get_session(), search, paging).envelope())


@bp.get("/organizations/<organization_id>")
def organization(organization_id: str) -> Response:
    found = queries.get_organization(get_session(), params.path_id(organization_id))
    if found is None:
        raise _not_found("organization", organization_id)
    return jsonify(found)


@bp.get("/taxonomies")
def taxonomies() -> Response:
    search, paging = params.text(request.args, "search"), params.paging(request.args)
    items = queries.taxonomies()
    if search and search.strip():
        needle = search.strip().lower()
        items = [t for t in items if needle in t["name"].lower() or needle in t["description"].lower()]
    page = items[paging.offset : paging.offset + paging.per_page]
    return jsonify(queries.Page(page, len(items), paging).envelope())


@bp.get("/taxonomies/<taxonomy_id>")
def taxonomy(taxonomy_id: str) -> Response:
    wanted = params.path_id(taxonomy_id)
    for item in queries.taxonomies():
        if item["id"] == wanted:
            terms = [t for t in queries.taxonomy_terms(get_session()) if t["taxonomy_id"] == wanted]
            return jsonify(item | {"taxonomy_terms": terms})
    raise _not_found("taxonomy", taxonomy_id)


@bp.get("/taxonomy_terms")
def taxonomy_terms() -> Response:
    args = request.args
    search, paging = params.text(args, "search"), params.paging(args)
    taxonomy_id, parent_id = params.uuid(args, "taxonomy_id"), params.uuid(args, "parent_id")
    params.boolean(args, "top_only")  # every term we publish is a top-level term
    items = queries.taxonomy_terms(get_session())
    if taxonomy_id:
        items = [t for t in items if t["taxonomy_id"] == taxonomy_id]
    if parent_id:
        items = []
    if search and search.strip():
        needle = search.strip().lower()
        items = [t for t in items if any(needle in t[k].lower() for k in ("code", "name", "description"))]
    page = items[paging.offset : paging.offset + paging.per_page]
    return jsonify(queries.Page(page, len(items), paging).envelope())


@bp.get("/taxonomy_terms/<term_id>")
def taxonomy_term(term_id: str) -> Response:
    wanted = params.path_id(term_id)
    for item in queries.taxonomy_terms(get_session()):
        if item["id"] == wanted:
            return jsonify(item)
    raise _not_found("taxonomy term", term_id)


@bp.get("/service_at_locations")
def service_at_locations() -> Response:
    filters, paging = _service_filters(), params.paging(request.args)
    return jsonify(queries.list_service_at_locations(get_session(), filters, paging).envelope())


@bp.get("/service_at_locations/<link_id>")
def service_at_location(link_id: str) -> Response:
    found = queries.get_service_at_location(get_session(), params.path_id(link_id))
    if found is None:
        raise _not_found("service_at_location", link_id)
    return jsonify(found)
