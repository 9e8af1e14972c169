"""The matching rules, one small named function each, readable by a curator.

Every rule takes the request context, a service and the need it would be used for, and returns
``None`` when the rule is passed or a :class:`~matcher.model.Reason` naming the rule and saying, in plain
English, why the service cannot be used. Three tables:

- :data:`ELIGIBILITY_RULES`: hard filters. A service failing one is never suggested for that need
  (the need is listed unmet as ``ineligible`` if nothing else fits).
- :data:`AVAILABILITY_RULES`: the service would be right but cannot take the person now
  (``at_capacity``) or is too far away (``out_of_area``). These feed the unmet reasons and alternatives.
- Freshness is graded rather than pass/fail: see :func:`assured_age_days` and :func:`is_stale`.

Ordering, parsimony and time rules live in :mod:`matcher.priority`, :mod:`matcher.cover` and
:mod:`matcher.engine`; their reasons name them in each item's ``reasons``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from matcher.geo import haversine_km
from matcher.model import GeoPoint, Need, Person, Reason, ServiceOption, Where
from matcher.vocabulary import (
    AGING_DAYS,
    STALE_DAYS,
    CapacityStatus,
    CatchmentType,
    Cohort,
    Exclusion,
    NeedRole,
    Probation,
    Route,
    ServiceStatus,
)

NO_ROLES: frozenset[NeedRole] = frozenset()
COHORT_WORDS = {
    Cohort.VETERAN: "armed forces veterans",
    Cohort.PROBATION: "people on probation",
    Cohort.YOUTH_JUSTICE: "children known to the youth justice service",
}
EXCLUSION_WORDS = {
    Exclusion.IMMEDIATE_RISK: "at immediate risk",
    Exclusion.CRISIS: "in a mental health crisis",
    Exclusion.SECONDARY_CARE: "who need or are in secondary mental health care",
}
YOUTH_MAX_AGE = 25  # a service whose upper age limit is at most this is a child or youth service


@dataclass(frozen=True)
class Context:
    """What every rule may look at: the person, where they are, all their needs, today's date, the
    point distances are measured from (home, or where they are now when of no fixed abode), the
    radius, and what each need means to the rules (its roles in the taxonomy, by code)."""

    person: Person
    where: Where
    need_codes: frozenset[str]
    today: date
    origin: GeoPoint | None
    radius_km: float
    roles: Mapping[str, frozenset[NeedRole]]
    labels: Mapping[str, str] = field(default_factory=dict)  # each need's label by code, for reasons

    def is_a(self, need: str, role: NeedRole) -> bool:
        """True when ``need`` has ``role`` in the taxonomy (a housing need, say)."""
        return role in self.roles.get(need, NO_ROLES)

    @cached_property
    def screened_roles(self) -> frozenset[NeedRole]:
        """Every role of any of the person's needs."""
        return NO_ROLES.union(*(self.roles.get(code, NO_ROLES) for code in self.need_codes))

    def screened(self, role: NeedRole) -> bool:
        """True when any of the person's needs has ``role`` (domestic abuse, say)."""
        return role in self.screened_roles


def roles_by_code(needs: Iterable[Need]) -> dict[str, frozenset[NeedRole]]:
    """Each need's roles by its code, for :attr:`Context.roles`."""
    return {need.code: need.roles for need in needs}


Rule = Callable[[Context, ServiceOption, str], Reason | None]


def _norm(area: str) -> str:
    return area.replace(" ", "").upper()


def _fail(rule: Rule, detail: str) -> Reason:
    return Reason(rule.__name__.removeprefix("rule_"), detail)


