"""Our two published taxonomies and the vocabularies our extra fields use in HSDS attributes.

- ``diversion-directory-needs``: the 24 need codes (``seeds/needs.csv``). A service covering a need has an
  attribute whose ``taxonomy_term`` is that need's term.
- ``diversion-directory-fields``: one term per extra field we keep that HSDS has no place for (referral
  routes, catchment, cohorts, ...). A service carries one attribute per value, with the value in
  ``value``; each term's description names its vocabulary.

Ids are UUIDs derived (uuid5) from fixed names, so they never change between deployments.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from directory.labels import LANGUAGE_NAMES
from matcher.vocabulary import CapacityStatus, CatchmentType, Cohort, Delivery, Exclusion, Gender, Route

NAMESPACE = uuid.UUID("6f1c1f9e-5d0b-4d59-9a39-3d5a2d1f0c11")
NEEDS_TAXONOMY = "diversion-directory-needs"
FIELDS_TAXONOMY = "diversion-directory-fields"
TAXONOMY_VERSION = "1.0"

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"


def stable_id(*parts: object) -> str:
    """A UUID that is always the same for the same parts."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def taxonomy_id(name: str) -> str:
    return stable_id("taxonomy", name)


def term_id(taxonomy: str, code: str) -> str:
    return stable_id("taxonomy", taxonomy, "term", code)


@dataclass(frozen=True)
class Field:
    """An extra field travelling as an attribute: its term code, meaning and allowed values."""

    code: str
    name: str
    description: str
    values: tuple[str, ...] = ()  # empty: free text or a number, as the description says
    many: bool = False  # one attribute per value


FIELDS: tuple[Field, ...] = (
    Field(
        "referral_route",
        "Referral route",
        "How a person can be referred. One attribute per route.",
        tuple(Route),
        many=True,
    ),
    Field(
        "delivery_mode",
        "Delivery mode",
        "How the service is delivered. One attribute per mode.",
        tuple(Delivery),
        True,
    ),
    Field(
        "catchment_type",
        "Catchment type",
        "Whom the catchment areas apply to: where the person lives (residence), where their GP is (gp), "
        "either, or none (no catchment; the attribute is then left out).",
        tuple(CatchmentType),
    ),
    Field(
        "catchment_area",
        "Catchment area",
        "An area the catchment covers: an ONS local authority district code (E09000023) or a postcode "
        "district (SE13). One attribute per area.",
        many=True,
    ),
    Field(
        "cohort",
        "Cohort",
        "A group the person must belong to; when several are listed the person must be in all of them.",
        tuple(Cohort),
        True,
    ),
    Field(
        "exclusion",
        "Exclusion",
        "A state in which people are not accepted (immediate risk, crisis, open to secondary care).",
        tuple(Exclusion),
        True,
    ),
    Field(
        "requires_needs",
        "Requires needs",
        "Inclusion criteria: the person must have at least one need from each group. One attribute per "
        "group, its value the need codes of the diversion-directory-needs taxonomy that satisfy it, "
        "separated by | (SUBST_DRUGS|SUBST_ALCOHOL).",
        many=True,
    ),
    Field(
        "gender",
        "Gender",
        "Genders the service accepts. No gender attribute means anyone. One attribute per gender.",
        tuple(Gender),
        True,
    ),
    Field(
        "capacity_status", "Capacity", "Whether the service is taking referrals now.", tuple(CapacityStatus)
    ),
    Field("wait_days", "Typical wait", "Typical wait in days before first contact: a whole number."),
    Field(
        "joint_or_couple",
        "Joint or couple work",
        "Present with value true when the service works with couples or families together "
        "(never offered to victims of domestic abuse).",
        ("true",),
    ),
    Field(
        "requires_gp_registration",
        "Requires GP registration",
        "Present with value true when the person must be registered with a GP first.",
        ("true",),
    ),
    Field(
        "open_on_bank_holidays",
        "Open on bank holidays",
        "Present with value true when the weekly schedules also apply on England and Wales bank holidays; "
        "otherwise the service is closed on them.",
        ("true",),
    ),
    Field(
        "hours_known",
        "Opening hours known",
        "Present with value true when the opening hours have been checked (even when no weekly schedule is "
        "listed).",
        ("true",),
    ),
    Field("assured_by", "Assured by", "Who last checked this listing: free text."),
)
FIELDS_BY_CODE = {f.code: f for f in FIELDS}


def field_term_description(field: Field) -> str:
    """The description published for a field's term, naming its vocabulary."""
    if field.values and field.values != ("true",):
        return f"{field.description} Values: {', '.join(field.values)}."
    return field.description


LANGUAGE_CODES = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}

# HSDS status <-> ours.
STATUS_TO_HSDS = {
    "active": "active",
    "inactive": "inactive",
    "defunct": "defunct",
    "temporarily_closed": "temporarily closed",
}
STATUS_FROM_HSDS = {v: k for k, v in STATUS_TO_HSDS.items()}

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
