"""A JSON request body, read within a size and nesting limit before it is parsed.

``request.get_json`` would read up to ``MAX_CONTENT_LENGTH`` (16 MB) and hand any depth to a recursive
parser: a deep enough body raises ``RecursionError``, a 500 with a traceback per request.
"""

from __future__ import annotations

import json
from typing import Any

from flask import request

from directory.json_depth import DepthGauge, TooDeep

CHUNK = 16 * 1024


class BodyError(Exception):
    """The body cannot be used; ``status`` is 400 or 413, ``field`` is at fault, ``message`` says why."""

    def __init__(self, status: int, message: str, field: str = "body") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def json_body(max_bytes: int, max_depth: int) -> Any:
    """The parsed body of a JSON request, or ``BodyError`` for the first problem met while reading it."""
    if not request.is_json:
        raise BodyError(400, "Send a JSON body with Content-Type: application/json")
    gauge = DepthGauge(max_depth)
    parts: list[bytes] = []
    size = 0
    try:
        while chunk := request.stream.read(CHUNK):
            gauge.feed(chunk)  # before the size check: a deep body is a 400 wherever its size
            size += len(chunk)
            if size > max_bytes:
                raise BodyError(413, f"The body is larger than {max_bytes // 1024} KB")
            parts.append(chunk)
        payload = json.loads(b"".join(parts))
    except TooDeep as error:
        raise BodyError(400, f"The JSON {error}") from None
    except (ValueError, RecursionError) as error:  # RecursionError cannot happen within the depth limit
        raise BodyError(400, f"The body is not valid JSON: {error}") from None
    # Strings are kept as sent: a body reaches only the matcher, which stores nothing, and stripping
    # would make values the OpenAPI document allows (a two-letter language) invalid.
    return payload
