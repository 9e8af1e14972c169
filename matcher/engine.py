"""Build a coordinated package of support: :func:`build_package` is the only entry point.

Steps: judge every service against every need it offers (eligibility, then availability, then time
and freshness); keep the top few candidates per need; choose the fewest agencies that cover every
need that can be met (:mod:`matcher.cover`); give each need one item (plus an ongoing service beside
an urgent open-now one); order the items (urgent and open first, then survival, basic, health,
social); say what to do now; and list every other need as unmet with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from matcher import rules
from matcher.actions import action_text as _action_text
from matcher.actions import choose_route, crisis_action_text, when_text
from matcher.cover import Candidate, solve
from matcher.geo import default_radius_km, haversine_km, is_rural_authority
from matcher.hours import OpenState, open_state
from matcher.model import (
    Alternative,
    MatchRequest,
    Need,
    Package,
    PackageItem,
    Reason,
    ServiceOption,
    Unmet,
)
from matcher.priority import LONG_WAIT_DAYS, Circumstances, order_needs, penalty
from matcher.vocabulary import AGING_DAYS, LONDON, CatchmentType, NeedRole, Route, Setting, UnmetReason

AGENCY_SOFT_CAP = 5
MAX_ALTERNATIVES = 3
LEAVING = (Setting.CUSTODY, Setting.COURT)  # walking out without an appointment
ELIGIBLE_WORDS = (
    "Takes this person: their age, gender, where they live, circumstances and the way in all fit, "
    "and nothing about their safety or health rules it out."
)
CATCHMENT_WORDS = {
    CatchmentType.RESIDENCE: "living in its area",
    CatchmentType.GP: "registered with a GP in its area",
    CatchmentType.EITHER: "living in its area or registered with a GP there",
}
SOON = timedelta(hours=12)  # an urgent need waits for a service opening within this, not "closed now"


@dataclass
class _Judged:
    """One service, judged once for this request."""

    service: ServiceOption
    state: OpenState
    distance_km: float | None
    penalty: int
    stale: bool
    aging_days: int | None
    local: bool = True
    today: bool = False  # they can go there today from where they are now (distance measured from there)
    here_km: float | None = None  # distance from where they are now
    near_now: bool = True  # phone or online, or within the radius of where they are now
    failures: dict[str, Reason] = field(default_factory=dict)  # need -> first eligibility failure
    blocks: dict[str, Reason] = field(default_factory=dict)  # need -> first availability failure


@dataclass
class _NeedView:
    """Everything known about one need: who could meet it, and if nobody, why not."""

    need: Need
    offering: list[_Judged]
    eligible: list[_Judged]
    available: list[_Judged]
    pool: list[_Judged]  # the services allowed to cover it in the package
    stale_only: bool = False
    interim: list[_Judged] = field(default_factory=list)  # urgent, none open now: lines open now meanwhile


def _context(request: MatchRequest) -> rules.Context:
    person, where = request.person, request.where
    origin = person.home_location if not person.no_fixed_abode else where.location
    if person.no_fixed_abode and origin is None:
        origin = where.location
    radius = request.radius_km
    if radius is None:
        rural = request.rural
        if rural is None:
            rural = is_rural_authority(where.authority if person.no_fixed_abode else person.home_authority)
        radius = default_radius_km(rural)
    return rules.Context(
        person=person,
        where=where,
        need_codes=frozenset(n.code for n in request.needs),
        today=request.at.astimezone(LONDON).date(),
        origin=origin,
        radius_km=radius,
        roles=rules.roles_by_code((*request.taxonomy, *request.needs)),
        labels={n.code: n.label for n in (*request.taxonomy, *request.needs)},
    )


def _gp_step(request: MatchRequest) -> Need | None:
    """The need for registering with a GP (the taxonomy's ``gp_registration`` role), which the engine
    adds when a chosen service needs a GP first."""
    return next((n for n in (*request.needs, *request.taxonomy) if NeedRole.GP_REGISTRATION in n.roles), None)


def _enabling_only(ctx: rules.Context, codes: list[str]) -> bool:
    """True when the service is in the package only to register them with a GP."""
    return bool(codes) and all(ctx.is_a(c, NeedRole.GP_REGISTRATION) for c in codes)


def _judge(request: MatchRequest, ctx: rules.Context, service: ServiceOption, codes: list[str]) -> _Judged:
    state = (
        open_state(service.hours, request.at, request.bank_holidays)
        if service.hours.known
        else OpenState(False)
    )
    km = rules.distance_km(ctx, service)
    here = request.where.location
    place = service.location
    here_km = haversine_km(here, place) if here is not None and place is not None else None
    today = _reachable_today(request, service, state)
    local = rules.is_local(ctx, service, km) or (
        today and rules.is_local_where_they_are(ctx, service, here_km)
    )
    if today and here_km is not None:
        km = here_km  # they go there today, from where they are now
    age = ctx.person.age
    circumstances = Circumstances(
        open_now=state.open_now,
        distance_km=km,
        in_person_only=not service.distance_free,
        wait_days=service.wait_days,
        aging=rules.is_aging(ctx, service),
        drop_in=Route.DROP_IN in service.referral_routes or state.drop_in_now,
        leaving_custody_or_court=request.where.setting in LEAVING,
        child_to_adult_service=age < 18 and not (service.max_age is not None and service.max_age < 18),
        shares_language=not service.languages or ctx.person.language in service.languages,
        local=local,
    )
    judged = _Judged(
        service=service,
        state=state,
        distance_km=km,
        penalty=penalty(circumstances),
        stale=rules.is_stale(ctx, service),
        aging_days=rules.assured_age_days(ctx, service),
        local=local,
        today=today,
        here_km=here_km,
        near_now=service.distance_free or here_km is None or here_km <= ctx.radius_km,
    )
    for code in codes:
        failed = rules.first_failure(rules.ELIGIBILITY_RULES, ctx, service, code)
        if failed is not None:
            judged.failures[code] = failed
            continue
        blocked = rules.first_failure(rules.AVAILABILITY_RULES, ctx, service, code)
        near_here = today and here_km is not None and here_km <= ctx.radius_km
        if blocked is not None and not (blocked.rule == "within_radius" and local and near_here):
            judged.blocks[code] = blocked  # (a place near where they are now, open today, is in reach)
    return judged


def _reachable_today(request: MatchRequest, service: ServiceOption, state: OpenState) -> bool:
    """A place they can walk into today: in person, open now or later today (London date)."""
    if service.location is None:
        return False
    if state.open_now:
        return True
    day = request.at.astimezone(LONDON).date()
    return state.next_open is not None and state.next_open.astimezone(LONDON).date() == day


def _distance_text(j: _Judged, request: MatchRequest) -> str | None:
    """How far, and from where: "1.2 km from where they are now", "3.4 km from home", or "in SE13"
    when both points are the same postcode district (a district centroid gives no real distance)."""
    if j.distance_km is None:
        return None
    person, where = request.person, request.where
    from_here = (j.today and j.here_km is not None) or person.home_location is None
    district = where.district if from_here else person.home_district
    postcode = (j.service.location_postcode or "").upper().split()
    if district and postcode and postcode[0] == district.upper():
        return f"in {district.upper()}"
    words = "where they are now" if from_here else "home"
    return f"{j.distance_km:.1f} km from {words}"


def _opens_by(j: _Judged, at: datetime) -> datetime | None:
    """When the person can first use the service: now if open, else its next opening."""
    return at if j.state.open_now else j.state.next_open


def _rank_key(j: _Judged) -> tuple[bool, int, str]:
    return (j.stale, j.penalty, j.service.id)


def _view(need: Need, judged: list[_Judged], at: datetime) -> _NeedView:
    offering = [j for j in judged if need.code in j.service.needs]
    eligible = [j for j in offering if need.code not in j.failures]
    available = [j for j in eligible if need.code not in j.blocks]
    usable = _urgent_usable(available, at) if need.urgent else available
    fresh = [j for j in usable if not j.stale]
    # Local services first (Keys to Diversion: know and use every local service): another area's or a
    # national service joins the cover only when no local one can meet the need. Otherwise minimising
    # agencies could pick another council's lines because that council happens to run two of them.
    base = fresh or usable
    local = [j for j in base if j.local]
    pool, interim = local or base, list[_Judged]()
    if need.urgent:
        pool, interim = _urgent_pool(usable, base, at)
    view = _NeedView(need, offering, eligible, available, pool, interim=interim)
    view.stale_only = bool(usable) and not fresh
    return view


def _urgent_pool(
    usable: list[_Judged], base: list[_Judged], at: datetime
) -> tuple[list[_Judged], list[_Judged]]:
    """An urgent need's pool and interim line: a local service open now; else the soonest local one
    opening within :data:`SOON`, with the best line open now beside it meanwhile; else any open now;
    else the soonest opening. Open now beats freshness here (a stale listing open now, with its
    warning, rather than a fresh one tomorrow)."""
    open_now = [j for j in usable if j.state.open_now]
    open_now = [j for j in open_now if not j.stale] or open_now
    # Open now and in reach of where they are now: a home service far from the court is not.
    open_now = [j for j in open_now if j.near_now] or open_now
    later = [j for j in base if not j.state.open_now]
    local_open = [j for j in open_now if j.local and j.near_now]
    local_later = [j for j in later if j.local]
    if local_open:
        return local_open, []
    if local_later:
        return _soonest(local_later, at), sorted(open_now, key=_rank_key)[:1]
    if open_now:
        return open_now, []
    return _soonest(later, at), []


def _soonest(judged: list[_Judged], at: datetime) -> list[_Judged]:
    if not judged:
        return []
    first = min(_opens_by(j, at) or at for j in judged)
    return [j for j in judged if _opens_by(j, at) == first]


def _urgent_usable(available: list[_Judged], at: datetime) -> list[_Judged]:
    """For an urgent need: services open now, and (local or not) those opening within :data:`SOON`;
    an urgent need is "closed now" only when nothing eligible opens in that window."""
    return [
        j
        for j in available
        if j.state.open_now or (j.state.next_open is not None and j.state.next_open - at <= SOON)
    ]


@dataclass
class _Plan:
    needs: tuple[Need, ...]
    views: dict[str, _NeedView]
    chosen: list[_Judged]
    assigned: dict[str, list[str]]  # service id -> needs it meets
    ongoing: dict[str, list[str]]  # service id -> urgent needs it continues after the open-now item
    companions: dict[str, str] = field(default_factory=dict)  # service id -> why it stands beside the cover


def _plan(request: MatchRequest, ctx: rules.Context, needs: tuple[Need, ...]) -> _Plan:
    codes = [n.code for n in needs]
    services = {s.id: s for s in sorted(request.services, key=lambda s: s.id)}
    # Only services offering a screened need matter; judging (opening hours above all) costs time.
    judged = [
        _judge(request, ctx, s, [c for c in codes if c in s.needs])
        for s in services.values()
        if any(c in s.needs for c in codes)
    ]
    views = {n.code: _view(n, judged, request.at) for n in needs}
    bit = {code: i for i, code in enumerate(codes)}
    cover: dict[str, int] = {}
    for code, view in views.items():
        for j in view.pool:
            cover[j.service.id] = cover.get(j.service.id, 0) | 1 << bit[code]
    by_id = {j.service.id: j for j in judged}
    shortlisted: set[str] = set()
    for view in views.values():
        # Multi-need services first, then the best placed: the cover prefers them anyway.
        ranked = sorted(view.pool, key=lambda j: (-cover[j.service.id].bit_count(), *_rank_key(j)))
        shortlisted.update(j.service.id for j in ranked[: max(1, request.top_k)])
    candidates = [
        Candidate(
            key=sid,
            org=by_id[sid].service.organization_id,
            site=by_id[sid].service.location_id or sid,
            cover=cover[sid],
            penalty=by_id[sid].penalty,
        )
        for sid in sorted(shortlisted)
    ]
    chosen = [by_id[c.key] for c in solve(candidates)]
    assigned: dict[str, list[str]] = {j.service.id: [] for j in chosen}
    for code in codes:
        able = [j for j in chosen if cover[j.service.id] >> bit[code] & 1]
        if able:
            best = min(able, key=lambda j: (-cover[j.service.id].bit_count(), *_rank_key(j)))
            assigned[best.service.id].append(code)
    chosen = [j for j in chosen if assigned[j.service.id]]
    ongoing: dict[str, list[str]] = {}
    for need in needs:
        if not need.urgent:
            continue
        holder = next((sid for sid, got in assigned.items() if need.code in got), None)
        if holder is None:
            continue
        available = {j.service.id for j in views[need.code].available}
        later = [j for j in chosen if j.service.id != holder and j.service.id in available]
        if later:
            keep = min(later, key=lambda j: (-len(assigned[j.service.id]), j.service.id))
            ongoing.setdefault(keep.service.id, []).append(need.code)
    plan = _Plan(needs, views, chosen, assigned, ongoing)
    _add_companions(plan, request, ctx)
    return plan


def _add_companion(plan: _Plan, j: _Judged, code: str, why: str) -> None:
    sid = j.service.id
    if sid not in plan.assigned:
        plan.chosen.append(j)
        plan.assigned[sid] = []
        plan.companions[sid] = why
    if code not in plan.assigned[sid]:
        plan.assigned[sid].append(code)


def _add_companions(plan: _Plan, request: MatchRequest, ctx: rules.Context) -> None:
    """Items beside the cover for urgent needs: a line open now while the local item opens later, and,
    for a risk to life from custody or court, the 24-hour crisis service that carries the need on after
    tonight (an item of its own, not an alternative)."""
    for need in plan.needs:
        if not need.urgent or not any(need.code in got for got in plan.assigned.values()):
            continue
        view = plan.views[need.code]
        holders = [j for j in plan.chosen if need.code in plan.assigned[j.service.id]]
        if view.interim and not any(j.state.open_now for j in holders):
            _add_companion(plan, view.interim[0], need.code, "interim")
        if not ctx.is_a(need.code, NeedRole.LIFE_AT_RISK) or request.where.setting not in LEAVING:
            continue
        if any(j.service.is_24_7 for j in holders):
            continue
        around_clock = sorted(
            (j for j in view.available if j.service.is_24_7 and not j.stale and j.near_now),
            key=lambda j: (not j.local, *_rank_key(j)),
        )
        if around_clock:
            _add_companion(plan, around_clock[0], need.code, "around_the_clock")


def _lead(ordered: list[_Judged], plan: _Plan, request: MatchRequest, ctx: rules.Context) -> _Judged | None:
    """The lead agency: among the items meeting several needs (else all), one the person can reach
    soonest (by day: open now or today beats one closed until after the weekend), then the one
    covering most needs; a one-off urgent item or an enabling step (a GP) is not a keyworker."""
    if not ordered:
        return None
    multi = [j for j in ordered if len(plan.assigned[j.service.id]) > 1] or ordered
    far = request.at + timedelta(days=366)

    def reach_day(j: _Judged) -> object:
        return (_opens_by(j, request.at) or far).astimezone(LONDON).date()

    return min(
        multi,
        key=lambda j: (
            all(plan.views[c].need.urgent for c in plan.assigned[j.service.id]),
            _enabling_only(ctx, plan.assigned[j.service.id]),  # an enabling step, not a keyworker
            j.service.id in plan.companions,
            reach_day(j),
            -len(plan.assigned[j.service.id]),
            ordered.index(j),
        ),
    )


def _needs_gp_first(j: _Judged, request: MatchRequest) -> bool:
    if request.person.gp_registered:
        return False
    route = choose_route(j.service, request.person, request.where)
    return j.service.requires_gp_registration or route == Route.GP


def _unmet(view: _NeedView, request: MatchRequest, ctx: rules.Context) -> Unmet:
    need, at = view.need, request.at
    label = need.label
    reason: UnmetReason
    alternative: str | None = None
    if not view.offering:
        reason, detail = UnmetReason.NO_SERVICE, f"No service in the directory meets {label.lower()}."
    elif not view.eligible:
        why = "; ".join(f"{j.service.name}: {j.failures[need.code].detail}" for j in view.offering[:3])
        reason, detail = UnmetReason.INELIGIBLE, f"No service for {label.lower()} takes this person. {why}"
    elif not view.available:
        blocks = [j for j in view.eligible if j.blocks[need.code].rule == "capacity"]
        if blocks:
            reason = UnmetReason.AT_CAPACITY
            detail = "; ".join(j.blocks[need.code].detail for j in blocks[:3])
            far = sorted(
                (j for j in view.eligible if j.blocks[need.code].rule != "capacity"),
                key=lambda j: (j.distance_km or 0.0, j.service.id),
            )
            if far:
                alternative = f"{far[0].service.name} ({far[0].distance_km:.1f} km away)"
            else:
                alternative = f"Ask {blocks[0].service.name} to add them to its waiting list, and review."
        else:
            reason = UnmetReason.OUT_OF_AREA
            near = sorted(view.eligible, key=lambda j: (j.distance_km or 0.0, j.service.id))
            detail = (
                f"Nothing for {label.lower()} within {ctx.radius_km:g} km. {near[0].blocks[need.code].detail}"
            )
            alternative = f"{near[0].service.name} ({near[0].distance_km or 0.0:.1f} km away)"
    else:
        reason = UnmetReason.CLOSED_NOW
        detail = f"No eligible service for {label.lower()} is open now."
        soonest = sorted(
            (j for j in view.available if j.state.next_open is not None),
            key=lambda j: (j.state.next_open or at, j.service.id),
        )
        parts = []
        if soonest:
            parts.append(f"{soonest[0].service.name} {when_text(soonest[0].service, soonest[0].state, at)}.")
        if ctx.is_a(need.code, NeedRole.LIFE_AT_RISK):
            parts.append("If life is at risk, call 999 or go to A&E.")
        alternative = " ".join(parts) or None
    return Unmet(need.code, reason, detail, alternative)


def _item_sort_key(j: _Judged, plan: _Plan, position: dict[str, int]) -> tuple[bool, int, bool, int, str]:
    got = plan.assigned[j.service.id]
    urgent = any(plan.views[c].need.urgent for c in got)
    # For an urgent need, what they can use now comes before what opens later.
    return (
        not urgent,
        min(position[c] for c in got),
        urgent and not j.state.open_now,
        j.penalty,
        j.service.id,
    )


def _order(plan: _Plan, request: MatchRequest, ctx: rules.Context) -> list[_Judged]:
    position = {n.code: i for i, n in enumerate(plan.needs)}
    ordered = sorted(plan.chosen, key=lambda j: _item_sort_key(j, plan, position))
    gp = next(
        (
            j
            for j in ordered
            if any(ctx.is_a(c, NeedRole.GP_REGISTRATION) for c in plan.assigned[j.service.id])
        ),
        None,
    )
    dependents = [i for i, j in enumerate(ordered) if _needs_gp_first(j, request) and j is not gp]
    if gp is not None and dependents and ordered.index(gp) > dependents[0]:
        # GP registration is the enabler: it goes before the first service that needs it.
        ordered.remove(gp)
        ordered.insert(dependents[0], gp)
    return ordered


def _reasons(j: _Judged, plan: _Plan, request: MatchRequest, ctx: rules.Context, lead: bool) -> list[Reason]:
    s, sid = j.service, j.service.id
    labels = [plan.views[c].need.label for c in plan.assigned[sid]]
    out = [Reason("covers", f"Meets: {', '.join(labels)}.")]
    out.append(Reason("eligibility", ELIGIBLE_WORDS))
    if s.catchment_type != CatchmentType.NONE and s.catchment_areas:
        _, _, whose = rules.residence(ctx, plan.assigned[sid][0])
        kind = CATCHMENT_WORDS.get(s.catchment_type, "in its area")
        out.append(Reason("catchment", f"Takes people {kind}; judged by {whose}."))
    urgent = [plan.views[c].need.label for c in plan.assigned[sid] if plan.views[c].need.urgent]
    if urgent:
        out.append(Reason("urgent_open_now", f"Urgent: {', '.join(urgent)}; this service is open now."))
    for code in plan.ongoing.get(sid, []):
        out.append(
            Reason(
                "ongoing_after_urgent", f"Ongoing support for {plan.views[code].need.label} after tonight."
            )
        )
    agencies = len({x.service.organization_id for x in plan.chosen})
    out.append(
        Reason("fewest_agencies", f"Part of the smallest set of agencies that covers the needs ({agencies}).")
    )
    if s.location_id and any(x.service.location_id == s.location_id for x in plan.chosen if x is not j):
        out.append(Reason("co_located", "At the same place as another item in the package."))
    route = choose_route(s, request.person, request.where)
    if route == Route.DROP_IN and request.where.setting in LEAVING:
        out.append(
            Reason("drop_in_preferred", "Leaving custody or court without an appointment: drop-in first.")
        )
    if route == Route.PROFESSIONAL:
        out.append(
            Reason("professional_referral", "Takes referrals from professionals only: a warm handover.")
        )
    if route == Route.PROBATION:
        out.append(Reason("probation_route", "Probation-only service: their probation practitioner refers."))
    if s.wait_days is not None:
        out.append(Reason("waiting_time", f"Typical wait about {s.wait_days} days."))
    if any(plan.views[c].stale_only for c in plan.assigned[sid]):
        out.append(Reason("stale_only_option", "Not verified for over a year, but nothing else fits."))
    elif j.aging_days is not None:
        out.append(Reason("freshness", f"Listing verified {j.aging_days} days ago."))
    if _needs_gp_first(j, request):
        out.append(Reason("gp_registration_first", "Needs GP registration first; that step comes earlier."))
    if any(ctx.is_a(c, NeedRole.GP_REGISTRATION) and c not in ctx.need_codes for c in plan.assigned[sid]):
        out.append(Reason("gp_registration_first", "Added: another service in the package needs a GP first."))
    if lead:
        out.append(Reason("lead_agency", "Covers the most needs: the lead agency to coordinate the package."))
    return out


def _warnings(j: _Judged, plan: _Plan, request: MatchRequest, ctx: rules.Context) -> list[str]:
    s, out = j.service, []
    if j.stale:
        out.append("Not verified for over a year: verify before use.")
    elif j.aging_days is not None and j.aging_days > AGING_DAYS:
        out.append(f"Last verified {j.aging_days} days ago: check it is current.")
    if s.wait_days is not None and s.wait_days > LONG_WAIT_DAYS:
        interim = _interim(j, plan)
        tail = f" Interim option: {interim}." if interim else " Arrange interim support meanwhile."
        out.append(f"Long wait (about {s.wait_days} days).{tail}")
    if s.alert:
        out.append(s.alert)
    if not s.hours.known:
        out.append("Opening hours not known: phone before going.")
    if s.languages and request.person.language not in s.languages:
        language = request.person.language_name or "their language"
        out.append(f"May need an interpreter: the service does not list {language}.")
    if ctx.screened(NeedRole.DOMESTIC_ABUSE):
        notes = request.person.safe_contact_notes.strip()
        out.append(
            f"Safe contact: {notes}" if notes else "Domestic abuse: agree a safe way to contact them first."
        )
    if _needs_gp_first(j, request):
        out.append("They must register with a GP first (anyone can; no ID or proof of address needed).")
    return out


def _interim(j: _Judged, plan: _Plan) -> str | None:
    for code in plan.assigned[j.service.id]:
        for other in sorted(plan.views[code].pool, key=_rank_key):
            wait = other.service.wait_days
            if other is not j and (wait is None or wait <= LONG_WAIT_DAYS):
                return other.service.name
    return None


def _alternatives(j: _Judged, plan: _Plan) -> tuple[Alternative, ...]:
    chosen = {x.service.id for x in plan.chosen}
    seen: dict[str, _Judged] = {}
    for code in plan.assigned[j.service.id]:
        for other in plan.views[code].pool:
            if other.service.id not in chosen:
                seen.setdefault(other.service.id, other)
    ranked = sorted(seen.values(), key=_rank_key)[:MAX_ALTERNATIVES]
    return tuple(
        Alternative(o.service.id, o.service.name, o.service.organization_name, o.state.open_now)
        for o in ranked
    )


def _dedupe(needs: tuple[Need, ...]) -> tuple[Need, ...]:
    seen: dict[str, Need] = {}
    for n in needs:
        seen.setdefault(n.code, n)
    return order_needs(tuple(seen.values()))


def build_package(request: MatchRequest) -> Package:
    """The package of support for ``request``: pure and deterministic (same request, same package)."""
    if request.at.tzinfo is None:
        raise ValueError("MatchRequest.at must be timezone-aware")
    ctx = _context(request)
    needs = _dedupe(request.needs)
    plan = _plan(request, ctx, needs)
    added_gp = False
    gp_step = _gp_step(request)
    if (
        gp_step is not None
        and gp_step.code not in plan.views
        and any(_needs_gp_first(j, request) for j in plan.chosen)
    ):
        needs = order_needs((*needs, gp_step))
        plan = _plan(request, ctx, needs)
        added_gp = True
    ordered = _order(plan, request, ctx)
    lead = _lead(ordered, plan, request, ctx)
    items = []
    crisis = _crisis_line(ordered, plan, request, ctx)
    for rank, j in enumerate(ordered, start=1):
        s = j.service
        route = choose_route(s, request.person, request.where)
        action = _action_text(s, route, j.state, request.at, request.person)
        if rank == 1 and crisis is not None:
            action = crisis_action_text(crisis.service, crisis.state, request.at, request.where.setting)
        got = plan.assigned[s.id]
        needs_here = [n.code for n in plan.needs if n.code in got or n.code in plan.ongoing.get(s.id, [])]
        items.append(
            PackageItem(
                rank=rank,
                service_id=s.id,
                service_name=s.name,
                organization_id=s.organization_id,
                organization_name=s.organization_name,
                needs=tuple(needs_here),
                urgent=any(plan.views[c].need.urgent for c in got),
                open_now=j.state.open_now,
                next_open=j.state.next_open,
                closes_at=j.state.closes_at,
                distance_km=None if j.distance_km is None else round(j.distance_km, 1),
                distance_text=_distance_text(j, request),
                route=route,
                action=action,
                reasons=tuple(_reasons(j, plan, request, ctx, j is lead)),
                alternatives=_alternatives(j, plan),
                warnings=tuple(_warnings(j, plan, request, ctx)),
            )
        )
    covered = {c for got in plan.assigned.values() for c in got}
    unmet = tuple(_unmet(plan.views[n.code], request, ctx) for n in plan.needs if n.code not in covered)
    return Package(
        items=tuple(items),
        lead_service_id=lead.service.id if lead else None,
        unmet=unmet,
        warnings=tuple(_package_warnings(plan, request, ctx, added_gp)),
    )


def _crisis_line(
    ordered: list[_Judged], plan: _Plan, request: MatchRequest, ctx: rules.Context
) -> _Judged | None:
    """For a risk to life or a crisis raised in custody or court, the service whose professional line
    the practitioner calls from there (the 24-hour one if the package has it); else None."""
    if request.where.setting not in LEAVING or not ordered:
        return None
    first = plan.assigned[ordered[0].service.id]
    risky = [c for c in first if ctx.is_a(c, NeedRole.LIFE_AT_RISK) and plan.views[c].need.urgent]
    if not risky:
        return None
    holders = [j for j in ordered if any(c in plan.assigned[j.service.id] for c in risky)]
    return next((j for j in holders if j.service.is_24_7), ordered[0])


def _package_warnings(plan: _Plan, request: MatchRequest, ctx: rules.Context, added_gp: bool) -> list[str]:
    out = []
    agencies = len({j.service.organization_id for j in plan.chosen})
    if agencies > AGENCY_SOFT_CAP:
        out.append(f"{agencies} agencies involved: more than {AGENCY_SOFT_CAP} is a lot to coordinate.")
    if ctx.screened(NeedRole.DOMESTIC_ABUSE):
        notes = request.person.safe_contact_notes.strip()
        out.append(
            f"Domestic abuse: use only the safe contact method ({notes})."
            if notes
            else "Domestic abuse: no safe-contact method recorded; agree one before anyone makes contact."
        )
    if added_gp:
        out.append("GP registration added: a service in the package needs it first.")
    if any(j.stale for j in plan.chosen):
        out.append("Some listings have not been verified for over a year: verify before use.")
    if any(j.state.open_now is False and not j.service.hours.known for j in plan.chosen):
        out.append("Some opening hours are unknown.")
    if request.person.no_fixed_abode and request.where.location is None:
        out.append("No fixed abode and no location for where they are now: distances unknown.")
    return out
