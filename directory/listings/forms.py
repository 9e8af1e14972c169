"""Forms for updating a listing: operational fields, descriptive details, schedule, exceptions."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from flask import abort
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from directory import geography
from directory.form_fields import DayMonthYearField, FlaskForm
from directory.labels import (
    CAPACITY_LABELS,
    CATCHMENT_LABELS,
    COHORT_LABELS,
    DELIVERY_LABELS,
    EXCLUSION_LABELS,
    GENDER_LABELS,
    ROUTE_LABELS,
)
from directory.listings.fields import language_codes
from directory.listings.need_groups import choice_pairs, parse_need_groups
from matcher.vocabulary import WEEKDAYS, CatchmentType, Cohort, Delivery, Exclusion, Gender, Route

DAY_NAMES = dict(
    zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)
SLOTS_PER_DAY = 3
PHONE_ROWS = 5
_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> time:
    """``09:00``, ``9``, ``9am``, ``5.30pm``, ``17:30`` -> a time; ValueError otherwise."""
    match = _TIME.match(text or "")
    if not match:
        raise ValueError(text)
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour == 24 and minute == 0 and not half:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(text)
    return time(hour, minute)


def form_version(form: Any) -> int:
    """The listing version the form was opened at; a damaged form is a 400, not a 500."""
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        abort(400, "This form was damaged. Go back, reload the page and try again.")


class VersionedForm(FlaskForm):
    version = HiddenField()


class OperationalForm(VersionedForm):
    capacity_status = RadioField(
        "Can you take new referrals?",
        widget=GovRadioInput(),
        choices=list(CAPACITY_LABELS.items()),
        validators=[InputRequired("Choose whether you can take new referrals")],
    )
    wait_days = IntegerField(
        "Typical wait, in days",
        widget=GovTextInput(),
        description="Leave blank if there is no wait",
        validators=[Optional(), NumberRange(0, 3650, "Enter a wait between 0 and 3650 days")],
    )
    temporarily_closed = BooleanField("The service is temporarily closed", widget=GovCheckboxInput())
    alert = TextAreaField(
        "Alert banner",
        widget=GovTextArea(),
        description="A short notice shown at the top of the listing, such as a change of venue. Leave blank for none.",
        validators=[Length(max=500, message="Alert must be 500 characters or fewer")],
    )
    submit = SubmitField("Publish now", widget=GovSubmitInput())


class AccurateForm(VersionedForm):
    submit = SubmitField("Still accurate", widget=GovSubmitInput())


def _postcode(_form: Any, field: Any) -> None:
    if field.data and field.data.strip():
        try:
            geography.resolve(field.data)
        except geography.PostcodeError as error:
            raise ValidationError(str(error)) from None


def _quoted(entries: list[str]) -> str:
    return ", ".join(f"“{entry}”" for entry in entries)


def _languages(_form: Any, field: Any) -> None:
    _codes, unknown = language_codes(field.data or "")
    if unknown:
        raise ValidationError(
            f"We do not know {_quoted(unknown)}. "
            "Enter languages like English, Polish, or their codes like en, pl"
        )


class DetailsForm(VersionedForm):
    """Descriptive fields; phones are fixed rows ``phone_N_number`` etc. (added below)."""

    name = StringField(
        "Name", widget=GovTextInput(), validators=[InputRequired("Enter the service's name"), Length(max=255)]
    )
    description = TextAreaField("Description", widget=GovTextArea(), validators=[Length(max=5000)])
    eligibility_summary = TextAreaField("Who can use it", widget=GovTextArea(), validators=[Length(max=2000)])
    minimum_age = IntegerField(
        "Youngest age",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(0, 120, "Enter an age between 0 and 120")],
    )
    maximum_age = IntegerField(
        "Oldest age",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(0, 120, "Enter an age between 0 and 120")],
    )
    genders = SelectMultipleField(
        "Only for",
        widget=GovCheckboxesInput(),
        choices=[(g, GENDER_LABELS[g]) for g in tuple(Gender)],
        description="Leave all unticked if anyone can use it",
    )
    catchment_type = RadioField(
        "Who can you take?",
        widget=GovRadioInput(),
        choices=[(t, CATCHMENT_LABELS[t]) for t in tuple(CatchmentType)],
        default="none",
        description="Where the person lives means their home, not where they were arrested",
    )
    catchment_areas = TextAreaField(
        "Your catchment areas",
        widget=GovTextArea(),
        description="Councils, local authority codes or postcode districts, separated by commas or on "
        "separate lines. For example: Lewisham, Greenwich, SE6. Leave blank if you take anyone.",
        validators=[Length(max=5000)],
    )
    cohorts = SelectMultipleField(
        "Only for people who are",
        widget=GovCheckboxesInput(),
        choices=[(c, COHORT_LABELS[c]) for c in tuple(Cohort)],
        description="Leave all unticked unless the service is only for one of these groups. "
        "If you tick more than one, a person must be in every group you tick.",
    )
    requires_needs = TextAreaField(
        "Only for people with these needs",
        widget=GovTextArea(),
        description="Leave blank if anyone with a need the service covers can use it. Put each need a person "
        "must have on its own line; when any of several will do, put them on one line separated by “or”. "
        "For example: “Drug use or Alcohol use” on one line and “Severe mental illness” on the next.",
        validators=[Length(max=2000)],
    )
    exclusions = SelectMultipleField(
        "People you cannot take",
        widget=GovCheckboxesInput(),
        choices=[(e, EXCLUSION_LABELS[e]) for e in tuple(Exclusion)],
        description="We will not suggest the service for them: they are pointed to crisis help first",
    )
    requires_gp_registration = BooleanField(
        "People must be registered with a GP to use the service",
        widget=GovCheckboxInput(),
        description="Tick if you cannot see someone who has no GP",
    )
    joint_or_couple = BooleanField(
        "You work with couples or families together, such as mediation",
        widget=GovCheckboxInput(),
        description="We never suggest these services to someone experiencing domestic abuse",
    )
    needs = SelectMultipleField("Needs covered", widget=GovCheckboxesInput(), choices=[])
    referral_routes = SelectMultipleField(
        "Referral routes",
        widget=GovCheckboxesInput(),
        choices=[(r, ROUTE_LABELS[r]) for r in tuple(Route)],
    )
    how_to_refer = TextAreaField("How to refer", widget=GovTextArea(), validators=[Length(max=2000)])
    delivery_modes = SelectMultipleField(
        "How people use the service",
        widget=GovCheckboxesInput(),
        choices=[(m, DELIVERY_LABELS[m]) for m in tuple(Delivery)],
        description="Tick all that apply. Services by phone or online are offered wherever the person is.",
    )
    languages = StringField(
        "Languages you work in",
        widget=GovTextInput(),
        description="Separated by commas, for example English, Polish, Urdu (or their codes en, pl, ur)",
        validators=[Length(max=500), _languages],
    )
    address = StringField("Address", widget=GovTextInput(), validators=[Length(max=500)])
    town = StringField("Town", widget=GovTextInput(), validators=[Length(max=120)])
    postcode = StringField("Postcode", widget=GovTextInput(), validators=[Length(max=10), _postcode])
    email = StringField(
        "Email",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address like name@example.org"),
            Length(max=255),
        ],
    )
    website = StringField(
        "Website",
        widget=GovTextInput(),
        validators=[
            Optional(),
            URL(message="Enter a website address like https://example.org"),
            Length(max=500),
        ],
    )
    note = TextAreaField(
        "Note for the curator (optional)",
        widget=GovTextArea(),
        description="Why the change, or anything the curator should check",
        validators=[Length(max=2000)],
    )
    submit = SubmitField("Send for approval", widget=GovSubmitInput())

    def validate_maximum_age(self, field: Any) -> None:
        if (
            field.data is not None
            and self.minimum_age.data is not None
            and field.data < self.minimum_age.data
        ):
            raise ValidationError("Oldest age must be the same as or more than the youngest age")

    def validate_requires_needs(self, field: Any) -> None:
        """Every need named is one of the taxonomy's (by its label or code)."""
        _groups, unknown = parse_need_groups(field.data or "", choice_pairs(self.needs.choices))
        if unknown:
            raise ValidationError(
                f"We do not know {_quoted(unknown)}. Enter needs as they are named in the needs covered, "
                "like Learning disability"
            )

    def validate_catchment_areas(self, field: Any) -> None:
        """Every area known; some areas unless the service takes anyone ("none" ignores them)."""
        if self.catchment_type.data == "none":
            return
        areas, unknown = geography.parse_areas(field.data or "")
        if unknown:
            raise ValidationError(
                f"We do not know {_quoted(unknown)}. Enter council names like Lewisham, "
                "local authority codes like E09000023, or postcode districts like SE6"
            )
        if not areas:
            raise ValidationError(
                "Enter the areas you take people from, or choose “Anyone, wherever they live”"
            )


