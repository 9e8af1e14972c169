"""Form fuzz: every form of every page, posted with text holding control characters, huge values,
wrong types and missing fields, never gets a 5xx (seeded and bounded, so it is the same run each time).
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.form_world import PAGES, FormWorld, page_forms
from tests.form_pages import Form

CONTROL_TEXT = st.text(
    alphabet=st.sampled_from("\x00\x01\x08\x0b\x1b\x1f\t\n\r a1@."), min_size=1, max_size=12
)
ODD_TEXT = st.one_of(
    CONTROL_TEXT,
    st.text(max_size=40),
    st.sampled_from(["", " ", "-1", "0", "1e309", "99999999999999999999", "NaN", "<script>", "../..", "%00"]),
    st.integers(10_000, 100_000).map(lambda n: "x" * n),  # far past every length limit
)
# What happens to one field: kept, replaced by odd text, sent twice, or left out.
CHANGE = st.one_of(
    st.just("keep"),
    ODD_TEXT.map(lambda text: ("text", text)),
    CONTROL_TEXT.map(lambda text: ("append", text)),  # what the page offers, with control characters
    st.lists(ODD_TEXT, min_size=2, max_size=3).map(lambda texts: ("many", texts)),
    st.just("drop"),
)


# Forms that take away what later examples need (the listing, the editor's access, a session), so
# each example starts from the same world; the control-character test posts them all.
LOSES_THE_WORLD = re.compile(r"/(retire|disable|end-sessions|role|team|remove|reset-link|password|close)$")
FUZZED_PAGES = [page for page in PAGES if page not in ("retire", "password", "case-close")]


def fuzzed(form: Form, changes: list[Any]) -> dict[str, list[str]]:
    names = list(dict.fromkeys([name for name, _ in form.fields] + list(form.choices)))
    sent = form.data()
    for name, change in zip(names, changes, strict=False):
        if change == "drop":
            sent.pop(name, None)
        elif change != "keep":
            kind, value = change
            if kind == "append":
                sent[name] = [f"{old}{value}" for old in sent.get(name, [""])]
            else:
                sent[name] = value if kind == "many" else [value]
    return sent


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.lists(CHANGE, min_size=5, max_size=40))
def test_no_form_post_is_a_5xx(form_world: FormWorld, changes: list[Any]) -> None:
    """Each example sends every page's forms, changed field by field by ``changes``."""
    for page in FUZZED_PAGES:
        try:
            client, forms = page_forms(form_world, page)
        except AssertionError:  # an earlier post used up what the page shows (a proposal decided)
            continue
        for form in forms:
            if LOSES_THE_WORLD.search(form.action.split("?")[0]):
                continue
            response = client.post(form.action, data=fuzzed(form, changes))
            assert response.status_code < 500, (page, form.action, response.get_data(as_text=True)[:3000])
