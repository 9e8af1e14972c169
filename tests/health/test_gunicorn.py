"""The shipped ``gunicorn.conf.py`` serves the demo directory: workers ready before traffic, a graceful
reload on HUP, and an access log that carries the path but never the query string."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_S = 25  # the whole test stays well under 30 s
SEARCH = "/search?q=food&postcode=SE13+6LJ"


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Gunicorn:
    """gunicorn with the shipped config on a free loopback port; its output in ``log``."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.port = _free_port()
        self.log = log
        env = {
            k: v for k, v in os.environ.items() if k not in {"FLASK_APP", "DIRECTORY_ENV", "WEB_CONCURRENCY"}
        }
        env.update(DATABASE_URL=database_url, SECRET_KEY=secrets.token_hex(16))
        command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "2", "directory:create_app()"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, until: float) -> None:
        while time.monotonic() < until:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                if _get(self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.2)
        pytest.fail(f"gunicorn was not ready in time:\n{self.log.read_text()[-3000:]}")

    def booted(self) -> int:
        return self.log.read_text().count("Booting worker")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


@pytest.fixture
def server(seeded_url: str, tmp_path: Path) -> Iterator[Gunicorn]:
    running = Gunicorn(seeded_url, tmp_path / "gunicorn.log")
    yield running
    running.stop()


def test_serves_the_demo_directory_and_logs_no_query_string(server: Gunicorn) -> None:
    until = time.monotonic() + DEADLINE_S
    server.wait_ready(until)
    # Both workers answer ready at once: each was forked holding the index.
    assert "search index built; forking workers" in server.log.read_text()

    status, body = _get(server.port, SEARCH)
    assert status == 200
    assert b"<h1" in body

    server.process.send_signal(signal.SIGHUP)  # graceful reload: two new workers replace the two
    while server.booted() < 4 and time.monotonic() < until:
        time.sleep(0.1)
    assert server.booted() >= 4, server.log.read_text()[-3000:]
    server.wait_ready(until)
    assert _get(server.port, SEARCH)[0] == 200

    server.stop()
    lines = [line for line in server.log.read_text().splitlines() if '"GET /search' in line]
    assert len(lines) == 2, server.log.read_text()[-3000:]
    for line in lines:
        assert '"GET /search" 200 ' in line
        assert "?" not in line
        assert "SE13" not in line
        assert "food" not in line
