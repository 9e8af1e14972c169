"""Account and security settings, from environment variables (documented in the README).

They are applied as defaults, so values passed to ``create_app(config)`` win.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from limits import parse_many

from directory.config import ConfigError, env_flag, env_int

SMALLEST_PASSWORD_LENGTH = 8
STORAGE_SCHEMES = {"memory", "redis", "rediss", "redis+unix"}


def from_environment() -> dict[str, Any]:
    """The account settings as the environment gives them."""
    idle = env_int("SESSION_IDLE_MINUTES", 30)
    return {
        "SESSION_IDLE_MINUTES": idle,
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=idle),
        "PASSWORD_MIN_LENGTH": env_int("PASSWORD_MIN_LENGTH", 12, smallest=SMALLEST_PASSWORD_LENGTH),
        "INVITATION_VALID_DAYS": env_int("INVITATION_VALID_DAYS", 7),
        "RESET_VALID_HOURS": env_int("RESET_VALID_HOURS", 24),
        "LOGIN_LIMIT_PER_IP": os.environ.get("LOGIN_LIMIT_PER_IP", "20 per 15 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "database"),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", ""),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": env_int("MAIL_PORT", 587),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": env_flag("MAIL_USE_TLS", True),
        "MAIL_USE_SSL": env_flag("MAIL_USE_SSL", False),
        "MAIL_FROM": os.environ.get("MAIL_FROM", ""),
        "MAIL_TIMEOUT": env_int("MAIL_TIMEOUT", 10),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "").rstrip("/"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
    }


def apply(config: dict[str, Any]) -> None:
    """Fill in every account setting not already set."""
    for key, value in from_environment().items():
        config.setdefault(key, value)
    config.setdefault("REMEMBER_COOKIE_SECURE", config.get("SESSION_COOKIE_SECURE", False))
    if "SESSION_IDLE_MINUTES" in config:
        config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=int(config["SESSION_IDLE_MINUTES"]))
    if int(config["PASSWORD_MIN_LENGTH"]) < SMALLEST_PASSWORD_LENGTH:
        raise ConfigError(f"PASSWORD_MIN_LENGTH must be at least {SMALLEST_PASSWORD_LENGTH}.")
    storage = str(config["RATELIMIT_STORAGE_URI"])
    if storage != "database" and storage.partition("://")[0] not in STORAGE_SCHEMES:
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI must be 'database', 'redis://host:6379/0' or 'memory://', not {storage!r}."
        )
    for name in ("LOGIN_LIMIT_PER_IP", "LOGIN_LIMIT_PER_ACCOUNT"):
        try:
            parse_many(str(config[name]))
        except ValueError:
            raise ConfigError(
                f"{name} must be a rate limit like '5 per 15 minutes', not {config[name]!r}."
            ) from None
