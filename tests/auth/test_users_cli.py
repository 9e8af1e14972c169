"""``flask --app directory users ...`` and ``demo-users``."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.auth.passwords import verify_password
from directory.models import AuditEvent, User
from tests.auth import factories as make

GOOD = "tiger lantern soup kettle"


def test_create_with_password_on_stdin(app: Flask, db: Session) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "--email", "Boss@Example.org", "--role", "admin", "--password-stdin"],
        input=GOOD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created boss@example.org (Administrator)" in result.output
    person = db.scalar(select(User).where(User.email == "boss@example.org"))
    assert person is not None
    assert person.role == "admin"
    assert verify_password(person.password_hash, GOOD)
    event = db.scalar(select(AuditEvent).where(AuditEvent.object_id == person.id))
    assert event is not None
    assert event.actor_label == "command line"


def test_create_prompts_for_the_password_and_checks_it(app: Flask) -> None:
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--role", "admin"], input="password\npassword\n"
    )
    assert weak.exit_code != 0
    assert "Password must be 12 characters or more" in weak.output
    ok = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--role", "curator"], input=f"{GOOD}\n{GOOD}\n"
    )
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--role", "curator", "--password-stdin"],
        input=GOOD,
    )
    assert "already exists" in again.output


def test_create_an_editor_for_an_organisation_then_list_and_disable(app: Flask, db: Session) -> None:
    make.organisation(db, "Lewisham Foodbank")
    db.commit()
    runner = app.test_cli_runner()
    created = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "ed@example.org",
            "--role",
            "editor",
            "--organisation",
            "lewisham foodbank",
            "--password-stdin",
        ],
        input=GOOD,
    )
    assert created.exit_code == 0, created.output
    listed = runner.invoke(args=["users", "list"])
    assert "ed@example.org\teditor\tactive\tLewisham Foodbank" in listed.output
    assert runner.invoke(args=["users", "disable", "ed@example.org"]).exit_code == 0
    assert "ed@example.org\teditor\tdisabled" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "disable", "nobody@example.org"]).exit_code != 0


def test_reset_link_from_the_command_line(app: Flask, db: Session) -> None:
    make.user(db, "editor", "ed@example.org")
    db.commit()
    result = app.test_cli_runner().invoke(
        args=["users", "reset-link", "ed@example.org", "--base-url", "https://dd.example.org"]
    )
    assert result.exit_code == 0, result.output
    link = result.output.strip()
    assert link.startswith("https://dd.example.org/reset-password/")
    assert app.test_client().get(link.removeprefix("https://dd.example.org")).status_code == 200


def test_demo_users_makes_one_account_per_role_and_binds_the_editor(app: Flask, db: Session) -> None:
    org = make.organisation(db, "Demo Agency")
    make.service(db, org, "Demo service")
    db.commit()
    result = app.test_cli_runner().invoke(args=["demo-users"])
    assert result.exit_code == 0, result.output
    passwords = dict(re.findall(r"(\S+@example\.org)\s+(\S+)", result.output))
    assert set(passwords) == {f"{r}@example.org" for r in ("practitioner", "editor", "curator", "admin")}
    assert "(edits Demo Agency)" in result.output
    client = app.test_client()
    response = client.post(
        "/login", data={"email": "editor@example.org", "password": passwords["editor@example.org"]}
    )
    assert response.headers["Location"] == "/listings/"
    assert "Demo service" in client.get("/listings/").get_data(as_text=True)
    # Run again: new passwords, the old ones stop working.
    again = dict(
        re.findall(r"(\S+@example\.org)\s+(\S+)", app.test_cli_runner().invoke(args=["demo-users"]).output)
    )
    assert again["admin@example.org"] != passwords["admin@example.org"]
    db.expire_all()
    admin = db.scalar(select(User).where(User.email == "admin@example.org"))
    assert admin is not None
    assert verify_password(admin.password_hash, again["admin@example.org"])
