"""A failed write to a case table never puts what the practitioner typed into the logs."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from directory.db import get_session
from directory.models import ConsentRecord, Referral

REASON = "Disclosed risk to a child at home"
NOTE = "Lives with his sister at 4 Elm Road"


def test_a_failed_case_write_logs_no_parameters(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    @app.post("/test-failed-case-write")
    def failed_write() -> str:
        # No decision and a case that does not exist: the database refuses the row (PostgreSQL's
        # message would quote the whole failing row), and the app logs the error.
        session = get_session()
        session.add(ConsentRecord(case_id="no-such-case", decision=None, reason=REASON))
        session.add(
            Referral(case_id="no-such-case", rank=1, service_name="Housing", level="H1", decline_note=NOTE)
        )
        session.flush()
        return "written"

    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # even with statement logging on
    try:
        response = app.test_client().post("/test-failed-case-write")
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert response.status_code == 500
    assert "Unhandled database error" in caplog.text  # the failure itself is logged...
    assert "consent_record" in caplog.text or "INSERT INTO referral" in caplog.text
    assert REASON not in caplog.text  # ...but never what was typed
    assert NOTE not in caplog.text
    assert "no-such-case" not in caplog.text
