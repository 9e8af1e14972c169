"""Scenarios with small hand-built directories, shaped like the demo areas."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from matcher.engine import build_package
from matcher.model import GeoPoint
from tests.matcher.matcher_factories import (
    ALWAYS,
    CORNWALL,
    LEWISHAM,
    SE6,
    SUNDAY_0230,
    person,
    request,
    service,
    where,
)

PHONE_ONLY = {"delivery": ("phone",), "lat": None, "lon": None, "location_id": None}


def lewisham() -> list:  # type: ignore[type-arg]
    return [
        service(
            "cgl-new-direction",
            "SUBST_DRUGS",
            "SUBST_ALCOHOL",
            "SUBST_CONTINUITY",
            org="cgl",
            min_age=18,
            catchment_type="residence",
            catchment_areas=(LEWISHAM,),
            referral_routes=("self", "professional", "drop_in"),
        ),
        service(
            "lewisham-housing-access",
            "NO_BED_TONIGHT",
            "HOUSING_RISK",
            org="lbl",
            catchment_type="residence",
            catchment_areas=(LEWISHAM,),
            lat=SE6.lat,
            lon=SE6.lon,
            location_id="laurence-house",
        ),
        service(
            "lewisham-housing-ooh",
            "NO_BED_TONIGHT",
            org="lbl",
            hours=ALWAYS,
            catchment_type="residence",
            catchment_areas=(LEWISHAM,),
            **PHONE_ONLY,
        ),
        service("nhs-111-mh", "MH_CRISIS", "RISK_SUICIDE_NOW", org="nhs", hours=ALWAYS, **PHONE_ONLY),
        service(
            "slam-talking-therapies",
            "MH_COMMON",
            org="slam",
            min_age=18,
            exclusions=("immediate_risk", "crisis", "secondary_care"),
            catchment_type="gp",
            catchment_areas=(LEWISHAM,),
            requires_gp_registration=True,
            wait_days=35,
        ),
        service(
            "athena", "DA_HIGH", "DA_STANDARD", org="refuge", min_age=13, genders=("female", "non_binary")
        ),
        service("yot-lewisham", "SUBST_DRUGS", "ETE", org="lbl-yot", max_age=17, cohorts=("youth_justice",)),
        service("crs-accommodation", "HOUSING_RISK", "ETE", org="crs", referral_routes=("probation",)),
    ]


def test_the_api_example_at_half_past_two_on_a_sunday() -> None:
    pkg = build_package(request(["NO_BED_TONIGHT", "SUBST_ALCOHOL"], lewisham(), at=SUNDAY_0230))
    first, second = pkg.items
    assert first.service_id == "lewisham-housing-ooh"
    assert first.urgent
    assert first.open_now
    assert second.service_id == "cgl-new-direction"
    assert not second.open_now
    assert second.route == "drop_in"
    assert "opens Monday 23 November at 9am" in second.action
    assert not pkg.unmet


def test_crisis_never_gets_talking_therapies() -> None:
    pkg = build_package(request(["MH_CRISIS", "MH_COMMON"], lewisham(), at=SUNDAY_0230))
    assert [i.service_id for i in pkg.items] == ["nhs-111-mh"]
    assert pkg.unmet[0].need == "MH_COMMON"
    assert pkg.unmet[0].reason == "ineligible"


def test_under_18_goes_to_the_youth_service() -> None:
    child = person(age=16, youth_justice=True)
    pkg = build_package(request(["SUBST_DRUGS", "ETE"], lewisham(), person=child))
    assert [i.service_id for i in pkg.items] == ["yot-lewisham"]


def test_no_fixed_abode_matched_where_they_are_now() -> None:
    nfa = person(home_district=None, home_authority=None, home_location=None)
    pkg = build_package(request(["SUBST_DRUGS"], lewisham(), person=nfa))
    assert pkg.items[0].service_id == "cgl-new-direction"
    assert pkg.items[0].distance_km is not None
    elsewhere = where(authority="E08000003", district="M1", location=GeoPoint(53.4794, -2.2453))
    assert build_package(request(["SUBST_DRUGS"], lewisham(), person=nfa, where=elsewhere)).unmet[
        0
    ].reason in {
        "ineligible",
        "out_of_area",
    }


def test_probation_only_route_for_someone_on_licence() -> None:
    on_licence = person(probation="licence")
    pkg = build_package(request(["ETE"], lewisham(), person=on_licence))
    assert pkg.items[0].service_id == "crs-accommodation"
    assert pkg.items[0].route == "probation"


def test_service_at_capacity_gives_unmet_with_alternative() -> None:
    svcs = [
        replace(s, capacity_status="at_capacity") if s.id == "cgl-new-direction" else s for s in lewisham()
    ]
    (unmet,) = build_package(request(["SUBST_DRUGS"], svcs)).unmet
    assert unmet.reason == "at_capacity"
    assert unmet.alternative


def test_da_victim_with_no_bed_tonight_gets_housing_out_of_area() -> None:
    refuge = service(
        "refuge-far", "NO_BED_TONIGHT", org="refuge-trust", hours=ALWAYS, lat=50.26, lon=-5.05,
        delivery=("in_person",), catchment_type="residence", catchment_areas=(CORNWALL,),
    )  # fmt: skip
    woman = person(gender="female", safe_contact_notes="Call her sister's phone")
    pkg = build_package(
        request(["DA_HIGH", "NO_BED_TONIGHT"], [*lewisham(), refuge], person=woman, at=SUNDAY_0230)
    )
    assert pkg.items[0].urgent
    assert pkg.covered_needs >= {"NO_BED_TONIGHT"}
    assert any("sister" in w for w in pkg.warnings)


def test_rural_default_radius() -> None:
    truro = GeoPoint(50.263, -5.051)
    st_austell = service(
        "with-you-st-austell", "SUBST_ALCOHOL", lat=50.340, lon=-4.790, delivery=("in_person",)
    )
    cornish = person(home_district="TR1", home_authority=CORNWALL, home_location=truro, gp_authority=CORNWALL)
    here = where(setting="court", district="TR1", authority=CORNWALL, location=truro)
    assert build_package(request(["SUBST_ALCOHOL"], [st_austell], person=cornish, where=here)).items
    urban = build_package(request(["SUBST_ALCOHOL"], [st_austell], person=cornish, where=here, rural=False))
    assert urban.unmet[0].reason == "out_of_area"


def test_every_item_explains_itself() -> None:
    at = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    pkg = build_package(request(["NO_BED_TONIGHT", "SUBST_ALCOHOL", "DA_STANDARD"], lewisham(), at=at))
    for item in pkg.items:
        rules_fired = {r.rule for r in item.reasons}
        assert {"covers", "eligibility", "fewest_agencies"} <= rules_fired
        assert item.action
    assert pkg.lead_service_id in {i.service_id for i in pkg.items}


def test_a_local_line_is_preferred_to_another_areas_line_doing_the_same_job() -> None:
    from datetime import UTC, datetime

    from matcher.engine import build_package
    from matcher.hours import OpeningHours
    from matcher.model import GeoPoint, MatchRequest, Need, Person, ServiceOption, Where

    bed = Need("NO_BED_TONIGHT", "Nowhere to sleep tonight", "basic", urgent=True, basic=True)
    always = OpeningHours(always_open=True)
    far = ServiceOption(
        id="a-cornwall",
        name="Cornwall line",
        organization_id="o1",
        organization_name="Cornwall",
        needs=("NO_BED_TONIGHT",),
        delivery=("phone",),
        hours=always,
    )
    near = ServiceOption(
        id="b-lewisham",
        name="Lewisham line",
        organization_id="o2",
        organization_name="Lewisham",
        needs=("NO_BED_TONIGHT",),
        delivery=("phone",),
        hours=always,
        catchment_type="none",
        catchment_areas=("E09000023",),
    )
    person = Person(
        age=30,
        gender="male",
        home_district="SE13",
        home_authority="E09000023",
        home_location=GeoPoint(51.46, -0.01),
    )
    request = MatchRequest(
        needs=(bed,),
        person=person,
        where=Where("custody"),
        at=datetime(2026, 11, 22, 23, 0, tzinfo=UTC),
        services=(far, near),
    )
    package = build_package(request)
    assert package.items[0].service_id == "b-lewisham"


def test_local_services_beat_fewer_agencies_from_another_area() -> None:
    from datetime import UTC, datetime

    from matcher.engine import build_package
    from matcher.hours import OpeningHours
    from matcher.model import GeoPoint, MatchRequest, Need, Person, ServiceOption, Where

    bed = Need("NO_BED_TONIGHT", "Nowhere to sleep tonight", "basic", urgent=True, basic=True)
    drink = Need("SUBST_ALCOHOL", "Alcohol use", "health")
    always = OpeningHours(always_open=True)

    def line(sid: str, org: str, need: str, area: str) -> ServiceOption:
        return ServiceOption(
            id=sid,
            name=sid,
            organization_id=org,
            organization_name=org,
            needs=(need,),
            delivery=("phone",),
            hours=always,
            catchment_areas=(area,),
        )

    services = (
        line("a-portsmouth-bed", "portsmouth", "NO_BED_TONIGHT", "E06000044"),
        line("a-portsmouth-drink", "portsmouth", "SUBST_ALCOHOL", "E06000044"),
        line("b-lewisham-bed", "lewisham", "NO_BED_TONIGHT", "E09000023"),
        line("b-lewisham-drink", "cgl", "SUBST_ALCOHOL", "E09000023"),
    )
    person = Person(
        age=34,
        gender="male",
        home_district="SE13",
        home_authority="E09000023",
        home_location=GeoPoint(51.46, -0.01),
    )
    package = build_package(
        MatchRequest(
            needs=(bed, drink),
            person=person,
            where=Where("custody"),
            at=datetime(2026, 11, 22, 2, 30, tzinfo=UTC),
            services=services,
        )
    )
    assert {i.service_id for i in package.items} == {"b-lewisham-bed", "b-lewisham-drink"}


def test_an_open_national_line_steps_in_when_the_local_one_is_closed() -> None:
    from datetime import UTC, datetime, time

    from matcher.engine import build_package
    from matcher.hours import OpeningHours, Session
    from matcher.model import GeoPoint, MatchRequest, Need, Person, ServiceOption, Where

    crisis = Need("MH_CRISIS", "Mental health crisis", "risk", urgent=True)
    office = OpeningHours(sessions=tuple(Session(d, time(9), time(17)) for d in range(5)))
    local = ServiceOption(
        id="a-local",
        name="Local crisis team",
        organization_id="l",
        organization_name="L",
        needs=("MH_CRISIS",),
        delivery=("phone",),
        hours=office,
        catchment_areas=("E09000023",),
    )
    national = ServiceOption(
        id="b-national",
        name="NHS 111 option 2",
        organization_id="n",
        organization_name="N",
        needs=("MH_CRISIS",),
        delivery=("phone",),
        hours=OpeningHours(always_open=True),
    )
    person = Person(
        age=34,
        gender="male",
        home_district="SE13",
        home_authority="E09000023",
        home_location=GeoPoint(51.46, -0.01),
    )
    package = build_package(
        MatchRequest(
            needs=(crisis,),
            person=person,
            where=Where("custody"),
            at=datetime(2026, 11, 22, 2, 30, tzinfo=UTC),
            services=(local, national),
        )
    )
    assert package.items[0].service_id == "b-national"
    assert package.items[0].open_now
