"""Case settings, from environment variables (documented in the README's "Cases" section).

They are applied as defaults, so values passed to ``create_app(config)`` win.
"""

from __future__ import annotations

import os
from typing import Any

from directory.config import ConfigError, env_flag


def _whole_number(name: str, default: int, smallest: int = 1) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < smallest:
        raise ConfigError(f"{name} must be at least {smallest}.")
    return value


def apply(config: dict[str, Any]) -> None:
    """Fill in every case setting not already set."""
    config.setdefault("CASE_PERSON_DETAILS", env_flag("CASE_PERSON_DETAILS", False))
    config.setdefault("CASE_RETENTION_MONTHS", _whole_number("CASE_RETENTION_MONTHS", 12))
    config.setdefault("CASE_ADMIN_ACCESS_MINUTES", _whole_number("CASE_ADMIN_ACCESS_MINUTES", 60))
    if int(config["CASE_RETENTION_MONTHS"]) < 1:
        raise ConfigError("CASE_RETENTION_MONTHS must be at least 1.")
