"""Opening times: weekly sessions and dated exceptions, in Europe/London local time."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.db import Base
from directory.models.base import new_id

if TYPE_CHECKING:
    from directory.models.service import Service


class ScheduleSession(Base):
    """A weekly session. ``weekday`` 0 is Monday; ``closes_at`` at or before ``opens_at`` runs past
    midnight (and equal times mean a full 24 hours)."""

    __tablename__ = "schedule_session"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    opens_at: Mapped[time] = mapped_column(Time)
    closes_at: Mapped[time] = mapped_column(Time)
    drop_in: Mapped[bool] = mapped_column(Boolean, default=False)

    service: Mapped[Service] = relationship(back_populates="sessions")


class ScheduleException(Base):
    """A dated change: closed all day, or an extra session."""

    __tablename__ = "schedule_exception"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean, default=True)
    opens_at: Mapped[time | None] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(255), default="")

    service: Mapped[Service] = relationship(back_populates="exceptions")
