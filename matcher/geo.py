"""Distances and search radii, dependency-free so the matcher stays pure."""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

from matcher.model import GeoPoint

EARTH_RADIUS_KM = 6371.0088
URBAN_RADIUS_KM = 5.0
RURAL_RADIUS_KM = 30.0

# Authorities where services are far apart, so the default radius is the rural one. The bridge may
# pass ``MatchRequest.rural`` instead; this set is only the fallback.
RURAL_AUTHORITIES = frozenset({"E06000052", "E06000053"})  # Cornwall, Isles of Scilly


def haversine_km(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance between two points in kilometres (good to well under 1% in the UK)."""
    lat1, lat2 = radians(a.lat), radians(b.lat)
    dlat = lat2 - lat1
    dlon = radians(b.lon - a.lon)
    h = sin(dlat / 2) ** 2 + cos(lat1) * cos(lat2) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))


def is_rural_authority(authority: str | None) -> bool:
    """True for authorities in :data:`RURAL_AUTHORITIES`."""
    return authority is not None and authority.upper() in RURAL_AUTHORITIES


def default_radius_km(rural: bool) -> float:
    """How far a person can reasonably travel to an in-person service: 30 km rural, 5 km urban."""
    return RURAL_RADIUS_KM if rural else URBAN_RADIUS_KM
