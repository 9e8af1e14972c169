"""Uploaded feed files kept between a curator's preview (dry run) and confirmation.

A file is saved under the instance folder with a random token; the preview shows the dry-run report,
the confirm step imports the same file by its token, then discards it.
"""

from __future__ import annotations

import re
import secrets
import shutil
import zipfile
from pathlib import Path
from typing import BinaryIO

UPLOADS = "feed-uploads"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
SUFFIXES = (".json", ".csv", ".zip")


class UploadError(ValueError):
    """An upload that cannot be kept; the message is fit to show."""


def stage_upload(instance_path: str, filename: str, stream: BinaryIO, max_bytes: int) -> str:
    """Save an uploaded file; returns its token. Raises UploadError for a wrong type or size."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadError("Choose a .json, .csv or .zip file")
    token = secrets.token_urlsafe(24)
    folder = Path(instance_path) / UPLOADS / token
    folder.mkdir(parents=True)
    target = folder / f"upload{suffix}"
    written = 0
    with target.open("wb") as handle:
        while chunk := stream.read(1024 * 1024):
            written += len(chunk)
            if written > max_bytes:
                handle.close()
                discard(instance_path, token)
                raise UploadError(f"The file is larger than {max_bytes // 1_048_576} MB")
            handle.write(chunk)
    if suffix == ".zip" and not zipfile.is_zipfile(target):
        discard(instance_path, token)
        raise UploadError("The .zip file cannot be opened")
    return token


def staged_file(instance_path: str, token: str) -> Path | None:
    """The file saved under ``token``, or None (unknown or malformed token)."""
    if not _TOKEN.match(token or ""):
        return None
    folder = Path(instance_path) / UPLOADS / token
    found = sorted(folder.glob("upload.*")) if folder.is_dir() else []
    return found[0] if found else None


def discard(instance_path: str, token: str) -> None:
    """Delete a staged upload (after import, or when the curator cancels)."""
    if _TOKEN.match(token or ""):
        shutil.rmtree(Path(instance_path) / UPLOADS / token, ignore_errors=True)
