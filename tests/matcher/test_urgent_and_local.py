"""Issue 11: local means where they live *and* where they are now; urgent needs at night."""

from __future__ import annotations

from datetime import UTC, datetime, time

from matcher.engine import build_package
from matcher.hours import OpeningHours, Session
from matcher.model import ServiceOption
from tests.matcher.matcher_factories import (
    ALWAYS,
    M1,
    MANCHESTER,
    SE6,
    request,
    service,
    where,
)

# Monday 23 November 2026 at 23:00 London (GMT): the local day service opens at 09:00 (10 hours).
MONDAY_23 = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
SATURDAY_20 = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)
COURT_IN_MANCHESTER = where(setting="court", district="M1", authority=MANCHESTER, location=M1)
NATIONAL = {"delivery": ("phone",), "lat": None, "lon": None, "location_id": None, "location_postcode": None}


def _drop_in(sid: str, *codes: str, **kw: object) -> ServiceOption:
    return service(sid, *codes, referral_routes=("self", "drop_in"), delivery=("in_person",), **kw)


def test_a_drop_in_where_they_are_now_beats_a_national_line_from_court_in_another_council() -> None:
    help_point = service(
        "m-court-help",
        "DEBT",
        referral_routes=("self", "drop_in"),
        delivery=("in_person",),
        lat=M1.lat,
        lon=M1.lon,
        location_postcode="M1 1AA",
    )
    line = service("national-debt-line", "DEBT", hours=ALWAYS, **NATIONAL)
    package = build_package(request(["DEBT"], [help_point, line], where=COURT_IN_MANCHESTER))
    assert [i.service_id for i in package.items] == ["m-court-help"]
    assert package.items[0].distance_text == "in M1"  # measured from the court, not 260 km from home


def test_a_residence_catchment_elsewhere_is_not_local_where_they_are() -> None:
    residents_only = service(
        "m-residents",
        "DEBT",
        lat=M1.lat,
        lon=M1.lon,
        catchment_type="residence",
        catchment_areas=(MANCHESTER,),
    )
    line = service("national-debt-line", "DEBT", hours=ALWAYS, **NATIONAL)
    package = build_package(request(["DEBT"], [residents_only, line], where=COURT_IN_MANCHESTER))
    assert [i.service_id for i in package.items] == ["national-debt-line"]


def test_a_place_near_where_they_are_that_opens_another_day_is_not_local() -> None:
    saturday = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)  # the help point opens on Monday
    help_point = service("m-court-help", "DEBT", lat=M1.lat, lon=M1.lon, delivery=("in_person",))
    line = service("national-debt-line", "DEBT", hours=ALWAYS, **NATIONAL)
    package = build_package(request(["DEBT"], [help_point, line], at=saturday, where=COURT_IN_MANCHESTER))
    assert [i.service_id for i in package.items] == ["national-debt-line"]


def test_distance_of_a_today_item_is_from_where_they_are_now() -> None:
    s = service("s", "SUBST_DRUGS", delivery=("in_person",))  # at SE13; they are in custody at SE6
    item = build_package(request(["SUBST_DRUGS"], [s])).items[0]  # Monday 11:00: open now
    assert item.distance_text is not None
    assert item.distance_text.endswith("km from where they are now")
    assert "0.0 km" not in item.distance_text


def test_urgent_need_gets_the_local_service_opening_within_12_hours_and_a_line_meanwhile() -> None:
    day_centre = service("a-housing-options", "NO_BED_TONIGHT")  # weekdays 9-5, opens in 10 hours
    line = service("z-national-line", "NO_BED_TONIGHT", hours=ALWAYS, **NATIONAL)
    package = build_package(request(["NO_BED_TONIGHT"], [day_centre, line], at=MONDAY_23))
    assert not package.unmet
    ids = [i.service_id for i in package.items]
    assert ids == ["z-national-line", "a-housing-options"]  # the one open now first
    later = package.items[1]
    assert not later.open_now
    assert later.next_open == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_urgent_need_opening_within_12_hours_is_not_closed_now() -> None:
    day_centre = service("a-housing-options", "NO_BED_TONIGHT")
    package = build_package(request(["NO_BED_TONIGHT"], [day_centre], at=MONDAY_23))
    assert [i.service_id for i in package.items] == ["a-housing-options"]
    assert not package.unmet


