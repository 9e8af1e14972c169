"""Query and path parameters of the read API, checked strictly: anything malformed is a 400 naming it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from werkzeug.datastructures import MultiDict

from directory import geography
from directory.oruk.text import is_uuid, normal_uuid

MAX_PAGE = 1_000_000
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_PROXIMITY = 1_000_000  # metres
MAX_AGE = 150
MAX_SEARCH = 200

_INT = re.compile(r"^[+-]?[0-9]{1,20}$")
_NUMBER = re.compile(r"^[+-]?([0-9]{1,20}(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$")
_DATETIME = re.compile(
    r"^(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ](?P<h>[0-9]{2}):(?P<m>[0-9]{2}):(?P<s>[0-9]{2})(?P<frac>\.[0-9]+)?"
    r"(?P<tz>[Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
MAX_DATETIME_LENGTH = 35  # the OpenAPI document's maxLength: nanoseconds and an offset
TERM_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
POSTCODE = re.compile(r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?([0-9][A-Za-z]{2})?$")


class ApiError(Exception):
    """A request the API refuses: ``status``, ``message`` and the parameter at fault (if any)."""

    def __init__(self, status: int, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter


def bad(parameter: str, problem: str) -> ApiError:
    return ApiError(400, f"{parameter}: {problem}", parameter)


def _one(args: MultiDict[str, str], name: str) -> str | None:
    values = args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise bad(name, "give it once")
    return values[0]


def integer(
    args: MultiDict[str, str], name: str, minimum: int, maximum: int, default: int | None = None
) -> int | None:
    """A whole number from ``minimum`` to ``maximum``."""
    text = _one(args, name)
    if text is None:
        return default
    if not _INT.fullmatch(text):
        raise bad(name, f"must be a whole number, not {text[:40]!r}")
    value = int(text)
    if not minimum <= value <= maximum:
        raise bad(
            name, f"must be from {minimum} to {maximum}, not {value if len(text) < 25 else text[:25] + '...'}"
        )
    return value


def number(args: MultiDict[str, str], name: str, minimum: float, maximum: float) -> float | None:
    text = _one(args, name)
    if text is None:
        return None
    if not _NUMBER.fullmatch(text):
        raise bad(name, f"must be a number, not {text[:40]!r}")
    value = float(text)
    if not minimum <= value <= maximum:
        raise bad(name, f"must be from {minimum:g} to {maximum:g}")
    return value


def boolean(args: MultiDict[str, str], name: str) -> bool | None:
    text = _one(args, name)
    if text is None:
        return None
    if text not in ("true", "false"):
        raise bad(name, f"must be true or false, not {text[:40]!r}")
    return text == "true"


def text(args: MultiDict[str, str], name: str, max_length: int = MAX_SEARCH) -> str | None:
    value = _one(args, name)
    if value is None:
        return None
    if len(value) > max_length:
        raise bad(name, f"must be at most {max_length} characters")
    return value.replace("\x00", "")


def uuid(args: MultiDict[str, str], name: str) -> str | None:
    value = _one(args, name)
    if value is None:
        return None
    if not is_uuid(value):
        raise bad(
            name, f"must be an id (a UUID like 1b4e28ba-2fa1-11d2-883f-0016d3cca427), not {value[:40]!r}"
        )
    return normal_uuid(value)


def path_id(value: str, name: str = "id") -> str:
    """A path id: a UUID, or 400."""
    if not is_uuid(value):
        raise bad(name, f"must be a UUID like 1b4e28ba-2fa1-11d2-883f-0016d3cca427, not {value[:40]!r}")
    return normal_uuid(value)


def term(args: MultiDict[str, str], name: str) -> str | None:
    """A taxonomy term id (UUID) or a term code (``NO_BED_TONIGHT``)."""
    value = _one(args, name)
    if value is None:
        return None
    if is_uuid(value):
        return normal_uuid(value)
    if TERM_CODE.fullmatch(value):
        return value
    raise bad(name, f"must be a term id (UUID) or a term code like NO_BED_TONIGHT, not {value[:40]!r}")


def date_time(args: MultiDict[str, str], name: str) -> datetime | None:
    """An RFC 3339 date-time, in UTC."""
    value = _one(args, name)
    if value is None:
        return None
    match = _DATETIME.fullmatch(value) if len(value) <= MAX_DATETIME_LENGTH else None
    if not match:
        raise bad(name, f"must be a date-time like 2025-01-31T09:00:00Z, not {value[:40]!r}")
    seconds = min(int(match.group("s")), 59)  # RFC 3339 allows a leap second
    tz = match.group("tz").upper().replace("Z", "+00:00")
    try:
        found = datetime.fromisoformat(
            f"{match.group('date')}T{match.group('h')}:{match.group('m')}:{seconds:02d}{tz}"
        )
    except ValueError:
        raise bad(name, f"{value[:40]!r} is not a real date and time") from None
    try:
        return found.astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if found.year < 2 else datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Near:
    place: geography.Place
    metres: float | None


def near(args: MultiDict[str, str]) -> Near | None:
    """``postcode`` (a full postcode or district we know), with ``proximity`` in metres if given."""
    postcode = _one(args, "postcode")
    metres = number(args, "proximity", 0, MAX_PROXIMITY)
    if postcode is None:
        if metres is not None:
            raise bad("proximity", "needs a postcode to measure from")
        return None
    if not POSTCODE.fullmatch(postcode):
        raise bad(
            "postcode", f"must be a UK postcode like SE13 6LJ or a district like SE13, not {postcode[:40]!r}"
        )
    try:
        place = geography.resolve(postcode)
    except geography.PostcodeError as error:
        raise bad("postcode", str(error)) from None
    return Near(place, metres)


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def paging(args: MultiDict[str, str]) -> Paging:
    page = integer(args, "page", 1, MAX_PAGE, 1) or 1
    per_page = integer(args, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE) or DEFAULT_PER_PAGE
    return Paging(page, per_page)
