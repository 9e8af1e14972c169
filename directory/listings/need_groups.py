"""Inclusion criteria as the details form reads and writes them: one group of needs per line, the
needs of one group (any of which will do) separated by "or", each need by its label or its code."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_OR = re.compile(r"\s+or\s+|\|", re.IGNORECASE)


def parse_need_groups(text: str, choices: Sequence[tuple[str, str]]) -> tuple[list[list[str]], list[str]]:
    """``text`` as (groups of need codes, entries that are no need we know)."""
    by_word = {code.lower(): code for code, _label in choices} | {
        label.lower(): code for code, label in choices
    }
    groups: list[list[str]] = []
    unknown: list[str] = []
    for line in (text or "").splitlines():
        group: list[str] = []
        for entry in (" ".join(e.split()) for e in _OR.split(line)):
            if not entry:
                continue
            code = by_word.get(entry.lower())
            if code is None:
                unknown.append(entry)
            elif code not in group:
                group.append(code)
        if group and group not in groups:
            groups.append(group)
    return groups, unknown


def format_need_groups(groups: Sequence[Sequence[str]], choices: Sequence[tuple[str, str]]) -> str:
    """The inverse of :func:`parse_need_groups`, with labels."""
    labels = dict(choices)
    return "\n".join(" or ".join(labels.get(code, code) for code in group) for group in groups or [])


def choice_pairs(choices: Any) -> list[tuple[str, str]]:
    """A select field's choices (the needs covered) as (code, label) pairs."""
    return [(str(choice[0]), str(choice[1])) for choice in choices or []]
