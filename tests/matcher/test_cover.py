"""The set cover is exact: it matches brute force on small instances, and ignores input order."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

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
    return min(
        cost(combo, weights)
        for r in range(1, len(cands) + 1)
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
