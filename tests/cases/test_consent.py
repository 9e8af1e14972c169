"""Consent gates every handover beyond signposting; a legal exception needs a reason, shown prominently."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from directory.cases import records, referrals
from directory.cases.common import CaseError
from directory.models import Case
from tests.cases import factories as make
from tests.cases.conftest import World, client_for, open_case_over_http


def _refer(client: object, url: str, rank: int, level: str) -> tuple[int, str]:
    response = client.post(f"{url}/items/{rank}/refer", data={"level": level})  # type: ignore[attr-defined]
    return response.status_code, response.get_data(as_text=True)


def _ranks(db: Session, url: str, world: World) -> tuple[int, int]:
    db.expire_all()
    case = db.get(Case, url.rsplit("/", 1)[1])
    assert case is not None
    return make.rank_of(case, world.services["housing"]), make.rank_of(case, world.services["alcohol"])


def test_without_consent_only_signposting(app: Flask, world: World, db: Session) -> None:
    client = client_for(app, world.pat)
    url = open_case_over_http(client)
    housing, alcohol = _ranks(db, url, world)
    assert 'data-testid="consent-missing"' in client.get(url).get_data(as_text=True)
    form = client.get(f"{url}/items/{housing}/refer").get_data(as_text=True)
    assert 'value="signposted"' in form
    assert 'value="referral_sent"' not in form

    status, page = _refer(client, url, housing, "referral_sent")  # posted anyway
    assert status == 400
    assert "There is a problem" in page
    assert "No consent is recorded yet, so you can only signpost" in page
    assert _refer(client, url, alcohol, "signposted")[0] == 302


def test_refused_consent_means_signposting_only(app: Flask, world: World, db: Session) -> None:
    client = client_for(app, world.pat)
    url = open_case_over_http(client)
    housing, _alcohol = _ranks(db, url, world)
    client.post(f"{url}/consent", data={"decision": "refused", "method": "verbal"})
    assert 'data-testid="consent-refused"' in client.get(url).get_data(as_text=True)
    status, page = _refer(client, url, housing, "three_way_call")
    assert status == 400
    assert "did not consent to sharing" in page


def test_consent_covers_only_the_kinds_of_recipient_agreed(app: Flask, world: World, db: Session) -> None:
    client = client_for(app, world.pat)
    url = open_case_over_http(client)
    housing, alcohol = _ranks(db, url, world)
    form = client.get(f"{url}/consent").get_data(as_text=True)
    assert "Housing and homelessness services" in form
    assert "Housing options" in form  # which package services fall under each kind
    client.post(
        f"{url}/consent",
        data={"decision": "given", "shares": ["needs"], "recipients": ["housing"], "method": "verbal"},
    )
    assert _refer(client, url, housing, "referral_sent")[0] == 302
    status, page = _refer(client, url, alcohol, "referral_sent")
    assert status == 400
    assert "has not agreed to share with health services" in page


def test_a_legal_exception_needs_a_ground_and_a_reason_and_is_shown_prominently(
    app: Flask, world: World, db: Session
) -> None:
    client = client_for(app, world.pat)
    url = open_case_over_http(client)
    housing, _alcohol = _ranks(db, url, world)
    incomplete = client.post(
        f"{url}/consent", data={"decision": "exception", "shares": ["needs"], "recipients": ["housing"]}
    )
    page = incomplete.get_data(as_text=True)
    assert incomplete.status_code == 400
    assert "Choose the legal exception that applies" in page

    no_reason = client.post(
        f"{url}/consent",
        data={
            "decision": "exception",
            "shares": ["needs"],
            "recipients": ["housing"],
            "exception_ground": "vital_interests",
        },
    )
    assert no_reason.status_code == 400
    assert "Give the reason for sharing without consent" in no_reason.get_data(as_text=True)

    recorded = client.post(
        f"{url}/consent",
        data={
            "decision": "exception",
            "shares": ["needs", "safety"],
            "recipients": ["housing"],
            "exception_ground": "vital_interests",
            "reason": "Sleeping rough at minus 5 tonight with a head injury: serious risk to life",
        },
    )
    assert recorded.status_code == 302
    case_page = client.get(url).get_data(as_text=True)
    assert 'data-testid="consent-exception"' in case_page
    assert "Shared without consent: Vital interests" in case_page
    assert "serious risk to life" in case_page
    assert case_page.index("consent-exception") < case_page.index("Referrals")  # above everything else
    assert _refer(client, url, housing, "three_way_call")[0] == 302


def test_consent_rules_in_the_service(app: Flask, world: World, db: Session) -> None:
    case = make.open_case(db, world.pat)
    with pytest.raises(CaseError, match="how the person's decision was recorded"):
        records.record_consent(
            db, world.pat, case, decision="given", shares=["needs"], recipients=["housing"]
        )
    with pytest.raises(CaseError, match="Choose what may be shared"):
        records.record_consent(db, world.pat, case, decision="given", recipients=["housing"], method="verbal")
    with pytest.raises(CaseError, match="Choose from the options"):
        records.record_consent(
            db,
            world.pat,
            case,
            decision="given",
            shares=["everything"],
            recipients=["housing"],
            method="verbal",
        )
    make.consent(db, world.pat, case)
    records.record_consent(db, world.pat, case, decision="refused", method="verbal")  # withdrawn later
    assert case.consent is not None
    assert case.consent.decision == "refused"
    assert referrals.allowed_levels(case, ["NO_BED_TONIGHT"]) == ["signposted"]
