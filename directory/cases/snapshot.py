"""What a case keeps from the package: the attributes the matcher used and the plan it produced.

Only what the handover needs: the home postcode is kept as its district and council, never the full
postcode; the plan keeps each item's service, needs, route and the reasons shown to the practitioner.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import geography
from directory.matching.request import MatchInput
from directory.models import Need
from matcher.vocabulary import RecipientKind


def recipient_kinds(session: Session, needs: Iterable[str]) -> list[RecipientKind]:
    """The kinds of recipient a referral for ``needs`` shares with: each need's ``recipient`` in the
    taxonomy (read once per session; an unknown need counts as community)."""
    kinds: dict[str, RecipientKind] | None = session.info.get("need_recipients")
    if kinds is None:
        rows = session.execute(select(Need.code, Need.recipient))
        kinds = session.info["need_recipients"] = dict(rows.all())
    return sorted({kinds.get(code, RecipientKind.COMMUNITY) for code in needs})


def age_band(age: int | None) -> str | None:
    """An anonymous age band for reporting: under 18, 18-24, 25-34, ... 65 and over."""
    if age is None:
        return None
    if age < 18:
        return "under 18"
    if age < 25:
        return "18-24"
    for upper in (35, 45, 55, 65):
        if age < upper:
            return f"{upper - 10}-{upper - 1}"
    return "65 and over"


def attributes(data: MatchInput) -> dict[str, Any]:
    """The attributes the matcher used, minimised (districts, not full home postcodes)."""
    home = geography.try_resolve(data.home_postcode)
    gp = geography.try_resolve(data.gp_postcode)
    return {
        "age": data.age,
        "gender": data.gender,
        "no_fixed_abode": data.home_postcode is None,
        "home_district": home.postcode.district if home else None,
        "home_authority": home.local_authority if home else None,
        "housing_authority": data.housing_authority,
        "gp_registered": data.gp_registered,
        "gp_district": gp.postcode.district if gp else None,
        "probation": data.probation,
        "veteran": data.veteran,
        "language": data.language,
        "safe_contact_notes": data.safe_contact_notes,
        "where_postcode": data.where_postcode,
    }


def anonymous_attributes(kept: dict[str, Any]) -> dict[str, Any]:
    """What survives the retention purge: coded fields for equity reporting, nothing to find them by."""
    return {
        "age_band": kept.get("age_band") or age_band(kept.get("age")),
        "gender": kept.get("gender"),
        "no_fixed_abode": kept.get("no_fixed_abode"),
        "home_authority": kept.get("home_authority"),
        "gp_registered": kept.get("gp_registered"),
        "probation": kept.get("probation"),
        "veteran": kept.get("veteran"),
        "language": kept.get("language"),
    }


def anonymous_plan(kept: dict[str, Any]) -> dict[str, Any]:
    """The plan after the purge: which services and needs, and which needs went unmet and why."""
    return {
        "lead_service_id": kept.get("lead_service_id"),
        "items": [
            {
                "rank": item.get("rank"),
                "service_id": item.get("service_id"),
                "needs": item.get("needs", []),
                "urgent": item.get("urgent", False),
                "route": item.get("route"),
            }
            for item in kept.get("items", [])
        ],
        "unmet": [{"need": u.get("need"), "reason": u.get("reason")} for u in kept.get("unmet", [])],
    }
