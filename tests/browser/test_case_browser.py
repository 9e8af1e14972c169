"""The loop closed in a real browser: build a package, open a case, record consent, book one service
and signpost another, see the acknowledgement check fall due, record the appointment attended and
close the referral with an outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from directory.cases.followup import acknowledgement_due
from directory.cases.workdays import next_working_day_after
from directory.hours import today
from directory.templating import format_date
from tests.auth.factories import PASSWORD
from tests.browser.conftest import LiveServer
from tests.cases import factories as make

pytestmark = pytest.mark.browser


def test_build_a_package_open_a_case_and_close_the_loop(
    page: object, app: Flask, db: Session, live_app: LiveServer
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    make.directory(db)
    make.team_member(db, "Lewisham custody", "pat@example.org")
    db.commit()
    db.close()

    page.goto(live_app.url + "/login")
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your team's follow-ups")

    # Build a package.
    page.goto(live_app.url + "/package")
    page.get_by_label("Nowhere to sleep tonight").check()
    page.get_by_label("Alcohol use").check()
    page.get_by_label("Age", exact=True).fill("34")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Home postcode").fill("SE13 6LJ")
    page.get_by_label("Postcode of the custody suite").fill("SE6 4RU")
    page.get_by_role("button", name="Build the package").click()
    expect(page.get_by_test_id("package-item")).to_have_count(2)

    # Open a case from it.
    page.get_by_role("button", name="Open a case from this package").click()
    page.get_by_label("Local reference (optional)").fill("lew 42")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_test_id("case-heading")).to_contain_text("Case LEW42")
    assert "LEW42" not in page.url
    expect(page.get_by_test_id("consent-missing")).to_be_visible()

    # Record consent.
    page.get_by_role("link", name="Record consent").click()
    page.get_by_label("Gave explicit consent to share").check()
    page.get_by_label("The needs relevant to each service").check()
    page.get_by_label("How to contact them", exact=True).check()
    page.get_by_label("Housing and homelessness services").check()
    page.get_by_label("Health services").check()
    page.get_by_label("Verbally, in person").check()
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_test_id("consent-given")).to_be_visible()

    # Book an appointment with the housing service.
    appointment_day = today() + timedelta(days=2)
    page.get_by_role("link", name="Refer or signpost to Housing options").click()
    page.get_by_label("Appointment booked").check()
    page.get_by_label("Day").fill(str(appointment_day.day))
    page.get_by_label("Month").fill(str(appointment_day.month))
    page.get_by_label("Year").fill(str(appointment_day.year))
    page.get_by_label("Appointment time (24-hour)").fill("14:00")
    page.get_by_label("Where").fill("Laurence House, Catford")
    page.get_by_role("button", name="Record the referral").click()
    housing = page.get_by_test_id("referral-item").filter(has_text="Housing options")
    expect(housing.get_by_test_id("referral-state")).to_contain_text("H3 Appointment booked")
    expect(housing.get_by_test_id("appointment")).to_contain_text("Laurence House, Catford")

    # Signpost the alcohol service.
    page.get_by_role("link", name="Refer or signpost to Alcohol service").click()
    page.get_by_label("Signposted (gave them the details)").check()
    page.get_by_role("button", name="Record the referral").click()
    alcohol = page.get_by_test_id("referral-item").filter(has_text="Alcohol service")
    expect(alcohol.get_by_test_id("referral-state")).to_contain_text("H0 Signposted")

    # The acknowledgement check is on the team's list, due on the third working day.
    page.get_by_role("link", name="Cases", exact=True).click()
    due = acknowledgement_due(today())
    row = page.get_by_test_id("task").filter(has_text="Check the referral was acknowledged")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("LEW42")
    expect(row).to_contain_text("Housing options")
    expect(row).to_contain_text(f"{due:%A} {format_date(due)}")
    row.get_by_role("link", name="LEW42").click()
    tasks = page.get_by_test_id("case-tasks")
    after = next_working_day_after(appointment_day)
    expect(tasks).to_contain_text("Check how the first appointment went")
    expect(tasks).to_contain_text(f"{after:%A} {format_date(after)}")

    # The person went to the appointment.
    page.get_by_role("link", name="Attended the first appointment (Housing options)").click()
    page.get_by_role("button", name="Record it").click()
    expect(housing.get_by_test_id("referral-state")).to_contain_text("First appointment attended")

    # Close the referral with an outcome.
    page.get_by_role("link", name="Closed with an outcome (Housing options)").click()
    page.get_by_label("Need met", exact=True).check()
    page.get_by_label("The service helped").check()
    page.get_by_label("Note (optional)").fill("Placed in temporary accommodation")
    page.get_by_role("button", name="Close the referral").click()
    expect(housing.get_by_test_id("outcome")).to_contain_text("Need met")
    expect(housing.get_by_test_id("referral-state")).to_contain_text("Closed")

    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator(".moj-timeline__item")).to_have_count(
        6
    )  # opened, consent, booked, signposted, attended, closed
    expect(timeline.locator(".moj-timeline__item").first).to_contain_text(
        "Closed with an outcome: Housing options"
    )
    expect(timeline).to_contain_text("by Pat")
    expect(page.get_by_test_id("case-tasks")).to_contain_text("Answered by an update")
