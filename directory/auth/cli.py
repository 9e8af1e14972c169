"""Command line: ``flask --app directory users create|list|disable|reset-link`` and ``demo-users``."""

from __future__ import annotations

import secrets
import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory import audit
from directory.auth import accounts, passwords
from directory.auth.links import reset_url
from directory.db import get_session
from directory.models import Location, Organization, Service, ServiceAtLocation
from directory.models.account import ROLE_LABELS, ROLES

users_cli = AppGroup("users", help="Accounts: create, list, disable, reset links.")
DEMO_TEAM = "Lewisham custody"
DEMO_AREA = "E09000023"  # Lewisham, where the demo practitioner's team works


def _min_length() -> int:
    return int(current_app.config["PASSWORD_MIN_LENGTH"])


@users_cli.command("create")
@click.option("--email", required=True, help="The person's email address (they sign in with it).")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What they may do.")
@click.option("--name", default="", help="Their name.")
@click.option("--team", default=None, help="A practitioner's team, e.g. 'Lewisham custody'.")
@click.option("--organisation", "organisations", multiple=True, help="An editor's organisation (name or id).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input, not a prompt.")
def create_user(
    email: str, role: str, name: str, team: str | None, organisations: tuple[str, ...], password_stdin: bool
) -> None:
    """Create an account with a password (asked for, or read from standard input)."""
    session = get_session()
    found = [_organisation(session, value) for value in organisations]
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(
            session,
            email=email,
            role=role,
            name=name,
            team_name=team,
            organizations=found,
            password=password,
            min_length=_min_length(),
            actor_label="command line",
        )
    except accounts.AccountError as error:
        session.rollback()
        raise click.ClickException(error.message) from None
    session.commit()
    click.echo(f"Created {user.email} ({ROLE_LABELS[user.role]}).")


def _organisation(session: Session, value: str) -> Organization:
    found = session.get(Organization, value) or session.scalar(
        select(Organization).where(func.lower(Organization.name) == value.strip().lower())
    )
    if found is None:
        raise click.ClickException(f"No organisation called {value!r}.")
    return found


@users_cli.command("list")
def list_users() -> None:
    """Every account: email, role, team or organisations, and whether it can sign in."""
    for user in accounts.list_users(get_session()):
        if not user.active:
            state = "disabled"
        elif user.invited:
            state = "invited"
        else:
            state = "active"
        where = user.team.name if user.team else ", ".join(o.name for o in user.organizations)
        click.echo(f"{user.email}\t{user.role}\t{state}\t{where}")


@users_cli.command("disable")
@click.argument("email")
def disable_user(email: str) -> None:
    """Stop EMAIL signing in, and end every session it has."""
    session = get_session()
    user = accounts.find_by_email(session, email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    accounts.set_active(session, None, user, False, "disabled from the command line")
    session.commit()
    click.echo(f"Disabled {user.email}.")


@users_cli.command("reset-link")
@click.argument("email")
@click.option("--base-url", default="http://127.0.0.1:5000", help="The site's address, for the link.")
def reset_link(email: str, base_url: str) -> None:
    """Print a one-time password reset link for EMAIL."""
    session = get_session()
    user = accounts.find_by_email(session, email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    token = accounts.issue_reset(
        session, None, user, timedelta(hours=int(current_app.config["RESET_VALID_HOURS"]))
    )
    session.commit()
    with current_app.test_request_context(base_url=base_url):
        click.echo(reset_url(token))


def _demo_organisation(session: Session) -> Organization | None:
    """An organisation with a live Lewisham listing (else any with a listing), for the demo editor."""
    in_area = (
        select(Organization)
        .join(Service, Service.organization_id == Organization.id)
        .join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(Location.local_authority == DEMO_AREA, Service.status == "active")
        .order_by(Organization.name)
        .limit(1)
    )
    anywhere = select(Organization).join(Service).order_by(Organization.name).limit(1)
    return session.scalar(in_area) or session.scalar(anywhere)


@click.command("demo-users")
@with_appcontext
@click.option("--domain", default="example.org", help="Email domain for the demo accounts.")
def demo_users(domain: str) -> None:
    """Create (or reset) one demo account per role and print their passwords once."""
    session = get_session()
    organisation = _demo_organisation(session)
    click.echo("Demo accounts (passwords are shown only now; run again for new ones):")
    for role in ROLES:
        email = f"{role}@{domain}"
        password = secrets.token_urlsafe(12)
        while passwords.password_problems(password, _min_length(), email):
            password = secrets.token_urlsafe(12)
        user = accounts.find_by_email(session, email)
        if user is None:
            user = accounts.create_user(
                session,
                email=email,
                role=role,
                name=f"Demo {ROLE_LABELS[role].lower()}",
                team_name=DEMO_TEAM if role == "practitioner" else None,
                organizations=[organisation] if organisation and role == "editor" else [],
                password=password,
                min_length=_min_length(),
                actor_label="demo-users command",
            )
        else:
            accounts.set_password(user, password, _min_length())
            user.active = True
            audit.record(
                session,
                None,
                "auth.password_reset",
                "user",
                user.id,
                user.email,
                actor_label="demo-users command",
            )
        where = ""
        if role == "editor":
            where = f" (edits {organisation.name})" if organisation else " (no organisation: none loaded yet)"
        elif role == "practitioner":
            where = f" ({DEMO_TEAM})"
        click.echo(f"  {ROLE_LABELS[role]:<15} {email:<28} {password}{where}")
    session.commit()
