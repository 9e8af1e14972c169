"""Retention: ``flask purge`` removes personal fields a set time after closure and keeps the counts."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.cases import records, referrals, retention
from directory.models import AuditEvent, Case
from directory.models.base import utcnow
from matcher.vocabulary import LONDON
from tests.cases import factories as make
from tests.cases.conftest import World, client_for


def _closed_case(db: Session, world: World, reference: str, closed_days_ago: int, **person: object) -> Case:
    case = make.open_case(db, world.pat, reference)
    case.person_name = "Alex Smith"
    make.consent(db, world.pat, case)
    records.record_consent(
        db,
        world.pat,
        case,
        decision="exception",
        shares=["needs"],
        recipients=["housing"],
        exception_ground="safeguarding",
        reason="Children in the home are at risk from the partner",
    )
    referral = referrals.make_referral(
        db,
        world.pat,
        case,
        make.rank_of(case, world.services["housing"]),
        "appointment_booked",
        appointment_at=datetime(2026, 11, 2, 14, 0, tzinfo=LONDON),
        appointment_place="Laurence House, Catford",
        note="Alex was anxious about going",
    )
    referrals.record_step(
        db, world.pat, referral, "declined", decline_reason="not_eligible", note="Not local to Alex"
    )
    referrals.record_step(
        db, world.pat, referral, "closed", outcome="not_met", outcome_reason="not_eligible", note="Alex upset"
    )
    records.close_case(db, world.pat, case, "Alex moved away")
    case.closed_at = utcnow() - timedelta(days=closed_days_ago)
    db.flush()
    return case


def test_purge_removes_personal_fields_and_keeps_the_counts(app: Flask, world: World, db: Session) -> None:
    old = _closed_case(db, world, "OLD1", closed_days_ago=400)
    recent = _closed_case(db, world, "NEW1", closed_days_ago=300)
    still_open = make.open_case(db, world.pat, "OPEN1")
    db.commit()
    before = retention.counts(db)

    assert retention.purge(db, months=12) == 1
    db.commit()
    db.expire_all()

    assert retention.counts(db) == before
    assert old.purged_at is not None
    assert old.reference is None
    assert old.person_name is None
    stored = json.dumps(
        [
            old.attributes,
            old.plan,
            old.closing_note,
            [c.reason for c in old.consents],
            [(r.appointment_place, r.decline_note, r.outcome_note) for r in old.referrals],
            [e.detail for e in old.events],
        ]
    )
    for personal in (
        "Alex",
        "OLD1",
        "SE13",
        "Text only",
        "Laurence House",
        "Children in the home",
        '"age": 34',
    ):
        assert personal not in stored
    assert old.attributes["age_band"] == "25-34"
    assert old.needs == ["NO_BED_TONIGHT", "SUBST_ALCOHOL"]
    assert [(r.level, r.status, r.decline_reason, r.outcome) for r in old.referrals] == [
        ("appointment_booked", "closed", "not_eligible", "not_met")
    ]
    assert recent.reference == "NEW1"  # closed 300 days ago: kept for now
    assert recent.person_name == "Alex Smith"
    assert still_open.reference == "OPEN1"
    purged = db.scalar(select(AuditEvent).where(AuditEvent.action == "case.purged"))
    assert purged is not None
    assert purged.object_id == old.id


def test_purge_is_idempotent(app: Flask, world: World, db: Session) -> None:
    _closed_case(db, world, "OLD2", closed_days_ago=500)
    db.commit()
    assert retention.purge(db, months=12) == 1
    db.commit()
    assert retention.purge(db, months=12) == 0


def test_the_purge_command_uses_the_retention_setting(app: Flask, world: World, db: Session) -> None:
    case = _closed_case(db, world, "OLD3", closed_days_ago=45)
    case_id = case.id
    db.commit()
    runner = app.test_cli_runner()
    kept = runner.invoke(args=["purge"])
    assert "Purged personal fields from 0 case(s) closed more than 12 month(s) ago." in kept.output
    app.config["CASE_RETENTION_MONTHS"] = 1
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert "1 case(s) closed more than 1 month(s) ago would be purged." in dry.output
    done = runner.invoke(args=["purge"])
    assert "Purged personal fields from 1 case(s)" in done.output
    again = runner.invoke(args=["purge"])
    assert "Purged personal fields from 0 case(s)" in again.output
    counts = json.loads(runner.invoke(args=["case-counts"]).output)
    assert counts["cases"] == 1
    assert counts["referrals_by_level"] == {"appointment_booked": 1}
    assert counts["outcomes"] == {"not_met": 1}

    db.expire_all()
    client = client_for(app, world.pat)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "personal details were removed" in page
    assert "Alex" not in page
    assert "This plan has been removed" in client.get(f"/cases/{case_id}/plan").get_data(as_text=True)
    assert client.post(f"/cases/{case_id}/consent", data={"decision": "refused"}).status_code == 403


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    assert retention.months_before(datetime(2027, 3, 31, 12, 0), 1) == datetime(2027, 2, 28, 12, 0)
    assert retention.months_before(datetime(2027, 1, 15), 12) == datetime(2026, 1, 15)
