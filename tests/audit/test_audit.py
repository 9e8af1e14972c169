"""The audit log: append-only (the ORM and the database refuse changes), views, CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from directory import audit
from directory.audit import queries
from directory.models import AuditEvent
from directory.models.audit import AppendOnlyError
from tests.auth import factories as make


def _event(db: Session) -> AuditEvent:
    event = audit.record(
        db,
        None,
        "service.operational_updated",
        "service",
        "s-1",
        "Listing",
        changes={"alert": {"before": None, "after": "Closed"}},
    )
    db.commit()
    return event


def test_the_orm_refuses_to_change_or_delete_events(app: Flask, db: Session) -> None:
    event = _event(db)
    event.reason = "rewriting history"
    with pytest.raises(AppendOnlyError):
        db.flush()
    db.rollback()
    db.delete(event)
    with pytest.raises(AppendOnlyError):
        db.flush()
    db.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEvent).values(reason="rewritten"),
        delete(AuditEvent),
        text("UPDATE audit_event SET actor_label = 'someone else'"),
        text("DELETE FROM audit_event"),
    ],
    ids=["orm-update", "orm-delete", "sql-update", "sql-delete"],
)
def test_the_database_refuses_to_change_or_delete_events(app: Flask, db: Session, statement: object) -> None:
    _event(db)
    with pytest.raises(DatabaseError, match="append-only"):
        db.execute(statement)  # type: ignore[call-overload]
    db.rollback()
    assert db.scalar(select(AuditEvent.reason)) == ""


def _staff_world(app: Flask, db: Session):  # type: ignore[no-untyped-def]
    org = make.organisation(db, "Agency A")
    editor = make.user(db, "editor", "ed@example.org", organisations=[org])
    curator = make.user(db, "curator", "cu@example.org")
    svc = make.service(db, org, "Drop-in advice")
    db.commit()
    return make.sign_in(app.test_client(), editor), make.sign_in(app.test_client(), curator), svc, editor


def test_history_per_listing_and_per_user(app: Flask, db: Session) -> None:
    editor_client, curator_client, svc, editor = _staff_world(app, db)
    svc_id, editor_id = svc.id, editor.id
    editor_client.post(
        f"/listings/{svc_id}/update",
        data={"capacity_status": "at_capacity", "version": svc.version, "alert": '=HYPERLINK("x")'},
    )
    listing = editor_client.get(f"/listings/{svc_id}/history").get_data(as_text=True)
    assert "Changed capacity, closure or alert" in listing
    assert "At capacity" in listing
    assert ">service.operational_updated<" not in listing  # the action in words, not its code
    assert "at_capacity" not in listing
    assert "ed@example.org" in listing
    by_user = curator_client.get(f"/audit?user={editor_id}").get_data(as_text=True)
    assert "Changed capacity, closure or alert" in by_user
    everything = curator_client.get("/audit?action=service.operational_updated").get_data(as_text=True)
    assert "1 event" in everything


def test_csv_export_has_a_row_per_changed_field_and_is_safe_in_spreadsheets(app: Flask, db: Session) -> None:
    editor_client, curator_client, svc, _editor = _staff_world(app, db)
    svc_id = svc.id
    editor_client.post(
        f"/listings/{svc_id}/update",
        data={
            "capacity_status": "waiting_list",
            "wait_days": "7",
            "version": svc.version,
            "alert": '=HYPERLINK("http://x")',
        },
    )
    response = curator_client.get(f"/audit/export.csv?service={svc_id}")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    fields = {row["field"]: row for row in rows if row["action"] == "service.operational_updated"}
    assert set(fields) == {"capacity_status", "wait_days", "alert"}
    assert (fields["capacity_status"]["before"], fields["capacity_status"]["after"]) == (
        "accepting",
        "waiting_list",
    )
    assert fields["alert"]["after"] == '\'=HYPERLINK("http://x")'  # never runs as a formula
    assert fields["wait_days"]["actor"] == "ed@example.org"
    assert editor_client.get("/audit/export.csv").status_code == 403


def test_the_log_and_a_listings_history_page_through_more_than_one_page(app: Flask, db: Session) -> None:
    _editor_client, curator_client, svc, _editor = _staff_world(app, db)
    for number in range(queries.PAGE_SIZE + 5):
        audit.record(
            db, None, "service.operational_updated", "service", svc.id, svc.name, reason=f"r{number}"
        )
    db.commit()
    for url in (
        "/audit",
        "/audit?page=2",
        f"/listings/{svc.id}/history",
        f"/listings/{svc.id}/history?page=2",
    ):
        response = curator_client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert "govuk-pagination" in page, url
    first = curator_client.get("/audit").get_data(as_text=True)
    assert "page=2" in first
    assert "Next" in first
