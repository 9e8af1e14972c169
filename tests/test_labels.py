"""Every code a page can show has words in directory/labels.py."""

from __future__ import annotations

from enum import StrEnum

import pytest

from directory import labels
from matcher import vocabulary as v

LABELLED: list[tuple[type[StrEnum], dict[str, str]]] = [
    (v.NeedGroup, labels.NEED_GROUP_LABELS),
    (v.Route, labels.ROUTE_LABELS),
    (v.Delivery, labels.DELIVERY_LABELS),
    (v.Gender, labels.GENDER_LABELS),
    (v.CatchmentType, labels.CATCHMENT_LABELS),
    (v.CapacityStatus, labels.CAPACITY_LABELS),
    (v.Cohort, labels.COHORT_LABELS),
    (v.Cohort, labels.COHORT_PHRASES),
    (v.Exclusion, labels.EXCLUSION_LABELS),
    (v.Exclusion, labels.EXCLUSION_PHRASES),
]


@pytest.mark.parametrize(("vocabulary", "words"), LABELLED, ids=lambda x: getattr(x, "__name__", ""))
def test_every_code_has_exactly_one_label(vocabulary: type[StrEnum], words: dict[str, str]) -> None:
    assert set(words) == set(vocabulary)
    assert all(text and text.strip() == text for text in words.values())


def test_a_plain_stored_code_finds_its_label() -> None:
    assert labels.ROUTE_LABELS["drop_in"] == "Drop in"
    assert labels.NEED_GROUP_LABELS["risk"] == "Risk and safety"
