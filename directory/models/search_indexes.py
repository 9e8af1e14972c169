"""Indexes that keep search fast at 100,000 services.

- ``updated_at`` on services, organisations and locations: the search index's freshness check reads
  their maximums on every search, which these make a single index probe.
- ``(latitude, longitude)`` on locations: the "within N km" bounding box.
- ``(weekday)`` on weekly sessions and ``(day)`` on dated exceptions: the "open now" filter.
"""

from __future__ import annotations

from sqlalchemy import Index

from directory.models.location import Location
from directory.models.organization import Organization
from directory.models.schedule import ScheduleException, ScheduleSession
from directory.models.service import Service

SEARCH_INDEXES = (
    Index("ix_service_updated_at", Service.updated_at),
    Index("ix_organization_updated_at", Organization.updated_at),
    Index("ix_location_updated_at", Location.updated_at),
    Index("ix_location_latitude_longitude", Location.latitude, Location.longitude),
    Index("ix_schedule_session_weekday", ScheduleSession.weekday, ScheduleSession.service_id),
    Index("ix_schedule_exception_day", ScheduleException.day, ScheduleException.service_id),
)
