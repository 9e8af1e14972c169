"""Counting attempts per app with the ``limits`` library: failed sign-ins, reset e-mails, link tries.

Each app has its own ``Throttle`` in ``app.extensions["throttle"]``; where it counts is
``RATELIMIT_STORAGE_URI``: ``database`` (the default: the app's own database, so every worker
counts together), ``redis://host:6379/0`` (the same, in Redis) or ``memory://`` (one process only).
Keys are digests, so no e-mail or IP address is stored.
"""

from __future__ import annotations

import hashlib
from functools import cache

from flask import Flask, current_app
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from directory.auth.throttle_storage import DatabaseStorage
from directory.config import ConfigError

DATABASE = "database"


@cache
def _items(limit: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(limit))


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:40]


class Throttle:
    """One app's counts, in fixed windows (``5 per 15 minutes``: five in the fifteen minutes from the
    first). A limit may list several windows (``5 per 15 minutes; 20 per day``)."""

    def __init__(self, storage: Storage, prefix: str = "") -> None:
        self.storage = storage
        self.prefix = prefix
        self.strategy = FixedWindowRateLimiter(storage)

    def key(self, kind: str, value: str) -> str:
        """The counter for ``value`` (an e-mail address, an IP address) under ``kind``."""
        return f"{self.prefix}{kind}:{_digest(value)}"

    def hit(self, limit: str, key: str, cost: int = 1) -> bool:
        """Count ``cost`` attempts; True while every window of ``limit`` still holds them."""
        results = [self.strategy.hit(item, key, cost=cost) for item in _items(limit)]
        return all(results)

    def exhausted(self, limit: str, key: str) -> bool:
        """True when ``limit`` allows no further attempt now."""
        return not all(self.strategy.test(item, key) for item in _items(limit))

    def allowance(self, limit: str) -> int:
        """How many attempts ``limit``'s smallest window allows."""
        return min(item.amount for item in _items(limit))


def init_app(app: Flask) -> None:
    """Give ``app`` its own throttle, counting where RATELIMIT_STORAGE_URI says."""
    uri = str(app.config["RATELIMIT_STORAGE_URI"])
    storage = DatabaseStorage(app.extensions["db_engine"]) if uri == DATABASE else storage_from_string(uri)
    if not isinstance(storage, Storage):  # an ``async+`` scheme: Flask runs views synchronously
        raise ConfigError(f"RATELIMIT_STORAGE_URI cannot be an async storage: {uri!r}.")
    app.extensions["throttle"] = Throttle(storage, str(app.config.get("RATELIMIT_KEY_PREFIX", "")))


def current() -> Throttle:
    """The current app's throttle."""
    found: Throttle = current_app.extensions["throttle"]
    return found