for _row in range(1, PHONE_ROWS + 1):
    setattr(
        DetailsForm,
        f"phone_{_row}_number",
        StringField(f"Phone {_row}: number", widget=GovTextInput(), validators=[Length(max=40)]),
    )
    setattr(
        DetailsForm,
        f"phone_{_row}_label",
        StringField(f"Phone {_row}: what it is for", widget=GovTextInput(), validators=[Length(max=120)]),
    )
    setattr(
        DetailsForm,
        f"phone_{_row}_professional",
        BooleanField("For professionals only (never shown to the public)", widget=GovCheckboxInput()),
    )


class ScheduleForm(VersionedForm):
    """The weekly grid: ``mon_1_opens`` ... ``sun_3_closes`` and drop-in ticks (added below)."""

    always_open = BooleanField("Open 24 hours a day, every day", widget=GovCheckboxInput())
    open_on_bank_holidays = BooleanField("Open on bank holidays", widget=GovCheckboxInput())
    copy_monday = BooleanField("Use Monday's sessions for Tuesday to Friday too", widget=GovCheckboxInput())
    submit = SubmitField("Publish opening times", widget=GovSubmitInput())


for _day in WEEKDAYS:
    for _slot in range(1, SLOTS_PER_DAY + 1):
        setattr(ScheduleForm, f"{_day}_{_slot}_opens", StringField("Opens", validators=[Length(max=10)]))
        setattr(ScheduleForm, f"{_day}_{_slot}_closes", StringField("Closes", validators=[Length(max=10)]))
        setattr(ScheduleForm, f"{_day}_{_slot}_drop_in", BooleanField("Drop-in"))


