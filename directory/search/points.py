"""Services' locations as points on the sphere, for distances to 100,000 services in a millisecond.

Each location is kept as a unit vector, so the great-circle distance from a point is
``2 R asin(chord / 2)``: a few multiplications and one ``asin`` per location instead of the three
float64 sines and cosines of the haversine formula (which cost about 1 ms each over 100,000 values,
several times a request). It is the same distance, not an approximation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

EARTH_RADIUS_KM = 6371.009  # geopy's great_circle radius, so distances agree with directory.geography


def _unit_vectors(latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(latitudes), np.radians(longitudes)
    return np.stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


class LocationPoints:
    """Every located service's places (a service may have several), by document number."""

    def __init__(
        self, docs: Sequence[int], latitudes: Sequence[float], longitudes: Sequence[float], size: int
    ) -> None:
        """``docs[i]`` is located at (``latitudes[i]``, ``longitudes[i]``) in degrees; ``size`` documents."""
        self.size = size
        doc = np.asarray(docs, dtype=np.int64)
        order = np.argsort(doc, kind="stable")
        self.doc = doc[order]
        self.xyz = _unit_vectors(
            np.asarray(latitudes, dtype=np.float64)[order], np.asarray(longitudes, dtype=np.float64)[order]
        )
        # Most services have one place: their distance is a plain scatter; only the rest need a minimum.
        first = np.ones(len(self.doc), dtype=bool)
        first[1:] = self.doc[1:] != self.doc[:-1]
        self._first = np.flatnonzero(first)
        self._more = np.flatnonzero(~first)

    def distances_km(self, latitude: float, longitude: float) -> np.ndarray:
        """Kilometres from a point (degrees) to each document's nearest location (inf for none)."""
        best = np.full(self.size, np.inf)
        if not len(self.doc):
            return best
        lat, lon = math.radians(latitude), math.radians(longitude)
        x, y, z = self.xyz
        dx = x - math.cos(lat) * math.cos(lon)
        dy = y - math.cos(lat) * math.sin(lon)
        dz = z - math.sin(lat)
        chord = np.sqrt(dx * dx + dy * dy + dz * dz)
        km = (2 * EARTH_RADIUS_KM) * np.arcsin(np.minimum(chord / 2, 1.0))
        best[self.doc[self._first]] = km[self._first]
        if len(self._more):
            np.minimum.at(best, self.doc[self._more], km[self._more])
        return best
