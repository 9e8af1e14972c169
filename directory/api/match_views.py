"""``POST /api/v1/match``: a package of support as JSON."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from directory.api.json_body import BodyError, json_body
from directory.db import get_session
from directory.errors import json_error
from directory.extensions import csrf
from directory.matching.bridge import match, need_taxonomy
from directory.matching.present import package_json
from directory.matching.request import MatchInputError, parse_api_payload

MAX_BODY_BYTES = 64 * 1024  # a full request (24 needs, 500 characters of notes) is under 2 KB
MAX_BODY_DEPTH = 8  # the request nests three levels (body, person, needs)

bp = Blueprint("match_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.post("/match")
def match_endpoint() -> tuple[Response, int] | Response:
    """Build a package from the JSON body; 400 with a message per field for bad input (413 when huge)."""
    try:
        payload = json_body(MAX_BODY_BYTES, MAX_BODY_DEPTH)
    except BodyError as error:
        if error.status == 413:
            return json_error(413, error.message)
        return json_error(400, "The request has problems; see fields", fields={error.field: error.message})
    session = get_session()
    known = set(need_taxonomy(session))
    try:
        data = parse_api_payload(payload, known)
    except MatchInputError as error:
        return json_error(400, "The request has problems; see fields", fields=error.fields)
    response = jsonify(package_json(match(session, data)))
    response.headers["Cache-Control"] = "no-store"
    return response
