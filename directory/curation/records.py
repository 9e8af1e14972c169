"""Curators' records work: create organisations and services, retire services (never delete)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from directory import audit
from directory.listings.updates import save
from directory.models import Organization, Service, User
from matcher.vocabulary import ServiceStatus


def create_organisation(
    session: Session, actor: User, *, name: str, description: str = "", website: str = "", email: str = ""
) -> Organization:
    """A new organisation (agency)."""
    organisation = Organization(
        name=" ".join(name.split()),
        description=description.strip(),
        website=website.strip() or None,
        email=email.strip() or None,
    )
    session.add(organisation)
    session.flush()
    audit.record(
        session,
        actor,
        "organisation.created",
        "organisation",
        organisation.id,
        organisation.name,
        changes=audit.diff(
            {}, {"name": organisation.name, "website": organisation.website, "email": organisation.email}
        ),
    )
    return organisation


def create_service(
    session: Session, actor: User, organisation: Organization, *, name: str, description: str = ""
) -> Service:
    """A new, active listing with no opening times yet (the curator fills in the rest)."""
    service = Service(
        organization=organisation,
        name=" ".join(name.split()),
        description=description.strip(),
        status="active",
        hours_known=False,
    )
    session.add(service)
    session.flush()
    audit.record(
        session,
        actor,
        "service.created",
        "service",
        service.id,
        service.name,
        changes=audit.diff({}, {"name": service.name, "organisation": organisation.name, "status": "active"}),
    )
    return service


def retire_service(session: Session, actor: User, service: Service, reason: str) -> None:
    """Mark a listing defunct: it leaves the directory, but history and referrals keep pointing at it."""
    if not reason.strip():
        raise ValueError("a reason is required")
    before = service.status
    service.status = ServiceStatus.DEFUNCT
    save(session, service)
    audit.record(
        session,
        actor,
        "service.retired",
        "service",
        service.id,
        service.name,
        changes={"status": {"before": before, "after": "defunct"}},
        reason=reason.strip(),
    )