def residence(ctx: Context, need: str) -> tuple[str | None, str | None, str]:
    """The (authority, district, explanation) that decides residence catchment for ``need``.

    The person's home decides, never the custody suite or court. For housing needs the council they
    choose for housing wins. A person of no fixed abode with no chosen council is treated as living
    where they are now, which is where a council would assess them as homeless.
    """
    person = ctx.person
    if ctx.is_a(need, NeedRole.HOUSING) and person.housing_authority:
        return person.housing_authority, None, "the council they chose for housing"
    if person.home_authority or person.home_district:
        return person.home_authority, person.home_district, "where they live"
    return ctx.where.authority, ctx.where.district, "where they are now (no fixed abode)"


def _domestic_abuse_housing(ctx: Context, need: str) -> bool:
    """Housing for a victim of domestic abuse: it may be far away, and needs no local connection."""
    return ctx.is_a(need, NeedRole.HOUSING) and ctx.screened(NeedRole.DOMESTIC_ABUSE)


# --- Eligibility: hard filters ---------------------------------------------------------------------


def rule_active(ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """Only services marked active are offered: inactive and defunct listings are history, not help.
    (A temporarily closed service is handled as ``at_capacity`` so an alternative is shown.)"""
    if service.status in (ServiceStatus.INACTIVE, ServiceStatus.DEFUNCT):
        return _fail(rule_active, f"Listing is {service.status}.")
    return None


def rule_age(ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """The person's age must be within the service's limits, inclusive at both ends: a service for
    18-25s takes someone on their 18th birthday and on their 25th."""
    age = ctx.person.age
    if service.min_age is not None and age < service.min_age:
        return _fail(rule_age, f"Aged {age}; the service takes people aged {service.min_age} and over.")
    if service.max_age is not None and age > service.max_age:
        return _fail(rule_age, f"Aged {age}; the service takes people up to {service.max_age}.")
    return None


def rule_under_18(ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """Children go only to child or youth services, or to all-age services that say they take their
    age. An adult service that lists only an upper age limit has not said it takes children."""
    if ctx.person.age >= 18:
        return None
    youth = service.max_age is not None and service.max_age <= YOUTH_MAX_AGE
    all_age = service.min_age is None and service.max_age is None
    states_age = service.min_age is not None and service.min_age <= ctx.person.age
    if youth or all_age or states_age:
        return None
    return _fail(
        rule_under_18, "Under 18, and this is not a youth service or one that states it takes children."
    )


def rule_gender(ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """Single-sex services are offered only when they match the person's self-identified gender; who
    counts follows the service's own statement (its listed genders)."""
    if service.genders and ctx.person.gender not in service.genders:
        return _fail(rule_gender, f"Service is for {', '.join(service.genders)} only.")
    return None


def rule_catchment(ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """Catchment by residence, GP practice, either, or none. The person's home authority decides, not
    the place of arrest. Domestic abuse housing never requires a local connection, so a victim can
    be housed away from the abuser."""
    kind = service.catchment_type
    areas = {_norm(a) for a in service.catchment_areas}
    if kind == CatchmentType.NONE or not areas:
        return None
    if _domestic_abuse_housing(ctx, need):
        return None
    authority, district, whose = residence(ctx, need)
    lives_in = any(x is not None and _norm(x) in areas for x in (authority, district))
    person = ctx.person
    gp_in = person.gp_registered and any(
        x is not None and _norm(x) in areas for x in (person.gp_authority, person.gp_district)
    )
    if kind == CatchmentType.RESIDENCE and not lives_in:
        return _fail(rule_catchment, f"Only for people living in its area; judged by {whose}.")
    if kind == CatchmentType.GP and not gp_in:
        return _fail(rule_catchment, "Only for people registered with a GP in its area.")
    if kind == CatchmentType.EITHER and not (lives_in or gp_in):
        return _fail(rule_catchment, f"Only for people living ({whose}) or registered with a GP in its area.")
    return None


def rule_cohort(ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """Cohort services are only for their cohort: veterans' services for veterans, probation services
    for people on a community order with a RAR, licence or post-sentence supervision, youth justice
    services for children known to the youth justice service. The person must be in every cohort listed."""
    person = ctx.person
    member = {
        Cohort.VETERAN: person.veteran or ctx.screened(NeedRole.VETERAN),
        Cohort.PROBATION: person.probation != Probation.NONE,
        Cohort.YOUTH_JUSTICE: person.youth_justice,
    }
    missing = [c for c in service.cohorts if not member.get(c, False)]
    if missing:
        words = " and ".join(COHORT_WORDS.get(c, str(c).replace("_", " ")) for c in missing)
        return _fail(rule_cohort, f"Only for {words}.")
    return None


def required_needs_words(groups: Iterable[Iterable[str]], words: Callable[[str], str]) -> str:
    """The groups in plain English, each need said by ``words``: "drug use or alcohol use, and severe
    mental illness" (alternatives joined by "or", groups by "and", a comma between them when a group
    has alternatives so the "or" cannot be misread)."""
    said = [[words(code) for code in group] for group in groups]
    parts = [" or ".join(group) for group in said if group]
    if len(parts) < 2:
        return "".join(parts)
    comma = "," if any(len(group) > 1 for group in said) else ""
    return f"{', '.join(parts[:-1])}{comma} and {parts[-1]}"


def _need_words(ctx: Context, code: str) -> str:
    label = ctx.labels.get(code, code)
    return label[:1].lower() + label[1:]


def rule_required_needs(ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """Some services take only people with a particular need, whatever else they list: a community
    learning disability team needs a learning disability, a dual-diagnosis service both substance use
    and severe mental illness. The person must have at least one need from each of its groups;
    otherwise offering it (for their housing, say) would send them somewhere that turns them away."""
    missing = [group for group in service.requires_needs if ctx.need_codes.isdisjoint(group)]
    if not missing:
        return None
    words = required_needs_words(missing, lambda code: _need_words(ctx, code))
    return _fail(rule_required_needs, f"Only for people with {words}.")


def rule_referral_route(ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """There must be a way in for this person. The L&D practitioner can always make a professional
    referral; a probation-only route is open only to people on probation, through their probation
    practitioner."""
    routes = set(service.referral_routes)
    if not routes:
        return _fail(rule_referral_route, "No referral route listed.")
    if routes == {Route.PROBATION} and ctx.person.probation == Probation.NONE:
        return _fail(rule_referral_route, "Referral only by a probation practitioner; not on probation.")
    return None


def rule_clinical_exclusion(ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """Services that exclude people at immediate risk or in crisis (NHS Talking Therapies: "we are not
    a crisis service") are never offered to them: the crisis route comes first. Those excluding people
    under secondary care are not offered to someone with severe mental illness or already open to it."""
    person = ctx.person
    states = {
        Exclusion.IMMEDIATE_RISK: ctx.screened(NeedRole.IMMEDIATE_RISK),
        Exclusion.CRISIS: ctx.screened(NeedRole.CRISIS),
        Exclusion.SECONDARY_CARE: person.in_secondary_care or ctx.screened(NeedRole.SECONDARY_CARE),
    }
    hit = [e for e in service.exclusions if states.get(e, False)]
    if hit:
        words = " or ".join(EXCLUSION_WORDS.get(e, str(e).replace("_", " ")) for e in hit)
        return _fail(rule_clinical_exclusion, f"Does not take people {words}.")
    return None


def rule_domestic_abuse_safety(ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """Never suggest joint, couple or family mediation services to a victim of domestic abuse: they
    put the victim in a room with the abuser."""
    if service.joint_or_couple and ctx.screened(NeedRole.DOMESTIC_ABUSE):
        return _fail(rule_domestic_abuse_safety, "Joint or couple service; unsafe with domestic abuse.")
    return None


ELIGIBILITY_RULES: tuple[Rule, ...] = (
    rule_active,
    rule_age,
    rule_under_18,
    rule_gender,
    rule_catchment,
    rule_cohort,
    rule_required_needs,
    rule_referral_route,
    rule_clinical_exclusion,
    rule_domestic_abuse_safety,
)


# --- Availability: right service, but not now or not here ----------------------------------------


def rule_capacity(ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """A service at capacity, closed to referrals or temporarily closed is not offered; the need is
    listed unmet as ``at_capacity`` with an alternative, so the practitioner can still act."""
    if service.status == ServiceStatus.TEMPORARILY_CLOSED:
        return _fail(rule_capacity, f"{service.name} is temporarily closed.")
    if service.capacity_status in (CapacityStatus.AT_CAPACITY, CapacityStatus.CLOSED_TO_REFERRALS):
        words = service.capacity_status.replace("_", " ")
        return _fail(rule_capacity, f"{service.name} is {words}.")
    return None


def distance_km(ctx: Context, service: ServiceOption) -> float | None:
    """Distance from home (or from where they are now if of no fixed abode), None if unknown."""
    place = service.location
    if place is None or ctx.origin is None:
        return None
    return haversine_km(ctx.origin, place)


def rule_within_radius(ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """In-person-only services must be within the radius (5 km urban, 30 km rural by default); phone
    and online services are distance-free. Domestic abuse housing may be far away on purpose."""
    if service.distance_free or _domestic_abuse_housing(ctx, need):
        return None
    km = distance_km(ctx, service)
    if km is not None and km > ctx.radius_km:
        return _fail(rule_within_radius, f"{km:.1f} km away; beyond the {ctx.radius_km:g} km radius.")
    return None


AVAILABILITY_RULES: tuple[Rule, ...] = (rule_capacity, rule_within_radius)


# --- Freshness -----------------------------------------------------------------------------------


def assured_age_days(ctx: Context, service: ServiceOption) -> int | None:
    """Days since the listing was last verified, None if never."""
    if service.assured_date is None:
        return None
    return (ctx.today - service.assured_date).days


def is_local(ctx: Context, service: ServiceOption, km: float | None) -> bool:
    """Local: within the radius of the person, or naming their area (home, housing choice or GP) in its
    catchment. National lines and other areas' services are not local; they still count, but rank
    below a local service that can do the same job."""
    if km is not None and km <= ctx.radius_km:
        return True
    areas = {_norm(a) for a in service.catchment_areas}
    person = ctx.person
    theirs = [
        person.home_authority,
        person.home_district,
        person.housing_authority,
        person.gp_authority,
        person.gp_district,
    ]
    if person.no_fixed_abode:
        theirs += [ctx.where.authority, ctx.where.district]
    return any(x is not None and _norm(x) in areas for x in theirs)


def is_local_where_they_are(ctx: Context, service: ServiceOption, here_km: float | None) -> bool:
    """Local to where they are now (a court or custody suite in another council, say): a place within
    the radius of there, or naming that area in its catchment, that no residence or GP catchment
    shuts them out of. The engine asks only for places they can walk into today."""
    areas = {_norm(a) for a in service.catchment_areas}
    here = {_norm(x) for x in (ctx.where.authority, ctx.where.district) if x is not None}
    if (
        areas
        and service.catchment_type != CatchmentType.NONE
        and rule_catchment(ctx, service, "") is not None
    ):
        return False
    near = here_km is not None and here_km <= ctx.radius_km
    return near or bool(areas & here)


def is_aging(ctx: Context, service: ServiceOption) -> bool:
    """Not verified for over 90 days: still used, but ranked lower."""
    days = assured_age_days(ctx, service)
    return days is None or days > AGING_DAYS


def is_stale(ctx: Context, service: ServiceOption) -> bool:
    """Not verified for over a year (or never): used only when nothing else fits, with a warning."""
    days = assured_age_days(ctx, service)
    return days is None or days > STALE_DAYS


def first_failure(rules: tuple[Rule, ...], ctx: Context, service: ServiceOption, need: str) -> Reason | None:
    """The first rule in ``rules`` the service fails for ``need``, or None if it passes them all."""
    for rule in rules:
        failed = rule(ctx, service, need)
        if failed is not None:
            return failed
    return None
