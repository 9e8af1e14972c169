"""The Open Referral UK (HSDS 3.0) read API under ``/api/v1``: public, no authentication, CORS open."""

from directory.api.views import bp

__all__ = ["bp"]
