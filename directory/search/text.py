"""Words from text, the same way for the directory and for a query."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile("['`]")
_MARKS = "\u2019\u00b4"  # right single quotation mark and acute accent, typed as apostrophes
_WORD = re.compile(r"[a-z0-9]+")

# Words that carry no meaning in a directory search; dropped from queries (never from documents).
STOPWORDS = frozenset(
    {"a", "an", "and", "at", "by", "for", "from", "in", "into", "is", "it", "near", "of", "on", "or", "the"}
    | {"to", "with"}
)


def fold(text: str) -> str:
    """Lower-case, accents and other marks removed, apostrophes dropped (``Women's`` -> ``womens``)."""
    text = text or ""
    if not text.isascii():  # rare, so the slow path may be slow
        text = "".join(
            ch if ch.isascii() else "" if unicodedata.combining(ch) or ch in _MARKS else " "
            for ch in unicodedata.normalize("NFKD", text)
        )
    return _APOSTROPHES.sub("", text.lower())


def words(text: str) -> list[str]:
    """The words of ``text``, folded, in order (repeats kept)."""
    return _WORD.findall(fold(text))


def query_words(text: str) -> list[str]:
    """The meaningful words of a query: folded, stopwords and repeats dropped, order kept."""
    seen: list[str] = []
    for word in words(text):
        if word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen
