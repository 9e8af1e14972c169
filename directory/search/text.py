"""Words from text, the same way for the directory and for a query."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile("[\u2019'`\u00b4]")  # right single quote, apostrophe, grave, acute
_WORD = re.compile(r"[a-z0-9]+")

# Words that carry no meaning in a directory search; dropped from queries (never from documents).
STOPWORDS = frozenset(
    {"a", "an", "and", "at", "by", "for", "from", "in", "into", "is", "it", "near", "of", "on", "or", "the"}
    | {"to", "with"}
)


def fold(text: str) -> str:
    """Lower-case, accents removed, apostrophes dropped (``Women's`` -> ``womens``)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", plain.lower())


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
