"""Every code the directory and the matcher share, in one place.

Each code set is a ``StrEnum``: a member *is* its string (``ServiceStatus.ACTIVE == "active"``), so
stored rows, seeds, feeds and the API keep the same plain strings, while the type checker catches a
misspelt code. Their plain-English words live on the app side, in ``directory/labels.py``.

What a need *means* to the rules is not here: it is data, the ``roles`` of each need in the
taxonomy (``seeds/needs.csv``), named by :class:`NeedRole`.
"""

from __future__ import annotations

from enum import StrEnum
from zoneinfo import ZoneInfo

# Every wall-clock time (opening hours, "today") is Europe/London local time.
LONDON = ZoneInfo("Europe/London")
# Weekday codes, Monday first (index = ``date.weekday()``), as the seeds and spreadsheets write them.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Freshness: a listing not verified for this many days is ageing (ranked lower), then stale (used only
# when nothing else fits, with a warning; pages warn about it).
AGING_DAYS = 90
STALE_DAYS = 365


class NeedGroup(StrEnum):
    """The four groups a screening form shows the needs in."""

    RISK = "risk"
    BASIC = "basic"
    HEALTH = "health"
    SOCIAL = "social"


class NeedRole(StrEnum):
    """What a need triggers in the rules; a need may have several roles, or none."""

    SURVIVAL = "survival"  # addressed straight after risk: a bed tonight, food, medication
    HOUSING = "housing"  # residence is judged by the council chosen for housing
    DOMESTIC_ABUSE = "domestic_abuse"  # no joint services; its housing needs no local connection
    LIFE_AT_RISK = "life_at_risk"  # unmet and closed: "call 999 or go to A&E"
    IMMEDIATE_RISK = "immediate_risk"  # services excluding people at immediate risk are not offered
    CRISIS = "crisis"  # services excluding people in crisis are not offered
    SECONDARY_CARE = "secondary_care"  # services excluding people under secondary care are not offered
    VETERAN = "veteran"  # counts as being in the veterans' cohort
    GP_REGISTRATION = "gp_registration"  # the step added when a service needs a GP first


class RecipientKind(StrEnum):
    """Which kind of recipient a referral for a need goes to (what consent is asked about)."""

    HEALTH = "health"
    HOUSING = "housing"
    SAFEGUARDING = "safeguarding"
    COMMUNITY = "community"
    JUSTICE = "justice"  # police, courts and probation: no need's own kind, but consent may cover it


class Setting(StrEnum):
    """Where the person is seen."""

    CUSTODY = "custody"
    COURT = "court"
    COMMUNITY = "community"


class Probation(StrEnum):
    """The person's probation order, if any."""

    NONE = "none"
    COMMUNITY_ORDER_RAR = "community_order_rar"
    LICENCE = "licence"
    PSS = "pss"


class Route(StrEnum):
    """A way into a service."""

    SELF = "self"
    PROFESSIONAL = "professional"
    PROBATION = "probation"
    GP = "gp"
    DROP_IN = "drop_in"


class ServiceStatus(StrEnum):
    """Whether a listing is in use."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily_closed"


class CapacityStatus(StrEnum):
    """Whether a service is taking people now."""

    ACCEPTING = "accepting"
    WAITING_LIST = "waiting_list"
    AT_CAPACITY = "at_capacity"
    CLOSED_TO_REFERRALS = "closed_to_referrals"


class CatchmentType(StrEnum):
    """What a service's catchment areas apply to."""

    NONE = "none"
    RESIDENCE = "residence"
    GP = "gp"
    EITHER = "either"


class Delivery(StrEnum):
    """How a service is delivered."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    ONLINE = "online"


class Gender(StrEnum):
    """The genders a single-sex service can be for."""

    FEMALE = "female"
    MALE = "male"
    NON_BINARY = "non_binary"


class Cohort(StrEnum):
    """A group a cohort service is only for."""

    VETERAN = "veteran"
    PROBATION = "probation"
    YOUTH_JUSTICE = "youth_justice"


class Exclusion(StrEnum):
    """A state of the person a service says it cannot take."""

    IMMEDIATE_RISK = "immediate_risk"
    CRISIS = "crisis"
    SECONDARY_CARE = "secondary_care"


class UnmetReason(StrEnum):
    """Why a need is left unmet."""

    NO_SERVICE = "no_service"
    INELIGIBLE = "ineligible"
    AT_CAPACITY = "at_capacity"
    CLOSED_NOW = "closed_now"
    OUT_OF_AREA = "out_of_area"


# Statuses a service is found in (search, the read API); a temporarily closed one says so.
FINDABLE_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
# Routes whose details only professionals may see.
PROFESSIONAL_ROUTES = (Route.PROFESSIONAL, Route.PROBATION)
# Routes a person can use without anyone referring them.
SELF_REFERRAL_ROUTES = (Route.SELF, Route.DROP_IN)
