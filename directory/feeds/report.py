"""What an import did or would do: problems by row, counts, conflicts with curators, unmapped terms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from directory.oruk.records import MAX_LISTED_PROBLEMS, Problems, TermRef

OUTCOMES = ("created", "updated", "unchanged", "retired")


@dataclass(frozen=True)
class Conflict:
    """A field a curator corrected by hand that the feed says differently."""

    service_key: str
    service_name: str
    field: str
    ours: str
    feed: str
    overwritten: bool = False


@dataclass
class ImportReport:
    """The outcome of one import (or dry run)."""

    source: str
    kind: str = ""
    dry_run: bool = False
    problems: Problems = field(default_factory=Problems)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    unmapped: Counter[TermRef] = field(default_factory=Counter)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return self.problems.errors == 0

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += n

    def summary(self, kind: str = "services") -> str:
        counts = self.counts.get(kind, Counter())
        return f"{kind}: " + ", ".join(f"{counts[o]} {o}" for o in OUTCOMES)

    def lines(self) -> Iterator[str]:
        """The report as plain lines (problems first, then conflicts, unmapped terms and the summary)."""
        for problem in self.problems.listed:
            yield problem.line()
        if self.problems.unlisted:
            yield f"... and {self.problems.unlisted} more problem(s) not listed (only the first {MAX_LISTED_PROBLEMS} of each kind are)"
        for conflict in self.conflicts:
            verb = (
                "overwritten by the feed"
                if conflict.overwritten
                else "kept (use --overwrite to take the feed's)"
            )
            yield (
                f"conflict: service {conflict.service_key} ({conflict.service_name}): {conflict.field}: "
                f"curator's {conflict.ours!r}, feed's {conflict.feed!r}: {verb}"
            )
        for ref, services in sorted(
            self.unmapped.items(), key=lambda item: (-item[1], item[0].taxonomy, item[0].term)
        ):
            label = f" ({ref.name})" if ref.name and ref.name != ref.term else ""
            yield f"unmapped term: {ref.taxonomy} {ref.term}{label}: used by {services} service(s)"
        yield (
            f"{self.problems.errors} error(s), {self.problems.warnings} warning(s), "
            f"{len(self.conflicts)} conflict(s), {len(self.unmapped)} unmapped term(s)"
        )
        if self.applied or self.dry_run:
            for kind in ("organisations", "locations", "services"):
                if kind in self.counts:
                    yield self.summary(kind)
        if not self.ok:
            yield "Nothing was imported: fix the errors above and run the import again."
        elif self.dry_run:
            yield "Dry run: nothing was saved."
