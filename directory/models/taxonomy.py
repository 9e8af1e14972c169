"""The needs taxonomy: what L&D practitioners screen for."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.db import Base

NEED_GROUPS = ("risk", "basic", "health", "social")
GROUP_LABELS = {
    "risk": "Risk and safety",
    "basic": "Basic needs",
    "health": "Health",
    "social": "Work, family and wellbeing",
}


class Need(Base):
    """One need code (e.g. ``NO_BED_TONIGHT``) with its label, group and flags, and the everyday words
    (``synonyms``, from ``seeds/need_synonyms.csv``) that mean it in a search."""

    __tablename__ = "need"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))
    group: Mapped[str] = mapped_column(String(20))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    basic: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)
