"""Plain English for what people read: audit actions as sentences, recorded values, moments, plurals
and our own error page wording (never Werkzeug's)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from matcher.vocabulary import LONDON

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

ACTIONS = {
    "auth.invitation_accepted": "Accepted an invitation",
    "auth.login": "Signed in",
    "auth.login_failed": "Failed to sign in",
    "auth.logout": "Signed out",
    "auth.password_changed": "Changed their password",
    "auth.password_reset": "Password reset",
    "case.access_granted": "Was given access to a case",
    "case.closed": "Closed a case",
    "case.consent_recorded": "Recorded consent",
    "case.follow_up_done": "Marked a follow-up check as done",
    "case.opened": "Opened a case",
    "case.purged": "Removed a case's personal details",
    "case.referral_level_changed": "Changed how a referral is handed over",
    "case.referral_made": "Made a referral",
    "case.referral_updated": "Updated a referral",
    "case.viewed": "Looked at a case",
    "case.viewed_export": "Looked at a case's subject access export",
    "import.applied": "Imported a feed",
    "imports.preview": "Previewed an import",
    "mapping.added": "Added a taxonomy mapping",
    "mapping.changed": "Changed a taxonomy mapping",
    "mapping.deleted": "Deleted a taxonomy mapping",
    "mapping.loaded": "Loaded the shipped taxonomy mappings",
    "organisation.created": "Added an organisation",
    "service.assured": "Confirmed the listing is still accurate",
    "service.change_approved": "Approved a proposed change",
    "service.change_proposed": "Proposed a change",
    "service.change_rejected": "Rejected a proposed change",
    "service.change_withdrawn": "Withdrew a proposed change",
    "service.created": "Added a listing",
    "service.details_updated": "Changed the listing's details",
    "service.duplicate_dismissed": "Decided two listings are not duplicates",
    "service.exception_added": "Added a change to opening times on a particular day",
    "service.exception_removed": "Removed a change to opening times on a particular day",
    "service.merged_away": "Retired the listing as a duplicate",
    "service.merged_into": "Kept the listing and retired its duplicate",
    "service.operational_updated": "Changed capacity, closure or alert",
    "service.problem_reported": "Reported a problem",
    "service.retired": "Retired the listing",
    "service.schedule_updated": "Changed the weekly opening times",
    "user.created": "Created an account",
    "user.disabled": "Disabled an account",
    "user.enabled": "Enabled an account",
    "user.invitation_reissued": "Sent a new invitation",
    "user.invited": "Invited someone",
    "user.organisation_bound": "Let an editor edit an organisation's listings",
    "user.organisation_unbound": "Stopped an editor editing an organisation's listings",
    "user.reset_link_issued": "Issued a password reset link",
    "user.role_changed": "Changed someone's role",
    "user.sessions_ended": "Signed someone out everywhere",
    "user.team_changed": "Changed someone's team",
}

FIELDS = {
    "gp_registered": "Registered with a GP",
    "gp_district": "GP's postcode district",
    "no_fixed_abode": "No fixed address",
    "home_district": "Home postcode district",
    "home_authority": "Home local authority",
    "housing_authority": "Housing authority",
    "where_postcode": "Postcode of where they are",
    "safe_contact_notes": "How to contact them safely",
    "hours_known": "Opening times known",
    "always_open": "Open 24 hours a day, every day",
    "open_on_bank_holidays": "Open on bank holidays",
    "sessions": "Weekly opening times",
    "wait_days": "Typical wait in days",
    "id": "Identifier",
}

# Fields whose values are codes such as ``at_capacity``: shown as "At capacity".
CODE_FIELDS = {
    "capacity_status",
    "status",
    "catchment_type",
    "role",
    "level",
    "decision",
    "method",
    "gender",
    "probation",
    "setting",
}

_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})((?::\s.*)?)$", re.DOTALL)  # "2026-12-05: closed all day"
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def action_sentence(action: str) -> str:
    """``service.schedule_updated`` -> "Changed the weekly opening times"."""
    if action in ACTIONS:
        return ACTIONS[action]
    _kind, _dot, verb = action.partition(".")
    return (verb or action).replace("_", " ").capitalize()


def field_label(name: str) -> str:
    """``gp_registered`` -> "Registered with a GP"."""
    return FIELDS.get(name) or name.replace("_", " ").capitalize()


def clock(text: str) -> str:
    """``09:00`` -> ``9am``; ``17:30`` -> ``5:30pm``; ``00:00`` -> ``midnight``."""
    hours, _, minutes = text.partition(":")
    hour, minute = int(hours), int(minutes[:2] or 0)
    if hour == 0 and minute == 0:
        return "midnight"
    if hour == 12 and minute == 0:
        return "midday"
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}{suffix}" if minute == 0 else f"{shown}:{minute:02d}{suffix}"


def session_text(row: list[Any] | tuple[Any, ...]) -> str:
    """``[0, "09:00", "17:00", False]`` -> "Monday 9am to 5pm"."""
    weekday, opens, closes, drop_in = [*row, False][:4]
    text = f"{WEEKDAYS[int(weekday)]} {clock(str(opens))} to {clock(str(closes))}"
    return f"{text} (drop-in)" if drop_in else text


def moment(value: datetime | date | None) -> str:
    """``4 December 2026 at 3:05am`` in London time; a date alone is ``4 December 2026``."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return f"{value.day} {value:%B %Y}"
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LONDON)
    return f"{local.day} {local:%B %Y} at {clock(local.strftime('%H:%M'))}"


