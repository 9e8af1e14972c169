"""Small checks on text values that HSDS gives a format (email, uri, uuid)."""

from __future__ import annotations

import re
import uuid

_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
# RFC 3986 characters, with an http(s) scheme and a host.
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_email(value: str | None) -> bool:
    """A plain email address (what HSDS's ``format: email`` accepts)."""
    return bool(value) and len(value or "") <= 254 and bool(_EMAIL.fullmatch(value or ""))


def is_url(value: str | None) -> bool:
    """An absolute http(s) URL with no characters a URI may not hold."""
    return bool(value) and bool(_URL.fullmatch(value or ""))


def is_uuid(value: object) -> bool:
    """A UUID in its usual 8-4-4-4-12 hex form."""
    return isinstance(value, str) and bool(_UUID.fullmatch(value))


def normal_uuid(value: str) -> str:
    """The canonical lower-case form of a UUID string (``value`` must pass ``is_uuid``)."""
    return value.lower()


class IdMaker:
    """Fresh UUIDs (version 4 layout) quickly: a random 80-bit prefix per maker and a counter."""

    def __init__(self) -> None:
        self.prefix = uuid.uuid4().hex
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        p = self.prefix
        return f"{p[:8]}-{p[8:12]}-4{p[13:16]}-a{p[17:20]}-{self.count:012x}"
