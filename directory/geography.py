"""UK postcodes offline: parse, normalise, and resolve to a centroid and a local authority.

Postcode districts resolve through the ONS centroids in ``seeds/geography/``. A deployment may add
full-postcode precision with ``FULL_POSTCODES_FILE`` (a CSV of ``Postcode,lat,long``, e.g. from the
ONS Postcode Directory); without it a full postcode resolves to its district's centroid.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geopy.distance import great_circle

from directory.shipped import shipped_folder

GEOGRAPHY_DIR = shipped_folder("seeds") / "geography"

_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_FULL = re.compile(rf"^({_OUTWARD})([0-9][A-Z]{{2}})$")
_DISTRICT = re.compile(rf"^{_OUTWARD}$")


class PostcodeError(ValueError):
    """A postcode that is malformed or that we do not know; the message is fit to show a person."""


@dataclass(frozen=True)
class Postcode:
    """A normalised postcode: ``full`` (``SE13 6LJ``) when given in full, and always its ``district``."""

    district: str
    full: str | None = None

    def __str__(self) -> str:
        return self.full or self.district


@dataclass(frozen=True)
class Place:
    """Where a postcode is: a point and the local authority that holds it."""

    postcode: Postcode
    latitude: float
    longitude: float
    local_authority: str
    precise: bool  # True when resolved to the full postcode, not the district centroid


def parse_postcode(text: str) -> Postcode:
    """Normalise a full postcode or a district (``se136lj`` -> ``SE13 6LJ``); raises PostcodeError."""
    compact = re.sub(r"\s+", "", (text or "")).upper()
    if not compact:
        raise PostcodeError("Enter a postcode, like SE13 6LJ or SE13")
    full = _FULL.match(compact)
    if full:
        return Postcode(district=full.group(1), full=f"{full.group(1)} {full.group(2)}")
    if _DISTRICT.match(compact):
        return Postcode(district=compact)
    raise PostcodeError(
        f"“{text.strip()}” is not a UK postcode. Enter a postcode like SE13 6LJ, or a district like SE13"
    )


@dataclass(frozen=True)
class District:
    latitude: float
    longitude: float
    local_authority: str


@lru_cache(maxsize=1)
def districts() -> dict[str, District]:
    """Every known postcode district (loaded once)."""
    with (GEOGRAPHY_DIR / "postcode_districts.csv").open(newline="") as handle:
        return {
            row["district"]: District(float(row["latitude"]), float(row["longitude"]), row["local_authority"])
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=1)
def local_authorities() -> dict[str, str]:
    """Local authority code -> name."""
    with (GEOGRAPHY_DIR / "local_authorities.csv").open(newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=4)
def full_postcodes(path: str) -> dict[str, tuple[float, float]]:
    """Full postcode -> (lat, lon) from a deployment's ``FULL_POSTCODES_FILE``."""
    found: dict[str, tuple[float, float]] = {}
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            code, lat, lon = row.get("Postcode") or row.get("pcds"), row.get("lat"), row.get("long")
            if code and lat and lon:
                found[" ".join(code.upper().split())] = (float(lat), float(lon))
    return found


def resolve(text: str, full_postcodes_file: str = "") -> Place:
    """Where a postcode is; raises PostcodeError for malformed or unknown postcodes."""
    postcode = parse_postcode(text)
    district = districts().get(postcode.district)
    if district is None:
        raise PostcodeError(f"We do not know the postcode district {postcode.district}. Check the postcode")
    if postcode.full and full_postcodes_file:
        point = full_postcodes(full_postcodes_file).get(postcode.full)
        if point:
            return Place(postcode, point[0], point[1], district.local_authority, precise=True)
    return Place(postcode, district.latitude, district.longitude, district.local_authority, precise=False)


def try_resolve(text: str | None, full_postcodes_file: str = "") -> Place | None:
    """Like ``resolve`` but None for a missing, malformed or unknown postcode."""
    if not text:
        return None
    try:
        return resolve(text, full_postcodes_file)
    except PostcodeError:
        return None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres between two (lat, lon) points."""
    return float(great_circle(a, b).km)


def authority_name(code: str | None) -> str:
    """A local authority's name, or the code itself when unknown."""
    if not code:
        return ""
    return local_authorities().get(code, code)


_COUNCIL_WORDS = re.compile(
    r"^(?:the |london borough of |royal borough of |borough of |county of |city of )?(.*?)"
    r"(?: (?:metropolitan borough|borough|city|county|district))?(?: council)?$"
)
_WITH_CODE = re.compile(r"^.*?\(([^()]*)\)$")
_SEPARATORS = re.compile(r"[,;\n]")


def _name_key(text: str) -> str:
    return " ".join(text.lower().replace("&", "and").split())


@lru_cache(maxsize=1)
def authorities_by_name() -> dict[str, str]:
    """Lower-case council name -> local authority code, with ``Bristol`` and ``City of Bristol``
    for ONS names like ``Bristol, City of``."""
    found: dict[str, str] = {}
    for code, name in local_authorities().items():
        found[_name_key(name)] = code
        place, _comma, kind = name.partition(", ")
        if kind.endswith(" of"):
            found.setdefault(_name_key(place), code)
            found.setdefault(_name_key(f"{kind} {place}"), code)
    return found


def catchment_area(text: str) -> str | None:
    """One typed area as a local authority code or postcode district, None if unknown.

    Takes a code (``E09000023``), a council's name (``Lewisham``, ``London Borough of Lewisham``),
    a postcode district (``se6``), or ``Lewisham (E09000023)`` as the listing shows it.
    """
    with_code = _WITH_CODE.match(text.strip())
    if with_code:
        text = with_code.group(1)
    compact = re.sub(r"\s+", "", text).upper()
    if compact in local_authorities() or compact in districts():
        return compact
    key = _name_key(text)
    by_name = authorities_by_name()
    if key in by_name:
        return by_name[key]
    match = _COUNCIL_WORDS.match(key)
    return by_name.get(match.group(1)) if match else None


def parse_areas(text: str) -> tuple[list[str], list[str]]:
    """Comma- or line-separated areas -> (their codes, sorted and once each; the entries not known)."""
    text = text or ""
    for code, name in local_authorities().items():
        if "," in name:  # "Bristol, City of" is one council, not two entries
            name_pattern = r"\s*,\s*".join(re.escape(part.strip()) for part in name.split(","))
            pattern = rf"(^|[,;\n])\s*{name_pattern}\s*(?=$|[,;\n(])"
            text = re.sub(pattern, rf"\g<1>{code}", text, flags=re.IGNORECASE)
    codes: set[str] = set()
    unknown: list[str] = []
    for entry in (e.strip() for e in _SEPARATORS.split(text)):
        area = catchment_area(entry) if entry else None
        if area:
            codes.add(area)
        elif entry and entry not in unknown:
            unknown.append(entry)
    return sorted(codes), unknown


def area_label(code: str) -> str:
    """``Lewisham (E09000023)`` for a local authority; a postcode district (or unknown code) as it is."""
    name = local_authorities().get(code)
    return f"{name} ({code})" if name else code
