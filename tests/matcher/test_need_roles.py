"""What a need means to the rules comes from the taxonomy's roles, never from need codes in the code."""

from __future__ import annotations

import ast
import csv
from dataclasses import replace
from pathlib import Path

import pytest

from matcher import rules
from matcher.engine import build_package
from matcher.model import Need
from matcher.priority import order_needs
from matcher.vocabulary import Exclusion, NeedRole
from tests.matcher.matcher_factories import (
    NEEDS,
    ROLES,
    SE13,
    SUNDAY_0230,
    TAXONOMY,
    TODAY,
    person,
    request,
    service,
    where,
)

ROOT = Path(__file__).resolve().parents[2]
RULE_MODULES = [ROOT / "matcher" / name for name in ("rules.py", "engine.py", "priority.py")]
CODES = {row["code"] for row in csv.DictReader((ROOT / "seeds" / "needs.csv").open(newline=""))}


def _with_roles(code: str, *roles: NeedRole) -> tuple[Need, ...]:
    """The seed taxonomy with ``code``'s roles replaced."""
    return tuple(replace(n, roles=frozenset(roles)) if n.code == code else n for n in TAXONOMY)


def _ctx(codes: tuple[str, ...], taxonomy: tuple[Need, ...] = TAXONOMY, **kw: object) -> rules.Context:
    p = kw.pop("p", person())
    return rules.Context(
        person=p,  # type: ignore[arg-type]
        where=where(),
        need_codes=frozenset(codes),
        today=TODAY,
        origin=SE13,
        radius_km=5.0,
        roles=rules.roles_by_code(taxonomy),
    )


@pytest.mark.parametrize("module", RULE_MODULES, ids=lambda p: p.name)
def test_no_need_code_is_written_in_the_rules(module: Path) -> None:
    strings = {
        node.value
        for node in ast.walk(ast.parse(module.read_text(), str(module)))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert not strings & CODES
    assert not {s for s in strings if s.isupper() and "_" in s}  # nor anything shaped like one


def test_the_factories_roles_are_the_seed_taxonomys() -> None:
    assert ROLES["DA_HIGH"] == {NeedRole.DOMESTIC_ABUSE}
    assert ROLES["NO_BED_TONIGHT"] == {NeedRole.SURVIVAL, NeedRole.HOUSING}
    assert ROLES["DEBT"] == frozenset()


def test_a_domestic_abuse_role_decides_the_joint_service_rule() -> None:
    joint = service("mediation", "FAMILY_RELATIONSHIPS", joint_or_couple=True)
    codes = ("FAMILY_RELATIONSHIPS", "DEBT")
    assert rules.rule_domestic_abuse_safety(_ctx(codes), joint, "FAMILY_RELATIONSHIPS") is None
    taxonomy = _with_roles("DEBT", NeedRole.DOMESTIC_ABUSE)
    assert rules.rule_domestic_abuse_safety(_ctx(codes, taxonomy), joint, "FAMILY_RELATIONSHIPS") is not None
    # and taking the role away from a domestic abuse need lets the joint service through
    da = ("FAMILY_RELATIONSHIPS", "DA_HIGH")
    assert rules.rule_domestic_abuse_safety(_ctx(da), joint, "FAMILY_RELATIONSHIPS") is not None
    assert (
        rules.rule_domestic_abuse_safety(_ctx(da, _with_roles("DA_HIGH")), joint, "FAMILY_RELATIONSHIPS")
        is None
    )


def test_a_housing_role_decides_whose_council_judges_residence() -> None:
    p = person(housing_authority="E09000011")
    assert rules.residence(_ctx(("HOUSING_RISK",), p=p), "HOUSING_RISK")[0] == "E09000011"
    taxonomy = _with_roles("HOUSING_RISK")
    assert rules.residence(_ctx(("HOUSING_RISK",), taxonomy, p=p), "HOUSING_RISK")[0] == p.home_authority
    assert (
        rules.residence(_ctx(("DEBT",), _with_roles("DEBT", NeedRole.HOUSING), p=p), "DEBT")[0] == "E09000011"
    )


@pytest.mark.parametrize(
    ("role", "exclusion"),
    [
        (NeedRole.IMMEDIATE_RISK, Exclusion.IMMEDIATE_RISK),
        (NeedRole.CRISIS, Exclusion.CRISIS),
        (NeedRole.SECONDARY_CARE, Exclusion.SECONDARY_CARE),
    ],
)
def test_exclusion_roles_decide_the_clinical_exclusion_rule(role: NeedRole, exclusion: Exclusion) -> None:
    talking = service("talking", "MH_COMMON", exclusions=(exclusion,))
    assert rules.rule_clinical_exclusion(_ctx(("MH_COMMON",)), talking, "MH_COMMON") is None
    taxonomy = _with_roles("MH_COMMON", role)
    assert rules.rule_clinical_exclusion(_ctx(("MH_COMMON",), taxonomy), talking, "MH_COMMON") is not None


def test_a_veteran_role_puts_the_person_in_the_veterans_cohort() -> None:
    veterans = service("op-courage", "ETE", cohorts=("veteran",))
    assert rules.rule_cohort(_ctx(("ETE",)), veterans, "ETE") is not None
    assert rules.rule_cohort(_ctx(("ETE",), _with_roles("ETE", NeedRole.VETERAN)), veterans, "ETE") is None


def test_a_survival_role_moves_a_need_up_the_order() -> None:
    debt, drink = NEEDS["DEBT"], NEEDS["SUBST_ALCOHOL"]
    assert order_needs((drink, debt)) == (debt, drink)  # basic before health
    survival = replace(drink, roles=frozenset({NeedRole.SURVIVAL}))
    assert order_needs((debt, survival)) == (survival, debt)


def test_a_life_at_risk_role_adds_the_999_advice_when_nothing_is_open() -> None:
    closed_tonight = service("day-centre", "DEBT")
    urgent_debt = replace(NEEDS["DEBT"], urgent=True)
    plain = build_package(replace(request(["DEBT"], [closed_tonight], at=SUNDAY_0230), needs=(urgent_debt,)))
    assert "999" not in (plain.unmet[0].alternative or "")
    at_risk = replace(urgent_debt, roles=frozenset({NeedRole.LIFE_AT_RISK}))
    package = build_package(replace(request(["DEBT"], [closed_tonight], at=SUNDAY_0230), needs=(at_risk,)))
    assert "call 999" in (package.unmet[0].alternative or "")


def test_the_gp_step_added_is_the_need_with_the_gp_registration_role() -> None:
    needs_gp = service("drugs", "SUBST_DRUGS", requires_gp_registration=True)
    gp = service("gp-practice", "GP_UNREGISTERED", "ETE")
    unregistered = person(gp_registered=False, gp_authority=None)
    package = build_package(request(["SUBST_DRUGS"], [needs_gp, gp], person=unregistered))
    assert "GP_UNREGISTERED" in package.covered_needs
    # Move the role to another need: that one is added instead.
    taxonomy = tuple(
        replace(n, roles=frozenset({NeedRole.GP_REGISTRATION}) if n.code == "ETE" else frozenset())
        for n in TAXONOMY
    )
    moved = build_package(request(["SUBST_DRUGS"], [needs_gp, gp], person=unregistered, taxonomy=taxonomy))
    assert "ETE" in moved.covered_needs
    assert "GP_UNREGISTERED" not in moved.covered_needs
