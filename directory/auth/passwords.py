"""Passwords: argon2id hashes, and the rules a new password must meet."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
LONGEST_PASSWORD = 256  # hashing very long inputs is a cheap way to load the server

_hasher = PasswordHasher()
# Verified against when an account does not exist, so a missing account costs the same time.
_DUMMY_HASH = _hasher.hash("no account has this password, it only spends time")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; spends the same time when there is no hash."""
    if len(password) > LONGEST_PASSWORD:
        return False
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lower-case)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_repetitive(password: str) -> bool:
    """One short unit repeated (``abcabcabcabc``, ``aaaaaaaaaaaa``)."""
    for size in range(1, len(password) // 2 + 1):
        if len(password) % size == 0 and password[:size] * (len(password) // size) == password:
            return True
    return False


def password_problems(password: str, min_length: int, email: str = "") -> list[str]:
    """What is wrong with ``password`` as a new password, as sentences fit to show; empty if fine."""
    if len(password) < min_length:
        return [f"Password must be {min_length} characters or more"]
    if len(password) > LONGEST_PASSWORD:
        return [f"Password must be {LONGEST_PASSWORD} characters or fewer"]
    lowered = password.lower()
    if lowered in common_passwords() or _is_repetitive(lowered):
        return ["This password is too common. Choose one that is harder to guess, like three random words"]
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        return ["Password must not contain your email address"]
    return []
