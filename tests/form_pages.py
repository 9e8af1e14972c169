"""The forms a page shows, read from its HTML, with the values a person would send by default.

Used by the control-character test and the form fuzz: each posts what the page offers, changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_TYPES = {"text", "email", "password", "search", "tel", "url", "number", "date", "time", None}
NOT_POSTED = {"/logout", "/account/sign-out-everywhere"}  # in every page's navigation


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # name, default value, in page order
    text: set[str] = field(default_factory=set)  # names a person types into
    choices: dict[str, list[str]] = field(default_factory=dict)  # radios, selects, checkboxes

    def data(self, **changes: str | list[str]) -> dict[str, list[str]]:
        """The default post with ``changes`` applied."""
        sent: dict[str, list[str]] = {}
        for name, value in self.fields:
            sent.setdefault(name, []).append(value)
        sent.update({k: v if isinstance(v, list) else [v] for k, v in changes.items()})
        return sent


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None
        self.chosen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.form = Form(action=a.get("action") or "")
            self.forms.append(self.form)
        if self.form is None or not a.get("name"):
            return
        name = a["name"] or ""
        kind = (a.get("type") or "text").lower() if tag == "input" else None
        if tag == "input" and kind in TEXT_TYPES | {"hidden"}:
            default = a.get("value") or ("" if kind == "hidden" else "x")
            if kind != "hidden":
                self.form.text.add(name)
            self.form.fields.append((name, default))
        elif tag == "input" and kind in ("radio", "checkbox"):
            self.form.choices.setdefault(name, []).append(a.get("value") or "y")
            if "checked" in a or (kind == "radio" and name not in self.chosen):
                if kind == "radio":
                    self.form.fields = [f for f in self.form.fields if f[0] != name]
                self.chosen.add(name)
                self.form.fields.append((name, a.get("value") or "y"))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            self.form.choices.setdefault(self.select, []).append(value)
            if (self.select not in self.chosen and value) or "selected" in a:
                self.form.fields = [f for f in self.form.fields if f[0] != self.select]
                self.chosen.add(self.select)
                self.form.fields.append((self.select, value))
        elif tag == "textarea":
            self.textarea = name
            self.form.text.add(name)
            self.form.fields.append((name, "x"))

    def handle_data(self, data: str) -> None:
        if self.form is not None and self.textarea and data.strip():
            self.form.fields = [f for f in self.form.fields if f[0] != self.textarea]
            self.form.fields.append((self.textarea, data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
            self.chosen = set()
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def post_forms(html: str, page_url: str) -> list[Form]:
    """The page's POST forms (not the navigation's sign-out buttons); a form with no action posts to
    ``page_url``."""
    reader = _Reader()
    reader.feed(html)
    for form in reader.forms:
        form.action = form.action or page_url
    return [f for f in reader.forms if f.action.split("?")[0] not in NOT_POSTED]
