"""A package as JSON: the API's response, and the record a case keeps. One item shape serves both."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from matcher import model as m


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _alternative(alt: m.Alternative) -> str:
    return f"{alt.service_name} ({alt.organization_name})" + (" - open now" if alt.open_now else "")


def _item_facts(item: m.PackageItem) -> dict[str, Any]:
    """What both shapes say about an item."""
    return {
        "rank": item.rank,
        "service_id": item.service_id,
        "service_name": item.service_name,
        "organization_name": item.organization_name,
        "needs": list(item.needs),
        "urgent": item.urgent,
        "open_now": item.open_now,
        "next_open": _iso(item.next_open),
        "distance_km": round(item.distance_km, 1) if item.distance_km is not None else None,
        "route": item.route,
        "action": item.action,
    }


def item_json(item: m.PackageItem) -> dict[str, Any]:
    """One package item in the ``POST /api/v1/match`` response shape."""
    return {
        **_item_facts(item),
        "reasons": [reason.detail for reason in item.reasons] + list(item.warnings),
        "alternatives": [_alternative(alt) for alt in item.alternatives],
    }


def package_json(package: m.Package) -> dict[str, Any]:
    """The whole ``POST /api/v1/match`` response."""
    return {
        "items": [item_json(item) for item in package.items],
        "lead_service_id": package.lead_service_id,
        "unmet": [
            {
                "need": unmet.need,
                "reason": unmet.reason,
                "detail": unmet.detail + (f" Alternative: {unmet.alternative}." if unmet.alternative else ""),
            }
            for unmet in package.unmet
        ],
        "warnings": list(package.warnings),
    }


def package_record(package: m.Package) -> dict[str, Any]:
    """The package as a case keeps it (stored JSON: keep old keys readable when changing this)."""
    return {
        "lead_service_id": package.lead_service_id,
        "items": [
            {
                **_item_facts(item),
                "closes_at": _iso(item.closes_at),
                "reasons": [reason.detail for reason in item.reasons],
                "warnings": list(item.warnings),
            }
            for item in package.items
        ],
        "unmet": [
            {"need": u.need, "reason": u.reason, "detail": u.detail, "alternative": u.alternative}
            for u in package.unmet
        ],
        "warnings": list(package.warnings),
    }
