"""The plain-English words for every code in :mod:`matcher.vocabulary`: what pages, forms and prints
show instead of the codes.

Keys are the enum members (each *is* its code string), so a plain stored code finds its label too.
Some codes have two wordings: a *label* for a form option or a field value ("Armed forces veterans"),
and a *phrase* that completes a sentence on a service page ("Only for armed forces veterans").
"""

from __future__ import annotations

from matcher.vocabulary import (
    CapacityStatus,
    CatchmentType,
    Cohort,
    Delivery,
    Exclusion,
    Gender,
    NeedGroup,
    Route,
)

NEED_GROUP_LABELS: dict[str, str] = {
    NeedGroup.RISK: "Risk and safety",
    NeedGroup.BASIC: "Basic needs",
    NeedGroup.HEALTH: "Health",
    NeedGroup.SOCIAL: "Work, family and wellbeing",
}

ROUTE_LABELS: dict[str, str] = {
    Route.SELF: "Self-referral",
    Route.PROFESSIONAL: "Professional referral",
    Route.PROBATION: "Probation referral",
    Route.GP: "GP referral",
    Route.DROP_IN: "Drop in",
}

DELIVERY_LABELS: dict[str, str] = {
    Delivery.IN_PERSON: "In person",
    Delivery.PHONE: "By phone",
    Delivery.ONLINE: "Online",
}

GENDER_LABELS: dict[str, str] = {
    Gender.FEMALE: "Women",
    Gender.MALE: "Men",
    Gender.NON_BINARY: "Non-binary people",
}

CATCHMENT_LABELS: dict[str, str] = {
    CatchmentType.NONE: "Anyone, wherever they live",
    CatchmentType.RESIDENCE: "People living in these areas",
    CatchmentType.GP: "People registered with a GP in these areas",
    CatchmentType.EITHER: "People living in these areas or registered with a GP in them",
}

CAPACITY_LABELS: dict[str, str] = {
    CapacityStatus.ACCEPTING: "Accepting referrals",
    CapacityStatus.WAITING_LIST: "Waiting list",
    CapacityStatus.AT_CAPACITY: "At capacity: not taking new people for now",
    CapacityStatus.CLOSED_TO_REFERRALS: "Closed to referrals",
}

COHORT_LABELS: dict[str, str] = {
    Cohort.VETERAN: "Armed forces veterans",
    Cohort.PROBATION: "People on probation",
    Cohort.YOUTH_JUSTICE: "Children known to a youth justice service",
}
# "Only for ..." on a service page.
COHORT_PHRASES: dict[str, str] = {
    Cohort.VETERAN: "armed forces veterans",
    Cohort.PROBATION: "people on probation",
    Cohort.YOUTH_JUSTICE: "young people working with a youth justice service",
}

# Needs whose taxonomy label does not read well after "people with" (keyed by need code; every other
# need is said as its label in lower case: "people with drug use or alcohol use").
NEED_PHRASES: dict[str, str] = {
    "LD": "a learning disability",
    "MH_SEVERE": "a severe mental illness",
    "GP_UNREGISTERED": "no GP",
}

EXCLUSION_LABELS: dict[str, str] = {
    Exclusion.IMMEDIATE_RISK: "People at immediate risk to life, such as of suicide",
    Exclusion.CRISIS: "People in a mental health crisis",
    Exclusion.SECONDARY_CARE: "People with severe mental illness or under secondary mental health care",
}
# "Not for ..." on a service page, with where to go instead.
EXCLUSION_PHRASES: dict[str, str] = {
    Exclusion.IMMEDIATE_RISK: "people at immediate risk to life (call 999 or go to A&E)",
    Exclusion.CRISIS: "people in a mental health crisis (use the crisis line first)",
    Exclusion.SECONDARY_CARE: "people already under secondary mental health care",
}

# Language codes (ISO 639-1, and ``bsl``) we expect in UK directories, with their English names: shown
# on pages, typed by editors, and published as HSDS ``language.name``. An unknown code is shown as written.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "cy": "Welsh",
    "ar": "Arabic",
    "bn": "Bengali",
    "bg": "Bulgarian",
    "de": "German",
    "es": "Spanish",
    "fa": "Persian",
    "fr": "French",
    "gd": "Scottish Gaelic",
    "gu": "Gujarati",
    "hi": "Hindi",
    "it": "Italian",
    "ku": "Kurdish",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "pa": "Punjabi",
    "pl": "Polish",
    "ps": "Pashto",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "so": "Somali",
    "sq": "Albanian",
    "ta": "Tamil",
    "ti": "Tigrinya",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "zh": "Chinese",
    "bsl": "British Sign Language",
}