class ExceptionForm(FlaskForm):
    day = DayMonthYearField(
        "Date",
        widget=GovDateInput(),
        format="%d %m %Y",
        description="For example, 27 3 2027",
        validators=[InputRequired("Enter the date")],
    )
    closed = RadioField(
        "What changes that day?",
        widget=GovRadioInput(),
        choices=[("closed", "Closed all day"), ("open", "Open at different times")],
        validators=[InputRequired("Choose whether the service is closed or open at different times")],
    )
    opens = StringField(
        "Opens", widget=GovTextInput(), description="For example 9am or 13:30", validators=[Length(max=10)]
    )
    closes = StringField("Closes", widget=GovTextInput(), validators=[Length(max=10)])
    note = StringField(
        "Note (optional)",
        widget=GovTextInput(),
        description="For example Staff training",
        validators=[Length(max=255)],
    )
    submit = SubmitField("Add", widget=GovSubmitInput())
    today: date | None = None  # set by the view before validating

    def validate_day(self, field: Any) -> None:
        """Only today or later (checked against the date passed in by the view)."""
        today = getattr(self, "today", None)
        if today and field.data and field.data < today:
            raise ValidationError("The date must be today or in the future")

    def validate_opens(self, field: Any) -> None:
        if self.closed.data == "open":
            _required_time(field, "Enter the opening time, like 9am or 13:30")

    def validate_closes(self, field: Any) -> None:
        if self.closed.data == "open":
            _required_time(field, "Enter the closing time, like 5pm or 17:00")


def _required_time(field: Any, message: str) -> None:
    try:
        parse_time(field.data or "")
    except ValueError:
        raise ValidationError(message) from None


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())
