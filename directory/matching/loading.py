"""Build the matcher's view of services straight from rows (Core queries, no ORM objects).

Loading a hundred services with their needs, phones, hours and places through the ORM costs tens of
milliseconds; plain queries and tuples cost a fraction of that: the services with their
organisation, first place and first phones (correlated subqueries: one row per service), their
weekly and dated hours, and their needs (unless the caller has them: the bridge takes them from the
search index the candidates were chosen from). The result is the same as building it from ORM objects
(``tests/matching/test_matching_loading.py`` checks it on the demo directory, both ways).
"""

from __future__ import annotations

import typing
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import String, any_, bindparam, cast, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from directory.json_lists import codes, need_groups
from directory.models import (
    Location,
    Need,
    Organization,
    Phone,
    ScheduleException,
    ScheduleSession,
    Service,
    ServiceAtLocation,
    service_need,
)
from matcher import model as m
from matcher.hours import DatedException, OpeningHours
from matcher.hours import Session as WeeklySession
from matcher.vocabulary import Cohort, Delivery, Exclusion, Route

Code = TypeVar("Code")


def _codes_of(_vocabulary: type[Code], stored: Any) -> tuple[Code, ...]:
    """A stored JSON list of codes as the vocabulary's type. They were checked on the way in, and each
    enum member equals its code, so the plain strings are used as they are (no conversion per row)."""
    return typing.cast(tuple[Code, ...], codes(stored))


def _text(column: Any) -> Any:
    """A JSON list column as its text, decoded by :func:`directory.json_lists.codes`."""
    return cast(column, String)


def _among(column: Any, dialect: str) -> Any:
    """``column`` is one of the ``ids`` parameter. On PostgreSQL that is ``= ANY(array)``: one
    parameter, so the statement's text is the same for any number of ids and psycopg prepares it on
    the server after a few uses (planning an ``IN`` of 200 literals costs more than running it)."""
    if dialect == "postgresql":
        return column == any_(bindparam("ids", type_=postgresql.ARRAY(String)))
    return column.in_(bindparam("ids", expanding=True))


def _first_place() -> Any:
    """The id of the service's first location (the one the matcher measures from)."""
    return (
        select(func.min(ServiceAtLocation.location_id))
        .where(ServiceAtLocation.service_id == Service.id)
        .correlate(Service)
        .scalar_subquery()
    )


def _first_phone(*, professional: bool) -> Any:
    """The service's first public (or first professional-only) phone number."""
    return (
        select(Phone.number)
        .where(Phone.service_id == Service.id, Phone.professional_only.is_(professional))
        .order_by(Phone.position, Phone.id)
        .limit(1)
        .correlate(Service)
        .scalar_subquery()
    )


@lru_cache(maxsize=4)
def _statements(dialect: str) -> dict[str, Any]:
    """The queries, built once per database dialect."""
    s = Service
    return {
        "services": select(
            s.id,
            s.name,
            s.organization_id,
            Organization.name,
            s.status,
            s.minimum_age,
            s.maximum_age,
            _text(s.genders),
            s.catchment_type,
            _text(s.catchment_areas),
            _text(s.cohorts),
            _text(s.exclusions),
            _text(s.requires_needs),
            _text(s.referral_routes),
            s.capacity_status,
            s.wait_days,
            _text(s.delivery_modes),
            s.always_open,
            s.open_on_bank_holidays,
            s.hours_known,
            s.joint_or_couple,
            s.requires_gp_registration,
            s.assured_date,
            s.website,
            s.how_to_refer,
            _text(s.languages),
            s.alert,
            Location.id,
            Location.postcode,
            Location.postcode_district,
            Location.address,
            Location.town,
            Location.confidential,
            Location.latitude,
            Location.longitude,
            _first_phone(professional=False),
            _first_phone(professional=True),
        )
        .join(Organization, Organization.id == s.organization_id)
        .outerjoin(Location, Location.id == _first_place())
        .where(_among(s.id, dialect))
        .order_by(s.id),
        "needs": select(service_need.c.service_id, service_need.c.need_code)
        .join(Need, Need.code == service_need.c.need_code)
        .where(_among(service_need.c.service_id, dialect))
        .order_by(service_need.c.service_id, Need.position),
        "weekly": select(
            ScheduleSession.service_id,
            ScheduleSession.weekday,
            ScheduleSession.opens_at,
            ScheduleSession.closes_at,
            ScheduleSession.drop_in,
        )
        .where(_among(ScheduleSession.service_id, dialect))
        .order_by(
            ScheduleSession.service_id,
            ScheduleSession.weekday,
            ScheduleSession.opens_at,
            ScheduleSession.closes_at,
            ScheduleSession.id,
        ),
        "dated": select(
            ScheduleException.service_id,
            ScheduleException.day,
            ScheduleException.closed,
            ScheduleException.opens_at,
            ScheduleException.closes_at,
            ScheduleException.note,
        )
        .where(_among(ScheduleException.service_id, dialect))
        .order_by(ScheduleException.service_id, ScheduleException.day, ScheduleException.id),
    }


