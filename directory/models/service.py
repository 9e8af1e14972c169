"""Services: what an agency offers, who can use it, how to refer, and how busy it is."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.db import Base
from directory.models.base import Timestamps, new_id
from matcher.vocabulary import CapacityStatus, CatchmentType, ServiceStatus

if TYPE_CHECKING:
    from directory.models.location import Location, ServiceAtLocation
    from directory.models.organization import Organization
    from directory.models.schedule import ScheduleException, ScheduleSession
    from directory.models.taxonomy import Need

service_need = Table(
    "service_need",
    Base.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("need_code", ForeignKey("need.code"), primary_key=True, index=True),
)


class Service(Timestamps, Base):
    """A service (HSDS ``service``) with eligibility as data, capacity and freshness.

    ``version`` is the optimistic-locking counter: a stale write raises ``StaleDataError``.
    """

    __tablename__ = "service"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_service_source_external_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    how_to_refer: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ServiceStatus] = mapped_column(default=ServiceStatus.ACTIVE, index=True)
    referral_routes: Mapped[list[str]] = mapped_column(JSON, default=list)
    email: Mapped[str | None] = mapped_column(String(255))
    website: Mapped[str | None] = mapped_column(String(500))
    cost: Mapped[str] = mapped_column(String(255), default="Free")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    delivery_modes: Mapped[list[str]] = mapped_column(JSON, default=list)
    alert: Mapped[str | None] = mapped_column(String(500))
    joint_or_couple: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_gp_registration: Mapped[bool] = mapped_column(Boolean, default=False)

    # Eligibility, as data.
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    genders: Mapped[list[str]] = mapped_column(JSON, default=list)
    catchment_type: Mapped[CatchmentType] = mapped_column(default=CatchmentType.NONE)
    catchment_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    cohorts: Mapped[list[str]] = mapped_column(JSON, default=list)
    exclusions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Inclusion criteria: at least one need from each group (a dual-diagnosis service:
    # [["SUBST_DRUGS", "SUBST_ALCOHOL"], ["MH_SEVERE"]]); empty when anyone with a listed need may use it.
    requires_needs: Mapped[list[list[str]]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    eligibility_summary: Mapped[str] = mapped_column(Text, default="")

    # Capacity and opening.
    capacity_status: Mapped[CapacityStatus] = mapped_column(default=CapacityStatus.ACCEPTING)
    wait_days: Mapped[int | None] = mapped_column(Integer)
    always_open: Mapped[bool] = mapped_column(Boolean, default=False)
    open_on_bank_holidays: Mapped[bool] = mapped_column(Boolean, default=False)
    hours_known: Mapped[bool] = mapped_column(Boolean, default=False)

    # Freshness.
    assured_date: Mapped[date | None] = mapped_column(Date, index=True)
    assured_by: Mapped[str | None] = mapped_column(String(255))

    source: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(255))
    # Feeds: fields a curator corrected by hand (they win over the feed on re-import), and a digest of
    # the feed's record as last applied (an unchanged record is skipped without comparing it field by field).
    curated_fields: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    feed_hash: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__: dict[str, Any] = {"version_id_col": version}

    organization: Mapped[Organization] = relationship(back_populates="services")
    needs: Mapped[list[Need]] = relationship(secondary=service_need, order_by="Need.position")
    phones: Mapped[list[Phone]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="Phone.position"
    )
    location_links: Mapped[list[ServiceAtLocation]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[ScheduleSession]] = relationship(
        back_populates="service",
        cascade="all, delete-orphan",
        order_by="(ScheduleSession.weekday, ScheduleSession.opens_at, ScheduleSession.closes_at, ScheduleSession.id)",
    )
    exceptions: Mapped[list[ScheduleException]] = relationship(
        back_populates="service",
        cascade="all, delete-orphan",
        order_by="(ScheduleException.day, ScheduleException.id)",
    )

    @property
    def locations(self) -> list[Location]:
        """The places this service is delivered at."""
        return [link.location for link in self.location_links]

    @property
    def public_phones(self) -> list[Phone]:
        """Phones anyone may see (never the professional-only line)."""
        return [p for p in self.phones if not p.professional_only]

    @property
    def need_codes(self) -> list[str]:
        """The need codes this service covers."""
        return [n.code for n in self.needs]


class Phone(Base):
    """A phone number for a service; ``professional_only`` lines are never shown publicly."""

    __tablename__ = "phone"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(120), default="")
    professional_only: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    service: Mapped[Service] = relationship(back_populates="phones")

    @property
    def tel_uri(self) -> str:
        """A tap-to-call ``tel:`` link."""
        digits = "".join(ch for ch in self.number if ch.isdigit() or ch == "+")
        return f"tel:{digits}"
