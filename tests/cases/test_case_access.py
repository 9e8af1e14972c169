"""Cases are visible only to their team (and to administrators who record why): in ``can`` and over
HTTP, by direct URL and by swapping ids."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.auth import can
from directory.auth.permissions import CASE_ACTIONS
from directory.cases import records, referrals
from directory.models import AuditEvent, Case, CaseAccessGrant, User
from directory.models.base import utcnow
from tests.auth import factories as accounts
from tests.cases import factories as make
from tests.cases.conftest import World, client_for

ROLES = ("anonymous", "pat", "kim", "no_team", "editor", "curator", "admin", "team_admin")


def _people(db: Session, world: World) -> dict[str, User | None]:
    org = accounts.organisation(db, "An agency")
    people: dict[str, User | None] = {
        "anonymous": None,
        "pat": world.pat,
        "kim": world.kim,
        "no_team": accounts.user(db, "practitioner", "loner@example.org"),
        "editor": accounts.user(db, "editor", "editor@example.org", organisations=[org]),
        "curator": accounts.user(db, "curator", "curator@example.org"),
        "admin": accounts.user(db, "admin", "admin@example.org"),
        "team_admin": make.team_member(db, "Lewisham custody", "lead@example.org", role="admin"),
    }
    db.flush()
    return people


# (action, on the Lewisham case?) -> who may. Admins outside the team may only ask, with a reason.
EXPECTED = {
    ("view", True): {"pat", "team_admin"},
    ("export_case", True): {"pat", "team_admin"},
    ("change_case", True): {"pat", "team_admin"},
    ("request_case_access", True): {"admin"},
    ("open_case", False): {"pat", "kim", "team_admin"},
    ("view_team_cases", False): {"pat", "kim", "team_admin"},
    ("find_any_case", False): {"admin", "team_admin"},
}


def test_every_case_action_is_in_the_matrix() -> None:
    assert {action for action, _on_case in EXPECTED} - {"view"} == CASE_ACTIONS


def test_can_matches_the_matrix(app: Flask, world: World, db: Session) -> None:
    people = _people(db, world)
    case = make.open_case(db, world.pat)
    wrong = []
    for (action, on_case), allowed in EXPECTED.items():
        for name in ROLES:
            got = can(people[name], action, case if on_case else None)
            if got != (name in allowed):
                wrong.append(f"{name} {action}: got {got}")
    assert wrong == [], "\n".join(wrong)


def test_a_closed_or_purged_case_can_be_read_not_changed(app: Flask, world: World, db: Session) -> None:
    case = make.open_case(db, world.pat)
    records.close_case(db, world.pat, case)
    assert can(world.pat, "view", case)
    assert not can(world.pat, "change_case", case)


def _case_urls(db: Session, world: World) -> tuple[Case, list[tuple[str, str, dict[str, object]]]]:
    case = make.open_case(db, world.pat, "LEW1")
    make.consent(db, world.pat, case)
    referral = referrals.make_referral(
        db, world.pat, case, make.rank_of(case, world.services["housing"]), "referral_sent"
    )
    db.flush()
    task = case.tasks[0]
    other_rank = make.rank_of(case, world.services["alcohol"])
    base = f"/cases/{case.id}"
    r = f"{base}/referrals/{referral.id}"
    urls: list[tuple[str, str, dict[str, object]]] = [
        ("GET", base, {}),
        ("GET", f"{base}/plan", {}),
        ("GET", f"{base}/export", {}),
        ("GET", f"{base}/export.json", {}),
        ("GET", f"{base}/consent", {}),
        ("POST", f"{base}/consent", {"decision": "refused", "method": "verbal"}),
        ("GET", f"{base}/items/{other_rank}/refer", {}),
        ("POST", f"{base}/items/{other_rank}/refer", {"level": "signposted"}),
        ("GET", f"{r}/text", {}),
        ("GET", f"{r}/level", {}),
        ("POST", f"{r}/acknowledged", {"note": "tampered"}),
        ("POST", f"{r}/closed", {"outcome": "met", "outcome_reason": "helped"}),
        ("POST", f"{base}/tasks/{task.id}/done", {"note": "tampered"}),
        ("POST", f"{base}/close", {"note": "tampered"}),
    ]
    return case, urls


def test_another_team_gets_404_for_every_case_url(app: Flask, world: World, db: Session) -> None:
    people = _people(db, world)
    case, urls = _case_urls(db, world)
    case_id = case.id
    db.commit()
    outsiders = {name: client_for(app, people[name]) for name in ("kim", "no_team", "editor", "curator")}
    wrong = []
    for method, url, form in urls:
        for name, client in outsiders.items():
            status = client.open(url, method=method, data=form).status_code
            if status != 404:
                wrong.append(f"{name} {method} {url}: {status}")
        anonymous = client_for(app, None).open(url, method=method, data=form)
        if method == "GET" and not (
            anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
        ):
            wrong.append(f"anonymous GET {url}: {anonymous.status_code}")
        if method == "POST" and anonymous.status_code not in (302, 400):
            wrong.append(f"anonymous POST {url}: {anonymous.status_code}")
    assert wrong == [], "\n".join(wrong)
    db.expire_all()
    untouched = db.get(Case, case_id)
    assert untouched is not None
    assert untouched.is_open
    assert [r.status for r in untouched.referrals] == ["made"]
    assert all(t.is_open for t in untouched.tasks)
    assert untouched.consent is not None
    assert untouched.consent.decision == "given"


def test_swapping_ids_between_cases_finds_nothing(app: Flask, world: World, db: Session) -> None:
    theirs, _urls = _case_urls(db, world)
    mine = make.open_case(db, world.kim, "MAN1")
    make.consent(db, world.kim, mine)
    referrals.make_referral(
        db, world.kim, mine, make.rank_of(mine, world.services["housing"]), "referral_sent"
    )
    their_referral, their_task = theirs.referrals[0].id, theirs.tasks[0].id
    mine_id = mine.id
    db.commit()
    kim = client_for(app, world.kim)
    assert kim.get(f"/cases/{mine_id}/referrals/{their_referral}/text").status_code == 404
    assert kim.post(f"/cases/{mine_id}/referrals/{their_referral}/acknowledged", data={}).status_code == 404
    assert kim.post(f"/cases/{mine_id}/tasks/{their_task}/done", data={}).status_code == 404
    assert kim.get(f"/cases/{mine_id}/items/99/refer").status_code == 404
    assert kim.get("/cases/not-a-case-id").status_code == 404
    assert kim.get("/cases/%27%20OR%201=1--").status_code == 404


def test_an_administrator_outside_the_team_must_say_why_and_may_only_read(
    app: Flask, world: World, db: Session
) -> None:
    people = _people(db, world)
    admin = people["admin"]
    assert admin is not None
    case = make.open_case(db, world.pat, "LEW7")
    case_id, admin_id = case.id, admin.id
    db.commit()
    client = client_for(app, admin)
    asked = client.get(f"/cases/{case_id}")
    assert asked.status_code == 302
    assert asked.headers["Location"] == f"/cases/{case_id}/access"
    empty = client.post(f"/cases/{case_id}/access", data={"reason": ""})
    assert empty.status_code == 400
    assert "Enter the reason you need to see this case" in empty.get_data(as_text=True)
    granted = client.post(f"/cases/{case_id}/access", data={"reason": "Subject access request SAR-2026-14"})
    assert granted.status_code == 302
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "Record consent" not in page.get_data(as_text=True)  # read only
    assert client.get(f"/cases/{case_id}/export.json").status_code == 200
    assert (
        client.post(f"/cases/{case_id}/consent", data={"decision": "refused", "method": "verbal"}).status_code
        == 403
    )
    assert client.post(f"/cases/{case_id}/close", data={}).status_code == 403

    db.expire_all()
    grant_event = db.scalar(select(AuditEvent).where(AuditEvent.action == "case.access_granted"))
    assert grant_event is not None
    assert grant_event.reason == "Subject access request SAR-2026-14"
    assert grant_event.actor_id == admin_id
    shown_to_team = client_for(app, world.pat).get(f"/cases/{case_id}").get_data(as_text=True)
    assert "An administrator outside the team opened the case" in shown_to_team
    assert "SAR-2026-14" in shown_to_team

    grant = db.scalar(select(CaseAccessGrant))
    assert grant is not None
    grant.expires_at = utcnow() - timedelta(minutes=1)  # the time allowed has passed
    db.commit()
    assert client.get(f"/cases/{case_id}").status_code == 302


@pytest.mark.parametrize("url", ["/cases/", "/cases/find"])
def test_team_pages_need_a_team(app: Flask, world: World, db: Session, url: str) -> None:
    people = _people(db, world)
    db.commit()
    assert client_for(app, people["editor"]).get(url).status_code == 403
    assert client_for(app, people["no_team"]).get(url).status_code == 403
    assert client_for(app, world.pat).get(url).status_code == 200
    assert client_for(app, people["admin"]).get(url).status_code in (200, 302)  # admins: find across teams


def test_case_forms_need_the_csrf_token(app: Flask, world: World, db: Session) -> None:
    case = make.open_case(db, world.pat)
    case_id = case.id
    db.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    client = client_for(app, world.pat)
    response = client.post(f"/cases/{case_id}/consent", data={"decision": "refused", "method": "verbal"})
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Case, case_id).consent is None  # type: ignore[union-attr]


def test_nonsense_gets_an_error_never_a_500(app: Flask, world: World, db: Session) -> None:
    case, _urls = _case_urls(db, world)
    case_id, referral_id = case.id, case.referrals[0].id
    db.commit()
    client = client_for(app, world.pat)
    base = f"/cases/{case_id}"
    attempts = [
        (f"{base}/consent", {"decision": "maybe", "shares": ["x"] * 50, "recipients": "everyone"}),
        (f"{base}/consent", {"decision": "exception", "exception_ground": "because", "reason": "x" * 5000}),
        (
            f"{base}/items/2/refer",
            {"level": "H9", "appointment_date": ["x", "y", "z"], "appointment_time": "noon"},
        ),
        (f"{base}/items/2/refer", {"level": "appointment_booked", "appointment_date": ["1", "2"]}),
        (
            f"{base}/referrals/{referral_id}/closed",
            {"outcome": "great", "outcome_reason": ["helped", "other"]},
        ),
        (f"{base}/referrals/{referral_id}/acknowledged", {"appointment_date": ["40", "13", "2026"]}),
        (f"{base}/referrals/{referral_id}/level", {"level": ""}),
        (f"{base}/access", {"reason": "x"}),
        ("/cases/find", {"reference": "x" * 500}),
        ("/cases/new", {"stage": "open", "reference": "R1"}),
        ("/cases/new", {**make.PACKAGE_FORM, "stage": "open", "date_of_birth": ["31", "2", "1990"]}),
    ]
    wrong = []
    for url, form in attempts:
        status = client.post(url, data=form).status_code
        if status >= 500 or status == 302:
            wrong.append(f"{url}: {status}")
    raw = client.post(
        f"{base}/consent", data=b"\xff\xfe\x00garbage", content_type="application/x-www-form-urlencoded"
    )
    assert raw.status_code < 500
    assert wrong == [], "\n".join(wrong)
