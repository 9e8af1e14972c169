"""Who may see what a service shares only with professionals.

Professional-only phones and the details of professional-only referral routes are for signed-in staff.
Accounts do not exist yet, so nobody sees them: switch this one function on when they do.
"""

from __future__ import annotations

PROFESSIONAL_ROUTES = ("professional", "probation")


def can_see_professional_details(user: object | None) -> bool:
    """True when ``user`` may see professional-only phones and referral routes (nobody, for now)."""
    return False