def plain(value: Any, field: str = "") -> str:
    """A recorded value as a person reads it: yes or no, dates in words, opening hours as sentences."""
    if value is None or value == "" or value == [] or value == {}:
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime | date):
        return moment(value)
    if isinstance(value, str):
        if field in CODE_FIELDS:
            return value.replace("_", " ").capitalize()
        if _ISO_MOMENT.match(value):
            try:
                return moment(datetime.fromisoformat(value))
            except ValueError:
                return value
        dated = _DATED.match(value)
        if dated:
            try:
                return moment(date.fromisoformat(dated[1])) + dated[2]
            except ValueError:
                return value
        return value
    if isinstance(value, list):
        if field == "sessions" or (value and all(_is_session(v) for v in value)):
            return "; ".join(session_text(v) for v in value)
        return "; ".join(plain(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{field_label(k)}: {plain(v, k)}" for k, v in value.items())
    return str(value)


def _is_session(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) == 4
        and isinstance(value[0], int)
        and not isinstance(value[0], bool)
        and 0 <= value[0] < 7
        and isinstance(value[1], str)
        and bool(re.match(r"^\d{2}:\d{2}$", value[1]))
    )


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 service``, ``2 services``, ``0 services``."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


# Our own words for error pages; a view's own message (abort(404, "That term has no mapping.")) wins.
ERRORS = {
    400: ("Something was wrong with that request", "Go back and try again."),
    401: ("Sign in to see this page", "Sign in, then try again."),
    403: (
        "You cannot see this page",
        "Your account does not let you do this. Ask an administrator if you need to.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied all of it.",
    ),
    405: ("That does not work on this page", "Go back and use the buttons and links on the page."),
    413: ("That was too big", "Go back and send something smaller."),
    414: ("That web address is too long", "Go back and try a shorter search."),
    429: ("Too many tries", "Wait a few minutes, then try again."),
    500: ("Sorry, there is a problem with the service", "Try again later. The problem has been logged."),
    503: ("Sorry, the service is unavailable", "Try again in a few minutes."),
}


def error_words(status: int) -> tuple[str, str]:
    """A title and a sentence for an error page."""
    return ERRORS.get(status) or ("Sorry, something went wrong", "Go back and try again.")
