"""The set cover is exact: it matches brute force on small instances, and ignores input order."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import cover
from matcher.cover import Candidate, Weights, cost, solve, solve_detailed


@st.composite
def instances(draw: st.DrawFn) -> list[Candidate]:
    n_needs = draw(st.integers(1, 6))
    count = draw(st.integers(1, 9))
    return [
        Candidate(
            key=f"s{i}",
            org=f"o{draw(st.integers(0, 4))}",
            site=f"l{draw(st.integers(0, 4))}",
            cover=draw(st.integers(1, 2**n_needs - 1)),
            penalty=draw(st.integers(0, 999)),
        )
        for i in range(count)
    ]


def _union(cands: list[Candidate] | tuple[Candidate, ...]) -> int:
    mask = 0
    for c in cands:
        mask |= c.cover
    return mask


def _brute_force(cands: list[Candidate]) -> int:
    universe, weights = _union(cands), Weights.for_size(_union(cands).bit_count())
    # An optimal cover never has more items than needs: each item meets a need no other does.
    return min(
        cost(combo, weights)
        for r in range(1, min(len(cands), universe.bit_count()) + 1)
        for combo in itertools.combinations(cands, r)
        if _union(combo) == universe
    )


@settings(max_examples=150, deadline=None)
@given(instances())
def test_matches_brute_force(cands: list[Candidate]) -> None:
    result = solve_detailed(cands)
    assert result.exact
    assert _union(result.chosen) == _union(cands)
    weights = Weights.for_size(_union(cands).bit_count())
    assert cost(result.chosen, weights) == _brute_force(cands)


@settings(max_examples=50, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_order_does_not_matter(cands: list[Candidate], rnd: object) -> None:
    shuffled = list(cands)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert solve(shuffled) == solve(cands)


def test_fewest_agencies_beat_fewest_services() -> None:
    one_agency = [Candidate("a1", "A", "a", 0b01, 900), Candidate("a2", "A", "a", 0b10, 900)]
    two_agencies = [Candidate("b", "B", "b", 0b01, 0), Candidate("c", "C", "c", 0b10, 0)]
    assert [c.key for c in solve(one_agency + two_agencies)] == ["a1", "a2"]


def test_multi_need_service_beats_two_from_the_same_agency() -> None:
    cands = [
        Candidate("both", "A", "x", 0b11, 500),
        Candidate("one", "A", "x", 0b01, 0),
        Candidate("two", "A", "x", 0b10, 0),
    ]
    assert [c.key for c in solve(cands)] == ["both"]


def test_empty() -> None:
    assert solve([]) == ()


@st.composite
def structured_instances(draw: st.DrawFn) -> list[Candidate]:
    """Agencies with their own places (or phone lines, each a place of its own), fields of needs,
    generalists, and few penalty values, so that ties, dominance, agency sets and independent groups
    all occur."""
    n_needs = draw(st.integers(2, 7))
    count = draw(st.integers(2, 16))
    own_places = draw(st.booleans())
    out = []
    for i in range(count):
        org = draw(st.integers(0, 5))
        if own_places:
            site = draw(st.sampled_from([f"o{org}-a", f"o{org}-b", f"phone{i}"]))
        else:
            site = f"l{draw(st.integers(0, 3))}"
        out.append(
            Candidate(
                key=f"s{i:02d}",
                org=f"o{org}",
                site=site,
                cover=sum(1 << b for b in draw(st.sets(st.integers(0, n_needs - 1), min_size=1, max_size=3))),
                penalty=draw(st.sampled_from([0, 150, 270, 300, 999])),
            )
        )
    return out


@settings(max_examples=300, deadline=None)
@given(structured_instances())
def test_matches_brute_force_on_structured_instances(cands: list[Candidate]) -> None:
    result = solve_detailed(cands)
    assert result.exact
    assert _union(result.chosen) == _union(cands)
    weights = Weights.for_size(_union(cands).bit_count())
    assert cost(result.chosen, weights) == _brute_force(cands)


@settings(max_examples=150, deadline=None)
@given(structured_instances())
def test_matches_brute_force_without_trying_agency_sets(cands: list[Candidate]) -> None:
    # With too many ways to choose the agencies, the search keeps only agencies in some smallest set
    # and branches on services: force that path on instances small enough to check.
    saved = cover.AGENCY_SETS
    cover.AGENCY_SETS = 0
    try:
        result = solve_detailed(cands)
    finally:
        cover.AGENCY_SETS = saved
    assert result.exact
    assert _union(result.chosen) == _union(cands)
    weights = Weights.for_size(_union(cands).bit_count())
    assert cost(result.chosen, weights) == _brute_force(cands)


@settings(max_examples=50, deadline=None)
@given(structured_instances(), st.randoms(use_true_random=False))
def test_structured_order_does_not_matter(cands: list[Candidate], rnd: random.Random) -> None:
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    assert solve(shuffled) == solve(cands)


def _clustered(seed: int, n_needs: int = 24) -> list[Candidate]:
    """A benchmark-shaped instance: five candidates per need from agencies working in one field
    (a few generalists), most at one of their agency's two places."""
    rng = random.Random(seed)
    fields = [list(range(k, min(k + 4, n_needs))) for k in range(0, n_needs, 4)]
    field_of = {n: f for f, members in enumerate(fields) for n in members}
    per_need = dict.fromkeys(range(n_needs), 0)
    out: list[Candidate] = []
    while min(per_need.values()) < 5:
        need = min(per_need, key=lambda n: (per_need[n], rng.random()))
        generalist = rng.random() < 0.1
        pool = [n for n in per_need if n != need and (generalist or field_of[n] == field_of[need])]
        covered = [need, *rng.sample(pool, min(rng.choice([0, 0, 0, 1, 1, 2]), len(pool)))]
        for n in covered:
            per_need[n] += 1
        org = f"gen-{rng.randrange(3)}" if generalist else f"f{field_of[need]}-{rng.randrange(3)}"
        i = len(out)
        site = f"{org}-{rng.randrange(2)}" if rng.random() < 0.7 else f"phone{i}"
        out.append(Candidate(f"svc{i:03d}", org, site, sum(1 << n for n in covered), rng.randrange(600)))
    return out


def test_realistic_instances_are_proved_optimal_and_stable() -> None:
    for seed in range(12):
        cands = _clustered(seed)
        result = solve_detailed(cands)
        assert result.exact
        assert _union(result.chosen) == _union(cands)
        shuffled = list(cands)
        random.Random(seed).shuffle(shuffled)
        assert solve(shuffled) == result.chosen


def test_a_dominated_service_is_never_needed() -> None:
    # Same agency and place, fewer needs, higher penalty: "narrow" can never help.
    cands = [
        Candidate("wide", "A", "x", 0b11, 100),
        Candidate("narrow", "A", "x", 0b01, 200),
        Candidate("other", "B", "y", 0b10, 0),
    ]
    assert [c.key for c in solve(cands)] == ["wide"]


def test_independent_groups_are_solved_separately_and_added() -> None:
    left = [Candidate("a1", "A", "a", 0b0011, 10), Candidate("a2", "A", "a", 0b0001, 0)]
    right = [Candidate("b1", "B", "b", 0b1100, 50), Candidate("c1", "C", "c", 0b0100, 0)]
    chosen = solve(left + right)
    assert [c.key for c in chosen] == ["a1", "b1"]


def test_out_of_budget_still_covers_everything_and_says_so() -> None:
    cands = _clustered(3)
    result = solve_detailed(cands, node_budget=1)
    assert not result.exact
    assert _union(result.chosen) == _union(cands)
