"""Control characters stop at the door: no handler sees a NUL.

PostgreSQL refuses a NUL in text (every form holding one was a 500), and no C0 control character but
tab, newline and carriage return means anything in our text. They are dealt with once, for every
field, as the request is read: form fields and query strings (pages and API) have them **stripped**,
and feeds have them stripped as they are read (``feeds.readers``). Nobody can type or see these
characters (they come from a broken paste or a fuzzer), so a field error would point at something
invisible, while stripping loses nothing anyone meant. A path holding one names no record: 404.

The API's one JSON body (``POST /api/v1/match``) is taken as sent: it reaches only the matcher, which
stores nothing, and stripping could make a value its OpenAPI document allows invalid.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 except tab, newline and carriage return


def has_control(text: str) -> bool:
    """True when ``text`` holds a control character we refuse."""
    return CONTROL.search(text) is not None


def strip_control(text: str) -> str:
    """``text`` without the control characters we refuse."""
    return CONTROL.sub("", text)


class CleanMultiDict(ImmutableMultiDict[str, Any]):
    """Query and form parameters with control characters stripped; ``stripped`` names the fields
    (for a handler that wants to say so)."""

    stripped: frozenset[str] = frozenset()

    def __init__(self, mapping: Any = None) -> None:
        items = list(MultiDict(mapping).items(multi=True))  # accepts what MultiDict accepts
        stripped: set[str] = set()
        clean = []
        for key, value in items:
            name = strip_control(key) if isinstance(key, str) else key
            if isinstance(value, str) and has_control(value):
                value = strip_control(value)
                stripped.add(name)
            if name != key:
                stripped.add(name)
            clean.append((name, value))
        super().__init__(clean)
        self.stripped = frozenset(stripped)


class CleanRequest(Request):
    """Flask's request, reading query strings and forms into ``CleanMultiDict``."""

    parameter_storage_class = CleanMultiDict


def strip_json(value: Any) -> Any:
    """Parsed JSON with control characters stripped from every string, keys included."""
    if isinstance(value, str):
        return strip_control(value)
    if isinstance(value, list):
        return [strip_json(item) for item in value]
    if isinstance(value, dict):
        return {strip_control(key): strip_json(item) for key, item in value.items()}
    return value


def _no_record_named_with_one() -> None:
    if any(has_control(str(value)) for value in (request.view_args or {}).values()):
        abort(404)


def init_app(app: Flask) -> None:
    """Read every request through ``CleanRequest``; a path holding a control character is a 404."""
    app.request_class = CleanRequest
    app.before_request(_no_record_named_with_one)
