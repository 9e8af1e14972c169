"""Feed support: how terms from other taxonomies map to our need codes."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from directory.db import Base


class TaxonomyMapping(Base):
    """One external taxonomy term mapped to one of our need codes.

    ``taxonomy`` is a normalised key (``open_eligibility``, ``esd_services``, or a feed's own taxonomy
    name, lower-cased); ``term`` is the term's code (or its name when the feed gives no code). A term may
    map to several needs (several rows). ``need_code`` NULL records a term deliberately left unmapped, so
    it is no longer reported as unknown.
    """

    __tablename__ = "taxonomy_mapping"
    __table_args__ = (
        UniqueConstraint("taxonomy", "term", "need_code", name="uq_taxonomy_mapping_term_need"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    taxonomy: Mapped[str] = mapped_column(String(100), index=True)
    term: Mapped[str] = mapped_column(String(255))
    term_name: Mapped[str] = mapped_column(String(255), default="")
    need_code: Mapped[str | None] = mapped_column(ForeignKey("need.code"))
