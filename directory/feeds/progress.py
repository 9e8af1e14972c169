"""Progress reporting for long imports: a bar on a terminal, nothing (or lines) elsewhere."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Told when a stage starts (with its size, if known), as it advances, and when it ends."""

    def start(self, label: str, total: int | None) -> None: ...

    def advance(self, amount: int) -> None: ...

    def finish(self) -> None: ...


class NoProgress:
    """Says nothing."""

    def start(self, label: str, total: int | None) -> None:
        return None

    def advance(self, amount: int) -> None:
        return None

    def finish(self) -> None:
        return None
