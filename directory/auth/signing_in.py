"""Signing in under the throttling rules: failed attempts count per account and per address.

- An account named in too many failed attempts (``LOGIN_LIMIT_PER_ACCOUNT``, from any address, whether
  or not the account exists) is locked for the rest of the window: even its right password is
  refused, and no password is checked.
- An address with too many failures (``LOGIN_LIMIT_PER_IP``) never stops the right password of an
  account that is not itself locked: offices, custody suites and proxies put many people behind one
  address. Instead each further wrong password from it uses up the named account's whole allowance,
  so a password sprayer there gets one guess per account per window, however many accounts it tries.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from directory.auth import accounts
from directory.auth.limits import TooManyAttempts
from directory.auth.throttle import Throttle
from directory.models import User


def sign_in(
    session: Session,
    counts: Throttle,
    email: str,
    password: str,
    address: str,
    *,
    per_account: str,
    per_ip: str,
) -> User | None:
    """The account these credentials open, or None (the failure counted and audited); raises
    TooManyAttempts when the account is locked."""
    account = counts.key("account", accounts.normalise_email(email)[:255])
    if counts.exhausted(per_account, account):
        raise TooManyAttempts()
    user = accounts.authenticate(session, email, password)
    if user is not None:
        return user
    address_within_limit = counts.hit(per_ip, counts.key("ip", address))
    counts.hit(per_account, account, cost=1 if address_within_limit else counts.allowance(per_account))
    accounts.record_failed_login(session, email)
    return None
