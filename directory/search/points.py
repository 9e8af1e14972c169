"""Services' locations as points on the sphere, for distances to 100,000 services in a millisecond.

Each location is kept as a unit vector, so the great-circle distance from a point is
``2 R asin(chord / 2)``: a few multiplications and one ``asin`` per location instead of the three
float64 sines and cosines of the haversine formula (which cost about 1 ms each over 100,000 values,
several times a request). It is the same distance, not an approximation.

When only places within some distance matter, :meth:`LocationPoints.distances_within` looks only at
locations in the band of latitude that distance allows (a great-circle distance is never less than
the difference in latitude), found by binary search in a latitude-sorted copy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

EARTH_RADIUS_KM = 6371.009  # geopy's great_circle radius, so distances agree with directory.geography


def _unit_vectors(latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(latitudes), np.radians(longitudes)
    return np.stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def _km(xyz: np.ndarray, latitude: float, longitude: float) -> np.ndarray:
    lat, lon = math.radians(latitude), math.radians(longitude)
    x, y, z = xyz
    dx = x - math.cos(lat) * math.cos(lon)
    dy = y - math.cos(lat) * math.sin(lon)
    dz = z - math.sin(lat)
    chord = np.sqrt(dx * dx + dy * dy + dz * dz)
    km: np.ndarray = (2 * EARTH_RADIUS_KM) * np.arcsin(np.minimum(chord / 2, 1.0))
    return km


class LocationPoints:
    """Every located service's places (a service may have several), by document number."""

    def __init__(
        self, docs: Sequence[int], latitudes: Sequence[float], longitudes: Sequence[float], size: int
    ) -> None:
        """``docs[i]`` is located at (``latitudes[i]``, ``longitudes[i]``) in degrees; ``size`` documents."""
        self.size = size
        doc = np.asarray(docs, dtype=np.int64)
        lat = np.asarray(latitudes, dtype=np.float64)
        lon = np.asarray(longitudes, dtype=np.float64)
        by_doc = np.argsort(doc, kind="stable")
        self.doc, self.xyz = doc[by_doc], _unit_vectors(lat[by_doc], lon[by_doc])
        # Most services have one place: their distance is a plain scatter; only the rest need a minimum.
        first = np.ones(len(self.doc), dtype=bool)
        first[1:] = self.doc[1:] != self.doc[:-1]
        self._first = np.flatnonzero(first)
        self._more = np.flatnonzero(~first)
        by_latitude = np.argsort(lat, kind="stable")
        self._latitudes = lat[by_latitude]
        self._band_doc, self._band_xyz = doc[by_latitude], self.xyz[:, np.argsort(by_doc)[by_latitude]]

    def distances_km(self, latitude: float, longitude: float) -> np.ndarray:
        """Kilometres from a point (degrees) to each document's nearest location (inf for none)."""
        best = np.full(self.size, np.inf)
        if not len(self.doc):
            return best
        km = _km(self.xyz, latitude, longitude)
        best[self.doc[self._first]] = km[self._first]
        if len(self._more):
            np.minimum.at(best, self.doc[self._more], km[self._more])
        return best

    def distances_within(self, latitude: float, longitude: float, within_km: float) -> np.ndarray:
        """Like :meth:`distances_km` for every document with a location within ``within_km``; inf
        for the rest (some beyond ``within_km`` may still get their distance)."""
        best = np.full(self.size, np.inf)
        band = math.degrees(within_km / EARTH_RADIUS_KM) + 1e-9
        start, stop = np.searchsorted(self._latitudes, (latitude - band, latitude + band), side="left")
        if stop > start:
            km = _km(self._band_xyz[:, start:stop], latitude, longitude)
            np.minimum.at(best, self._band_doc[start:stop], km)
        return best

    def distances_to(self, latitude: float, longitude: float, docs: np.ndarray) -> np.ndarray:
        """Kilometres from a point to each of ``docs``' nearest location (inf for none)."""
        docs = np.asarray(docs, dtype=np.int64)
        found = np.full(len(docs), np.inf)
        starts = np.searchsorted(self.doc, docs, side="left")
        counts = np.searchsorted(self.doc, docs, side="right") - starts
        located = counts > 0
        if not located.any():
            return found
        starts, counts = starts[located], counts[located]
        offsets = np.cumsum(counts) - counts
        rows = np.repeat(starts - offsets, counts) + np.arange(counts.sum())
        km = _km(self.xyz[:, rows], latitude, longitude)
        found[located] = np.minimum.reduceat(km, offsets)
        return found
