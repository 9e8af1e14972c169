"""Sign-in throttling: per account and per address, counted in each app's own store (the database by
default, so every worker shares it; Redis when configured), and proxies trusted only when told."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import ThrottleCount
from tests.auth import factories as make
from tests.auth.factories import PASSWORD
from tests.conftest import make_app

WRONG = "wrong password number x"
LIMITS = {"LOGIN_LIMIT_PER_ACCOUNT": "2 per 15 minutes", "LOGIN_LIMIT_PER_IP": "3 per 15 minutes"}


def _attempt(app: Flask, email: str, password: str, ip: str = "10.0.0.1", **headers: str) -> int:
    client = app.test_client()
    response = client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
        headers=headers,
    )
    return response.status_code


@pytest.fixture
def limited_app(app: Flask, empty_url: str, tmp_path: Path) -> Iterator[Flask]:
    limited = make_app(empty_url, tmp_path / "limited", **LIMITS)
    yield limited
    limited.extensions["db_engine"].dispose()


@pytest.fixture
def people(db: Session) -> None:
    make.user(db, "editor", "ed@example.org")
    make.user(db, "editor", "other@example.org")
    db.commit()


def _check_account_limit(worker_1: Flask, worker_2: Flask) -> None:
    """Two failures for one account, on two workers from two addresses, lock it on both."""
    assert _attempt(worker_1, "ed@example.org", WRONG, ip="10.0.1.1") == 200
    assert _attempt(worker_2, "ed@example.org", WRONG, ip="10.0.1.2") == 200
    # Locked now, even with the right password, on either worker.
    assert _attempt(worker_1, "ed@example.org", PASSWORD, ip="10.0.2.1") == 429
    assert _attempt(worker_2, "ed@example.org", PASSWORD, ip="10.0.2.2") == 429
    # The same for an account that does not exist (the answer never tells them apart).
    for worker in (worker_1, worker_2):
        _attempt(worker, "ghost@example.org", WRONG, ip="10.0.3.1")
    assert _attempt(worker_1, "ghost@example.org", PASSWORD, ip="10.0.2.3") == 429
    # Other accounts are unaffected.
    assert _attempt(worker_2, "other@example.org", PASSWORD, ip="10.0.2.4") == 302


def test_failed_attempts_lock_the_account_not_others(limited_app: Flask, people: None) -> None:
    _check_account_limit(limited_app, limited_app)


def test_two_workers_share_the_counts_through_the_database_by_default(
    limited_app: Flask, empty_url: str, tmp_path: Path, db: Session, people: None
) -> None:
    other_worker = make_app(empty_url, tmp_path / "other-worker", **LIMITS)
    try:
        assert other_worker.extensions["throttle"] is not limited_app.extensions["throttle"]
        _check_account_limit(limited_app, other_worker)
    finally:
        other_worker.extensions["db_engine"].dispose()
    assert db.scalar(select(func.count()).select_from(ThrottleCount)) >= 2  # the counts are rows
    stored = " ".join(db.scalars(select(ThrottleCount.key)))
    assert "ed@example.org" not in stored  # keys are digests
    assert "10.0.1.1" not in stored


def test_each_app_keeps_its_own_counts_in_memory(
    app: Flask, empty_url: str, tmp_path: Path, people: None
) -> None:
    """memory:// is for one process: two apps on it count apart (no state shared between apps)."""
    settings = {**LIMITS, "RATELIMIT_STORAGE_URI": "memory://"}
    one = make_app(empty_url, tmp_path / "one", **settings)
    two = make_app(empty_url, tmp_path / "two", **settings)
    try:
        for _ in range(2):
            assert _attempt(one, "ed@example.org", WRONG) == 200
        assert _attempt(one, "ed@example.org", PASSWORD) == 429
        assert _attempt(two, "ed@example.org", PASSWORD) == 302
    finally:
        for each in (one, two):
            each.extensions["db_engine"].dispose()


