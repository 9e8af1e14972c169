"""Forms for signing in, passwords and managing accounts (GOV.UK widgets, GOV.UK error messages)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from directory.auth.passwords import password_problems
from directory.form_fields import FlaskForm
from directory.models.account import ROLE_LABELS


class NewPassword:
    """Validator: a new password long enough, not common, not containing the email."""

    def __init__(self, email_field: str | None = None) -> None:
        self.email_field = email_field

    def __call__(self, form: FlaskForm, field: Any) -> None:
        email = getattr(form, "account_email", "") or ""
        problems = password_problems(field.data or "", int(current_app.config["PASSWORD_MIN_LENGTH"]), email)
        if problems:
            raise ValidationError(problems[0])


class LoginForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"), Length(max=255)],
    )
    password = PasswordField(
        "Password", widget=GovPasswordInput(), validators=[DataRequired("Enter your password")]
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    """Choosing a password (invitation or reset); ``account_email`` is set by the view."""

    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a new password"), NewPassword()],
        description="At least 12 characters. Three random words make a good password.",
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Confirm your new password"),
            EqualTo("password", "Passwords do not match"),
        ],
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())
    account_email = ""


class AcceptInvitationForm(SetPasswordForm):
    name = StringField(
        "Your name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter your name"),
            Length(max=255, message="Name must be 255 characters or fewer"),
        ],
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password")],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class ForgotPasswordForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"), Length(max=255)],
    )
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


class InviteForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter an email address"), Length(max=255)],
    )
    name = StringField("Name", widget=GovTextInput(), validators=[Length(max=255)])
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=list(ROLE_LABELS.items()),
        validators=[InputRequired("Choose a role")],
    )
    team = StringField(
        "Team (for practitioners)",
        widget=GovTextInput(),
        description="The L&D site they work at, for example Lewisham custody",
        validators=[Length(max=120)],
    )
    organisation = SelectField(
        "Organisation (for agency editors)", widget=GovSelect(), choices=[], validate_choice=False
    )
    submit = SubmitField("Create invitation", widget=GovSubmitInput())

    def validate_team(self, field: Any) -> None:
        if self.role.data == "practitioner" and not (field.data or "").strip():
            raise ValidationError("Enter the practitioner's team")

    def validate_organisation(self, field: Any) -> None:
        if self.role.data == "editor" and not field.data:
            raise ValidationError("Choose the organisation the editor works for")


class RoleForm(FlaskForm):
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=list(ROLE_LABELS.items()),
        validators=[InputRequired("Choose a role")],
    )
    reason = TextAreaField("Why", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Change role", widget=GovSubmitInput())


class TeamForm(FlaskForm):
    team = StringField("Team", widget=GovTextInput(), validators=[Length(max=120)])
    submit = SubmitField("Save team", widget=GovSubmitInput())


class BindOrganisationForm(FlaskForm):
    organisation = SelectField(
        "Organisation", widget=GovSelect(), choices=[], validators=[DataRequired("Choose an organisation")]
    )
    submit = SubmitField("Add organisation", widget=GovSubmitInput())


class ReasonForm(FlaskForm):
    reason = TextAreaField("Why", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Confirm", widget=GovSubmitInput())
