"""The needs taxonomy: what L&D practitioners screen for."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from directory.db import Base
from matcher.vocabulary import NeedGroup, RecipientKind


class Need(Base):
    """One need code (e.g. ``NO_BED_TONIGHT``) with its label, group and flags, what it triggers in the
    matcher's rules (``roles``: :class:`matcher.vocabulary.NeedRole` codes), which kind of recipient
    a referral for it goes to (what consent is asked about), and the everyday words (``synonyms``, from
    ``seeds/need_synonyms.csv``) that mean it in a search."""

    __tablename__ = "need"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))
    group: Mapped[NeedGroup]
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    basic: Mapped[bool] = mapped_column(Boolean, default=False)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    recipient: Mapped[RecipientKind] = mapped_column(
        default=RecipientKind.COMMUNITY, server_default=RecipientKind.COMMUNITY.value
    )
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
