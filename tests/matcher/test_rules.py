"""One test (or a few) per rule: the eligibility and availability tables, then the rules the engine
applies (order, safety, coverage, time and place, data quality, routes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from matcher import rules
from matcher.engine import build_package
from matcher.geo import default_radius_km, haversine_km, is_rural_authority
from matcher.hours import OpeningHours, Session
from matcher.model import GeoPoint, Person, ServiceOption
from tests.matcher.matcher_factories import (
    ALWAYS,
    CORNWALL,
    LEWISHAM,
    M1,
    MANCHESTER,
    MONDAY_11,
    ROLES,
    SE6,
    SE13,
    SUNDAY_0230,
    TODAY,
    person,
    request,
    service,
    where,
)


def ctx(p: Person | None = None, codes: tuple[str, ...] = ("SUBST_DRUGS",), **kw: object) -> rules.Context:
    p = p or person()
    w = kw.pop("w", where())
    return rules.Context(
        person=p,
        where=w,  # type: ignore[arg-type]
        need_codes=frozenset(codes),
        today=TODAY,
        origin=kw.pop("origin", p.home_location),  # type: ignore[arg-type]
        radius_km=kw.pop("radius", 5.0),  # type: ignore[arg-type]
        roles=ROLES,
    )


def fails(
    rule: rules.Rule, s: ServiceOption, c: rules.Context | None = None, need: str = "SUBST_DRUGS"
) -> bool:
    return rule(c or ctx(), s, need) is not None


# --- eligibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "bad"), [("active", False), ("inactive", True), ("defunct", True)])
def test_active(status: str, bad: bool) -> None:
    assert fails(rules.rule_active, service("s", "SUBST_DRUGS", status=status)) is bad


def test_temporarily_closed_is_capacity_not_eligibility() -> None:
    s = service("s", "SUBST_DRUGS", status="temporarily_closed")
    assert not fails(rules.rule_active, s)
    assert fails(rules.rule_capacity, s)


@pytest.mark.parametrize(("age", "bad"), [(17, True), (18, False), (25, False), (26, True)])
def test_age_is_inclusive_at_both_limits(age: int, bad: bool) -> None:
    s = service("s", "SUBST_DRUGS", min_age=18, max_age=25)
    assert fails(rules.rule_age, s, ctx(person(age=age))) is bad


def test_under_18_only_to_youth_or_services_that_take_their_age() -> None:
    child = ctx(person(age=16))
    assert not fails(rules.rule_under_18, service("yp", "SUBST_DRUGS", max_age=18), child)
    assert not fails(rules.rule_under_18, service("all", "SUBST_DRUGS"), child)
    assert not fails(rules.rule_under_18, service("13up", "DA_STANDARD", min_age=13), child)
    assert fails(rules.rule_under_18, service("adult", "SUBST_DRUGS", max_age=64), child)
    assert not fails(rules.rule_under_18, service("adult", "SUBST_DRUGS", max_age=64), ctx(person(age=18)))


def test_gender() -> None:
    women = service("wc", "DA_STANDARD", genders=("female",))
    assert fails(rules.rule_gender, women, ctx(person(gender="male")))
    assert not fails(rules.rule_gender, women, ctx(person(gender="female")))
    assert not fails(rules.rule_gender, service("any", "DA_STANDARD"), ctx(person(gender="non_binary")))


def test_catchment_residence_decides_not_place_of_arrest() -> None:
    lewisham = service("l", "SUBST_DRUGS", catchment_type="residence", catchment_areas=(LEWISHAM,))
    manchester = service("m", "SUBST_DRUGS", catchment_type="residence", catchment_areas=(MANCHESTER,))
    arrested_in_manchester = ctx(w=where(authority=MANCHESTER, district="M1", location=M1))
    assert not fails(rules.rule_catchment, lewisham, arrested_in_manchester)
    assert fails(rules.rule_catchment, manchester, arrested_in_manchester)


def test_catchment_by_postcode_district() -> None:
    s = service("s", "SUBST_DRUGS", catchment_type="residence", catchment_areas=("se13",))
    assert not fails(rules.rule_catchment, s)
    assert fails(rules.rule_catchment, s, ctx(person(home_district="SE6", home_authority=LEWISHAM)))


def test_catchment_gp_and_either() -> None:
    gp = service("g", "MH_COMMON", catchment_type="gp", catchment_areas=(LEWISHAM,))
    either = replace(gp, catchment_type="either")
    lives_elsewhere = person(home_authority=MANCHESTER, home_district="M1")
    assert not fails(rules.rule_catchment, gp, ctx(lives_elsewhere))
    assert fails(rules.rule_catchment, gp, ctx(person(gp_registered=False)))
    assert not fails(rules.rule_catchment, either, ctx(person(gp_registered=False)))
    assert fails(rules.rule_catchment, either, ctx(replace(lives_elsewhere, gp_authority=MANCHESTER)))


def test_catchment_housing_uses_the_council_they_choose() -> None:
    s = service("h", "HOUSING_RISK", catchment_type="residence", catchment_areas=(MANCHESTER,))
    chooses_manchester = ctx(person(housing_authority=MANCHESTER), codes=("HOUSING_RISK", "SUBST_DRUGS"))
    assert not fails(rules.rule_catchment, s, chooses_manchester, need="HOUSING_RISK")
    drugs = service("d", "SUBST_DRUGS", catchment_type="residence", catchment_areas=(MANCHESTER,))
    assert fails(rules.rule_catchment, drugs, chooses_manchester, need="SUBST_DRUGS")


def test_catchment_no_fixed_abode_is_where_they_are_now() -> None:
    nfa = person(home_district=None, home_authority=None, home_location=None)
    s = service("s", "SUBST_DRUGS", catchment_type="residence", catchment_areas=(LEWISHAM,))
    assert not fails(rules.rule_catchment, s, ctx(nfa))
    assert fails(rules.rule_catchment, s, ctx(nfa, w=where(authority=MANCHESTER, district="M1")))


def test_catchment_domestic_abuse_housing_needs_no_local_connection() -> None:
    s = service("refuge", "NO_BED_TONIGHT", catchment_type="residence", catchment_areas=(MANCHESTER,))
    assert not fails(rules.rule_catchment, s, ctx(codes=("DA_HIGH", "NO_BED_TONIGHT")), need="NO_BED_TONIGHT")
    assert fails(rules.rule_catchment, s, ctx(codes=("NO_BED_TONIGHT",)), need="NO_BED_TONIGHT")


def test_cohort_veterans_and_probation() -> None:
    vets = service("opc", "MH_COMMON", cohorts=("veteran",))
    assert fails(rules.rule_cohort, vets)
    assert not fails(rules.rule_cohort, vets, ctx(person(veteran=True)))
    assert not fails(rules.rule_cohort, vets, ctx(codes=("VETERAN",)))
    crs = service("crs", "ETE", cohorts=("probation",), referral_routes=("probation",))
    assert fails(rules.rule_cohort, crs)
    for status in ("community_order_rar", "licence", "pss"):
        assert not fails(rules.rule_cohort, crs, ctx(person(probation=status)))


def test_referral_route_probation_only() -> None:
    crs = service("crs", "ETE", referral_routes=("probation",))
    assert fails(rules.rule_referral_route, crs)
    assert not fails(rules.rule_referral_route, crs, ctx(person(probation="licence")))
    assert fails(rules.rule_referral_route, service("none", "ETE", referral_routes=()))


@pytest.mark.parametrize(
    ("codes", "bad"),
    [(("MH_COMMON",), False), (("MH_COMMON", "RISK_SUICIDE_NOW"), True), (("MH_COMMON", "MH_CRISIS"), True)],
)
def test_clinical_exclusion_talking_therapies_never_in_crisis(codes: tuple[str, ...], bad: bool) -> None:
    tt = service("tt", "MH_COMMON", exclusions=("immediate_risk", "crisis"))
    assert fails(rules.rule_clinical_exclusion, tt, ctx(codes=codes), need="MH_COMMON") is bad


def test_clinical_exclusion_secondary_care() -> None:
    tt = service("tt", "MH_COMMON", exclusions=("secondary_care",))
    assert fails(rules.rule_clinical_exclusion, tt, ctx(person(in_secondary_care=True), codes=("MH_COMMON",)))
    assert fails(rules.rule_clinical_exclusion, tt, ctx(codes=("MH_COMMON", "MH_SEVERE")))


@pytest.mark.parametrize("da", ["DA_HIGH", "DA_STANDARD"])
def test_domestic_abuse_never_joint_or_couple(da: str) -> None:
    couples = service("rel", "FAMILY_RELATIONSHIPS", joint_or_couple=True)
    assert fails(rules.rule_domestic_abuse_safety, couples, ctx(codes=(da, "FAMILY_RELATIONSHIPS")))
    assert not fails(rules.rule_domestic_abuse_safety, couples, ctx(codes=("FAMILY_RELATIONSHIPS",)))


def test_every_rule_has_a_docstring_saying_why() -> None:
    for rule in (*rules.ELIGIBILITY_RULES, *rules.AVAILABILITY_RULES):
        assert len(rule.__doc__ or "") > 40, rule.__name__


# --- availability --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["at_capacity", "closed_to_referrals"])
def test_capacity(status: str) -> None:
    assert fails(rules.rule_capacity, service("s", "ETE", capacity_status=status))
    assert not fails(rules.rule_capacity, service("s", "ETE", capacity_status="waiting_list"))


def test_within_radius_and_phone_is_distance_free() -> None:
    far = service("far", "SUBST_DRUGS", lat=M1.lat, lon=M1.lon, delivery=("in_person",))
    assert fails(rules.rule_within_radius, far)
    assert not fails(rules.rule_within_radius, replace(far, delivery=("in_person", "phone")))
    near = service("near", "SUBST_DRUGS", lat=SE6.lat, lon=SE6.lon, delivery=("in_person",))
    assert not fails(rules.rule_within_radius, near)


def test_radius_rural_is_wider() -> None:
    assert default_radius_km(rural=True) == 30
    assert default_radius_km(rural=False) == 5
    assert is_rural_authority(CORNWALL)
    assert not is_rural_authority(LEWISHAM)
    truro, bodmin = GeoPoint(50.263, -5.051), GeoPoint(50.471, -4.720)
    assert 25 < haversine_km(truro, bodmin) < 35
    assert abs(haversine_km(SE13, SE6) - 2.2) < 0.3


def test_freshness_thresholds() -> None:
    c = ctx()
    fresh = service("f", "ETE", assured_date=TODAY - timedelta(days=90))
    aging = service("a", "ETE", assured_date=TODAY - timedelta(days=91))
    stale = service("s", "ETE", assured_date=TODAY - timedelta(days=366))
    assert not rules.is_aging(c, fresh)
    assert rules.is_aging(c, aging)
    assert not rules.is_stale(c, aging)
    assert rules.is_stale(c, stale)
    assert rules.is_stale(c, service("n", "ETE", assured_date=None))


# --- engine-level rules --------------------------------------------------------------------------


def test_urgent_need_puts_an_open_service_first() -> None:
    office = service("office", "NO_BED_TONIGHT", "HOUSING_RISK")
    line = service(
        "ooh-line", "NO_BED_TONIGHT", hours=ALWAYS, delivery=("phone",), lat=None, lon=None, org="council"
    )
    pkg = build_package(
        request(["ETE", "NO_BED_TONIGHT"], [office, line, service("work", "ETE")], at=SUNDAY_0230)
    )
    first = pkg.items[0]
    assert first.service_id == "ooh-line"
    assert first.urgent
    assert first.open_now
    assert "urgent_open_now" in {r.rule for r in first.reasons}


def test_urgent_need_with_nothing_open_is_unmet_closed_now() -> None:
    pkg = build_package(request(["MH_CRISIS"], [service("cmht", "MH_CRISIS")], at=SUNDAY_0230))
    assert not pkg.items
    (unmet,) = pkg.unmet
    assert unmet.reason == "closed_now"
    assert unmet.alternative
    assert "999" in unmet.alternative
    assert "Monday 23 November at 9am" in unmet.alternative


def test_urgent_open_now_item_plus_the_ongoing_service() -> None:
    line = service("111", "MH_CRISIS", hours=ALWAYS, delivery=("phone",), lat=None, lon=None)
    cmht = service("cmht", "MH_CRISIS", "MH_SEVERE", referral_routes=("professional", "gp"))
    pkg = build_package(request(["MH_CRISIS", "MH_SEVERE"], [line, cmht], at=SUNDAY_0230))
    assert [i.service_id for i in pkg.items] == ["111", "cmht"]
    assert pkg.items[1].needs == ("MH_CRISIS", "MH_SEVERE")
    assert "ongoing_after_urgent" in {r.rule for r in pkg.items[1].reasons}


def test_order_risk_survival_basic_health_social() -> None:
    svcs = [
        service("work", "ETE"),
        service("drugs", "SUBST_DRUGS"),
        service("money", "INCOME_BENEFITS"),
        service("food", "FOOD_ESSENTIALS"),
        service("selfharm", "RISK_SELFHARM"),
    ]
    pkg = build_package(
        request(["ETE", "SUBST_DRUGS", "INCOME_BENEFITS", "FOOD_ESSENTIALS", "RISK_SELFHARM"], svcs)
    )
    assert [i.service_id for i in pkg.items] == ["selfharm", "food", "money", "drugs", "work"]


def test_domestic_abuse_safe_contact_noted_and_couples_service_skipped() -> None:
    p = person(gender="female", safe_contact_notes="Text only, after 6pm")
    couples = service("couples", "FAMILY_RELATIONSHIPS", joint_or_couple=True)
    idva = service("idva", "DA_STANDARD", "FAMILY_RELATIONSHIPS", org="athena")
    pkg = build_package(request(["DA_STANDARD", "FAMILY_RELATIONSHIPS"], [couples, idva], person=p))
    assert [i.service_id for i in pkg.items] == ["idva"]
    assert any("Text only, after 6pm" in w for w in pkg.warnings)
    assert any("Text only, after 6pm" in w for w in pkg.items[0].warnings)


def test_gp_registration_added_as_first_step() -> None:
    tt = service("tt", "MH_COMMON", requires_gp_registration=True)
    gp = service("gp-reg", "GP_UNREGISTERED")
    pkg = build_package(request(["MH_COMMON"], [tt, gp], person=person(gp_registered=False)))
    assert [i.service_id for i in pkg.items] == ["gp-reg", "tt"]
    assert "gp_registration_first" in {r.rule for r in pkg.items[0].reasons}
    assert any("register with a GP" in w for w in pkg.items[1].warnings)
    registered = build_package(request(["MH_COMMON"], [tt, gp]))
    assert [i.service_id for i in registered.items] == ["tt"]


def test_coverage_one_item_per_need_and_fewest_agencies() -> None:
    hub = service("hub", "INCOME_BENEFITS", "DEBT", "HOUSING_RISK", org="advice")
    single = [service(f"s-{c.lower()}", c) for c in ("INCOME_BENEFITS", "DEBT", "HOUSING_RISK")]
    pkg = build_package(request(["INCOME_BENEFITS", "DEBT", "HOUSING_RISK", "ETE"], [hub, *single]))
    assert [i.service_id for i in pkg.items] == ["hub"]
    assert pkg.lead_service_id == "hub"
    assert [u.need for u in pkg.unmet] == ["ETE"]
    assert pkg.unmet[0].reason == "no_service"


def test_same_agency_services_count_once() -> None:
    a = service("cgl-drugs", "SUBST_DRUGS", org="cgl")
    b = service("cgl-alcohol", "SUBST_ALCOHOL", org="cgl")
    both = service(
        "other", "SUBST_DRUGS", "SUBST_ALCOHOL", org="other", delivery=("in_person",), lat=M1.lat, lon=M1.lon
    )
    c = service("other-2", "SUBST_ALCOHOL", org="other-2")
    pkg = build_package(request(["SUBST_DRUGS", "SUBST_ALCOHOL"], [a, b, both, c]))
    assert {i.organization_id for i in pkg.items} == {"cgl"}


def test_co_located_preferred() -> None:
    a = service("a", "DEBT", org="x", location_id="hub")
    b = service("b", "ETE", org="y", location_id="hub")
    b2 = service("b2", "ETE", org="z", location_id="elsewhere")
    pkg = build_package(request(["DEBT", "ETE"], [a, b, b2]))
    assert {i.service_id for i in pkg.items} == {"a", "b"}
    assert "co_located" in {r.rule for r in pkg.items[0].reasons}


def test_lead_agency_covers_most_needs() -> None:
    pkg = build_package(
        request(
            ["DEBT", "ETE", "INCOME_BENEFITS"],
            [service("debt", "DEBT"), service("work", "ETE", "INCOME_BENEFITS")],
        )
    )
    assert pkg.lead_service_id == "work"


def test_closing_minute_boundary() -> None:
    hours = OpeningHours(sessions=(Session(0, time(9), time(15)),))
    s = service("access-point", "HOUSING_RISK", hours=hours)
    at_1459 = datetime(2026, 11, 23, 14, 59, tzinfo=UTC)
    assert build_package(request(["HOUSING_RISK"], [s], at=at_1459)).items[0].open_now
    at_1500 = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    item = build_package(request(["HOUSING_RISK"], [s], at=at_1500)).items[0]
    assert not item.open_now
    assert item.next_open is not None
    assert item.next_open.date() == date(2026, 11, 30)


def test_nine_to_five_never_open_at_ten_at_night() -> None:
    at = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)
    item = build_package(request(["DEBT"], [service("d", "DEBT")], at=at)).items[0]
    assert not item.open_now
    assert "opens Tuesday 24 November at 9am" in item.action


def test_drop_in_preferred_when_leaving_custody() -> None:
    phone = service("phone-only", "SUBST_DRUGS", referral_routes=("self",))
    drop = service("drop", "SUBST_DRUGS", referral_routes=("self", "drop_in"))
    pkg = build_package(request(["SUBST_DRUGS"], [phone, drop]))
    assert pkg.items[0].service_id == "drop"
    assert pkg.items[0].route == "drop_in"
    home = build_package(request(["SUBST_DRUGS"], [phone, drop], where=where(setting="community")))
    assert home.items[0].route == "self"


SATURDAY_11 = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)


def test_distance_from_home_or_from_custody_when_no_fixed_abode() -> None:
    s = service(
        "s", "SUBST_DRUGS", lat=SE6.lat, lon=SE6.lon, delivery=("in_person",), location_postcode="SE6 4RU"
    )
    # Saturday: it opens on Monday, an ongoing item, so measured from home.
    item = build_package(request(["SUBST_DRUGS"], [s], at=SATURDAY_11)).items[0]
    assert item.distance_km == round(haversine_km(SE13, SE6), 1)
    assert item.distance_text == f"{haversine_km(SE13, SE6):.1f} km from home"
    nfa = person(home_district=None, home_authority=None, home_location=None)
    assert build_package(request(["SUBST_DRUGS"], [s], person=nfa)).items[0].distance_km == 0.0


def test_out_of_area_unmet_with_alternative() -> None:
    far = service("far", "SUBST_DRUGS", lat=M1.lat, lon=M1.lon, delivery=("in_person",))
    (unmet,) = build_package(request(["SUBST_DRUGS"], [far])).unmet
    assert unmet.reason == "out_of_area"
    assert unmet.alternative
    assert "Far" in unmet.alternative
    rural = build_package(request(["SUBST_DRUGS"], [far], radius_km=400))
    assert rural.items
    assert not rural.unmet


def test_at_capacity_unmet_with_alternative() -> None:
    full = service("full", "ETE", capacity_status="at_capacity")
    far = service("far", "ETE", lat=M1.lat, lon=M1.lon, delivery=("in_person",))
    (unmet,) = build_package(request(["ETE"], [full, far])).unmet
    assert unmet.reason == "at_capacity"
    assert unmet.alternative
    assert "Far" in unmet.alternative
    (alone,) = build_package(request(["ETE"], [full])).unmet
    assert alone.alternative
    assert "waiting list" in alone.alternative


def test_ineligible_unmet() -> None:
    (unmet,) = build_package(request(["ETE"], [service("youth", "ETE", max_age=17)])).unmet
    assert unmet.reason == "ineligible"
    assert "up to 17" in unmet.detail


def test_shorter_wait_preferred_and_long_wait_flagged_with_interim() -> None:
    slow = service("slow", "MH_COMMON", wait_days=60, org="a")
    quick = service("quick", "MH_COMMON", wait_days=7, org="b")
    assert build_package(request(["MH_COMMON"], [slow, quick])).items[0].service_id == "quick"
    also = service("also-slow", "MH_COMMON", "DEBT", wait_days=60, org="c")
    pkg = build_package(request(["MH_COMMON", "DEBT"], [also, quick]))
    assert pkg.items[0].service_id == "also-slow"
    assert any("Long wait" in w and "Quick" in w for w in pkg.items[0].warnings)


def test_freshness_older_than_90_days_ranks_lower() -> None:
    old = service("old", "DEBT", assured_date=MONDAY_11.date() - timedelta(days=120), org="a")
    new = service("new", "DEBT", assured_date=MONDAY_11.date() - timedelta(days=10), org="b")
    assert build_package(request(["DEBT"], [old, new])).items[0].service_id == "new"


def test_freshness_over_a_year_only_when_nothing_else_fits() -> None:
    stale = service("stale", "DEBT", "ETE", assured_date=date(2024, 1, 1), org="a")
    fresh = service("fresh", "DEBT", org="b")
    pkg = build_package(request(["DEBT", "ETE"], [stale, fresh]))
    assert {i.service_id: i.needs for i in pkg.items} == {"fresh": ("DEBT",), "stale": ("ETE",)}
    stale_item = next(i for i in pkg.items if i.service_id == "stale")
    assert any("verify before use" in w for w in stale_item.warnings)


def test_professional_only_is_a_warm_handover_action() -> None:
    s = service("al", "MH_SEVERE", referral_routes=("professional",), professional_phone="020 1111 1111")
    item = build_package(request(["MH_SEVERE"], [s])).items[0]
    assert item.route == "professional"
    assert item.action.startswith("Practitioner:")
    assert "020 1111 1111" in item.action


def test_probation_only_route_is_an_action_for_probation() -> None:
    crs = service("crs", "ETE", cohorts=("probation",), referral_routes=("probation",))
    on_licence = build_package(request(["ETE"], [crs], person=person(probation="licence")))
    assert on_licence.items[0].route == "probation"
    assert "probation practitioner" in on_licence.items[0].action
    assert build_package(request(["ETE"], [crs])).unmet[0].reason == "ineligible"


def test_soft_cap_warning_above_five_agencies() -> None:
    codes = ["DEBT", "ETE", "INCOME_BENEFITS", "SUBST_DRUGS", "SUBST_ALCOHOL", "PHYS_HEALTH"]
    pkg = build_package(request(codes, [service(f"s{i}", c) for i, c in enumerate(codes)]))
    assert len(pkg.items) == 6
    assert any("6 agencies" in w for w in pkg.warnings)
    assert not any(
        "agencies" in w for w in build_package(request(codes[:5], [service("x", *codes[:5])])).warnings
    )


def test_naive_time_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        build_package(request(["DEBT"], [], at=datetime(2026, 11, 23, 11)))
