"""The package as the API's JSON contract."""

from __future__ import annotations

from typing import Any

from matcher import model as m


def _alternative(alt: m.Alternative) -> str:
    return f"{alt.service_name} ({alt.organization_name})" + (" - open now" if alt.open_now else "")


def item_json(item: m.PackageItem) -> dict[str, Any]:
    """One package item in the ``POST /api/v1/match`` response shape."""
    return {
        "rank": item.rank,
        "service_id": item.service_id,
        "service_name": item.service_name,
        "organization_name": item.organization_name,
        "needs": list(item.needs),
        "urgent": item.urgent,
        "open_now": item.open_now,
        "next_open": item.next_open.isoformat() if item.next_open else None,
        "distance_km": round(item.distance_km, 1) if item.distance_km is not None else None,
        "route": item.route,
        "action": item.action,
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
