"""Places where services are delivered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.db import Base
from directory.models.base import Timestamps, new_id

if TYPE_CHECKING:
    from directory.models.organization import Organization
    from directory.models.service import Service


class Location(Timestamps, Base):
    """A physical place (HSDS ``location``).

    ``confidential`` locations (refuges) never show their address publicly or in any open feed:
    only the postcode district is used, for distance.
    """

    __tablename__ = "location"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_location_source_external_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    town: Mapped[str] = mapped_column(String(120), default="")
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    postcode_district: Mapped[str | None] = mapped_column(String(5), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    local_authority: Mapped[str | None] = mapped_column(String(9), index=True)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(255))

    organization: Mapped[Organization | None] = relationship(back_populates="locations")
    service_links: Mapped[list[ServiceAtLocation]] = relationship(
        back_populates="location", cascade="all, delete-orphan"
    )

    @property
    def public_address(self) -> str | None:
        """The address as it may be shown to the public: never for a confidential location."""
        if self.confidential:
            return None
        parts = [self.address, self.town, self.postcode]
        return ", ".join(p for p in parts if p) or None


class ServiceAtLocation(Base):
    """A service delivered at a location (HSDS ``service_at_location``)."""

    __tablename__ = "service_at_location"
    __table_args__ = (UniqueConstraint("service_id", "location_id", name="uq_service_at_location_pair"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)

    service: Mapped[Service] = relationship(back_populates="location_links")
    location: Mapped[Location] = relationship(back_populates="service_links")
