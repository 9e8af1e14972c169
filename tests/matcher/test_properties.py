"""Properties over small random directories: safety, coverage, urgency, monotonicity, determinism."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher import rules
from matcher.engine import build_package
from matcher.hours import LONDON, OpeningHours, Session, is_open
from matcher.model import MatchRequest, ServiceOption
from tests.matcher.matcher_factories import (
    LEWISHAM,
    M1,
    MANCHESTER,
    ROLES,
    SE6,
    SE13,
    TAXONOMY,
    needs,
    person,
    where,
)

CODES = (
    "MH_CRISIS",
    "NO_BED_TONIGHT",
    "DA_STANDARD",
    "HOUSING_RISK",
    "SUBST_ALCOHOL",
    "ETE",
    "GP_UNREGISTERED",
)
URGENT = {"MH_CRISIS", "NO_BED_TONIGHT"}
HOURS = (
    OpeningHours(always_open=True),
    OpeningHours(sessions=tuple(Session(d, time(9), time(17)) for d in range(5))),
    OpeningHours(sessions=tuple(Session(d, time(9), time(15)) for d in range(7))),
    OpeningHours(sessions=tuple(Session(d, time(17), time(9)) for d in range(7))),
    OpeningHours(known=False),
)
MOMENTS = (
    datetime(2026, 11, 23, 11, 0, tzinfo=UTC),
    datetime(2026, 11, 22, 2, 30, tzinfo=UTC),
    datetime(2026, 11, 23, 15, 0, tzinfo=UTC),
    datetime(2026, 11, 28, 22, 0, tzinfo=UTC),
)
PLACES = ((SE13.lat, SE13.lon), (SE6.lat, SE6.lon), (M1.lat, M1.lon), (None, None))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def services(draw: st.DrawFn, index: int) -> ServiceOption:
    lat, lon = draw(st.sampled_from(PLACES))
    min_age = draw(st.sampled_from([None, 16, 18]))
    return ServiceOption(
        id=f"s{index:02d}",
        name=f"Service {index}",
        organization_id=f"o{draw(st.integers(0, 5))}",
        organization_name="Org",
        needs=tuple(draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True))),
        status=draw(st.sampled_from(["active"] * 6 + ["inactive", "temporarily_closed"])),
        min_age=min_age,
        max_age=draw(st.sampled_from([None, None, 17, 25, 64])),
        genders=draw(st.sampled_from([(), (), ("female",), ("male",)])),
        catchment_type=draw(st.sampled_from(["none", "residence", "gp", "either"])),
        catchment_areas=draw(st.sampled_from([(LEWISHAM,), (MANCHESTER,), ("SE13",)])),
        cohorts=draw(st.sampled_from([(), (), ("veteran",), ("probation",)])),
        exclusions=draw(st.sampled_from([(), ("crisis",)])),
        requires_needs=draw(
            st.sampled_from([(), (), (("SUBST_ALCOHOL",),), (("SUBST_ALCOHOL", "DA_STANDARD"), ("ETE",))])
        ),
        referral_routes=draw(
            st.sampled_from([("self",), ("professional",), ("probation",), ("self", "drop_in")])
        ),
        capacity_status=draw(st.sampled_from(["accepting", "accepting", "waiting_list", "at_capacity"])),
        wait_days=draw(st.sampled_from([None, 7, 42])),
        delivery=("in_person",) if lat is not None and draw(st.booleans()) else ("in_person", "phone"),
        hours=draw(st.sampled_from(HOURS)),
        joint_or_couple=draw(st.booleans()),
        requires_gp_registration=draw(st.booleans()),
        assured_date=date(2026, 10, 1) - timedelta(days=draw(st.sampled_from([0, 120, 400]))),
        location_id=f"loc{draw(st.integers(0, 3))}" if lat is not None else None,
        lat=lat,
        lon=lon,
        phone="0800",
    )


@st.composite
def requests(draw: st.DrawFn) -> MatchRequest:
    n = draw(st.integers(0, 9))
    svcs = [draw(services(i)) for i in range(n)]
    nfa = draw(st.booleans())
    p = person(
        age=draw(st.sampled_from([15, 17, 18, 34, 70])),
        gender=draw(st.sampled_from(["female", "male", "non_binary"])),
        gp_registered=draw(st.booleans()),
        probation=draw(st.sampled_from(["none", "licence"])),
        veteran=draw(st.booleans()),
    )
    if nfa:
        p = replace(p, home_district=None, home_authority=None, home_location=None)
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=5, unique=True))
    return MatchRequest(
        needs=needs(*codes),
        person=p,
        where=where(setting=draw(st.sampled_from(["custody", "court", "community"]))),
        at=draw(st.sampled_from(MOMENTS)),
        services=tuple(svcs),
        taxonomy=TAXONOMY,
    )


def _context(req: MatchRequest) -> rules.Context:
    p = req.person
    return rules.Context(
        person=p,
        where=req.where,
        need_codes=frozenset(n.code for n in req.needs),
        today=req.at.astimezone(LONDON).date(),
        origin=req.where.location if p.no_fixed_abode else p.home_location,
        radius_km=5.0,
        roles=ROLES,
    )


def _usable(req: MatchRequest, s: ServiceOption, code: str) -> bool:
    """An oracle written apart from the engine: the service offers the need and passes every rule."""
    ctx = _context(req)
    return (
        code in s.needs
        and rules.first_failure(rules.ELIGIBILITY_RULES, ctx, s, code) is None
        and rules.first_failure(rules.AVAILABILITY_RULES, ctx, s, code) is None
    )


def _requested(req: MatchRequest) -> set[str]:
    return {n.code for n in req.needs}


@SETTINGS
@given(requests())
def test_no_ineligible_service_is_ever_suggested(req: MatchRequest) -> None:
    pkg = build_package(req)
    by_id = {s.id: s for s in req.services}
    p = req.person
    for item in pkg.items:
        s = by_id[item.service_id]
        # Plain checks first, independent of the rules module.
        assert s.status == "active"
        assert s.capacity_status not in ("at_capacity", "closed_to_referrals")
        assert s.min_age is None or p.age >= s.min_age
        assert s.max_age is None or p.age <= s.max_age
        assert not s.genders or p.gender in s.genders
        assert not ("veteran" in s.cohorts and not p.veteran)
        assert not (s.joint_or_couple and "DA_STANDARD" in _requested(req))
        assert not ("crisis" in s.exclusions and "MH_CRISIS" in _requested(req))
        assert all(not _requested(req).isdisjoint(group) for group in s.requires_needs)
        for code in item.needs:
            assert _usable(req, s, code), (item.service_id, code)


@SETTINGS
@given(requests())
def test_every_need_covered_or_unmet_never_both_never_neither(req: MatchRequest) -> None:
    pkg = build_package(req)
    unmet = [u.need for u in pkg.unmet]
    assert len(unmet) == len(set(unmet))
    covered = pkg.covered_needs
    assert not covered & set(unmet)
    assert _requested(req) <= covered | set(unmet)
    assert covered | set(unmet) <= _requested(req) | {"GP_UNREGISTERED"}


@SETTINGS
@given(requests())
def test_at_most_one_item_per_need_except_urgent_plus_ongoing(req: MatchRequest) -> None:
    pkg = build_package(req)
    for code in pkg.covered_needs:
        holders = [i for i in pkg.items if code in i.needs]
        if len(holders) > 1:
            assert len(holders) == 2
            assert code in URGENT
            assert holders[0].urgent
            assert holders[0].open_now


@SETTINGS
@given(requests())
def test_first_item_urgent_and_open_when_an_open_service_exists(req: MatchRequest) -> None:
    pkg = build_package(req)
    urgent = _requested(req) & URGENT
    reachable = any(
        _usable(req, s, code) and s.hours.known and is_open(s.hours, req.at, req.bank_holidays)
        for s in req.services
        for code in urgent
    )
    if reachable:
        assert pkg.items[0].urgent
        assert pkg.items[0].open_now
        assert set(pkg.items[0].needs) & urgent
    for item in pkg.items:
        if item.urgent:  # open now, or the soonest opening within 12 hours (issue 11)
            assert item.open_now or (
                item.next_open is not None and item.next_open - req.at <= timedelta(hours=12)
            )


@SETTINGS
@given(requests(), st.data())
def test_removing_a_service_never_covers_more(req: MatchRequest, data: st.DataObject) -> None:
    if not req.services:
        return
    drop = data.draw(st.integers(0, len(req.services) - 1))
    fewer = replace(req, services=req.services[:drop] + req.services[drop + 1 :])
    before = build_package(req).covered_needs & _requested(req)
    after = build_package(fewer).covered_needs & _requested(req)
    assert after <= before


@SETTINGS
@given(requests(), st.randoms(use_true_random=False))
def test_deterministic_whatever_the_input_order(req: MatchRequest, rnd: object) -> None:
    shuffled = list(req.services)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert build_package(req) == build_package(replace(req, services=tuple(shuffled)))
    assert build_package(req) == build_package(req)
