"""Settings from environment variables, checked once at start-up.

Every setting is documented in the README. A bad setting stops the app with one clear line
(``ConfigError`` is a ``SystemExit``, so the command line prints the message, not a traceback).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class ConfigError(SystemExit):
    """A setting that stops the app from starting; the message says which and why."""

    def __init__(self, message: str) -> None:
        super().__init__(f"Diversion Directory cannot start: {message}")


TRUE_WORDS = {"1", "true", "yes", "on"}


def env_flag(name: str, default: bool) -> bool:
    """An on/off environment variable."""
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in TRUE_WORDS


def env_int(name: str, default: int, smallest: int = 1) -> int:
    """A whole-number environment variable (empty means the default); anything else stops the app."""
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


def ensure_instance_folder(path: str) -> None:
    """Create the instance folder and prove it is writable."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        raise ConfigError(f"the instance folder {folder} is not writable ({error.strerror}).") from None


def secret_key(instance_path: str, production: bool) -> str:
    """SECRET_KEY from the environment; for local use, generated once and kept in the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError("SECRET_KEY must be set when DIRECTORY_ENV=production.")
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def database_url(instance_path: str) -> str:
    """DATABASE_URL, or a SQLite file in the instance folder; rejects malformed URLs."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'directory.sqlite3'}"
    if url.startswith("postgres://"):  # Heroku-style URLs name the dialect "postgres"
        url = "postgresql://" + url[len("postgres://") :]
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL is malformed: {url!r}.") from None
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    elif parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigError(f"DATABASE_URL must be SQLite or PostgreSQL, not {parsed.get_backend_name()!r}.")
    return url


def proxy_count() -> int:
    """PROXY_FIX_X_FOR: how many reverse proxies in front add X-Forwarded-For (0: trust none)."""
    raw = os.environ.get("PROXY_FIX_X_FOR", "").strip() or "0"
    if not raw.isdigit():
        raise ConfigError(f"PROXY_FIX_X_FOR must be a whole number of proxies (0 for none), not {raw!r}.")
    return int(raw)


def load(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The app's configuration: environment, then ``overrides`` (tests pass these)."""
    overrides = overrides or {}
    production = (
        overrides.get("DIRECTORY_ENV") or os.environ.get("DIRECTORY_ENV", "development")
    ) == "production"
    ensure_instance_folder(instance_path)
    config: dict[str, Any] = {
        "DIRECTORY_ENV": "production" if production else "development",
        "DATABASE_URL": overrides.get("DATABASE_URL") or database_url(instance_path),
        "SECRET_KEY": overrides.get("SECRET_KEY") or secret_key(instance_path, production),
        "SESSION_COOKIE_SECURE": env_flag("SESSION_COOKIE_SECURE", production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)),
        "IMPORT_MAX_BYTES": int(os.environ.get("IMPORT_MAX_BYTES", 1024 * 1024 * 1024)),
        "WTF_CSRF_TIME_LIMIT": None,
        "TILE_URL": os.environ.get("TILE_URL", ""),
        # How the person reaches the team again, printed on their plan: "Lewisham Liaison and
        # Diversion, 020 8000 0000, lewisham.ld@nhs.example".
        "TEAM_CONTACT": os.environ.get("TEAM_CONTACT", ""),
        "TILE_ATTRIBUTION": os.environ.get("TILE_ATTRIBUTION", ""),
        "FULL_POSTCODES_FILE": os.environ.get("FULL_POSTCODES_FILE", ""),
        "PROXY_FIX_X_FOR": proxy_count(),
    }
    config.update(overrides)
    return config
