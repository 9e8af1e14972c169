"""The matcher's view of services, kept between requests until the directory changes.

Loading a few hundred services with their hours, phones and places costs far more
than matching them, so each worker keeps the ``ServiceOption``s it has built, bounded in size, and
drops them all whenever the search index is rebuilt (any change to the directory rebuilds it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from matcher.model import ServiceOption

MAX_ENTRIES = 20_000


class OptionsCache:
    """Service id -> ServiceOption for one version of the directory (one search index object)."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._version: object | None = None
        self._options: OrderedDict[str, ServiceOption] = OrderedDict()

    def get(
        self, version: object, ids: Sequence[str], load: Callable[[list[str]], list[ServiceOption]]
    ) -> list[ServiceOption]:
        """The options for ``ids`` (in id order), building the missing ones with ``load``."""
        with self._lock:
            if self._version is not version:
                self._version, self._options = version, OrderedDict()
            found = {i: self._options[i] for i in ids if i in self._options}
            for i in found:
                self._options.move_to_end(i)
        missing = [i for i in ids if i not in found]
        if missing:
            built = load(missing)
            with self._lock:
                for option in built:
                    found[option.id] = option
                    if self._version is version:
                        self._options[option.id] = option
                while len(self._options) > self.max_entries:
                    self._options.popitem(last=False)
        return [found[i] for i in sorted(found)]

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._version, self._options = None, OrderedDict()


OPTIONS = OptionsCache()
