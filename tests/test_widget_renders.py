"""GOV.UK widgets rendered once per distinct set of parameters, never keeping what a person typed."""

from __future__ import annotations

from typing import Any

from flask import Flask, template_rendered
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from markupsafe import Markup
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from directory.widget_renders import EXTENSION, RenderCache


class NoteForm(FlaskForm):
    reason = RadioField(
        "Reason", choices=[("court", "Court"), ("custody", "Custody")], widget=GovRadioInput()
    )
    postcode = StringField("Postcode", widget=GovTextInput(), validators=[InputRequired("Enter a postcode")])
    note = TextAreaField("Note", widget=GovTextArea())
    submit = SubmitField("Save", widget=GovSubmitInput())


def _templates_rendered(app: Flask, action: Any) -> list[str]:
    names: list[str] = []

    def record(sender: Flask, template: Any, context: Any, **extra: Any) -> None:
        names.append(template.name)

    with template_rendered.connected_to(record, app):
        action()
    return names


def _store(app: Flask) -> RenderCache:
    store = app.extensions[EXTENSION]
    assert isinstance(store, RenderCache)
    return store


def _kept_text(app: Flask) -> str:
    store = _store(app)
    return repr(list(store._renders.items()))


def test_a_second_package_page_takes_every_widget_from_the_store(
    seeded_client: FlaskClient, seeded_app: Flask
) -> None:
    pages: list[str] = []
    first = _templates_rendered(seeded_app, lambda: pages.append(seeded_client.get("/package").text))
    second = _templates_rendered(seeded_app, lambda: pages.append(seeded_client.get("/package").text))
    assert "govuk_frontend_wtf/select.html" in first  # the 300-council select
    assert [name for name in second if name.startswith("govuk_frontend_wtf/")] == []
    assert pages[0] == pages[1]


def test_each_choice_and_error_gets_its_own_render(app: Flask) -> None:
    with app.test_request_context():
        court = NoteForm(data={"reason": "court"}).reason()
        custody = NoteForm(data={"reason": "custody"}).reason()
        again = NoteForm(data={"reason": "court"}).reason()
        form = NoteForm(formdata=None)
        form.validate()
        with_error = form.postcode()
    assert court == again
    assert 'value="court" checked' in court
    assert 'value="custody" checked' in custody
    assert "Enter a postcode" in with_error
    assert 'value="custody" checked' not in court


def test_typed_text_is_shown_but_never_kept(app: Flask) -> None:
    typed = {"postcode": "SE13 6LJ", "note": "Lives with her sister; do not call after 6pm"}
    with app.test_request_context():
        before = len(_store(app))
        empty = NoteForm(data={})
        empty.postcode(), empty.note()  # empty boxes hold nothing typed, so they are kept
        assert len(_store(app)) == before + 2
        filled = NoteForm(data=typed)
        shown = [filled.postcode(), filled.note(), filled.postcode()]
    assert "SE13 6LJ" in shown[0]
    assert typed["note"] in shown[1]
    assert "SE13 6LJ" not in _kept_text(app)
    assert "do not call" not in _kept_text(app)


def test_parameters_holding_rendered_html_are_not_kept(app: Flask) -> None:
    reveal = Markup("<p>Legal exception: details typed earlier</p>")
    with app.test_request_context():
        form = NoteForm(data={"reason": "court"})
        params = {"items": [{"conditional": {"html": reveal}}, {}]}
        shown = form.reason(params=params)
    assert str(reveal) in shown
    assert "details typed earlier" not in _kept_text(app)


def test_the_store_keeps_the_most_recently_used_renders() -> None:
    store = RenderCache(size=2)
    made: list[str] = []

    def render(text: str) -> Markup:
        made.append(text)
        return Markup.escape(text)

    for key in ("a", "b", "a", "c", "a", "b"):
        store.get(key, lambda key=key: render(key))
    assert made == ["a", "b", "c", "b"]  # "b" was dropped for "c", "a" stayed in use
    assert len(store) == 2
