"""Flask-WTF's ``FlaskForm``, as the type checker should see it.

Flask-WTF ships no type information, so subclassing its ``FlaskForm`` directly would make every page
form ``Any``. The checker sees the WTForms ``Form`` it extends plus the methods this project calls;
at run time it is Flask-WTF's own class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markupsafe import Markup
    from wtforms import Field, Form

    class FlaskForm(Form):
        """Flask-WTF's form: reads the request's form data, checks the CSRF token."""

        def is_submitted(self) -> bool: ...
        def validate_on_submit(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool: ...
        def hidden_tag(self, *fields: Field | str) -> Markup: ...

else:
    from flask_wtf import FlaskForm

__all__ = ["FlaskForm"]
