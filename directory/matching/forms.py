"""The package form: grouped needs, the person, where they are, and when."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from directory import geography, needs
from directory.form_fields import DayMonthYearField, FlaskForm
from directory.labels import NEED_GROUP_LABELS
from directory.matching.request import MatchInput
from directory.models import Need
from matcher.vocabulary import LONDON, NeedGroup

LANGUAGES = [
    ("en", "English"),
    ("pl", "Polish"),
    ("ro", "Romanian"),
    ("ur", "Urdu"),
    ("pa", "Punjabi"),
    ("bn", "Bengali"),
    ("so", "Somali"),
    ("ar", "Arabic"),
    ("pt", "Portuguese"),
    ("es", "Spanish"),
    ("lt", "Lithuanian"),
    ("tr", "Turkish"),
    ("other", "Another language"),
]


def _need_field(group: str) -> SelectMultipleField:
    return SelectMultipleField(
        NEED_GROUP_LABELS[group], choices=[], widget=GovCheckboxesInput(), validators=[Optional()]
    )


def _check_postcode(_form: Any, field: Any) -> None:
    if field.data and field.data.strip():
        try:
            geography.resolve(field.data)
        except geography.PostcodeError as error:
            raise ValidationError(str(error)) from None


def _check_time(_form: Any, field: Any) -> None:
    if field.data and field.data.strip():
        try:
            time.fromisoformat(field.data.strip().replace(".", ":"))
        except ValueError:
            raise ValidationError("Enter a 24-hour time, like 02:30 or 14:00") from None


class PackageForm(FlaskForm):
    """What the practitioner screened, who the person is, where they are and when."""

    needs_risk = _need_field("risk")
    needs_basic = _need_field("basic")
    needs_health = _need_field("health")
    needs_social = _need_field("social")
    age = IntegerField(
        "Age",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the person's age"),
            NumberRange(0, 120, "Age must be from 0 to 120"),
        ],
    )
    gender = RadioField(
        "Gender (as the person describes it)",
        choices=[
            ("female", "Female"),
            ("male", "Male"),
            ("non_binary", "Non-binary"),
            ("other", "Another way or prefer not to say"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the person's gender, or 'prefer not to say'")],
    )
    home_postcode = StringField(
        "Home postcode",
        description="A full postcode or just the district, like SE13",
        widget=GovTextInput(),
        validators=[_check_postcode],
    )
    no_fixed_abode = BooleanField("No fixed abode", widget=GovCheckboxInput())
    housing_authority = SelectField(
        "Council they choose for housing, if different",
        choices=[],
        widget=GovSelect(),
        validators=[Optional()],
    )
    gp_registered = RadioField(
        "Registered with a GP?", choices=[("yes", "Yes"), ("no", "No")], default="yes", widget=GovRadioInput()
    )
    gp_postcode = StringField(
        "GP practice postcode (optional)", widget=GovTextInput(), validators=[_check_postcode]
    )
    probation = RadioField(
        "Probation",
        choices=[
            ("none", "Not on probation"),
            ("community_order_rar", "Community order with a rehabilitation activity requirement"),
            ("licence", "On licence"),
            ("pss", "Post-sentence supervision"),
        ],
        default="none",
        widget=GovRadioInput(),
    )
    veteran = BooleanField("Has served in HM Armed Forces", widget=GovCheckboxInput())
    language = SelectField("Preferred language", choices=LANGUAGES, default="en", widget=GovSelect())
    safe_contact_notes = TextAreaField(
        "Safe contact (domestic abuse)",
        description="How services can contact the person safely. Not shown on the person's plan.",
        widget=GovTextArea(),
        validators=[Optional()],
    )
    setting = RadioField(
        "Where are they now?",
        choices=[("custody", "Police custody"), ("court", "Court"), ("community", "Community")],
        default="custody",
        widget=GovRadioInput(),
        validators=[InputRequired("Choose where the person is now")],
    )
    where_postcode = StringField(
        "Postcode of the custody suite, court or place they will leave from",
        widget=GovTextInput(),
        validators=[_check_postcode],
    )
    when = RadioField(
        "When do they need help?",
        choices=[("now", "Now"), ("later", "At another time")],
        default="now",
        widget=GovRadioInput(),
    )
    at_date = DayMonthYearField("Date", widget=GovDateInput(), validators=[Optional()], format="%d %m %Y")
    at_time = StringField(
        "Time (24-hour)", description="For example, 02:30", widget=GovTextInput(), validators=[_check_time]
    )
    at_iso = HiddenField()
    submit = SubmitField("Build the package", widget=GovSubmitInput())

    def set_choices(self, needs: list[Need]) -> None:
        """Fill the need checkboxes and the council list."""
        for group in NeedGroup:
            getattr(self, f"needs_{group}").choices = [(n.code, n.label) for n in needs if n.group == group]
        councils = sorted(
            ((c, n) for c, n in geography.local_authorities().items() if c.startswith("E")),
            key=lambda x: x[1],
        )
        self.housing_authority.choices = [("", "Same as their home"), *councils]

    @classmethod
    def for_request(cls, session: Session) -> PackageForm:
        """The form bound to this request's post, its need choices from the taxonomy."""
        form = cls()
        form.set_choices(needs.in_order(session))
        return form

    def selected_needs(self) -> list[str]:
        """Every need ticked, in group order."""
        return [code for group in NeedGroup for code in (getattr(self, f"needs_{group}").data or [])]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not self.selected_needs():
            self.needs_risk.errors = [*self.needs_risk.errors, "Choose at least one need"]
            ok = False
        if not self.no_fixed_abode.data and not (self.home_postcode.data or "").strip():
            self.home_postcode.errors = [
                *self.home_postcode.errors,
                "Enter a home postcode, or tick 'No fixed abode'",
            ]
            ok = False
        if self.no_fixed_abode.data and not (self.where_postcode.data or "").strip():
            self.where_postcode.errors = [
                *self.where_postcode.errors,
                "With no fixed abode, enter the postcode of where they are now",
            ]
            ok = False
        if self.when.data == "later" and (not self.at_date.data or not (self.at_time.data or "").strip()):
            self.at_date.errors = [*self.at_date.errors, "Enter the date and time, or choose 'Now'"]
            ok = False
        return ok

    def moment(self) -> datetime:
        """The time to plan for, in London time."""
        if self.at_iso.data:
            try:
                parsed = datetime.fromisoformat(self.at_iso.data)
                if parsed.tzinfo:
                    return parsed
            except ValueError:
                pass
        if self.when.data == "later" and self.at_date.data and self.at_time.data:
            clock = time.fromisoformat(self.at_time.data.strip().replace(".", ":"))
            return datetime.combine(self.at_date.data, clock, tzinfo=LONDON)
        return datetime.now(LONDON).replace(microsecond=0)

    def to_input(self) -> MatchInput:
        """The validated form as a MatchInput."""

        def postcode(text: str | None) -> str | None:
            return str(geography.resolve(text).postcode) if text and text.strip() else None

        return MatchInput(
            needs=tuple(self.selected_needs()),
            age=int(self.age.data or 0),
            gender=self.gender.data or "other",
            home_postcode=None if self.no_fixed_abode.data else postcode(self.home_postcode.data),
            setting=self.setting.data or "custody",
            where_postcode=postcode(self.where_postcode.data),
            at=self.moment(),
            housing_authority=self.housing_authority.data or None,
            gp_registered=self.gp_registered.data != "no",
            gp_postcode=postcode(self.gp_postcode.data),
            probation=self.probation.data or "none",
            veteran=bool(self.veteran.data),
            language=self.language.data or "en",
            safe_contact_notes=(self.safe_contact_notes.data or "")[:500],
        )
