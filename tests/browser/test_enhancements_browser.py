"""Enhancements stay out of sight without JavaScript: the "Copy the text" button shows only when its
script can work."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from directory.cases import referrals
from tests.auth.factories import PASSWORD
from tests.browser.conftest import LiveServer
from tests.cases import factories as make

pytestmark = pytest.mark.browser


def _text_page(db: Session) -> str:
    services = make.directory(db)
    pat = make.team_member(db, "Lewisham custody", "pat@example.org")
    case = make.open_case(db, pat, "COPY1")
    make.consent(db, pat, case)
    referral = referrals.make_referral(
        db, pat, case, make.rank_of(case, services["housing"]), "referral_sent"
    )
    db.commit()
    url = f"/cases/{case.id}/referrals/{referral.id}/text"
    db.close()
    return url


@pytest.mark.parametrize("javascript", [False, True])
def test_the_copy_button_shows_only_with_javascript(
    browser: object, db: Session, live_app: LiveServer, javascript: bool
) -> None:
    url = _text_page(db)
    context = browser.new_context(java_script_enabled=javascript)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(live_app.url + "/login")
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(live_app.url + url)
    assert page.locator("#handover-text").count() == 1  # the text page itself
    button = page.locator("[data-copy-target]")
    assert button.count() == 1
    assert button.is_visible() is javascript
    context.close()


@pytest.mark.parametrize("javascript", [False, True])
def test_the_legal_exception_fields_show_only_when_chosen(
    browser: object, db: Session, live_app: LiveServer, javascript: bool
) -> None:
    make.directory(db)
    pat = make.team_member(db, "Lewisham custody", "pat@example.org")
    case = make.open_case(db, pat, "CONSENT1")
    db.commit()
    url = f"/cases/{case.id}/consent"
    db.close()
    context = browser.new_context(java_script_enabled=javascript)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(live_app.url + "/login")
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(live_app.url + url)
    reason = page.get_by_label("Your reason for sharing without consent")
    safeguarding = page.get_by_label("Safeguarding (substantial public interest)")
    if not javascript:  # nothing hides them: they sit under their choice
        assert reason.is_visible()
        assert safeguarding.is_visible()
    else:
        assert not reason.is_visible()
        page.get_by_label("Gave explicit consent to share").check()
        assert not reason.is_visible()
        page.get_by_label("Sharing without consent under a legal exception").check()
        assert reason.is_visible()
        assert safeguarding.is_visible()
    context.close()
