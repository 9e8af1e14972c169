"""Signing in and out: one answer for every failure, safe redirects, idle expiry, logout everywhere."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from directory.models import AuditEvent, SignInSession, User
from directory.models.base import utcnow
from tests.auth import factories as make
from tests.auth.factories import PASSWORD


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, next_url: str | None = None):  # type: ignore[no-untyped-def]
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def test_editor_signs_in_and_lands_on_their_listings(client: FlaskClient, db: Session) -> None:
    make.user(db, "editor", "ed@example.org")
    db.commit()
    response = sign_in(client, "  ED@example.org ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/listings/"
    assert client.get("/account").status_code == 200


def test_every_failure_gets_the_same_answer(client: FlaskClient, db: Session) -> None:
    make.user(db, "editor", "ed@example.org")
    make.user(db, "editor", "off@example.org", active=False)
    make.user(db, "editor", "invited@example.org", password_hash=None)
    db.commit()
    answers = [
        sign_in(client, "ed@example.org", "wrong password, quite long"),
        sign_in(client, "nobody@example.org"),
        sign_in(client, "off@example.org"),
        sign_in(client, "invited@example.org", ""),
        sign_in(client, "invited@example.org", "anything at all here"),
    ]
    assert {a.status_code for a in answers} == {200}
    emails = ("ed@example.org", "nobody@example.org", "off@example.org")
    bodies = {
        a.get_data(as_text=True).split("<main", 1)[1].replace(email, "EMAIL")
        for a, email in zip(answers, emails, strict=False)
    }
    assert len(bodies) == 1  # an unknown, a disabled and a wrong-password account look the same
    assert "Enter a correct email address and password" in bodies.pop()
    assert client.get("/account").status_code == 302


def test_form_errors_keep_what_was_typed(client: FlaskClient) -> None:
    page = client.post("/login", data={"email": "someone@example.org", "password": ""}).get_data(as_text=True)
    assert "govuk-error-summary" in page
    assert "Enter your password" in page
    assert 'value="someone@example.org"' in page


def test_login_is_audited(client: FlaskClient, db: Session) -> None:
    person = make.user(db, "curator", "cu@example.org")
    db.commit()
    sign_in(client, "cu@example.org", "not the right password")
    sign_in(client, "cu@example.org")
    events = db.scalars(
        select(AuditEvent).where(AuditEvent.object_id == person.id).order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["auth.login_failed", "auth.login"]
    assert events[1].actor_id == person.id
    assert events[1].ip == "127.0.0.1"


def test_pages_needing_login_come_back_after_it(client: FlaskClient, db: Session) -> None:
    make.user(db, "curator", "cu@example.org")
    db.commit()
    response = client.get("/curation/review?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/curation/review?x%3D1"
    response = sign_in(client, "cu@example.org", next_url="/curation/review?x%3D1")
    assert response.headers["Location"] == "/curation/review?x=1"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/%0d%0aSet-Cookie:x=1",
    ],
)
def test_no_open_redirect_after_login(client: FlaskClient, db: Session, target: str) -> None:
    make.user(db, "practitioner", "pr@example.org")
    db.commit()
    response = client.post(
        "/login", query_string={"next": target}, data={"email": "pr@example.org", "password": PASSWORD}
    )
    location = response.headers["Location"]
    assert location.startswith("/")
    assert not location.startswith("//")
    assert "evil" not in location or location.startswith("/%")


def test_logout_needs_a_post(client: FlaskClient, db: Session) -> None:
    person = make.user(db, "practitioner", "pr@example.org")
    db.commit()
    make.sign_in(client, person)
    assert client.get("/logout").status_code == 200  # a page with a button, not a sign-out
    assert client.get("/account").status_code == 200
    assert client.post("/logout").headers["Location"] == "/login"
    assert client.get("/account").status_code == 302


def test_signing_out_ends_the_session_so_a_copied_cookie_stops_working(app: Flask, db: Session) -> None:
    make.user(db, "practitioner", "pr@example.org")
    db.commit()
    terminal, copy = app.test_client(), app.test_client()
    assert sign_in(terminal, "pr@example.org").status_code == 302
    cookie = terminal.get_cookie("session")
    assert cookie is not None
    copy.set_cookie("session", cookie.value)
    assert copy.get("/account").status_code == 200  # a copied cookie works while the session is open
    assert terminal.post("/logout").status_code == 302
    assert copy.get("/account").status_code == 302  # ...and not after signing out


def test_signing_out_ends_only_that_session(app: Flask, db: Session) -> None:
    make.user(db, "practitioner", "pr@example.org")
    db.commit()
    court, office = app.test_client(), app.test_client()
    sign_in(court, "pr@example.org")
    sign_in(office, "pr@example.org")
    assert court.post("/logout").status_code == 302
    assert court.get("/account").status_code == 302
    assert office.get("/account").status_code == 200


def test_a_session_idle_on_the_server_ends_even_with_a_fresh_cookie(app: Flask, db: Session) -> None:
    make.user(db, "practitioner", "pr@example.org")
    db.commit()
    client = app.test_client()
    sign_in(client, "pr@example.org")
    idle = app.config["SESSION_IDLE_MINUTES"] * 60 + 5
    db.execute(update(SignInSession).values(seen_at=utcnow() - timedelta(seconds=idle)))
    db.commit()
    assert client.get("/account").status_code == 302


def test_idle_sessions_expire(app: Flask, client: FlaskClient, db: Session) -> None:
    person = make.user(db, "practitioner", "pr@example.org")
    db.commit()
    make.sign_in(client, person)
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    response = client.get("/account")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out because you had not done anything for 30 minutes" in page


def test_session_cookie_is_http_only_same_site_and_lasts_the_idle_time(
    client: FlaskClient, db: Session
) -> None:
    make.user(db, "practitioner", "pr@example.org")
    db.commit()
    cookie = sign_in(client, "pr@example.org").headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie


def test_logout_everywhere_ends_other_sessions(app: Flask, db: Session) -> None:
    person = make.user(db, "editor", "ed@example.org")
    db.commit()
    phone, laptop = app.test_client(), app.test_client()
    make.sign_in(phone, person)
    make.sign_in(laptop, person)
    assert laptop.get("/account").status_code == 200
    assert phone.post("/account/sign-out-everywhere").headers["Location"] == "/login"
    assert laptop.get("/account").status_code == 302
    assert phone.get("/account").status_code == 302
    assert db.get(User, person.id).session_version == 2  # type: ignore[union-attr]


def test_changing_password_keeps_this_session_and_ends_the_others(app: Flask, db: Session) -> None:
    make.user(db, "editor", "ed@example.org")
    db.commit()
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, "ed@example.org")
    sign_in(elsewhere, "ed@example.org")
    new = "another long password nobody guesses"
    response = here.post(
        "/account/password", data={"current_password": PASSWORD, "password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302
    assert sign_in(app.test_client(), "ed@example.org", new).status_code == 302


def test_changing_password_checks_the_current_one_and_the_rules(client: FlaskClient, db: Session) -> None:
    make.user(db, "editor", "ed@example.org")
    db.commit()
    sign_in(client, "ed@example.org")
    good = "a perfectly fine new password"
    wrong = client.post(
        "/account/password", data={"current_password": "nope", "password": good, "confirm": good}
    )
    assert wrong.status_code == 400  # the form again, with the refusal on the current password
    assert "Your current password is not correct" in wrong.get_data(as_text=True)
    common = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "passwordpassword", "confirm": "passwordpassword"},
    )
    assert "This password is too common" in common.get_data(as_text=True)
    short = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": "short1", "confirm": "short1"}
    )
    assert "Password must be 12 characters or more" in short.get_data(as_text=True)


def test_disabling_an_account_ends_its_sessions(app: Flask, db: Session) -> None:
    person = make.user(db, "editor", "ed@example.org")
    admin = make.user(db, "admin", "ad@example.org")
    db.commit()
    editor_client, admin_client = (
        make.sign_in(app.test_client(), person),
        make.sign_in(app.test_client(), admin),
    )
    assert editor_client.get("/account").status_code == 200
    admin_client.post(f"/admin/users/{person.id}/disable", data={"reason": "left the agency"})
    assert editor_client.get("/account").status_code == 302
    assert sign_in(app.test_client(), "ed@example.org").status_code == 200  # the form again: refused
