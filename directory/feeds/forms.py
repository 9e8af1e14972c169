"""Forms of the curator's import and taxonomy mapping screens."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from directory.feeds.importer import check_source
from directory.form_fields import FlaskForm


class UploadForm(FlaskForm):
    file = FileField(
        "Feed file",
        widget=GovFileInput(),
        description="Open Referral UK / HSDS 3.0 JSON, an HSDS data package (.zip) or our spreadsheet (CSV UTF-8)",
        validators=[FileRequired("Choose a file to import")],
    )
    source = StringField(
        "Source name",
        widget=GovTextInput(),
        description="Names the feed, like lewisham-council: importing it again under the same name updates its "
        "services. Lower-case letters, digits, dots, hyphens or underscores. Leave empty to use the file name.",
        validators=[Length(max=100, message="A source name is 100 characters or fewer")],
    )
    overwrite = BooleanField(
        "Let the feed replace fields a curator corrected by hand", widget=GovCheckboxInput()
    )
    submit = SubmitField("Upload and preview", widget=GovSubmitInput())

    def validate_source(self, field: StringField) -> None:
        value = (field.data or "").strip()
        problem = check_source(value) if value else None
        if problem:
            raise ValidationError(f"Enter a valid source name: {problem}")


class ConfirmImportForm(FlaskForm):
    source = HiddenField()
    overwrite = HiddenField()
    filename = HiddenField()
    submit = SubmitField("Confirm import", widget=GovSubmitInput())


class MappingForm(FlaskForm):
    taxonomy = StringField(
        "Taxonomy",
        widget=GovTextInput(),
        description="For example open_eligibility, or the feed's own taxonomy name",
        validators=[DataRequired("Enter the taxonomy"), Length(max=100)],
    )
    term = StringField(
        "Term",
        widget=GovTextInput(),
        description="The term's code or id in that taxonomy",
        validators=[DataRequired("Enter the term"), Length(max=255)],
    )
    term_name = StringField("Term name", widget=GovTextInput(), validators=[Length(max=255)])
    need_codes = SelectMultipleField(  # type: ignore[call-arg]  # types-WTForms lacks WTForms 3.3's invalid_choice_message
        "Our needs",
        choices=[],
        widget=GovCheckboxesInput(),
        description="Choose none to mark the term as deliberately mapped to nothing",
        invalid_choice_message="Choose needs from the list (“%(value)s” is not one)",
    )
    submit = SubmitField("Save mapping", widget=GovSubmitInput())
