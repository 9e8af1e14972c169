"""The search form: a GET form whose whole state lives in the query string."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from werkzeug.datastructures import MultiDict

# SelectChoice and invalid_choice_message are WTForms 3.3's; types-WTForms (3.2.1) lacks them.
from wtforms import (  # type: ignore[attr-defined]
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    ValidationError,
)

from directory import geography
from directory.form_fields import FlaskForm
from directory.labels import DELIVERY_LABELS
from directory.search import SearchQuery
from directory.search.typed_place import split_postcode
from matcher.vocabulary import Delivery

RADIUS_CHOICES = [SelectChoice(str(km), f"{km} km") for km in (1, 3, 5, 10, 25, 50)]
RADIUS_CHOICES.append(SelectChoice("", "Any distance"))
GENDER_CHOICES = [
    SelectChoice("", "Any"),
    SelectChoice("female", "Woman"),
    SelectChoice("male", "Man"),
    SelectChoice("non_binary", "Non-binary"),
]
SORT_CHOICES = [SelectChoice("relevance", "Best match"), SelectChoice("distance", "Nearest first")]
MAX_QUERY_LENGTH = 200


class SearchForm(FlaskForm):
    """Search text and filters. Field names are the query-string keys."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    q = StringField(
        "Search the directory",
        description="A service, an organisation, a need or a place, for example “alcohol Lewisham”",
        widget=GovTextInput(),
    )
    need = SelectMultipleField(  # type: ignore[call-arg]  # see the wtforms import
        "Needs",
        choices=[],
        widget=GovCheckboxesInput(),
        invalid_choice_message="Choose needs from the list (“%(value)s” is not one)",
    )
    postcode = StringField(
        "Postcode", description="Full postcode or district, like SE13 6LJ or SE13", widget=GovTextInput()
    )
    radius = SelectField(  # type: ignore[call-arg]  # see the wtforms import
        "Within",
        choices=RADIUS_CHOICES,
        default="10",
        widget=GovSelect(),
        invalid_choice_message="Choose a distance from the list",
    )
    age = StringField("Age", description="In years", widget=GovTextInput())
    gender = RadioField(  # type: ignore[call-arg]  # see the wtforms import
        "Gender",
        choices=GENDER_CHOICES,
        default="",
        widget=GovRadioInput(),
        invalid_choice_message="Choose a gender from the list",
    )
    open_now = BooleanField("Open now", widget=GovCheckboxInput())
    self_referral = BooleanField("Accepts self-referral", widget=GovCheckboxInput())
    delivery = SelectMultipleField(  # type: ignore[call-arg]  # see the wtforms import
        "How it is delivered",
        choices=[SelectChoice(m, DELIVERY_LABELS[m]) for m in tuple(Delivery)],
        widget=GovCheckboxesInput(),
        invalid_choice_message="Choose how it is delivered from the list",
    )
    sort = RadioField(  # type: ignore[call-arg]  # see the wtforms import
        "Sort by",
        choices=SORT_CHOICES,
        default="relevance",
        widget=GovRadioInput(),
        invalid_choice_message="Choose how to sort from the list",
    )

    def __init__(self, args: MultiDict[str, str], need_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(formdata=args if args else None, **kwargs)
        self.need.choices = [SelectChoice(code, label) for code, label in need_choices]
        self.place: geography.Place | None = None

    def validate_q(self, field: StringField) -> None:
        if len(field.data or "") > MAX_QUERY_LENGTH:
            raise ValidationError(f"Search words must be {MAX_QUERY_LENGTH} characters or fewer")

    def validate_postcode(self, field: StringField) -> None:
        if not field.data or not field.data.strip():
            return
        try:
            self.place = geography.resolve(field.data)
        except geography.PostcodeError as error:
            raise ValidationError(str(error)) from None

    def validate_age(self, field: StringField) -> None:
        text = (field.data or "").strip()
        if not text:
            return
        if not text.isdigit():
            raise ValidationError("Enter age as a whole number of years, like 34")
        if not 0 <= int(text) <= 120:
            raise ValidationError("Age must be between 0 and 120")

    def validate_sort(self, field: RadioField) -> None:
        typed = (self.postcode.data or "").strip() or split_postcode(self.q.data or "")[1]
        if field.data == "distance" and not typed:
            raise ValidationError("Enter a postcode to sort by distance")

    def to_query(self, page: int, per_page: int) -> SearchQuery:
        """The validated form as a search; with the postcode box empty, a postcode typed among the
        words is the place (and the distance chosen applies to it)."""
        text = (self.q.data or "").strip()
        postcode = (self.postcode.data or "").strip() or None
        if postcode is None:
            text, postcode = split_postcode(text)
        radius = float(self.radius.data) if postcode and self.radius.data else None
        age = (self.age.data or "").strip()
        return SearchQuery(
            text=text,
            needs=tuple(self.need.data or ()),
            postcode=postcode,
            radius_km=radius,
            age=int(age) if age else None,
            gender=self.gender.data or None,
            open_now=bool(self.open_now.data),
            self_referral=bool(self.self_referral.data),
            delivery=tuple(self.delivery.data or ()),
            sort=self.sort.data or "relevance",
            page=page,
            per_page=per_page,
        )
