"""The search filters as plain SQL over ``Service``: the twin of ``columns.py``.

Search itself filters in memory (``columns.py``), because pulling tens of thousands of candidate ids
out of the database costs more than the whole search at 100,000 services; these conditions say the
same thing to the database, for any code that wants the database to filter, for the benchmark's
"plain SQL" column, and for the tests that check both agree.

JSON list columns (genders, referral routes, delivery modes, catchment areas) are matched with
``LIKE '%"value"%'`` on their text: every value in them is a short code from a closed vocabulary with
no quotes in it, so the pattern is exact, and it works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math

from sqlalchemy import ColumnElement, Select, String, and_, cast, exists, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute

from directory.geography import Place
from directory.models import Location, Service, ServiceAtLocation, service_need
from directory.search.open_now import open_now_condition
from directory.search.query import SearchQuery
from matcher.vocabulary import SELF_REFERRAL_ROUTES

KM_PER_DEGREE_LATITUDE = 111.2


def json_list_has(column: InstrumentedAttribute[list[str]], value: str) -> ColumnElement[bool]:
    """True when the JSON list in ``column`` holds ``value``."""
    return cast(column, String).like(f'%"{value}"%')


def json_list_empty(column: InstrumentedAttribute[list[str]]) -> ColumnElement[bool]:
    """True when the JSON list in ``column`` is empty or missing."""
    return or_(column.is_(None), cast(column, String).in_(["[]", "null"]))


def within_box(place: Place, radius_km: float) -> ColumnElement[bool]:
    """The service has a location inside the box around ``place`` that holds the ``radius_km`` circle
    (the exact distance is checked afterwards)."""
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    dlon = radius_km / (KM_PER_DEGREE_LATITUDE * max(math.cos(math.radians(place.latitude)), 0.01))
    return Service.id.in_(
        select(ServiceAtLocation.service_id)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(
            Location.latitude.between(place.latitude - dlat, place.latitude + dlat),
            Location.longitude.between(place.longitude - dlon, place.longitude + dlon),
        )
    )


def _names(place: Place) -> ColumnElement[bool]:
    """The service's areas name ``place``'s local authority or postcode district."""
    return or_(
        json_list_has(Service.catchment_areas, place.local_authority),
        json_list_has(Service.catchment_areas, place.postcode.district),
    )


def remote_covering(place: Place) -> ColumnElement[bool]:
    """The service has no location (phone or online) and serves ``place``: its areas (a catchment rule
    or just the area it serves) name it, or it names none (a national service)."""
    no_location = ~exists(select(ServiceAtLocation.id).where(ServiceAtLocation.service_id == Service.id))
    return and_(no_location, or_(json_list_empty(Service.catchment_areas), _names(place)))


def takes_from(place: Place) -> ColumnElement[bool]:
    """No residence or GP catchment rule, or one naming ``place``'s authority or district."""
    return or_(Service.catchment_type == "none", json_list_empty(Service.catchment_areas), _names(place))


def conditions(query: SearchQuery, origin: Place | None) -> list[ColumnElement[bool]]:
    """Every filter in ``query`` as a condition on ``Service``."""
    found: list[ColumnElement[bool]] = [Service.status.in_(query.statuses)]
    if query.needs:
        found.append(
            Service.id.in_(select(service_need.c.service_id).where(service_need.c.need_code.in_(query.needs)))
        )
    if query.age is not None:
        found.append(or_(Service.minimum_age.is_(None), Service.minimum_age <= query.age))
        found.append(or_(Service.maximum_age.is_(None), Service.maximum_age >= query.age))
    if query.gender:
        found.append(or_(json_list_empty(Service.genders), json_list_has(Service.genders, query.gender)))
    if query.self_referral:
        found.append(or_(*(json_list_has(Service.referral_routes, r) for r in SELF_REFERRAL_ROUTES)))
    if query.delivery:
        found.append(or_(*(json_list_has(Service.delivery_modes, m) for m in query.delivery)))
    if query.organization_id:
        found.append(Service.organization_id == query.organization_id)
    if query.modified_after:
        found.append(Service.updated_at > query.modified_after)
    if query.open_now and query.at is not None:
        found.append(open_now_condition(query.at))
    if origin is not None and query.radius_km:
        near = and_(within_box(origin, query.radius_km), takes_from(origin))
        found.append(or_(near, remote_covering(origin)))
    return found


def filtered_ids(query: SearchQuery, origin: Place | None) -> Select[str]:
    """The ids of every service that passes the filters."""
    return select(Service.id).where(and_(true(), *conditions(query, origin)))
