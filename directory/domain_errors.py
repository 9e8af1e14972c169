"""A service refusing a request, and showing the refusal on the form that made it.

Services raise ``DomainError`` (plain English, naming the form field it concerns) before they change
anything. A view puts it on the form with ``show_refusal`` and shows the page again with
``form_status`` (400), and a 400 rolls the request back.
"""

from __future__ import annotations

from typing import Any


class DomainError(ValueError):
    """A request the rules refuse; ``field`` names the form field to show ``message`` against."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def show_refusal(form: Any, error: DomainError, default: str = "submit") -> None:
    """Add the refusal to the field it names (``default`` when it names none the form has)."""
    field = getattr(form, error.field or default, None) or getattr(form, default)
    field.errors = [*(field.errors or []), error.message]


def form_status(form: Any) -> int:
    """400 when the form shows errors (its own or a service's refusal), else 200."""
    return 400 if form.errors else 200
