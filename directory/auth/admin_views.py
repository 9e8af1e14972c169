"""Managing accounts: invitations, roles, teams, organisations, reset links, disabling."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from directory.auth import accounts, mail
from directory.auth.forms import BindOrganisationForm, ConfirmForm, InviteForm, ReasonForm, RoleForm, TeamForm
from directory.auth.links import invitation_url, reset_url
from directory.auth.permissions import Permission, can, require
from directory.auth.sessions import signed_in_user
from directory.auth.views import Page, send_reset_email
from directory.db import by_id, get_session
from directory.domain_errors import form_status, show_refusal
from directory.models import Organization, User
from directory.models.account import ROLE_LABELS, ROLES

bp = Blueprint("users", __name__, url_prefix="/admin/users")


def _organisation_choices() -> list[tuple[str, str]]:
    organisations = accounts.organisations(get_session())
    return [("", "Choose an organisation"), *((o.id, o.name) for o in organisations)]


def _user_or_404(user_id: str) -> User | None:
    return by_id(get_session(), User, user_id)


@bp.get("/")
def index() -> Page:
    """Every account, optionally of one role."""
    require(Permission.LIST_USERS)
    role = request.args.get("role") if request.args.get("role") in ROLES else None
    return render_template(
        "admin/users.html", users=accounts.list_users(get_session(), role), role=role, role_labels=ROLE_LABELS
    )


@bp.route("/invite", methods=["GET", "POST"])
def invite() -> Page:
    """Create an account as a one-time invitation link (emailed too when SMTP is set up)."""
    require(Permission.LIST_USERS)
    actor = signed_in_user()
    form = InviteForm()
    form.role.choices = [(r, label) for r, label in ROLE_LABELS.items() if can(actor, Permission.INVITE, r)]
    form.organisation.choices = _organisation_choices()
    if form.validate_on_submit():
        require(Permission.INVITE, form.role.data)
        db = get_session()
        organisation = by_id(db, Organization, form.organisation.data)
        if form.role.data == "editor" and organisation is None:
            abort(404)
        try:
            user, token = accounts.invite(
                db,
                actor,
                email=form.email.data or "",
                role=form.role.data or "",
                name=form.name.data or "",
                team_name=form.team.data if form.role.data == "practitioner" else None,
                organizations=[organisation] if organisation and form.role.data == "editor" else [],
                valid_for=timedelta(days=int(current_app.config["INVITATION_VALID_DAYS"])),
            )
        except accounts.AccountError as error:
            show_refusal(form, error, "email")
        else:
            return _link_page(user, token, "invitation")
    return render_template("admin/invite.html", form=form), form_status(form)


def _link_page(user: User, token: str, kind: str) -> str:
    """Show a fresh link to pass on; email it as well when SMTP is configured."""
    link = invitation_url(token) if kind == "invitation" else reset_url(token)
    emailed, email_error = False, None
    if mail.links_can_be_emailed():
        try:
            if kind == "invitation":
                days = current_app.config["INVITATION_VALID_DAYS"]
                mail.send(
                    user.email,
                    "Your Diversion Directory account",
                    f"Hello,\n\nAn account has been created for you on Diversion Directory. Use this link "
                    f"to choose your password. It works once, for {days} days:\n\n{link}\n",
                )
            else:
                send_reset_email(user, token)
            emailed = True
        except mail.MailError as error:
            email_error = str(error)
    return render_template(
        "admin/link.html", user=user, link=link, kind=kind, emailed=emailed, email_error=email_error
    )


@bp.get("/<user_id>")
def detail(user_id: str) -> Page:
    """One account: what it may do, and the controls the viewer may use."""
    target = require(Permission.VIEW, _user_or_404(user_id))
    require(Permission.LIST_USERS)
    actor = signed_in_user()
    role_form = RoleForm(role=target.role)
    role_form.role.choices = [
        (r, label) for r, label in ROLE_LABELS.items() if can(actor, Permission.INVITE, r)
    ]
    bind_form = BindOrganisationForm()
    bound = target.organization_ids
    bind_form.organisation.choices = [c for c in _organisation_choices() if c[0] not in bound]
    return render_template(
        "admin/user.html",
        target=target,
        role_form=role_form,
        team_form=TeamForm(team=target.team.name if target.team else ""),
        bind_form=bind_form,
        confirm_form=ConfirmForm(),
        reason_form=ReasonForm(),
        role_labels=ROLE_LABELS,
    )


def _back(target: User) -> Page:
    return redirect(url_for("users.detail", user_id=target.id))


@bp.post("/<user_id>/role")
def change_role(user_id: str) -> Page:
    target = require(Permission.CHANGE_ROLE, _user_or_404(user_id))
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    require(Permission.INVITE, form.role.data)
    accounts.change_role(
        get_session(), signed_in_user(), target, form.role.data or "", form.reason.data or ""
    )
    flash(f"{target.email} is now: {ROLE_LABELS[target.role]}.")
    return _back(target)


@bp.post("/<user_id>/team")
def change_team(user_id: str) -> Page:
    target = require(Permission.MANAGE_USER, _user_or_404(user_id))
    form = TeamForm()
    if not form.validate_on_submit():
        abort(400)
    accounts.set_team(get_session(), signed_in_user(), target, form.team.data or "")
    flash("Team saved.")
    return _back(target)


@bp.post("/<user_id>/organisations")
def bind_organisation(user_id: str) -> Page:
    target = require(Permission.MANAGE_USER, _user_or_404(user_id))
    form = BindOrganisationForm()
    form.organisation.choices = _organisation_choices()
    if not form.validate_on_submit():
        abort(400)
    organisation = require(
        Permission.MANAGE_ORGANISATION, by_id(get_session(), Organization, form.organisation.data)
    )
    try:
        accounts.bind_organization(get_session(), signed_in_user(), target, organisation)
    except accounts.AccountError as error:
        abort(400, error.message)
    flash(f"{target.email} can now edit listings for {organisation.name}.")
    return _back(target)


@bp.post("/<user_id>/organisations/<organisation_id>/remove")
def unbind_organisation(user_id: str, organisation_id: str) -> Page:
    target = require(Permission.MANAGE_USER, _user_or_404(user_id))
    organisation = require(
        Permission.MANAGE_ORGANISATION, by_id(get_session(), Organization, organisation_id)
    )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    accounts.unbind_organization(get_session(), signed_in_user(), target, organisation)
    flash(f"{target.email} can no longer edit listings for {organisation.name}.")
    return _back(target)


@bp.post("/<user_id>/reset-link")
def issue_reset_link(user_id: str) -> Page:
    target = require(Permission.MANAGE_USER, _user_or_404(user_id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    db = get_session()
    if target.invited:
        token = accounts.reinvite(
            db, signed_in_user(), target, timedelta(days=int(current_app.config["INVITATION_VALID_DAYS"]))
        )
        return _link_page(target, token, "invitation")
    token = accounts.issue_reset(
        db, signed_in_user(), target, timedelta(hours=int(current_app.config["RESET_VALID_HOURS"]))
    )
    return _link_page(target, token, "reset")


@bp.post("/<user_id>/disable")
def disable(user_id: str) -> Page:
    target = require(Permission.MANAGE_USER, _user_or_404(user_id))
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    accounts.set_active(get_session(), signed_in_user(), target, False, form.reason.data or "")
    flash(f"{target.email} is disabled and signed out everywhere.")
    return _back(target)


@bp.post("/<user_id>/enable")
def enable(user_id: str) -> Page:
    target = require(Permission.MANAGE_USER, _user_or_404(user_id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    accounts.set_active(get_session(), signed_in_user(), target, True)
    flash(f"{target.email} can sign in again.")
    return _back(target)


@bp.post("/<user_id>/end-sessions")
def end_sessions(user_id: str) -> Page:
    target = require(Permission.MANAGE_USER, _user_or_404(user_id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    accounts.end_all_sessions(get_session(), signed_in_user(), target)
    flash(f"{target.email} has been signed out everywhere.")
    return _back(target)
