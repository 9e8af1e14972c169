"""The one rule that keeps exported cells from running as spreadsheet formulas, and its inverse."""

from __future__ import annotations

import pytest

from directory.csv_safety import inert, restore


@pytest.mark.parametrize("text", ["=1+1", "+44 20", "-1", "@SUM(A1)", "\tx", "\rx", "'=1+1", "''"])
def test_formulas_are_written_as_text(text: str) -> None:
    assert inert(text).startswith("'")
    assert restore(inert(text)) == text


@pytest.mark.parametrize("text", ["", "Open now", "020 7946 0000", "1+1", "it's", "'quoted"])
def test_other_cells_are_kept_and_come_back_unchanged(text: str) -> None:
    assert restore(inert(text)) == text
    assert inert(text) == text or text.startswith("'")


def test_a_guard_on_a_cell_that_needs_none_is_left_alone() -> None:
    assert restore("'hello") == "'hello"  # someone's own apostrophe, not our guard
