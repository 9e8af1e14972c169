"""What a practitioner asks the matcher, validated the same way for the form and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from directory import geography

PROBATION = ("none", "community_order_rar", "licence", "pss")
SETTINGS = ("custody", "court", "community")
GENDERS = ("female", "male", "non_binary", "other")
MAX_NEEDS = 24
FIRST_YEAR, LAST_YEAR = 2000, 2100  # opening hours are planned days ahead; far years mean a typo
MAX_NOTES = 500


class MatchInputError(ValueError):
    """Bad input; ``fields`` maps each field (dotted, e.g. ``person.age``) to a message for a person."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


@dataclass(frozen=True)
class MatchInput:
    """A validated match request. Postcodes are normalised; ``home_postcode`` None means no fixed abode."""

    needs: tuple[str, ...]
    age: int
    gender: str
    home_postcode: str | None
    setting: str
    where_postcode: str | None
    at: datetime
    housing_authority: str | None = None
    gp_registered: bool = True
    gp_postcode: str | None = None
    probation: str = "none"
    veteran: bool = False
    language: str = "en"
    safe_contact_notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _postcode(value: Any, name: str, errors: dict[str, str], required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[name] = "Give the postcode of the custody suite, court or place they will leave from"
        return None
    if not isinstance(value, str):
        errors[name] = "Postcode must be text, like SE13 6LJ"
        return None
    try:
        return str(geography.resolve(value).postcode)
    except geography.PostcodeError as error:
        errors[name] = str(error)
        return None


def parse_time(value: Any, errors: dict[str, str], name: str = "at") -> datetime:
    """An ISO 8601 moment (with offset or Z); now when missing."""
    if value is None:
        return datetime.now(UTC)
    if not isinstance(value, str):
        errors[name] = "Give the time as ISO 8601 text, like 2026-11-22T02:30:00Z"
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        errors[name] = f"{value!r} is not a valid ISO 8601 time, like 2026-11-22T02:30:00Z"
        return datetime.now(UTC)
    if moment.tzinfo is None:
        errors[name] = "Include a time zone offset or Z, like 2026-11-22T02:30:00Z"
        return datetime.now(UTC)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        errors[name] = f"The time must fall in the years {FIRST_YEAR} to {LAST_YEAR}"
        return datetime.now(UTC)
    return moment


def parse_api_payload(payload: Any, known_needs: set[str]) -> MatchInput:
    """Validate the ``POST /api/v1/match`` body; raises MatchInputError with a message per field."""
    errors: dict[str, str] = {}
    if not isinstance(payload, dict):
        raise MatchInputError({"body": "Send a JSON object with needs, person and where"})
    needs = payload.get("needs")
    if not isinstance(needs, list) or not needs or not all(isinstance(n, str) for n in needs):
        errors["needs"] = 'Give a non-empty list of need codes, like ["NO_BED_TONIGHT"]'
        needs = []
    elif len(needs) > MAX_NEEDS:
        errors["needs"] = f"Give at most {MAX_NEEDS} need codes"
    else:
        unknown = [n for n in needs if n not in known_needs]
        if unknown:
            errors["needs"] = f"Unknown need code(s): {', '.join(unknown)}"
    person = payload.get("person")
    where = payload.get("where")
    if not isinstance(person, dict):
        errors["person"] = "Give the person as an object"
        person = {}
    if not isinstance(where, dict):
        errors["where"] = "Give where the person is as an object"
        where = {}
    age = person.get("age")
    if isinstance(age, float) and age.is_integer():
        age = int(age)
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 120:
        errors["person.age"] = "Age must be a whole number from 0 to 120"
        age = 0
    gender = person.get("gender")
    if gender not in GENDERS:
        errors["person.gender"] = f"Gender must be one of {', '.join(GENDERS)}"
        gender = "other"
    probation = person.get("probation", "none")
    if probation not in PROBATION:
        errors["person.probation"] = f"Probation must be one of {', '.join(PROBATION)}"
    setting = where.get("setting")
    if not isinstance(setting, str) or setting not in SETTINGS:
        errors["where.setting"] = f"Setting must be one of {', '.join(SETTINGS)}"
        setting = ""
    authority = person.get("local_authority")
    if authority is not None and (
        not isinstance(authority, str) or authority not in geography.local_authorities()
    ):
        errors["person.local_authority"] = "Give an ONS local authority code, like E09000023, or null"
    for flag in ("gp_registered", "veteran"):
        if flag in person and not isinstance(person[flag], bool):
            errors[f"person.{flag}"] = "Must be true or false"
    language = person.get("language", "en")
    if not isinstance(language, str) or not 2 <= len(language) <= 8:
        errors["person.language"] = "Give a language code, like en"
    notes = person.get("safe_contact_notes", "")
    if not isinstance(notes, str) or len(notes) > MAX_NOTES:
        errors["person.safe_contact_notes"] = (
            f"Safe-contact notes must be text of at most {MAX_NOTES} characters"
        )
        notes = ""
    home = _postcode(person.get("postcode"), "person.postcode", errors)
    place = _postcode(where.get("postcode"), "where.postcode", errors, required=True)
    gp_postcode = _postcode(person.get("gp_postcode"), "person.gp_postcode", errors)
    at = parse_time(payload.get("at"), errors)
    if errors:
        raise MatchInputError(errors)
    return MatchInput(
        needs=tuple(dict.fromkeys(needs)),
        age=age,
        gender=gender,
        home_postcode=home,
        setting=setting,
        where_postcode=place,
        at=at,
        housing_authority=authority,
        gp_registered=bool(person.get("gp_registered", True)),
        gp_postcode=gp_postcode,
        probation=probation,
        veteran=bool(person.get("veteran", False)),
        language=language,
        safe_contact_notes=notes,
    )
