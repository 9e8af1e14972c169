"""CSV cells a spreadsheet cannot run: one rule for every export, and its inverse for our importer.

A cell starting ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel and
LibreOffice (CSV injection). Such a cell is written with a leading apostrophe, which spreadsheets
show as text. A cell already starting with an apostrophe gets one more, so ``restore`` gives back
exactly what was written.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def inert(text: str) -> str:
    """``text`` as a cell no spreadsheet will run as a formula."""
    return GUARD + text if text.startswith((*FORMULA_START, GUARD)) else text


def restore(cell: str) -> str:
    """What ``inert`` was given: its guard is taken off again (other cells are left as they are)."""
    if cell.startswith(GUARD) and cell[1:].startswith((*FORMULA_START, GUARD)):
        return cell[1:]
    return cell
