"""Accounts are made by invitation; passwords are reset by one-time links, emailed when SMTP is set."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from directory.auth.passwords import password_problems, verify_password
from directory.models import AccountToken, AuditEvent, User
from directory.models.base import utcnow
from tests.auth import factories as make
from tests.conftest import make_app

NEW_PASSWORD = "a brand new password for me"


def _issued_link(page: str) -> str:
    match = re.search(r'data-testid="issued-link">([^<]+)<', page)
    assert match, page
    return match.group(1).replace("http://localhost", "")


def test_admin_invites_and_the_link_sets_up_the_account_once(app: Flask, db: Session) -> None:
    admin = make.user(db, "admin", "ad@example.org")
    org = make.organisation(db, "Agency A")
    db.commit()
    admin_client = make.sign_in(app.test_client(), admin)
    page = admin_client.post(
        "/admin/users/invite",
        data={"email": "New.Editor@example.org", "name": "Nia", "role": "editor", "organisation": org.id},
    ).get_data(as_text=True)
    link = _issued_link(page)
    assert link.startswith("/invitation/")
    invited = db.scalar(select(User).where(User.email == "new.editor@example.org"))
    assert invited is not None
    assert invited.invited
    assert invited.organization_ids == {org.id}

    newcomer = app.test_client()
    assert "Set up your account" in newcomer.get(link).get_data(as_text=True)
    weak = newcomer.post(link, data={"name": "Nia", "password": "password1234", "confirm": "password1234"})
    assert "This password is too common" in weak.get_data(as_text=True)
    done = newcomer.post(link, data={"name": "Nia", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.headers["Location"] == "/listings/"
    assert newcomer.get("/listings/").status_code == 200
    # The link works once.
    assert app.test_client().get(link).status_code == 404
    actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.object_id == invited.id)))
    assert {"user.invited", "auth.invitation_accepted", "auth.login"} <= actions


def test_curators_cannot_invite_curators_or_admins(app: Flask, db: Session) -> None:
    curator = make.user(db, "curator", "cu@example.org")
    db.commit()
    client = make.sign_in(app.test_client(), curator)
    page = client.get("/admin/users/invite").get_data(as_text=True)
    assert 'value="practitioner"' in page
    assert 'value="admin"' not in page
    tampered = client.post("/admin/users/invite", data={"email": "boss@example.org", "role": "admin"})
    assert tampered.status_code in (400, 403)  # the form again with its error, or refused
    assert db.scalar(select(User).where(User.email == "boss@example.org")) is None


def test_invitation_form_errors_keep_what_was_typed(app: Flask, db: Session) -> None:
    admin = make.user(db, "admin", "ad@example.org")
    make.user(db, "editor", "taken@example.org")
    db.commit()
    client = make.sign_in(app.test_client(), admin)
    page = client.post(
        "/admin/users/invite", data={"email": "taken@example.org", "name": "Sam", "role": "practitioner"}
    )
    text = page.get_data(as_text=True)
    assert "An account with this email address already exists" in text or "Enter the practitioner" in text
    assert 'value="Sam"' in text
    page = client.post("/admin/users/invite", data={"email": "fresh@example.org", "role": "practitioner"})
    assert "Enter the practitioner&#39;s team" in page.get_data(
        as_text=True
    ) or "Enter the practitioner's team" in page.get_data(as_text=True)


def test_expired_invitations_do_not_work(app: Flask, db: Session) -> None:
    admin = make.user(db, "admin", "ad@example.org")
    db.commit()
    client = make.sign_in(app.test_client(), admin)
    link = _issued_link(
        client.post(
            "/admin/users/invite",
            data={"email": "late@example.org", "role": "practitioner", "team": "Lewisham custody"},
        ).get_data(as_text=True)
    )
    db.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    page = app.test_client().get(link)
    assert page.status_code == 404
    assert "This link does not work" in page.get_data(as_text=True)


def test_reset_link_sets_a_new_password_and_ends_sessions(app: Flask, db: Session) -> None:
    admin = make.user(db, "admin", "ad@example.org")
    editor = make.user(db, "editor", "ed@example.org")
    db.commit()
    editor_session = make.sign_in(app.test_client(), editor)
    admin_client = make.sign_in(app.test_client(), admin)
    first = _issued_link(admin_client.post(f"/admin/users/{editor.id}/reset-link").get_data(as_text=True))
    second = _issued_link(admin_client.post(f"/admin/users/{editor.id}/reset-link").get_data(as_text=True))
    assert app.test_client().get(first).status_code == 404  # a newer link replaces the older one
    response = app.test_client().post(second, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/login"
    assert editor_session.get("/account").status_code == 302
    db.expire_all()
    assert verify_password(db.get(User, editor.id).password_hash, NEW_PASSWORD)  # type: ignore[union-attr]
    assert app.test_client().get(second).status_code == 404


def test_forgotten_password_without_email_says_ask_an_administrator(client: FlaskClient) -> None:
    page = client.get("/forgot-password").get_data(as_text=True)
    assert "Ask your administrator" in page
    assert 'name="email"' not in page


def test_password_rules() -> None:
    assert password_problems("short", 12) == ["Password must be 12 characters or more"]
    assert password_problems("qwertyuiopasdf", 12)[0].startswith("This password is too common")
    assert password_problems("abcabcabcabc", 12)[0].startswith("This password is too common")
    assert password_problems("my name is sam.jones!", 12, "sam.jones@example.org") == [
        "Password must not contain your email address"
    ]
    assert password_problems("tiger lantern soup", 12) == []


# Email, through a real SMTP server on localhost (aiosmtpd).
@pytest.fixture
def mail_app(empty_url: str, tmp_path: Path) -> Iterator[tuple[Flask, list[str]]]:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[str] = []

    class Collect(Message):  # type: ignore[misc]
        def handle_message(self, message):  # type: ignore[no-untyped-def]
            headers = "".join(f"{k}: {v}\n" for k, v in message.items())
            received.append(headers + message.get_payload(decode=True).decode())

    with socket.socket() as probe:  # a free port for the SMTP server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    app = make_app(
        empty_url,
        tmp_path / "instance",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_USE_TLS=False,
        MAIL_FROM="directory@example.org",
        PUBLIC_BASE_URL="https://directory.example.org",
    )
    try:
        yield app, received
    finally:
        controller.stop()
        app.extensions["db_engine"].dispose()


def test_reset_links_are_emailed_without_revealing_accounts(
    app: Flask, mail_app: tuple[Flask, list[str]], db: Session
) -> None:
    mailing, received = mail_app
    make.user(db, "editor", "ed@example.org")
    db.commit()
    client = mailing.test_client()
    known = client.post(
        "/forgot-password", data={"email": "ed@example.org"}, headers={"Host": "evil.example"}
    )
    unknown = client.post("/forgot-password", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert len(received) == 1
    assert "To: ed@example.org" in received[0]
    link = re.search(r"https://directory\.example\.org(/reset-password/\S+)", received[0])
    assert link, received[0]  # built from PUBLIC_BASE_URL, never from the Host header
    assert "evil.example" not in received[0]
    assert mailing.test_client().get(link.group(1)).status_code == 200


def test_invitations_are_emailed_and_shown(
    app: Flask, mail_app: tuple[Flask, list[str]], db: Session
) -> None:
    mailing, received = mail_app
    admin = make.user(db, "admin", "ad@example.org")
    db.commit()
    client = make.sign_in(mailing.test_client(), admin)
    page = client.post(
        "/admin/users/invite",
        data={"email": "pat@example.org", "role": "practitioner", "team": "Lewisham custody"},
    ).get_data(as_text=True)
    assert "We have also emailed it to pat@example.org" in page
    shown = _issued_link(page)
    assert len(received) == 1
    assert shown in received[0]
