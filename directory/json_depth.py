"""How deep JSON text nests, checked chunk by chunk before any parser builds it.

A few hundred kilobytes of ``[[[[…`` cost a recursive parser its stack and a streaming one
(``ijson`` keeps a prefix per level) memory quadratic in the depth: 200 KB took a worker to 23 GB.
``DepthGauge`` follows the text with bytes operations (C speed, no per-token Python: escapes are
dropped, then quotes split strings from structure), so checking a feed costs less than parsing it, and
it raises ``TooDeep`` at the first level past the limit.
"""

from __future__ import annotations

import re
from typing import IO

MAX_DEPTH = 64  # an HSDS service nests about a dozen levels; anything far deeper is an attack or a bug

_ESCAPE = re.compile(rb"\\.", re.DOTALL)  # a backslash and the character it escapes
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPEN = frozenset(b"[{")


class TooDeep(ValueError):  # noqa: N818 (reads as the condition it is)
    """The text nests arrays and objects deeper than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"arrays and objects nest more than {limit} levels deep")
        self.limit = limit


class DepthGauge:
    """Feed it JSON text in chunks of any size; ``TooDeep`` once it nests past ``limit``.

    Only depth is checked: malformed text is left for the parser to report.
    """

    def __init__(self, limit: int = MAX_DEPTH) -> None:
        self.limit = limit
        self.depth = 0
        self.in_string = False
        self.carry = b""  # a backslash cut off from the character it escapes

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        self.carry = b""
        backslashes = len(data) - len(data.rstrip(b"\\"))
        if backslashes % 2:  # the last backslash escapes a character in the next chunk
            data, self.carry = data[:-1], b"\\"
        if b"\\" in data:  # escapes (only valid inside strings) can hide a quote: drop them
            data = _ESCAPE.sub(b"", data)
        pieces = data.split(b'"')  # quotes now only open and close strings
        outside = pieces[1::2] if self.in_string else pieces[::2]
        if len(pieces) % 2 == 0:
            self.in_string = not self.in_string
        self._count(b"".join(outside).translate(None, _NOT_BRACKETS))

    def _count(self, brackets: bytes) -> None:
        depth, limit = self.depth, self.limit
        for byte in brackets:
            if byte in _OPEN:
                depth += 1
                if depth > limit:
                    raise TooDeep(limit)
            else:
                depth -= 1
        self.depth = depth


class GaugedReader:
    """A binary file whose every ``read`` passes through a ``DepthGauge`` (for streaming parsers)."""

    def __init__(self, handle: IO[bytes], limit: int = MAX_DEPTH) -> None:
        self.handle = handle
        self.gauge = DepthGauge(limit)

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.gauge.feed(chunk)
        return chunk
