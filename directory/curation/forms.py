"""Curation forms: decisions, problem reports, organisations, services, retiring."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional, Regexp

from directory.form_fields import FlaskForm
from directory.models.curation import PROBLEM_KINDS


class ApproveForm(FlaskForm):
    reason = TextAreaField("Note (optional)", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Approve and publish", widget=GovSubmitInput())


class RejectForm(FlaskForm):
    reason = TextAreaField(
        "Reason for rejecting",
        widget=GovTextArea(),
        description="The agency sees this. Say what they could do instead.",
        validators=[DataRequired("Enter a reason the agency can act on"), Length(max=2000)],
    )
    submit = SubmitField("Reject", widget=GovSubmitInput(), render_kw={})


class ProblemReportForm(FlaskForm):
    kind = RadioField(
        "What is wrong?",
        widget=GovRadioInput(),
        choices=list(PROBLEM_KINDS.items()),
        validators=[InputRequired("Choose what is wrong")],
    )
    details = TextAreaField(
        "Details",
        widget=GovTextArea(),
        description="For example the right phone number. Do not include anything about the person you were helping.",
        validators=[Length(max=2000, message="Details must be 2000 characters or fewer")],
    )
    submit = SubmitField("Send report", widget=GovSubmitInput())

    def validate_details(self, field: object) -> None:
        from wtforms.validators import ValidationError

        if self.kind.data == "other" and not (self.details.data or "").strip():
            raise ValidationError("Tell us what is wrong")


class ResolveForm(FlaskForm):
    outcome = RadioField(
        "Outcome",
        widget=GovRadioInput(),
        choices=[
            ("resolved", "Fixed: the listing has been corrected"),
            ("dismissed", "Nothing wrong: dismiss the report"),
        ],
        validators=[InputRequired("Choose an outcome")],
    )
    note = TextAreaField("Note (optional)", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Close report", widget=GovSubmitInput())


class OrganisationForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the organisation's name"), Length(max=255)],
    )
    description = TextAreaField("Description", widget=GovTextArea(), validators=[Length(max=5000)])
    website = StringField(
        "Website",
        widget=GovTextInput(),
        validators=[
            Optional(),
            URL(message="Enter a website address like https://example.org"),
            Length(max=500),
        ],
    )
    email = StringField(
        "Email",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address like name@example.org"),
            Length(max=255),
        ],
    )
    submit = SubmitField("Create organisation", widget=GovSubmitInput())


class ServiceForm(FlaskForm):
    name = StringField(
        "Name", widget=GovTextInput(), validators=[DataRequired("Enter the service's name"), Length(max=255)]
    )
    description = TextAreaField("Description", widget=GovTextArea(), validators=[Length(max=5000)])
    submit = SubmitField("Create service", widget=GovSubmitInput())


class RetireForm(FlaskForm):
    reason = TextAreaField(
        "Why is the service being retired?",
        widget=GovTextArea(),
        validators=[DataRequired("Enter why the service is being retired"), Length(max=2000)],
    )
    submit = SubmitField("Retire service", widget=GovSubmitInput(), render_kw={})


class DuplicateForm(FlaskForm):
    first = HiddenField(validators=[DataRequired()])
    second = HiddenField(validators=[DataRequired()])
    keep = HiddenField()
    confirmed = HiddenField()  # "yes" only from the confirmation page


class BindEditorForm(FlaskForm):
    user = HiddenField()
    editor = StringField(
        "Editor's email address",
        widget=GovTextInput(),
        description="They must already have an agency editor account",
        validators=[DataRequired("Enter the editor's email address"), Length(max=255)],
    )
    submit = SubmitField("Add editor", widget=GovSubmitInput())
