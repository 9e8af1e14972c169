"""The curator's import screens: upload, preview (dry run), confirm; the taxonomy mapping table."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from directory.feeds.apply import BulkWriter
from directory.feeds.curation import mark_curated
from directory.feeds.uploads import UPLOADS
from directory.models import AuditEvent, Service, TaxonomyMapping
from tests.auth import factories as make

DATA = Path(__file__).parents[1] / "data"
FEED = DATA / "feeds" / "council_feed.json"
FOOD_BANK = "5a1d3c0e-0000-4000-8000-000000000001"


def curator(app: Flask, db: Session) -> FlaskClient:
    person = make.user(db, "curator", "curator@example.org")
    db.commit()
    return make.sign_in(app.test_client(), person)


def upload(client: FlaskClient, content: bytes, filename: str = "council.json", **fields: str):  # type: ignore[no-untyped-def]
    data = {"file": (io.BytesIO(content), filename), **fields}
    return client.post("/imports/", data=data, content_type="multipart/form-data")


def counts(page: str, kind: str = "services") -> dict[str, int]:
    row = page.split(f'data-testid="counts-{kind}"', 1)[1].split("</tr>", 1)[0]
    return {o: int(n) for o, n in re.findall(r'data-outcome="(\w+)">(\d+)<', row)}


def services(db: Session) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(Service)) or 0)


def staged(app: Flask) -> list[Path]:
    folder = Path(app.instance_path) / UPLOADS
    return list(folder.iterdir()) if folder.exists() else []


def test_upload_preview_confirm_then_reupload_is_unchanged(app: Flask, db: Session) -> None:
    client = curator(app, db)
    response = upload(client, FEED.read_bytes(), source="lewisham-council")
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    assert "source=lewisham-council" in preview_url

    page = client.get(preview_url).get_data(as_text=True)
    assert counts(page) == {"created": 3, "updated": 0, "unchanged": 0, "retired": 0}
    assert "Nothing has been saved yet" in page
    # The feed's own category is unknown; it links to the mapping screen, filled in.
    assert "LEW-FOOD-7 (Food vouchers)" in page
    assert "/imports/mappings/edit?taxonomy=lewisham+categories&amp;term=LEW-FOOD-7" in page
    assert services(db) == 0  # a preview saves nothing

    token = preview_url.split("/imports/", 1)[1].split("?", 1)[0]
    form = {"source": "lewisham-council", "overwrite": "", "filename": "council.json"}
    result = client.post(f"/imports/{token}/confirm", data=form)
    assert result.status_code == 200
    text = result.get_data(as_text=True)
    assert "Import complete" in text
    assert counts(text) == {"created": 3, "updated": 0, "unchanged": 0, "retired": 0}
    assert services(db) == 3
    assert db.get(Service, FOOD_BANK) is not None
    assert staged(app) == []  # the upload is gone once imported
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "import.applied"))
    assert event is not None
    assert event.actor_label == "curator@example.org"
    assert event.changes["services"]["after"]["created"] == 3
    # The token cannot be confirmed twice.
    assert client.post(f"/imports/{token}/confirm", data=form).status_code == 404

    again = upload(client, FEED.read_bytes(), source="lewisham-council")
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert counts(page) == {"created": 0, "updated": 0, "unchanged": 3, "retired": 0}


def test_conflicts_with_curators_corrections_are_shown(app: Flask, db: Session) -> None:
    client = curator(app, db)
    token_url = upload(client, FEED.read_bytes(), source="council").headers["Location"]
    token = token_url.split("/imports/", 1)[1].split("?", 1)[0]
    client.post(f"/imports/{token}/confirm", data={"source": "council", "overwrite": ""})
    food = db.get(Service, FOOD_BANK)
    assert food is not None
    food.name = "Food bank (corrected by a curator)"
    mark_curated(db, food, ["name"])
    db.commit()

    page = client.get(upload(client, FEED.read_bytes(), source="council").headers["Location"]).get_data(
        as_text=True
    )
    conflicts = page.split('id="conflicts"', 1)[1].split("</table>", 1)[0]
    assert "Food bank (corrected by a curator)" in conflicts
    assert "The curator&#39;s value is kept" in conflicts
    overwrite = client.get(
        upload(client, FEED.read_bytes(), source="council", overwrite="y").headers["Location"]
    ).get_data(as_text=True)
    assert "The feed&#39;s value replaces it" in overwrite
    assert "Replaced by the feed" in overwrite


def test_a_bad_file_shows_its_errors_and_changes_nothing(app: Flask, db: Session) -> None:
    client = curator(app, db)
    items = json.loads(FEED.read_text())
    items[1]["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "ZZ99 9ZZ"
    response = upload(client, json.dumps(items).encode(), source="council")
    page = client.get(response.headers["Location"])
    text = page.get_data(as_text=True)
    assert "The file cannot be imported" in text
    problems = text.split('id="problems"', 1)[1].split("</table>", 1)[0]
    assert "postcode district ZZ99" in problems
    assert "Error" in problems
    assert "Confirm import" not in text  # only Cancel
    token = response.headers["Location"].split("/imports/", 1)[1].split("?", 1)[0]
    # Posting Confirm anyway: 422 and nothing saved.
    refused = client.post(f"/imports/{token}/confirm", data={"source": "council", "overwrite": ""})
    assert refused.status_code == 422
    assert services(db) == 0
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "import.applied")) is None
    # Cancel deletes the upload.
    assert client.post(f"/imports/{token}/cancel").status_code == 302
    assert staged(app) == []

    not_json = client.get(upload(client, b"{not json", source="council").headers["Location"])
    assert "The file cannot be imported" in not_json.get_data(as_text=True)


def _refused_by_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer writes every row, then the database refuses a statement (as a constraint would)."""
    write_all = BulkWriter.run

    def write_then_fail(writer: BulkWriter) -> None:
        write_all(writer)
        writer.conn.execute(text("INSERT INTO no_such_table VALUES (1)"))

    monkeypatch.setattr(BulkWriter, "run", write_then_fail)


