"""Case settings, from environment variables (documented in the README's "Cases" section).

They are applied as defaults, so values passed to ``create_app(config)`` win.
"""

from __future__ import annotations

from typing import Any

from directory.config import ConfigError, env_flag, env_int


def apply(config: dict[str, Any]) -> None:
    """Fill in every case setting not already set."""
    config.setdefault("CASE_PERSON_DETAILS", env_flag("CASE_PERSON_DETAILS", False))
    config.setdefault("CASE_RETENTION_MONTHS", env_int("CASE_RETENTION_MONTHS", 12))
    config.setdefault("CASE_ADMIN_ACCESS_MINUTES", env_int("CASE_ADMIN_ACCESS_MINUTES", 60))
    if int(config["CASE_RETENTION_MONTHS"]) < 1:
        raise ConfigError("CASE_RETENTION_MONTHS must be at least 1.")
