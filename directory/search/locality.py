"""What serves the place searched from, and how near it is, for best-match ranking near a postcode.

Services that serve the place come first: places in its council or within ``NEARBY_KM`` that take
people from there, and phone or online services whose area names it or that are national. Among
them, and among the rest below them, a text score is weighed by nearness: a place by its distance,
a phone line serving the place's council a little above a national one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from directory.geography import Place
from directory.search.columns import Columns

NEARBY_KM = 15.0  # a place this near serves the postcode even across a council boundary
HALF_WEIGHT_KM = 10.0  # a place this far away weighs half as much as one next door
LOCAL_LINE, NATIONAL_LINE, ELSEWHERE = 0.9, 0.6, 0.05
TEXT_SHARE = 0.3  # how much of a text score stands whatever the distance


@dataclass(frozen=True)
class Locality:
    """Per document: whether it serves the place, and its nearness (0-1)."""

    serves: np.ndarray
    nearness: np.ndarray

    def weigh(self, docs: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """Text scores (0-100) of ``docs`` scaled by nearness: a match next door outranks an equally
        good one far away."""
        blended: np.ndarray = scores * (TEXT_SHARE + (1.0 - TEXT_SHARE) * self.nearness[docs])
        return blended


def locality(columns: Columns, origin: Place, distances: np.ndarray) -> Locality:
    """Every document's locality to ``origin`` (``distances``: km, inf where not measured)."""
    names_place = columns.serves(origin)
    measured = np.isfinite(distances)
    near = 1.0 / (1.0 + np.where(measured, distances, 0.0) / HALF_WEIGHT_KM)
    remote = np.where(names_place, np.where(columns.service_area < 0, NATIONAL_LINE, LOCAL_LINE), ELSEWHERE)
    takes = columns.takes_from(origin)
    reachable = columns.located_in(origin.local_authority) | (measured & (distances <= NEARBY_KM))
    serves = takes & ((columns.located & reachable) | (~columns.located & names_place))
    nearness: np.ndarray = np.where(measured, near, remote) * np.where(takes, 1.0, 0.5)
    return Locality(serves=serves, nearness=nearness)
