"""Sign-in throttling with Flask-Limiter: per account and per IP, memory or Redis storage."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from tests.auth import factories as make
from tests.auth.factories import PASSWORD
from tests.conftest import make_app


def _attempt(app: Flask, email: str, password: str, ip: str = "10.0.0.1") -> int:
    client = app.test_client()
    response = client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip}
    )
    return response.status_code


def _check_account_limit(app: Flask, db: Session) -> None:
    make.user(db, "editor", "ed@example.org")
    make.user(db, "editor", "other@example.org")
    db.commit()
    for n in range(2):  # each from a different address: the account limit still counts them
        assert _attempt(app, "ed@example.org", "wrong password number x", ip=f"10.0.1.{n}") == 200
    # Locked now, even with the right password, and the same for an account that does not exist.
    assert _attempt(app, "ed@example.org", PASSWORD, ip="10.0.2.1") == 429
    for n in range(2):
        _attempt(app, "ghost@example.org", "wrong password number x", ip=f"10.0.3.{n}")
    assert _attempt(app, "ghost@example.org", PASSWORD, ip="10.0.2.2") == 429
    # Other accounts are unaffected.
    assert _attempt(app, "other@example.org", PASSWORD, ip="10.0.2.3") == 302


@pytest.fixture
def limited_app(empty_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(
        empty_url,
        tmp_path / "instance",
        LOGIN_LIMIT_PER_ACCOUNT="2 per 15 minutes",
        LOGIN_LIMIT_PER_IP="3 per 15 minutes",
    )
    yield app
    app.extensions["db_engine"].dispose()


def test_failed_attempts_lock_the_account_not_others(app: Flask, limited_app: Flask, db: Session) -> None:
    _check_account_limit(limited_app, db)


def test_failed_attempts_from_one_address_lock_that_address(
    app: Flask, limited_app: Flask, db: Session
) -> None:
    make.user(db, "editor", "ed@example.org")
    db.commit()
    for n in range(3):
        assert _attempt(limited_app, f"guess{n}@example.org", "wrong password number x", ip="10.9.9.9") == 200
    assert _attempt(limited_app, "ed@example.org", PASSWORD, ip="10.9.9.9") == 429
    page = limited_app.test_client().post(
        "/login",
        data={"email": "ed@example.org", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert "Too many attempts" in page.get_data(as_text=True)
    assert _attempt(limited_app, "ed@example.org", PASSWORD, ip="10.9.9.10") == 302


def test_successful_sign_ins_do_not_count(app: Flask, limited_app: Flask, db: Session) -> None:
    make.user(db, "editor", "ed@example.org")
    db.commit()
    for _ in range(4):  # more than either limit
        assert _attempt(limited_app, "ed@example.org", PASSWORD, ip="10.8.8.8") == 302


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="Redis limits are tested when REDIS_URL is set")
def test_limits_are_shared_through_redis(app: Flask, empty_url: str, tmp_path: Path, db: Session) -> None:
    prefix = f"dd-test-{secrets.token_hex(4)}"
    settings = {
        "RATELIMIT_STORAGE_URI": os.environ["REDIS_URL"],
        "RATELIMIT_KEY_PREFIX": prefix,
        "LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes",
    }
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    worker_1 = make_app(empty_url, tmp_path / "one", **settings)
    worker_2 = make_app(empty_url, tmp_path / "two", **settings)
    make.user(db, "editor", "ed@example.org")
    db.commit()
    try:
        for n in range(3):  # failures spread over two "workers"
            _attempt(
                worker_1 if n % 2 else worker_2, "ed@example.org", "wrong password number x", ip=f"10.7.0.{n}"
            )
        assert _attempt(worker_1, "ed@example.org", PASSWORD, ip="10.7.1.1") == 429
        assert _attempt(worker_2, "ed@example.org", PASSWORD, ip="10.7.1.2") == 429
        assert any(client.scan_iter(f"*{prefix}*account:ed@example.org*"))  # the counts live in Redis
    finally:
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
        for worker in (worker_1, worker_2):
            worker.extensions["db_engine"].dispose()
