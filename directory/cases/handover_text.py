"""The text to send an agency for one referral: only the needs relevant to it, who to reply to, and
how urgent it is; and only what the person agreed to share (or what a legal exception covers)."""

from __future__ import annotations

from datetime import date

from directory.cases.common import local_date
from directory.cases.followup import acknowledgement_due
from directory.matching.forms import LANGUAGES
from directory.models import Case, Referral, User
from directory.models.case import CONSENT_METHODS, EXCEPTION_GROUNDS, RECIPIENT_KINDS
from directory.templating import format_date, format_when

PROBATION_TEXT = {
    "community_order_rar": "on a community order with a rehabilitation activity requirement",
    "licence": "on licence",
    "pss": "on post-sentence supervision",
}
GENDER_TEXT = {"female": "female", "male": "male", "non_binary": "non-binary"}


def _day(value: date) -> str:
    return f"{value:%A} {format_date(value)}"


def _circumstances(case: Case) -> list[str]:
    a = case.attributes
    lines = [f"Age: {a['age']}" if a.get("age") is not None else ""]
    if a.get("gender") in GENDER_TEXT:
        lines.append(f"Gender: {GENDER_TEXT[a['gender']]}")
    if a.get("no_fixed_abode"):
        lines.append("Area: no fixed abode")
    elif a.get("home_district"):
        lines.append(f"Area: {a['home_district']}")
    lines.append("GP: registered" if a.get("gp_registered") else "GP: not registered")
    if a.get("probation") in PROBATION_TEXT:
        lines.append(f"Probation: {PROBATION_TEXT[a['probation']]}")
    if a.get("veteran"):
        lines.append("Has served in HM Armed Forces")
    if a.get("language") and a["language"] != "en":
        name = dict(LANGUAGES).get(a["language"], a["language"])
        lines.append(f"Preferred language: {name} (may need an interpreter)")
    return [line for line in lines if line]


def referral_text(case: Case, referral: Referral, labels: dict[str, str], sender: User) -> str:
    """Plain text, ready to paste into an email or a referral form."""
    consent = case.consent
    exception = consent is not None and consent.is_exception
    shares = set(consent.shares) if consent and consent.allows_sharing else set()
    lines = [
        f"Referral from {case.team.name} (Liaison and Diversion)",
        f"Our reference: {case.reference}",
        f"To: {referral.service_name}"
        + (f", {referral.organization_name}" if referral.organization_name else ""),
    ]
    made_on = local_date(referral.made_at)
    if referral.urgent:
        lines.append("Urgency: URGENT - please reply today")
    else:
        lines.append(f"Urgency: routine - please reply by {_day(acknowledgement_due(made_on))}")
    if referral.appointment_at:
        lines.append(f"Appointment: {format_when(referral.appointment_at)} at {referral.appointment_place}")
    lines.append("")
    if "needs" in shares:
        lines.append("Why we are referring:")
        lines.extend(f"- {labels.get(code, code)}" for code in referral.needs)
    else:
        lines.append("The person has agreed to be referred and will tell you about their needs.")
    if "contact" in shares and (case.person_name or case.date_of_birth):
        lines.append("")
        if case.person_name:
            lines.append(f"Name: {case.person_name}")
        if case.date_of_birth:
            lines.append(f"Date of birth: {format_date(case.date_of_birth)}")
    if "circumstances" in shares:
        lines.append("")
        lines.append("About them:")
        lines.extend(f"- {line}" for line in _circumstances(case))
    notes = (case.attributes.get("safe_contact_notes") or "").strip()
    if "safety" in shares and notes:
        lines.append("")
        lines.append(f"How to contact them safely: {notes}")
    lines.append("")
    if exception and consent is not None:
        ground = EXCEPTION_GROUNDS.get(consent.exception_ground or "", "a legal exception")
        lines.append(
            f"Shared without the person's consent under a legal exception: {ground}. "
            "The reason is recorded on our case; ask us if you need it."
        )
    elif consent is not None:
        kinds = ", ".join(RECIPIENT_KINDS[k].split(" (")[0].lower() for k in consent.recipients)
        method = CONSENT_METHODS.get(consent.method or "", "").lower()
        lines.append(
            f"Consent: the person gave explicit consent on {format_date(local_date(consent.recorded_at))}"
            + (f" ({method})" if method else "")
            + f" to share this with {kinds}."
        )
    lines.append("")
    lines.append(f"Please reply to {sender.display_name}, {case.team.name}: {sender.email}")
    lines.append(
        "Please confirm you have received this referral, and tell us when you have offered an appointment."
    )
    return "\n".join(lines)