def _grouped(session: Session, query: Any, ids: list[str]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = defaultdict(list)
    for row in session.execute(query, {"ids": ids}):
        found[row[0]].append(row[1:])
    return found


def load_options(
    session: Session, ids: Sequence[str], need_codes: Callable[[str], tuple[str, ...]] | None = None
) -> list[m.ServiceOption]:
    """The matcher's view of the services ``ids`` (missing ids are left out), in id order.

    ``need_codes`` gives a service's needs in taxonomy order when the caller already knows them (the
    search index the candidates were chosen from does); otherwise they are queried.
    """
    if not ids:
        return []
    wanted = list(ids)
    statements = _statements(session.get_bind().dialect.name)
    rows = session.execute(statements["services"], {"ids": wanted}).all()
    if need_codes is None:
        queried = _grouped(session, statements["needs"], wanted)
        need_codes = lambda sid: tuple(code for (code,) in queried.get(sid, []))  # noqa: E731
    weekly = _grouped(session, statements["weekly"], wanted)
    dated = _grouped(session, statements["dated"], wanted)
    options = []
    for row in rows:
        (
            sid,
            name,
            org_id,
            org_name,
            status,
            min_age,
            max_age,
            genders,
            catchment_type,
            catchment_areas,
            cohorts,
            exclusions,
            requires,
            routes,
            capacity,
            wait_days,
            delivery,
            always_open,
            bank_holidays,
            hours_known,
            joint,
            needs_gp,
            assured,
            website,
            how_to_refer,
            languages,
            alert,
            location_id,
            postcode,
            district,
            street,
            town,
            confidential,
            lat,
            lon,
            phone,
            professional_phone,
        ) = row
        address = None
        if location_id is not None and not confidential:
            address = ", ".join(p for p in (street, town, postcode) if p) or None
        options.append(
            m.ServiceOption(
                id=sid,
                name=name,
                organization_id=org_id,
                organization_name=org_name,
                needs=need_codes(sid),
                status=status,
                min_age=min_age,
                max_age=max_age,
                genders=codes(genders),
                catchment_type=catchment_type,
                catchment_areas=codes(catchment_areas),
                # The lists hold only the matcher's codes (the forms and the importer check them).
                cohorts=_codes_of(Cohort, cohorts),
                exclusions=_codes_of(Exclusion, exclusions),
                requires_needs=need_groups(requires),
                referral_routes=_codes_of(Route, routes) or (Route.SELF,),
                capacity_status=capacity,
                wait_days=wait_days,
                delivery=_codes_of(Delivery, delivery) or (Delivery.IN_PERSON,),
                hours=OpeningHours(
                    always_open=always_open,
                    sessions=tuple(WeeklySession(*w) for w in weekly.get(sid, [])),
                    exceptions=tuple(DatedException(*d) for d in dated.get(sid, [])),
                    open_on_bank_holidays=bank_holidays,
                    known=hours_known,
                ),
                joint_or_couple=joint,
                requires_gp_registration=needs_gp,
                assured_date=assured,
                location_id=location_id,
                location_postcode=(district if confidential else postcode)
                if location_id is not None
                else None,
                address=address,
                lat=lat,
                lon=lon,
                phone=phone,
                professional_phone=professional_phone,
                website=website,
                how_to_refer=how_to_refer,
                languages=codes(languages),
                alert=alert,
            )
        )
    return options
