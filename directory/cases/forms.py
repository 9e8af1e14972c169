"""Forms for cases: opening one, consent, referrals and their steps, follow-up checks, finding one."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from directory.form_fields import DayMonthYearField, FlaskForm
from directory.models.case import (
    CONSENT_DECISIONS,
    CONSENT_METHODS,
    DECLINE_REASONS,
    EXCEPTION_GROUNDS,
    HANDOVER_LEVELS,
    OUTCOME_REASONS,
    OUTCOMES,
    RECIPIENT_KINDS,
    SHARE_ITEMS,
)
from matcher.vocabulary import LONDON

NOTE_HINT = "Only what the team needs. Do not repeat the person's name."


def _date_field(label: str, hint: str = "For example, 27 3 2026") -> DateField:
    return DayMonthYearField(
        label,
        widget=GovDateInput(),
        format="%d %m %Y",
        description=hint,
        validators=[Optional()],
    )


def _check_clock(_form: Any, field: Any) -> None:
    if field.data and field.data.strip():
        try:
            time.fromisoformat(field.data.strip().replace(".", ":"))
        except ValueError:
            raise ValidationError("Enter a 24-hour time, like 09:30 or 14:00") from None


def _note(label: str = "Note (optional)") -> TextAreaField:
    return TextAreaField(label, widget=GovTextArea(), description=NOTE_HINT, validators=[Length(max=2000)])


class AppointmentFields:
    """Date, time and place of an appointment; ``appointment()`` combines them in London time."""

    appointment_date = _date_field("Appointment date")
    appointment_time = StringField(
        "Appointment time (24-hour)", widget=GovTextInput(), validators=[_check_clock, Length(max=5)]
    )
    appointment_place = StringField("Where", widget=GovTextInput(), validators=[Length(max=255)])

    def appointment(self) -> datetime | None:
        day: date | None = self.appointment_date.data
        clock_text = (self.appointment_time.data or "").strip()
        if day is None or not clock_text:
            return None
        clock = time.fromisoformat(clock_text.replace(".", ":"))
        return datetime.combine(day, clock, tzinfo=LONDON)

    def check_appointment(self) -> bool:
        """Date and time come together."""
        day = self.appointment_date.data
        clock_text = (self.appointment_time.data or "").strip()
        if bool(day) != bool(clock_text) and not self.appointment_date.errors:
            field = self.appointment_time if day else self.appointment_date
            field.errors = [*field.errors, "Enter both the date and the time of the appointment"]
            return False
        return True


class OpenCaseForm(FlaskForm):
    """The case's local reference and, where the deployment allows, a name and date of birth."""

    reference = StringField(
        "Local reference (optional)",
        widget=GovTextInput(),
        description="Your team's reference, like a custody record number. Leave it blank and we will make one up. "
        "Do not use the person's name.",
        validators=[Length(max=40, message="A reference must be 40 characters or fewer")],
    )
    person_name = StringField("Name (optional)", widget=GovTextInput(), validators=[Length(max=200)])
    date_of_birth = _date_field("Date of birth (optional)", "For example, 31 3 1990")
    submit = SubmitField("Open the case", widget=GovSubmitInput())

    def validate_date_of_birth(self, field: DateField) -> None:
        if field.data and not date(1900, 1, 1) <= field.data <= date.today():
            raise ValidationError("Date of birth must be in the past")


class ConsentForm(FlaskForm):
    decision = RadioField(
        "What did the person decide?",
        choices=list(CONSENT_DECISIONS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Choose what the person decided")],
    )
    shares = SelectMultipleField(
        "What may be shared",
        choices=list(SHARE_ITEMS.items()),
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    recipients = SelectMultipleField(
        "Who it may be shared with",
        choices=list(RECIPIENT_KINDS.items()),
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    method = RadioField(
        "How was it recorded?",
        choices=list(CONSENT_METHODS.items()),
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    exception_ground = RadioField(
        "Legal exception",
        choices=list(EXCEPTION_GROUNDS.items()),
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    reason = TextAreaField(
        "Your reason for sharing without consent",
        widget=GovTextArea(),
        description="Why sharing is necessary and proportionate. It is shown at the top of the case.",
        validators=[Length(max=2000)],
    )
    submit = SubmitField("Record consent", widget=GovSubmitInput())


class ReferralForm(AppointmentFields, FlaskForm):
    level = RadioField(
        "How did you hand over?",
        choices=list(HANDOVER_LEVELS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Choose how you handed over")],
    )
    note = _note()
    submit = SubmitField("Record the referral", widget=GovSubmitInput())


class LevelForm(ReferralForm):
    submit = SubmitField("Record the new handover level", widget=GovSubmitInput())


class StepForm(FlaskForm):
    """Acknowledged, attended, missed or engaged: a note is all."""

    note = _note()
    submit = SubmitField("Record it", widget=GovSubmitInput())


class AcknowledgedForm(AppointmentFields, StepForm):
    pass


class DeclinedForm(StepForm):
    decline_reason = RadioField(
        "Why did they decline?",
        choices=list(DECLINE_REASONS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Choose why the service declined")],
    )


class ClosedForm(StepForm):
    outcome = RadioField(
        "Was the need met?",
        choices=list(OUTCOMES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Choose whether the need was met")],
    )
    outcome_reason = RadioField(
        "Main reason",
        choices=list(OUTCOME_REASONS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the main reason for the outcome")],
    )
    listing_note = TextAreaField(
        "What is wrong with the listing (optional)",
        widget=GovTextArea(),
        description="If the contact details were wrong or the service has closed, we tell the directory's curators. "
        "Say what you found, like the right phone number. Nothing about the person.",
        validators=[Length(max=1000)],
    )
    submit = SubmitField("Close the referral", widget=GovSubmitInput())


STEP_FORMS: dict[str, type[StepForm]] = {
    "acknowledged": AcknowledgedForm,
    "declined": DeclinedForm,
    "attended": StepForm,
    "missed": StepForm,
    "engaged": StepForm,
    "closed": ClosedForm,
}


class TaskDoneForm(FlaskForm):
    note = _note("What did you find? (optional)")
    submit = SubmitField("Mark as done", widget=GovSubmitInput())


class CloseCaseForm(FlaskForm):
    note = _note("Closing note (optional)")
    submit = SubmitField("Close the case", widget=GovSubmitInput())


class FindForm(FlaskForm):
    reference = StringField(
        "Reference",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the reference"),
            Length(max=40, message="A reference has 40 characters or fewer"),
        ],
    )
    submit = SubmitField("Find", widget=GovSubmitInput())


class AccessForm(FlaskForm):
    reason = TextAreaField(
        "Why do you need to see this case?",
        widget=GovTextArea(),
        description="For example, a subject access request or a complaint. It is recorded in the audit log and "
        "shown to the team. Do not include the person's details.",
        validators=[
            DataRequired("Enter the reason you need to see this case"),
            Length(min=10, max=1000, message="Give a reason of 10 to 1000 characters"),
        ],
    )
    submit = SubmitField("Open the case", widget=GovSubmitInput())
