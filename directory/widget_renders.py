"""GOV.UK form widgets rendered once per distinct set of parameters.

``govuk-frontend-wtf`` renders every field through the GOV.UK Jinja macros: about 1 ms for a text box,
more for a list of choices, and most of the package page's 100 ms for its 300-council select. What a
widget renders depends only on its parameters (label, hint, choices, what is ticked, error message, the
template's settings), so each app keeps the renders it has made and answers equal parameters from them.

Nothing a person typed is kept: a text box, text area or date is kept only while it is empty, and
parameters holding rendered HTML (a conditional reveal around another field) are rendered afresh. Choice
widgets and buttons hold only the form's own choices and labels.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, current_app
from govuk_frontend_wtf.gov_form_base import GovFormBase, GovIterableBase
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from markupsafe import Markup

EXTENSION = "widget_renders"
MAX_RENDERS = 512  # most renders are 1-3 KB; the council select is about 25 KB
_SCALARS = (int, float, bool, type(None))
_OWN_VALUES = (GovIterableBase, GovSelect, GovSubmitInput)  # values come from the form, not a person


class _RenderAfreshError(Exception):
    """The parameters hold typed text, rendered HTML or an object: render without keeping it."""


def _key(value: Any, typed_values: bool) -> Hashable:
    """A hashable copy of widget parameters, types kept (``True``, ``1`` and ``"1"`` differ).

    With ``typed_values`` every ``value`` entry came from a person, so any that is not empty refuses.
    """
    kind = type(value)
    if kind is str:  # exactly str: Markup (rendered HTML) is a subclass and refuses below
        return str(value)
    if kind is dict:
        if typed_values and value.get("value") not in (None, "", False):
            raise _RenderAfreshError
        return (dict, tuple([(k, _key(v, typed_values)) for k, v in value.items()]))
    if kind is list or kind is tuple:
        return (kind, tuple([_key(v, typed_values) for v in value]))
    if kind in _SCALARS:
        return (kind, value)
    raise _RenderAfreshError


class RenderCache:
    """The renders one app has made, least recently used dropped first."""

    def __init__(self, size: int = MAX_RENDERS) -> None:
        self.size = size
        self._renders: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], Markup]) -> Markup:
        with self._lock:
            found = self._renders.get(key)
            if found is not None:
                self._renders.move_to_end(key)
                return found
        made = render()
        with self._lock:
            self._renders[key] = made
            if len(self._renders) > self.size:
                self._renders.popitem(last=False)
        return made

    def __len__(self) -> int:
        return len(self._renders)


def _remembering(
    original: Callable[[Any, dict[str, Any]], Markup],
) -> Callable[[Any, dict[str, Any]], Markup]:
    def render(widget: Any, params: dict[str, Any]) -> Markup:
        cache: RenderCache | None = current_app.extensions.get(EXTENSION)
        if cache is None:
            return original(widget, params)
        try:
            key = (widget.template, _key(params, typed_values=not isinstance(widget, _OWN_VALUES)))
        except _RenderAfreshError:
            return original(widget, params)
        return cache.get(key, lambda: original(widget, params))

    render.__wrapped__ = original  # type: ignore[attr-defined]
    return render


def _install() -> None:
    """Wrap every widget's ``render`` (once per process; apps opt in with ``init_app``)."""
    if not hasattr(GovFormBase.render, "__wrapped__"):
        GovFormBase.render = _remembering(GovFormBase.render)


def init_app(app: Flask) -> None:
    """Give ``app`` its own store of widget renders."""
    _install()
    app.extensions[EXTENSION] = RenderCache()
