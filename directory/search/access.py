"""Who may see what a service shares only with professionals.

Professional-only phones and the details of professional-only referral routes are for signed-in
practitioners and staff, and for the agency's own editors on their listings; the decision is the
central permission rule ``see_professional_details`` (``directory.auth.permissions``).
"""

from __future__ import annotations

from directory.auth import can, current_user
from directory.auth.permissions import Permission
from directory.models import Service


def can_see_professional_details(service: Service | None = None) -> bool:
    """True when the signed-in user may see ``service``'s professional-only phones and routes (or, with
    no service, those of every service in a list)."""
    return can(current_user(), Permission.SEE_PROFESSIONAL_DETAILS, service)
