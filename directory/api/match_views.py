"""``POST /api/v1/match``: a package of support as JSON."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from directory.db import get_session
from directory.errors import json_error
from directory.extensions import csrf
from directory.matching.bridge import match, need_taxonomy
from directory.matching.present import package_json
from directory.matching.request import MatchInputError, parse_api_payload

bp = Blueprint("match_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.post("/match")
def match_endpoint() -> tuple[Response, int] | Response:
    """Build a package from the JSON body; 400 with a message per field for bad input."""
    payload = request.get_json(silent=True)
    if payload is None:
        return json_error(400, "Send a JSON body with Content-Type: application/json")
    session = get_session()
    known = set(need_taxonomy(session))
    try:
        data = parse_api_payload(payload, known)
    except MatchInputError as error:
        return json_error(400, "The request has problems; see fields", fields=error.fields)
    response = jsonify(package_json(match(session, data)))
    response.headers["Cache-Control"] = "no-store"
    return response