def test_urgent_need_is_closed_now_only_when_nothing_opens_within_12_hours() -> None:
    day_centre = service("a-housing-options", "NO_BED_TONIGHT")  # Saturday 20:00: opens Monday
    package = build_package(request(["NO_BED_TONIGHT"], [day_centre], at=SATURDAY_20))
    assert not package.items
    assert [u.reason for u in package.unmet] == ["closed_now"]


def test_urgent_need_at_the_12_hour_boundary() -> None:
    at = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)  # opens at 09:00: exactly 12 hours
    day_centre = service("a-housing-options", "NO_BED_TONIGHT")
    assert build_package(request(["NO_BED_TONIGHT"], [day_centre], at=at)).items
    just_after = datetime(2026, 11, 23, 20, 59, tzinfo=UTC)
    assert not build_package(request(["NO_BED_TONIGHT"], [day_centre], at=just_after)).items


def test_immediate_risk_in_custody_first_action_is_the_practitioners_and_the_24_hour_service_is_an_item() -> (
    None
):
    cafe = _drop_in(
        "a-crisis-cafe",
        "RISK_SUICIDE_NOW",
        "MH_CRISIS",
        hours=OpeningHours(sessions=tuple(Session(d, time(18), time(23, 30)) for d in range(7))),
        lat=SE6.lat,
        lon=SE6.lon,
    )
    crisis_team = service(
        "b-crisis-team",
        "RISK_SUICIDE_NOW",
        "MH_CRISIS",
        hours=ALWAYS,
        professional_phone="020 3228 0000",
        referral_routes=("professional",),
        **NATIONAL,
    )
    at = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    package = build_package(request(["RISK_SUICIDE_NOW"], [cafe, crisis_team], at=at))
    ids = [i.service_id for i in package.items]
    assert "b-crisis-team" in ids
    first = package.items[0].action
    assert first.startswith("Practitioner: tell the custody healthcare professional or the custody sergeant")
    assert "020 3228 0000" in first
    assert "Drop in" not in first
    court = build_package(request(["MH_CRISIS"], [cafe, crisis_team], at=at, where=where(setting="court")))
    assert court.items[0].action.startswith("Practitioner: tell the court cells staff")


def test_lead_agency_is_one_they_can_reach_soonest() -> None:
    office = OpeningHours(sessions=tuple(Session(d, time(9), time(17)) for d in range(5)))
    weekend = OpeningHours(sessions=tuple(Session(d, time(10), time(16)) for d in range(7)))
    big = service("a-big", "DEBT", "INCOME_BENEFITS", "ETE", org="big", hours=office)
    open_now = service("b-open", "SUBST_ALCOHOL", "FAMILY_RELATIONSHIPS", org="open", hours=weekend)
    saturday = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
    package = build_package(
        request(
            ["DEBT", "INCOME_BENEFITS", "ETE", "SUBST_ALCOHOL", "FAMILY_RELATIONSHIPS"],
            [big, open_now],
            at=saturday,
        )
    )
    assert package.lead_service_id == "b-open"


def test_urgent_need_at_a_court_far_from_home_gets_help_near_the_court() -> None:
    night = datetime(2026, 11, 22, 2, 30, tzinfo=UTC)
    home_ae = service("a-lewisham-ae", "MH_CRISIS", hours=ALWAYS, delivery=("in_person",))
    court_ae = service(
        "b-manchester-ae", "MH_CRISIS", hours=ALWAYS, delivery=("in_person",), lat=M1.lat, lon=M1.lon
    )
    package = build_package(request(["MH_CRISIS"], [home_ae, court_ae], at=night, where=COURT_IN_MANCHESTER))
    assert [i.service_id for i in package.items] == ["b-manchester-ae"]


def test_a_drop_in_address_names_its_postcode_once() -> None:
    s = _drop_in("cafe", "SUBST_DRUGS", address="410 Lewisham High Street, London, SE13 6LJ")
    action = build_package(request(["SUBST_DRUGS"], [s])).items[0].action
    assert action.count("SE13 6LJ") == 1
    bare = _drop_in("cafe", "SUBST_DRUGS", address="410 Lewisham High Street")
    assert (
        "410 Lewisham High Street, SE13 6LJ"
        in build_package(request(["SUBST_DRUGS"], [bare])).items[0].action
    )
