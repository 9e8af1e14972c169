"""Coded columns hold the vocabulary's plain strings: a stray code is refused, rows read back as enums."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from directory.models import Service
from matcher.vocabulary import CapacityStatus, ServiceStatus
from tests.auth import factories as make


def test_a_coded_column_stores_the_plain_string_and_reads_back_the_enum(db: Session) -> None:
    svc = make.service(db, make.organisation(db, "Org"), "Day centre", status="temporarily_closed")
    db.commit()
    stored = db.execute(
        text("SELECT status, capacity_status FROM service WHERE id = :id"), {"id": svc.id}
    ).one()
    assert tuple(stored) == ("temporarily_closed", "accepting")
    db.expire_all()
    found = db.scalars(select(Service).where(Service.status == "temporarily_closed")).one()
    assert found.status is ServiceStatus.TEMPORARILY_CLOSED
    assert found.capacity_status is CapacityStatus.ACCEPTING


def test_a_code_outside_the_vocabulary_is_refused(db: Session) -> None:
    svc = make.service(db, make.organisation(db, "Org"), "Day centre")
    db.commit()
    svc.status = "open"  # type: ignore[assignment]  # the type checker refuses it too
    with pytest.raises(StatementError, match="open"):
        db.flush()
    db.rollback()
