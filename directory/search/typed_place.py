"""A postcode typed among the search words ("debt advice SE6"), taken out and used as the place."""

from __future__ import annotations

import re
from dataclasses import replace

from directory import geography
from directory.search.query import SearchQuery

_PUNCTUATION = re.compile(r"[^A-Za-z0-9]")


def _known(candidate: str, full: bool) -> str | None:
    """``candidate`` as a postcode in a district we know (``full``: only a full postcode), or None."""
    try:
        postcode = geography.parse_postcode(candidate)
    except geography.PostcodeError:
        return None
    if (full and not postcode.full) or postcode.district not in geography.districts():
        return None
    return postcode.full or postcode.district


def split_postcode(text: str) -> tuple[str, str | None]:
    """``text`` without the first postcode typed in it (a full one, with or without its space, or a
    district: every district has a digit, so plain words never are one), and that postcode."""
    tokens = text.split()
    bare = [_PUNCTUATION.sub("", token) for token in tokens]
    for n, token in enumerate(bare):
        if n + 1 < len(bare) and (found := _known(token + bare[n + 1], full=True)):
            return " ".join(tokens[:n] + tokens[n + 2 :]), found
        if found := _known(token, full=False):
            return " ".join(tokens[:n] + tokens[n + 1 :]), found
    return text, None


def with_typed_postcode(query: SearchQuery) -> SearchQuery:
    """``query`` searching near the postcode typed in its words, when it names no postcode itself."""
    if query.postcode:
        return query
    text, postcode = split_postcode(query.text)
    return replace(query, text=text, postcode=postcode) if postcode else query
