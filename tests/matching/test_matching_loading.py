"""The fast row loader gives the matcher exactly what the obvious ORM path gives (kept here as the
reference: the app itself only uses the loader)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.hours import opening_hours
from directory.matching.loading import load_options
from directory.models import Service, ServiceAtLocation
from directory.search.index import current_index
from matcher import model as m


def orm_services(session: Session, ids: Sequence[str]) -> list[Service]:
    """The services ``ids``, loaded with everything the matcher reads."""
    query = (
        select(Service)
        .where(Service.id.in_(ids))
        .options(
            selectinload(Service.organization),
            selectinload(Service.needs),
            selectinload(Service.phones),
            selectinload(Service.sessions),
            selectinload(Service.exceptions),
            selectinload(Service.location_links).selectinload(ServiceAtLocation.location),
        )
        .order_by(Service.id)
    )
    return list(session.scalars(query))


def orm_option(service: Service) -> m.ServiceOption:
    """The matcher's view of one stored service (at its first location by id, confidential or not)."""
    location = min(service.locations, key=lambda loc: loc.id) if service.locations else None
    public_phones = service.public_phones
    professional = next((p for p in service.phones if p.professional_only), None)
    return m.ServiceOption(
        id=service.id,
        name=service.name,
        organization_id=service.organization_id,
        organization_name=service.organization.name,
        needs=tuple(service.need_codes),
        status=service.status,  # type: ignore[arg-type]
        min_age=service.minimum_age,
        max_age=service.maximum_age,
        genders=tuple(service.genders),
        catchment_type=service.catchment_type,  # type: ignore[arg-type]
        catchment_areas=tuple(service.catchment_areas),
        cohorts=tuple(service.cohorts),  # type: ignore[arg-type]
        exclusions=tuple(service.exclusions),  # type: ignore[arg-type]
        requires_needs=tuple(tuple(group) for group in service.requires_needs),
        referral_routes=tuple(service.referral_routes) or ("self",),  # type: ignore[arg-type]
        capacity_status=service.capacity_status,  # type: ignore[arg-type]
        wait_days=service.wait_days,
        delivery=tuple(service.delivery_modes) or ("in_person",),  # type: ignore[arg-type]
        hours=opening_hours(service),
        joint_or_couple=service.joint_or_couple,
        requires_gp_registration=service.requires_gp_registration,
        assured_date=service.assured_date,
        location_id=location.id if location else None,
        location_postcode=(location.postcode_district if location.confidential else location.postcode)
        if location
        else None,
        address=location.public_address if location else None,
        lat=location.latitude if location else None,
        lon=location.longitude if location else None,
        phone=public_phones[0].number if public_phones else None,
        professional_phone=professional.number if professional else None,
        website=service.website,
        how_to_refer=service.how_to_refer,
        languages=tuple(service.languages),
        alert=service.alert,
    )


def test_load_options_matches_the_orm_for_every_demo_service(seeded_db: Session) -> None:
    ids = sorted(seeded_db.scalars(select(Service.id)))
    if not ids:
        pytest.skip("demo directory not loaded")
    expected = [orm_option(s) for s in orm_services(seeded_db, ids)]
    assert load_options(seeded_db, ids) == expected
    # With needs read from the search index the candidates were chosen from, as the bridge does.
    assert load_options(seeded_db, ids, current_index(seeded_db).need_codes) == expected
    assert load_options(seeded_db, []) == []
    assert load_options(seeded_db, ["no-such-id"]) == []
