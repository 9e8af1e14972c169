"""A full site for the narrow-screen tour: the demo directory plus one of everything people make
(a case with referrals and follow-ups, proposals, problem reports, a duplicate pair, an invitation, a
staged import, audit history), and the URL of every page, with the role that may open it.

Records are made through the app's own forms where that is short (so history and audit rows are
real), else straight in the database with the test factories.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.hours import today
from directory.models import Case, FollowUpTask, Referral, Service
from directory.seeding import seed
from tests.auth import factories as accounts
from tests.cases import factories as cases

FEED = Path(__file__).parent.parent / "data" / "feeds" / "council_feed.json"
ROLES = ("anonymous", "practitioner", "editor", "curator", "admin")
EMAILS = {role: f"{role}@example.org" for role in ROLES if role != "anonymous"}

# GET routes that answer something other than an HTML page.
NOT_PAGES = {
    "static",
    "health.healthz",
    "audit.export",
    "cases.export_json",
}


@dataclass
class Tour:
    """Pages to visit: (role, url, endpoint)."""

    stops: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, role: str, url: str, endpoint: str) -> None:
        self.stops.append((role, url, endpoint))

    def endpoints(self) -> set[str]:
        return {endpoint for _role, _url, endpoint in self.stops}


def _client(app: Flask, db: Session, role: str) -> FlaskClient:
    from directory.auth import accounts as users

    person = users.find_by_email(db, EMAILS[role])
    assert person is not None
    return accounts.sign_in(app.test_client(), person)


def _ok(response: object) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    assert status in (200, 302), (status, response.get_data(as_text=True)[:1500])  # type: ignore[attr-defined]


def _issued_link(page: str) -> str:
    found = re.search(r'data-testid="issued-link">([^<]+)<', page)
    assert found, page[:2000]
    return found.group(1).replace("http://localhost", "")


def build(app: Flask, db: Session) -> Tour:
    """Fill the database and list every page."""
    seed(db)
    services = cases.directory(db)
    housing = services["housing"]
    agency = housing.organization
    demo = db.scalar(select(Service).where(Service.name.like("%ood%")).order_by(Service.name))
    assert demo is not None
    accounts.user(db, "editor", EMAILS["editor"], organisations=[agency, demo.organization])
    accounts.user(db, "curator", EMAILS["curator"])
    accounts.user(db, "admin", EMAILS["admin"])
    practitioner = cases.team_member(db, "Lewisham custody", EMAILS["practitioner"])
    # A duplicate pair: the same service listed twice, under a near-identical name.
    twin = accounts.service(db, agency, "Housing option", postcode="SE6 4RU", phone="020 8314 6000")
    problem = accounts.problem(db, housing, practitioner)
    accounts.problem(db, twin, practitioner, kind="closed")
    db.commit()
    ids = {
        "housing": housing.id,
        "twin": twin.id,
        "agency": agency.id,
        "demo": demo.id,
        "problem": problem.id,
    }
    db.close()

    editor = _client(app, db, "editor")
    _ok(
        editor.post(
            f"/listings/{ids['housing']}/opening-times",
            data={
                "version": str(db.get(Service, ids["housing"]).version),  # type: ignore[union-attr]
                "mon_1_opens": "9am",
                "mon_1_closes": "5pm",
                "copy_monday": "y",
                "sat_1_opens": "10",
                "sat_1_closes": "14",
                "sat_1_drop_in": "y",
            },
        )
    )
    db.close()
    tomorrow = today() + timedelta(days=1)
    _ok(
        editor.post(
            f"/listings/{ids['housing']}/exceptions",
            data={
                "day": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)],
                "closed": "closed",
                "note": "Staff training",
            },
        )
    )
    db.close()
    change = accounts.proposal(
        db,
        db.get(Service, ids["housing"]),  # type: ignore[arg-type]
        accounts.user(db, "editor", "second.editor@example.org"),
        description="Emergency housing advice for anyone homeless tonight, with a same-day appointment.",
        how_to_refer="Phone the duty officer on 020 8314 6000 before noon; professionals may email.",
    )
    db.commit()
    ids["change"] = change.id
    db.close()

    practitioner_client = _client(app, db, "practitioner")
    opened = practitioner_client.post(
        "/cases/new", data={**cases.PACKAGE_FORM, "stage": "open", "reference": "LEW 1"}
    )
    _ok(opened)
    case_url = opened.headers["Location"]
    db.close()
    case = db.scalar(select(Case))
    assert case is not None
    ids["case"] = case.id
    ranks = [item["rank"] for item in case.plan["items"]]
    housing_rank = ranks[0]
    first_service = case.plan["items"][0]["service_id"]
    db.close()
    _ok(
        practitioner_client.post(
            f"{case_url}/consent",
            data={
                "decision": "given",
                "shares": ["needs", "contact", "circumstances", "safety"],
                "recipients": ["housing", "health", "safeguarding", "community", "justice"],
                "method": "verbal",
            },
        )
    )
    appointment = today() + timedelta(days=2)
    _ok(
        practitioner_client.post(
            f"{case_url}/items/{housing_rank}/refer",
            data={
                "level": "appointment_booked",
                "appointment_date": [str(appointment.day), str(appointment.month), str(appointment.year)],
                "appointment_time": "14:00",
                "appointment_place": "Laurence House, 1 Catford Road, Catford",
            },
        )
    )
    for rank in ranks:
        if rank != housing_rank:
            practitioner_client.post(f"{case_url}/items/{rank}/refer", data={"level": "signposted"})
    db.close()
    referral = db.scalar(select(Referral).where(Referral.service_id == first_service))
    assert referral is not None
    task = db.scalar(select(FollowUpTask).where(FollowUpTask.referral_id == referral.id))
    assert task is not None
    ids["referral"], ids["task"] = referral.id, task.id
    ids["housing_rank"] = str(housing_rank)
    db.close()

    admin = _client(app, db, "admin")
    invitation = _issued_link(
        admin.post(
            "/admin/users/invite",
            data={
                "email": "new.editor@example.org",
                "name": "Nia",
                "role": "editor",
                "organisation": ids["agency"],
            },
        ).get_data(as_text=True)
    )
    db.close()
    from directory.auth import accounts as users

    invited = users.find_by_email(db, "new.editor@example.org")
    assert invited is not None
    ids["invited"] = invited.id
    editor_user = users.find_by_email(db, EMAILS["editor"])
    assert editor_user is not None
    ids["editor"] = editor_user.id
    db.close()
    reset = _issued_link(admin.post(f"/admin/users/{ids['editor']}/reset-link").get_data(as_text=True))

    curator = _client(app, db, "curator")
    staged = curator.post(
        "/imports/",
        data={"file": (io.BytesIO(FEED.read_bytes()), "council.json"), "source": "council"},
        content_type="multipart/form-data",
    )
    assert staged.status_code == 302, staged.get_data(as_text=True)[:1500]
    import_url = staged.headers["Location"]
    db.close()

    return _tour(ids, case_url, invitation, reset, import_url)


def _tour(ids: dict[str, str], case_url: str, invitation: str, reset: str, import_url: str) -> Tour:
    tour = Tour()
    service, twin, referral = ids["housing"], ids["twin"], ids["referral"]
    for role, url, endpoint in [
        ("anonymous", "/", "home.index"),
        ("anonymous", "/search?q=food&postcode=SE13+6LJ", "search.results"),
        ("anonymous", "/search?q=zzzzqqq", "search.results"),
        ("anonymous", f"/services/{service}", "search.service_page"),
        ("anonymous", f"/services/{ids['demo']}", "search.service_page"),
        ("anonymous", "/directory/coverage", "home.coverage"),
        ("anonymous", "/package", "package.build"),
        ("anonymous", "/login", "auth.login"),
        ("anonymous", "/forgot-password", "auth.forgot_password"),
        ("anonymous", invitation, "auth.accept_invitation"),
        ("anonymous", reset, "auth.reset_password"),
        ("anonymous", "/no-such-page", "(404)"),
        ("practitioner", "/", "home.index"),
        ("practitioner", "/search?q=housing", "search.results"),
        ("practitioner", f"/services/{service}", "search.service_page"),
        ("practitioner", f"/services/{service}/report-problem", "problems.report_problem"),
        ("practitioner", "/account", "auth.account"),
        ("practitioner", "/account/password", "auth.change_password"),
        ("practitioner", "/logout", "auth.logout"),
        ("practitioner", "/cases/", "cases.dashboard"),
        ("practitioner", "/cases/find", "cases.find"),
        ("practitioner", case_url, "cases.show"),
        ("practitioner", f"{case_url}/consent", "cases.consent"),
        ("practitioner", f"{case_url}/plan", "cases.plan"),
        ("practitioner", f"{case_url}/items/{ids['housing_rank']}/refer", "cases.refer"),
        ("practitioner", f"{case_url}/referrals/{referral}/level", "cases.level"),
        ("practitioner", f"{case_url}/referrals/{referral}/acknowledged", "cases.step"),
        ("practitioner", f"{case_url}/referrals/{referral}/text", "cases.handover_text"),
        ("practitioner", f"{case_url}/tasks/{ids['task']}/done", "cases.task_done"),
        ("practitioner", f"{case_url}/close", "cases.close"),
        ("practitioner", f"{case_url}/export", "cases.export_page"),
        ("admin", f"{case_url}/access", "cases.access"),
        ("editor", "/listings/", "listings.your_listings"),
        ("editor", f"/listings/{service}", "listings.listing"),
        ("editor", f"/listings/{service}/details", "listings.details"),
        ("editor", f"/listings/{service}/opening-times", "listings.opening_times"),
        ("editor", f"/listings/{service}/exceptions", "listings.exceptions"),
        ("editor", f"/listings/{service}/update", "listings.update"),
        ("editor", f"/listings/{service}/changes/{ids['change']}", "listings.change"),
        ("editor", f"/listings/{service}/history", "audit.listing_history"),
        ("curator", "/curation/", "curation.queue"),
        ("curator", "/curation/changes", "curation.changes"),
        ("curator", f"/curation/changes/{ids['change']}", "curation.change"),
        ("curator", f"/curation/changes/{ids['change']}/edit", "curation.edit_change"),
        ("curator", "/curation/problems", "curation.problem_list"),
        ("curator", f"/curation/problems/{ids['problem']}", "curation.problem"),
        ("curator", "/curation/review", "curation.review"),
        ("curator", "/curation/duplicates", "curation.duplicate_list"),
        (
            "curator",
            f"/curation/duplicates/merge?first={service}&second={twin}&keep={twin}",
            "curation.confirm_merge",
        ),
        ("curator", "/curation/organisations", "curation.organisations"),
        ("curator", "/curation/organisations/new", "curation.new_organisation"),
        ("curator", f"/curation/organisations/{ids['agency']}", "curation.organisation"),
        ("curator", f"/curation/organisations/{ids['agency']}/services/new", "curation.new_service"),
        ("curator", f"/curation/services/{twin}/retire", "curation.retire"),
        ("curator", f"/listings/{service}", "listings.listing"),
        ("curator", f"/listings/{service}/history", "audit.listing_history"),
        ("curator", "/imports/", "imports.upload"),
        ("curator", import_url, "imports.preview"),
        ("curator", "/imports/mappings", "imports.mappings"),
        ("curator", "/imports/mappings/edit?taxonomy=esd&term=123", "imports.edit_mapping"),
        ("admin", "/audit", "audit.index"),
        ("admin", "/admin/users/", "users.index"),
        ("admin", "/admin/users/invite", "users.invite"),
        ("admin", f"/admin/users/{ids['editor']}", "users.detail"),
        ("admin", f"/admin/users/{ids['invited']}", "users.detail"),
    ]:
        tour.add(role, url, endpoint)
    return tour
