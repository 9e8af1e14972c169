"""Browser tests: Playwright drives Debian's Chromium against the app served on 127.0.0.1.

They skip with a clear reason when no Chromium is found (set ``CHROMIUM_PATH`` to point at one);
``.ci/run`` installs Debian's ``chromium`` so CI always runs them.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import make_app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    """Debian's Chromium, or CHROMIUM_PATH."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


class LiveServer:
    """The app served by Werkzeug in a background thread."""

    def __init__(self, app: Flask) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Chromium shared by the session's browser tests."""
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "No Chromium found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page (its own cookies)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def live_seeded(seeded_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """The demo directory served over HTTP (read-only)."""
    app = make_app(seeded_url, tmp_path / "instance")
    with LiveServer(app) as server:
        yield server
    app.extensions["db_engine"].dispose()


@pytest.fixture
def live_app(app: Flask) -> Iterator[LiveServer]:
    """The empty-database app served over HTTP (tests may write)."""
    with LiveServer(app) as server:
        yield server
