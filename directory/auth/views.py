"""Signing in and out, invitations, password resets and one's own account."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response as WerkzeugResponse

from directory.auth import accounts, limits, mail, signing_in, throttle, tokens
from directory.auth.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    SetPasswordForm,
)
from directory.auth.links import reset_url
from directory.auth.permissions import Permission, can
from directory.auth.sessions import (
    EXPIRED_KEY,
    current_user,
    end_session,
    login_required,
    safe_next,
    signed_in_user,
    start_session,
)
from directory.db import get_session
from directory.domain_errors import form_status, show_refusal
from directory.models import User

bp = Blueprint("auth", __name__)
LOGIN_ERROR = "Enter a correct email address and password"
Page = str | Response | WerkzeugResponse | tuple[str, int]


def landing_page(user: User) -> str:
    """Where a user starts after signing in."""
    if user.role == "practitioner" and can(user, Permission.VIEW_TEAM_CASES):
        return url_for("cases.dashboard")  # practitioners start on their team's follow-ups
    if user.role in ("curator", "admin"):
        return url_for("curation.queue")
    if user.role == "editor":
        return url_for("listings.your_listings")
    return url_for("home.index")


def password_hint() -> str:
    return (
        f"At least {current_app.config['PASSWORD_MIN_LENGTH']} characters. "
        "Three random words make a good password."
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> Page:
    """Sign in; the same answer for a wrong password, an unknown address or a disabled account.

    Throttled inside ``signing_in.sign_in``: only it knows whether the password was right."""
    next_url = safe_next(request.args.get("next"))
    user = current_user()
    if user is not None and request.method == "GET":
        return redirect(next_url or landing_page(user))
    form = LoginForm()
    expired = bool(session.pop(EXPIRED_KEY, False))
    error = None
    if form.validate_on_submit():
        db = get_session()
        found = signing_in.sign_in(
            db,
            throttle.current(),
            form.email.data or "",
            form.password.data or "",
            limits.address(),
            per_account=str(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]),
            per_ip=str(current_app.config["LOGIN_LIMIT_PER_IP"]),
        )
        if found is not None:
            start_session(found)
            accounts.record_login(db, found)
            return redirect(next_url or landing_page(found))
        error = LOGIN_ERROR
    return render_template("auth/login.html", form=form, error=error, expired=expired, next_url=next_url)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Page:
    """GET asks to confirm; POST (with its CSRF token) signs out."""
    user = current_user()
    if user is None:
        return redirect(url_for("home.index"))
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        accounts.record_logout(get_session(), user)
        end_session()
        flash("You have signed out.")
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limits.link_limits
def accept_invitation(token: str) -> Page:
    """Set up an invited account: a name and a password; the link then stops working."""
    db = get_session()
    record = tokens.find_valid(db, token, "invitation")
    if record is None:
        return _spent_link("invitation")
    form = AcceptInvitationForm()
    form.account_email = record.user.email
    form.password.description = password_hint()
    if request.method == "GET" and not form.name.data:
        form.name.data = record.user.name
    if form.validate_on_submit():
        try:
            user = accounts.accept_invitation(
                db,
                record,
                form.name.data or "",
                form.password.data or "",
                int(current_app.config["PASSWORD_MIN_LENGTH"]),
            )
        except accounts.AccountError as error:
            show_refusal(form, error, "password")
        else:
            start_session(user)
            accounts.record_login(db, user)
            flash("Your account is ready.")
            return redirect(landing_page(user))
    return render_template("auth/invitation.html", form=form, user=record.user), form_status(form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limits.link_limits
def reset_password(token: str) -> Page:
    """Choose a new password from a one-time link; every other session ends."""
    db = get_session()
    record = tokens.find_valid(db, token, "reset")
    if record is None:
        return _spent_link("reset")
    form = SetPasswordForm()
    form.account_email = record.user.email
    form.password.description = password_hint()
    if form.validate_on_submit():
        try:
            accounts.reset_password(
                db, record, form.password.data or "", int(current_app.config["PASSWORD_MIN_LENGTH"])
            )
        except accounts.AccountError as error:
            show_refusal(form, error, "password")
        else:
            end_session()
            flash("Your password has been changed. Sign in with your new password.")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), form_status(form)


def _spent_link(kind: str) -> tuple[str, int]:
    return render_template("auth/link_invalid.html", kind=kind), 404


@bp.route("/forgot-password", methods=["GET", "POST"])
@limits.forgot_password_limits
def forgot_password() -> Page:
    """Ask for a reset link by email; the answer never says whether the account exists."""
    can_email = mail.links_can_be_emailed()
    form = ForgotPasswordForm()
    if can_email and form.validate_on_submit():
        db = get_session()
        user = accounts.find_by_email(db, form.email.data or "")
        if user is not None and user.is_active:
            token = accounts.issue_reset(
                db, None, user, timedelta(hours=int(current_app.config["RESET_VALID_HOURS"]))
            )
            try:
                send_reset_email(user, token)
            except mail.MailError as error:
                current_app.logger.warning("Could not email a reset link to %s: %s", user.email, error)
        return render_template("auth/forgot_sent.html")
    return render_template("auth/forgot.html", form=form, can_email=can_email)


def send_reset_email(user: User, token: str) -> None:
    """Email a reset link (raises MailError)."""
    hours = current_app.config["RESET_VALID_HOURS"]
    mail.send(
        user.email,
        "Reset your Diversion Directory password",
        f"Hello {user.display_name},\n\nUse this link to choose a new password. It works once, "
        f"for {hours} hours:\n\n{reset_url(token)}\n\nIf you did not ask for this, ignore this email.\n",
    )


@bp.get("/account")
@login_required
def account() -> Page:
    """One's own account: details, password, signing out everywhere."""
    return render_template("auth/account.html", user=current_user(), form=ConfirmForm())


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> Page:
    """Change one's own password; other sessions end, this one carries on."""
    user = signed_in_user()
    form = ChangePasswordForm()
    form.account_email = user.email
    form.password.description = password_hint()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                get_session(),
                user,
                form.current_password.data or "",
                form.password.data or "",
                int(current_app.config["PASSWORD_MIN_LENGTH"]),
            )
        except accounts.AccountError as error:
            show_refusal(form, error, "password")
        else:
            start_session(user)
            flash("Your password has been changed. You have been signed out everywhere else.")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form), form_status(form)


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> Page:
    """End every session of this account, this one included."""
    user = signed_in_user()
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.account"))
    accounts.end_all_sessions(get_session(), user, user, reason="signed out everywhere")
    end_session()
    flash("You have been signed out everywhere.")
    return redirect(url_for("auth.login"))
