"""Short JSON lists of codes (genders, catchment areas, routes...) read as text.

Reading a JSON column as text and decoding it here is cheaper than the driver's per-row
``json.loads``: the same few lists recur across thousands of services, so each is decoded once.
"""

from __future__ import annotations

import json
from functools import lru_cache


@lru_cache(maxsize=8192)
def codes(text: str | None) -> tuple[str, ...]:
    """A JSON list of short codes as a tuple (empty for null or no text)."""
    if not text or text in ("[]", "null"):
        return ()
    return tuple(str(value) for value in json.loads(text))


@lru_cache(maxsize=1024)
def need_groups(text: str | None) -> tuple[tuple[str, ...], ...]:
    """A JSON list of lists of need codes (a service's inclusion criteria) as tuples."""
    if not text or text in ("[]", "null"):
        return ()
    return tuple(tuple(str(code) for code in group) for group in json.loads(text))
