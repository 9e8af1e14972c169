"""The nesting gauge: exact on any JSON cut into chunks anywhere, and cheap on hostile input."""

from __future__ import annotations

import json
import tracemalloc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.json_depth import DepthGauge, TooDeep

TRICKY = st.sampled_from(['"', "\\", '\\"', "[", "]", "{", "}", '\\\\"[', "é", "\u2028"])
TEXT = st.lists(st.one_of(TRICKY, st.text(max_size=3)), max_size=4).map("".join)
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), TEXT),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(TEXT, children, max_size=3)),
    max_leaves=30,
)


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


@settings(max_examples=300, derandomize=True, deadline=None)
@given(VALUES, st.integers(0, 8), st.lists(st.integers(1, 9), min_size=1), st.booleans())
def test_the_gauge_measures_exactly_however_the_text_is_cut(
    value: Any, limit: int, cuts: list[int], ascii_only: bool
) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only).encode()
    gauge = DepthGauge(limit)
    position, turn = 0, 0
    try:
        while position < len(text):
            size = cuts[turn % len(cuts)]
            gauge.feed(text[position : position + size])
            position, turn = position + size, turn + 1
    except TooDeep:
        assert depth(value) > limit
    else:
        assert depth(value) <= limit


@pytest.mark.parametrize(
    "text",
    [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 5_000 + b"1" + b"}" * 5_000],
    ids=["arrays", "objects"],
)
def test_hostile_nesting_is_refused_in_little_memory(text: bytes) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(TooDeep, match="more than 64 levels"):
            DepthGauge().feed(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000  # bytes: the split pieces of one chunk, never a structure per level
