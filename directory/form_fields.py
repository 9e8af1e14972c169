"""Form parts shared by several forms: the typed base form and fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from wtforms import DateField
from wtforms.utils import unset_value

if TYPE_CHECKING:
    from markupsafe import Markup
    from wtforms import Field, Form

    class FlaskForm(Form):
        """Flask-WTF's ``FlaskForm`` as the type checker sees it: Flask-WTF ships no types, so page
        forms subclassing it directly would be ``Any``. At run time this is Flask-WTF's own class."""

        def is_submitted(self) -> bool: ...
        def validate_on_submit(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool: ...
        def hidden_tag(self, *fields: Field | str) -> Markup: ...

else:
    from flask_wtf import FlaskForm

__all__ = ["DayMonthYearField", "FlaskForm"]


class DayMonthYearField(DateField):
    """A GOV.UK date input that survives a post missing its day, month or year boxes (the widget
    needs exactly three values to show again)."""

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if formdata is not None and len(self.raw_data or []) != 3:
            self.raw_data = [*(self.raw_data or []), "", "", ""][:3]
