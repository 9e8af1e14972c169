"""Inclusion criteria: a service that takes only people with a particular need (a community learning
disability team, a dual-diagnosis service) is never offered to anyone else."""

from __future__ import annotations

from matcher import rules
from matcher.engine import build_package
from matcher.rules import Context
from tests.matcher.matcher_factories import ROLES, TAXONOMY, TODAY, person, request, service, where

DUAL = (("SUBST_DRUGS", "SUBST_ALCOHOL"), ("MH_SEVERE",))
LABELS = {n.code: n.label for n in TAXONOMY}


def ctx(*codes: str) -> Context:
    p = person()
    return Context(
        person=p,
        where=where(),
        need_codes=frozenset(codes),
        today=TODAY,
        origin=p.home_location,
        radius_km=5.0,
        roles=ROLES,
        labels=LABELS,
    )


def test_the_rule_is_an_eligibility_rule() -> None:
    assert rules.rule_required_needs in rules.ELIGIBILITY_RULES


def test_a_learning_disability_team_needs_a_learning_disability() -> None:
    cldt = service("cldt", "LD", "MH_COMMON", requires_needs=(("LD",),))
    failed = rules.rule_required_needs(ctx("MH_COMMON"), cldt, "MH_COMMON")
    assert failed is not None
    assert failed.rule == "required_needs"
    assert failed.detail == "Only for people with learning disability."
    assert rules.rule_required_needs(ctx("MH_COMMON", "LD"), cldt, "MH_COMMON") is None


def test_dual_diagnosis_needs_one_from_each_group() -> None:
    dual = service("dual", "SUBST_DRUGS", "SUBST_ALCOHOL", "MH_SEVERE", requires_needs=DUAL)
    for codes in (("SUBST_DRUGS", "MH_SEVERE"), ("SUBST_ALCOHOL", "MH_SEVERE")):
        assert rules.rule_required_needs(ctx(*codes), dual, codes[0]) is None
    only_drugs = rules.rule_required_needs(ctx("SUBST_DRUGS"), dual, "SUBST_DRUGS")
    assert only_drugs is not None
    assert only_drugs.detail == "Only for people with severe mental illness."
    neither = rules.rule_required_needs(ctx("HOUSING_RISK"), dual, "SUBST_DRUGS")
    assert neither is not None
    assert neither.detail == "Only for people with drug use or alcohol use, and severe mental illness."


def test_a_service_without_criteria_takes_anyone_with_a_listed_need() -> None:
    assert rules.rule_required_needs(ctx("SUBST_DRUGS"), service("cgl", "SUBST_DRUGS"), "SUBST_DRUGS") is None


def test_only_such_services_leaves_the_need_unmet_as_ineligible() -> None:
    dual = service("dual", "SUBST_DRUGS", "MH_SEVERE", requires_needs=DUAL)
    pkg = build_package(request(["SUBST_DRUGS"], [dual]))
    assert pkg.items == ()
    assert [(u.need, u.reason) for u in pkg.unmet] == [("SUBST_DRUGS", "ineligible")]


def test_the_person_who_qualifies_gets_the_specialist_service() -> None:
    dual = service("dual", "SUBST_DRUGS", "MH_SEVERE", requires_needs=DUAL)
    cgl = service("cgl", "SUBST_DRUGS")
    assert [i.service_id for i in build_package(request(["SUBST_DRUGS"], [dual, cgl])).items] == ["cgl"]
    both = build_package(request(["SUBST_DRUGS", "MH_SEVERE"], [dual, cgl]))
    assert "dual" in [i.service_id for i in both.items]
    assert not both.unmet


def test_groups_and_alternatives_are_worded_in_plain_english() -> None:
    def say(code: str) -> str:
        return code.lower()

    assert rules.required_needs_words([["A"]], say) == "a"
    assert rules.required_needs_words([["A"], ["B"]], say) == "a and b"
    assert rules.required_needs_words([["A", "B"], ["C"]], say) == "a or b, and c"
    assert rules.required_needs_words([["A"], ["B"], ["C"]], say) == "a, b and c"
