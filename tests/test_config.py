"""Bad configuration stops the app with one clear line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from directory import create_app
from directory.config import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def run_flask(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `flask --app directory check` with ``env`` and an instance folder in tmp_path."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "directory", "check"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL is malformed"),
        ({"DATABASE_URL": "mysql://root@127.0.0.1/x"}, "must be SQLite or PostgreSQL"),
        ({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing"}, "cannot reach the database"),
        ({"DIRECTORY_ENV": "production", "DATABASE_URL": "sqlite://"}, "SECRET_KEY must be set"),
    ],
)
def test_bad_settings_stop_the_command_with_one_line(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    result = run_flask(tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr


def test_unwritable_instance_folder_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match=r"instance folder .* is not writable"):
        create_app({"INSTANCE_PATH": str(blocker / "instance"), "DATABASE_URL": "sqlite://"})


def test_secret_key_is_generated_once_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://"}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://"}).config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_sets_secure_cookies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://", "DIRECTORY_ENV": "production"}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