def test_an_address_over_its_limit_still_lets_the_right_password_in(limited_app: Flask, people: None) -> None:
    for n in range(4):  # over the address's limit of 3, each for a different account
        assert _attempt(limited_app, f"guess{n}@example.org", WRONG, ip="10.9.9.9") == 200
    # Someone else in the same office signs in with their own password.
    assert _attempt(limited_app, "ed@example.org", PASSWORD, ip="10.9.9.9") == 302


def test_from_an_address_over_its_limit_one_wrong_password_locks_that_account(
    limited_app: Flask, people: None
) -> None:
    """What slows password spraying: one guess per account per window from that address."""
    for n in range(3):
        _attempt(limited_app, f"guess{n}@example.org", WRONG, ip="10.9.9.9")
    assert _attempt(limited_app, "ed@example.org", WRONG, ip="10.9.9.9") == 200
    assert _attempt(limited_app, "ed@example.org", PASSWORD, ip="10.9.9.9") == 429
    assert _attempt(limited_app, "ed@example.org", PASSWORD, ip="10.1.1.1") == 429  # locked everywhere
    page = limited_app.test_client().post("/login", data={"email": "ed@example.org", "password": PASSWORD})
    assert "Too many attempts" in page.get_data(as_text=True)
    assert _attempt(limited_app, "other@example.org", PASSWORD, ip="10.9.9.9") == 302


def test_successful_sign_ins_do_not_count(limited_app: Flask, people: None) -> None:
    for _ in range(4):  # more than either limit
        assert _attempt(limited_app, "ed@example.org", PASSWORD, ip="10.8.8.8") == 302


def test_forwarded_for_is_ignored_unless_a_proxy_is_configured(
    limited_app: Flask, empty_url: str, tmp_path: Path, people: None
) -> None:
    # A client cannot dodge the address count by making up X-Forwarded-For.
    for n in range(3):
        _attempt(
            limited_app, f"guess{n}@example.org", WRONG, ip="10.5.5.5", **{"X-Forwarded-For": f"1.2.3.{n}"}
        )
    assert (
        _attempt(limited_app, "ed@example.org", WRONG, ip="10.5.5.5", **{"X-Forwarded-For": "1.2.3.9"}) == 200
    )
    assert _attempt(limited_app, "ed@example.org", PASSWORD, ip="10.5.5.5") == 429  # counted as 10.5.5.5
    # Behind one trusted proxy, the clients it names are counted apart.
    behind = make_app(empty_url, tmp_path / "behind", PROXY_FIX_X_FOR=1, **LIMITS)
    try:
        for n in range(3):
            _attempt(
                behind, f"guess{n}@example.org", WRONG, ip="10.6.6.6", **{"X-Forwarded-For": "203.0.113.7"}
            )
        assert (
            _attempt(behind, "other@example.org", WRONG, ip="10.6.6.6", **{"X-Forwarded-For": "203.0.113.8"})
            == 200
        )
        assert (
            _attempt(
                behind, "other@example.org", PASSWORD, ip="10.6.6.6", **{"X-Forwarded-For": "203.0.113.8"}
            )
            == 302
        )
    finally:
        behind.extensions["db_engine"].dispose()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="Redis limits are tested when REDIS_URL is set")
def test_two_workers_share_the_counts_through_redis(
    app: Flask, empty_url: str, tmp_path: Path, db: Session, people: None
) -> None:
    import redis

    prefix = f"dd-test-{secrets.token_hex(4)}:"
    settings = {**LIMITS, "RATELIMIT_STORAGE_URI": os.environ["REDIS_URL"], "RATELIMIT_KEY_PREFIX": prefix}
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    worker_1 = make_app(empty_url, tmp_path / "one", **settings)
    worker_2 = make_app(empty_url, tmp_path / "two", **settings)
    try:
        _check_account_limit(worker_1, worker_2)
        assert any(client.scan_iter(f"*{prefix}account:*"))  # the counts live in Redis
        assert db.scalar(select(func.count()).select_from(ThrottleCount)) == 0  # and not in the database
    finally:
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
        for worker in (worker_1, worker_2):
            worker.extensions["db_engine"].dispose()
