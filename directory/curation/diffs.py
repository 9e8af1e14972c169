"""Field-level diffs to show people: word changes marked inside text, items added and removed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from directory.listings.fields import FIELDS, display


@dataclass(frozen=True)
class FieldDiff:
    """One changed field, ready for a template."""

    name: str
    label: str
    before: str
    after: str
    marked: Markup | None  # the text with deletions and insertions marked, for longer text
    added: list[str]
    removed: list[str]
    now: str | None  # the value today, when it has changed since the proposal


def inline_diff(before: str, after: str) -> Markup:
    """``after`` with words removed from ``before`` in <del> and words added in <ins>."""
    old, new = before.split(), after.split()
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(f'<del class="dd-diff-del">{escape(" ".join(old[i1:i2]))}</del>')
        if op in ("insert", "replace"):
            parts.append(f'<ins class="dd-diff-ins">{escape(" ".join(new[j1:j2]))}</ins>')
        if op == "equal":
            parts.append(str(escape(" ".join(old[i1:i2]))))
    return Markup(" ".join(parts))  # noqa: S704 - every piece above is escaped


def _items(name: str, value: Any, need_labels: dict[str, str]) -> list[str]:
    if not isinstance(value, list):
        return []
    return [display(name, [item], need_labels) for item in value]


def field_diffs(
    changes: dict[str, dict[str, Any]], need_labels: dict[str, str], now: dict[str, Any] | None = None
) -> list[FieldDiff]:
    """Each change as a FieldDiff, in the order the fields appear on the form."""
    rows = []
    for name in [n for n in FIELDS if n in changes] + [n for n in changes if n not in FIELDS]:
        before, after = changes[name].get("before"), changes[name].get("after")
        label = FIELDS[name].label if name in FIELDS else name.replace("_", " ").capitalize()
        kind = FIELDS[name].kind if name in FIELDS else "text"
        before_items, after_items = _items(name, before, need_labels), _items(name, after, need_labels)
        marked = None
        if kind == "longtext" and isinstance(before, str) and isinstance(after, str) and before and after:
            marked = inline_diff(before, after)
        rows.append(
            FieldDiff(
                name=name,
                label=label,
                before=display(name, before, need_labels) if name in FIELDS else str(before),
                after=display(name, after, need_labels) if name in FIELDS else str(after),
                marked=marked,
                added=[i for i in after_items if i not in before_items],
                removed=[i for i in before_items if i not in after_items],
                now=display(name, now[name], need_labels) if now and name in now else None,
            )
        )
    return rows
