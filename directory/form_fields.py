"""Form fields shared by several forms."""

from __future__ import annotations

from typing import Any

from wtforms import DateField
from wtforms.utils import unset_value


class DayMonthYearField(DateField):
    """A GOV.UK date input that survives a post missing its day, month or year boxes (the widget
    needs exactly three values to show again)."""

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if formdata is not None and len(self.raw_data or []) != 3:
            self.raw_data = [*(self.raw_data or []), "", "", ""][:3]
