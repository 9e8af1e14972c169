"""Staged uploads for the curator's preview and confirm steps."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from directory.feeds.importer import run_import
from directory.feeds.uploads import UploadError, discard, stage_upload, staged_file

FEED = Path(__file__).parents[1] / "data" / "feeds" / "council_feed.json"


def test_preview_then_confirm_imports_the_staged_file(db: Session, tmp_path: Path) -> None:
    token = stage_upload(str(tmp_path), "council.json", io.BytesIO(FEED.read_bytes()), max_bytes=10_000_000)
    staged = staged_file(str(tmp_path), token)
    assert staged is not None
    preview = run_import(db, staged, source="council", dry_run=True)
    assert preview.summary() == "services: 3 created, 0 updated, 0 unchanged, 0 retired"
    confirmed = run_import(db, staged, source="council")
    db.commit()
    assert confirmed.applied
    discard(str(tmp_path), token)
    assert staged_file(str(tmp_path), token) is None


def test_uploads_of_the_wrong_type_or_size_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match=r"\.json, \.csv or \.zip"):
        stage_upload(str(tmp_path), "feed.xlsx", io.BytesIO(b"x"), max_bytes=10)
    with pytest.raises(UploadError, match="larger than"):
        stage_upload(str(tmp_path), "feed.json", io.BytesIO(b"x" * 3_000_000), max_bytes=2_000_000)
    with pytest.raises(UploadError, match="cannot be opened"):
        stage_upload(str(tmp_path), "feed.zip", io.BytesIO(b"not a zip"), max_bytes=100)
    assert staged_file(str(tmp_path), "../../etc") is None
    assert list((tmp_path / "feed-uploads").iterdir()) == []
