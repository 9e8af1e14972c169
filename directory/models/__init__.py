"""The directory's data model, aligned with Open Referral HSDS 3.0."""

from directory.db import Base
from directory.models.account import (
    AccountToken,
    SignInSession,
    Team,
    ThrottleCount,
    User,
    user_organization,
)
from directory.models.audit import AuditEvent
from directory.models.case import Case, CaseAccessGrant, CaseEvent, ConsentRecord, FollowUpTask, Referral
from directory.models.curation import DuplicateDecision, ProblemReport, ProposedChange
from directory.models.feeds import TaxonomyMapping
from directory.models.location import Location, ServiceAtLocation
from directory.models.organization import Organization
from directory.models.schedule import ScheduleException, ScheduleSession
from directory.models.search_indexes import SEARCH_INDEXES
from directory.models.service import Phone, Service, service_need
from directory.models.taxonomy import Need

__all__ = [
    "SEARCH_INDEXES",
    "AccountToken",
    "AuditEvent",
    "Base",
    "Case",
    "CaseAccessGrant",
    "CaseEvent",
    "ConsentRecord",
    "DuplicateDecision",
    "FollowUpTask",
    "Location",
    "Need",
    "Organization",
    "Phone",
    "ProblemReport",
    "ProposedChange",
    "Referral",
    "ScheduleException",
    "ScheduleSession",
    "Service",
    "ServiceAtLocation",
    "SignInSession",
    "TaxonomyMapping",
    "Team",
    "ThrottleCount",
    "User",
    "service_need",
    "user_organization",
]
