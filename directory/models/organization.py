"""Organisations: the agencies that run services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.db import Base
from directory.models.base import Timestamps, new_id

if TYPE_CHECKING:
    from directory.models.location import Location
    from directory.models.service import Service


class Organization(Timestamps, Base):
    """An agency (HSDS ``organization``)."""

    __tablename__ = "organization"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_organization_source_external_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(255), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(255))

    services: Mapped[list[Service]] = relationship(back_populates="organization", order_by="Service.name")
    locations: Mapped[list[Location]] = relationship(back_populates="organization")
