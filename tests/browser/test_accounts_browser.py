"""Done when: an agency editor updates capacity and proposes a description change, a curator
approves it, the changes are live, and the audit log shows all three."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from directory.models import Service
from tests.auth import factories as make
from tests.auth.factories import PASSWORD
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def _sign_in(page: object, base: str, email: str) -> None:
    page.goto(base + "/login")  # type: ignore[attr-defined]
    page.get_by_label("Email address").fill(email)  # type: ignore[attr-defined]
    page.get_by_label("Password", exact=True).fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]


def test_editor_updates_and_proposes_curator_approves_audit_shows_it(
    page: object, live_app: LiveServer, db: Session
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    org = make.organisation(db, "Lewisham Foodbank")
    make.user(db, "editor", "editor@example.org", organisations=[org])
    make.user(db, "curator", "curator@example.org")
    svc = make.service(db, org, "Catford food bank")
    db.commit()
    service_id = svc.id
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    base = live_app.url

    # The editor signs in and lands on their listings.
    _sign_in(page, base, "editor@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your listings")
    page.get_by_role("link", name="Catford food bank").click()

    # Capacity publishes at once.
    page.get_by_role("link", name="Capacity, waiting time, temporary closure and alert").click()
    page.get_by_label("Waiting list").check()
    page.get_by_label("Typical wait, in days").fill("21")
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_text("Published: the listing shows this now.")).to_be_visible()
    expect(page.get_by_test_id("capacity")).to_have_text("Waiting list. Typical wait: 21 days")
    public = page.context.browser.new_context().new_page()  # an anonymous visitor
    public.goto(f"{base}/services/{service_id}")
    expect(public.locator("main")).to_contain_text("21 days")
    db.expire_all()
    live = db.get(Service, service_id)
    assert live is not None
    assert (live.capacity_status, live.wait_days) == ("waiting_list", 21)

    # A description change is proposed, not published.
    page.get_by_role(
        "link", name="Name, description, eligibility, needs, referral routes, address and phones"
    ).click()
    page.get_by_label("Description").fill("Emergency food parcels with a referral voucher.")
    page.get_by_label("Note for the curator (optional)").fill("Vouchers are now needed")
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text("Sent to a curator.")).to_be_visible()
    expect(page.get_by_test_id("changes")).to_contain_text("Pending")
    db.expire_all()
    assert db.get(Service, service_id).description == "Catford food bank helps people."  # type: ignore[union-attr]

    # Sign out (a confirmed POST).
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    # The curator approves it from the queue.
    _sign_in(page, base, "curator@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Curation")
    page.get_by_test_id("queue-changes").get_by_role("link", name="Catford food bank").click()
    expect(page.get_by_test_id("diff")).to_contain_text("with a referral voucher")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("Approved: Catford food bank shows the change now.")).to_be_visible()
    public.reload()
    expect(public.locator("main")).to_contain_text("Emergency food parcels with a referral voucher.")
    db.expire_all()
    assert db.get(Service, service_id).description == "Emergency food parcels with a referral voucher."  # type: ignore[union-attr]

    # The audit log shows all three.
    page.get_by_role("link", name="Audit log").click()
    events = page.get_by_test_id("audit-events")
    for action in ("service.operational_updated", "service.change_proposed", "service.change_approved"):
        expect(events.locator(f'tr[data-action="{action}"]')).to_have_count(1)
    expect(events.locator('tr[data-action="service.change_approved"]')).to_contain_text("curator@example.org")
    expect(events.locator('tr[data-action="service.operational_updated"]')).to_contain_text("Waiting list")
    assert errors == [], errors  # no CSP violations or script errors