def test_a_database_refusal_saves_nothing_and_says_so(
    app: Flask, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = curator(app, db)
    response = upload(client, FEED.read_bytes(), source="council")
    token = response.headers["Location"].split("/imports/", 1)[1].split("?", 1)[0]
    _refused_by_the_database(monkeypatch)
    refused = client.post(f"/imports/{token}/confirm", data={"source": "council", "overwrite": ""})
    assert refused.status_code == 422
    assert "the database refused the import, so nothing was saved" in refused.get_data(as_text=True)
    assert services(db) == 0
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "import.applied")) is None
    # The request after it starts clean.
    assert client.get("/imports/").status_code == 200


def test_the_import_command_saves_nothing_the_database_refuses(
    app: Flask, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _refused_by_the_database(monkeypatch)
    result = app.test_cli_runner().invoke(args=["import", str(FEED), "--source", "council"])
    assert result.exit_code == 1
    assert "the database refused the import, so nothing was saved" in result.output
    assert services(db) == 0


def test_upload_form_errors_re_render_with_a_summary(app: Flask, db: Session) -> None:
    client = curator(app, db)
    wrong_type = upload(client, b"a,b\n", filename="feed.xlsx", source="council")
    assert wrong_type.status_code == 400
    text = wrong_type.get_data(as_text=True)
    assert "There is a problem" in text
    assert "Choose a .json, .csv or .zip file" in text
    assert 'value="council"' in text  # what was typed is kept
    bad_source = upload(client, FEED.read_bytes(), source="Not A Source!")
    assert bad_source.status_code == 400
    assert "Enter a valid source name" in bad_source.get_data(as_text=True)
    missing = client.post("/imports/", data={"source": "x"}, content_type="multipart/form-data")
    assert "Choose a file to import" in missing.get_data(as_text=True)
    assert staged(app) == []


def test_an_upload_over_the_request_limit_gets_the_413_page(app: Flask, db: Session) -> None:
    client = curator(app, db)
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    response = upload(client, b" " * 60_000, source="council")
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
    assert staged(app) == []


@pytest.mark.parametrize("role", [None, "practitioner", "editor"])
def test_only_curators_and_admins_may_import(app: Flask, db: Session, role: str | None) -> None:
    client = app.test_client()
    if role:
        user = make.user(db, role)
        db.commit()
        make.sign_in(client, user)
    for method, url in (
        ("GET", "/imports/"),
        ("POST", "/imports/"),
        ("GET", "/imports/mappings"),
        ("POST", "/imports/mappings/edit"),
        ("POST", "/imports/mappings/delete"),
        ("POST", "/imports/" + "x" * 32 + "/confirm"),
    ):
        response = client.open(url, method=method, data={})
        if role is None:
            assert response.status_code == 302, url
            assert "/login" in response.headers["Location"], url
        else:
            assert response.status_code == 403, url
    nav = client.get("/").get_data(as_text=True)
    assert 'href="/imports/"' not in nav


def test_curators_add_change_and_delete_mappings(app: Flask, db: Session) -> None:
    client = curator(app, db)
    assert 'href="/imports/"' in client.get("/").get_data(as_text=True)  # in the navigation
    form = client.get(
        "/imports/mappings/edit?taxonomy=Lewisham+categories&term=LEW-FOOD-7&term_name=Food+vouchers"
    ).get_data(as_text=True)
    assert 'value="lewisham categories"' in form
    assert 'value="Food vouchers"' in form
    assert 'value="FOOD_ESSENTIALS"' in form  # needs as checkboxes
    saved = client.post(
        "/imports/mappings/edit",
        data={
            "taxonomy": "lewisham categories",
            "term": "LEW-FOOD-7",
            "term_name": "Food vouchers",
            "need_codes": ["FOOD_ESSENTIALS"],
        },
    )
    assert saved.status_code == 302
    listing = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "LEW-FOOD-7" in listing
    assert "Food vouchers" in listing

    # The feed's term now maps: the preview no longer lists it, and the service gets the need.
    preview = client.get(upload(client, FEED.read_bytes(), source="council").headers["Location"])
    assert "LEW-FOOD-7" not in preview.get_data(as_text=True)

    unknown = client.post(
        "/imports/mappings/edit",
        data={"taxonomy": "lewisham categories", "term": "LEW-FOOD-7", "need_codes": ["NOT_A_NEED"]},
    )
    assert unknown.status_code == 400
    assert "There is a problem" in unknown.get_data(as_text=True)
    empty = client.post("/imports/mappings/edit", data={"taxonomy": "", "term": ""})
    assert empty.status_code == 400
    assert "Enter the term" in empty.get_data(as_text=True)

    deleted = client.post(
        "/imports/mappings/delete", data={"taxonomy": "lewisham categories", "term": "LEW-FOOD-7"}
    )
    assert deleted.status_code == 302
    db.expire_all()
    left = db.scalar(
        select(func.count()).select_from(TaxonomyMapping).where(TaxonomyMapping.term == "LEW-FOOD-7")
    )
    assert left == 0
    assert client.post("/imports/mappings/delete", data={"taxonomy": "x", "term": "y"}).status_code == 404
    actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "taxonomy_mapping")))
    assert sorted(actions) == ["mapping.added", "mapping.deleted"]


def test_an_unknown_upload_token_is_not_found(app: Flask, db: Session) -> None:
    client = curator(app, db)
    assert client.get("/imports/" + "a" * 32).status_code == 404
    assert client.get("/imports/..%2F..%2Fetc").status_code == 404


def test_a_deeply_nested_upload_is_refused_at_preview(app: Flask, db: Session) -> None:
    client = curator(app, db)
    deep = b"[" * 1_000 + b"]" * 1_000  # the reader was unbounded: 100,000 levels took 23 GB
    page = client.get(upload(client, deep, source="council").headers["Location"]).get_data(as_text=True)
    assert "The file cannot be imported" in page
    assert "arrays and objects nest more than 64 levels deep" in page
    assert "Confirm import" not in page
    assert services(db) == 0
