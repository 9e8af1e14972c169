"""Curators' import screens: upload a feed, preview what would change, confirm; the taxonomy mapping."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from directory import needs
from directory.auth.permissions import Permission, require
from directory.auth.sessions import signed_in_user
from directory.auth.views import Page
from directory.db import get_session
from directory.feeds import audited, uploads
from directory.feeds.forms import ConfirmImportForm, MappingForm, UploadForm
from directory.feeds.importer import DEFAULT_MAX_BYTES, default_source, run_import
from directory.feeds.mapping import MappingError, list_mappings
from directory.feeds.report import ImportReport
from directory.oruk.parse import taxonomy_key

bp = Blueprint("imports", __name__, url_prefix="/imports")


def _max_bytes() -> int:
    """The largest upload kept: the import limit, within the request limit."""
    limits = [int(current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))]
    if current_app.config.get("MAX_CONTENT_LENGTH"):
        limits.append(int(current_app.config["MAX_CONTENT_LENGTH"]))
    return min(limits)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> tuple[str, int]:
    limit = int(current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1_048_576
    return render_template(
        "errors/error.html",
        status=413,
        title="The file is too large",
        message=f"Files uploaded here can be up to {limit} MB. Import a larger feed with "
        "flask --app directory import on the server.",
    ), 413


# Uploading, previewing and confirming.
@bp.route("/", methods=["GET", "POST"])
def upload() -> Page:
    """The upload form; a good file is kept under a token and the curator sees its preview."""
    require(Permission.IMPORT_FEEDS)
    form = UploadForm()
    errors: list[dict[str, str]] = []
    if form.validate_on_submit():
        chosen = form.file.data
        filename = Path(chosen.filename or "").name
        try:
            token = uploads.stage_upload(current_app.instance_path, filename, chosen.stream, _max_bytes())
        except uploads.UploadError as error:
            form.file.errors = [str(error)]
        else:
            source = (form.source.data or "").strip() or default_source(Path(filename))
            return redirect(
                url_for(
                    "imports.preview",
                    token=token,
                    source=source,
                    overwrite="1" if form.overwrite.data else None,
                    filename=filename,
                )
            )
    status = 400 if request.method == "POST" else 200
    return render_template(
        "imports/upload.html", form=form, extra_errors=errors, max_mb=_max_bytes() // 1_048_576
    ), status


def _staged(token: str) -> Path:
    path = uploads.staged_file(current_app.instance_path, token)
    if path is None:
        abort(404, "This upload is no longer here (it was imported or cancelled). Upload the file again.")
    return path


def _options(values: dict[str, str]) -> tuple[str, bool, str]:
    """(source, overwrite, original file name) from the preview's query or the confirm form."""
    return (
        (values.get("source") or "").strip(),
        values.get("overwrite") == "1",
        Path(values.get("filename") or "").name,
    )


def _preview_page(
    token: str, report: ImportReport, filename: str, overwrite: bool, status: int = 200
) -> Page:
    form = ConfirmImportForm(
        formdata=None, source=report.source, overwrite="1" if overwrite else "", filename=filename
    )
    return render_template(
        "imports/preview.html",
        token=token,
        report=report,
        filename=filename,
        overwrite=overwrite,
        counts=audited.counts_table(report),
        form=form,
    ), status


@bp.get("/<token>")
def preview(token: str) -> Page:
    """What the import would do (a dry run: nothing is saved), with Confirm and Cancel."""
    require(Permission.IMPORT_FEEDS)
    path = _staged(token)
    source, overwrite, filename = _options(request.args)
    report = run_import(
        get_session(),
        path,
        source=source or None,
        dry_run=True,
        overwrite=overwrite,
        max_bytes=_max_bytes(),
        full_postcodes_file=current_app.config.get("FULL_POSTCODES_FILE", ""),
    )
    return _preview_page(token, report, filename, overwrite)


@bp.post("/<token>/confirm")
def confirm(token: str) -> Page:
    """Import the staged file for real; errors (the data changed since the preview) save nothing."""
    require(Permission.IMPORT_FEEDS)
    path = _staged(token)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    source, overwrite, filename = _options(request.form)
    report = audited.import_feed(
        get_session(),
        signed_in_user(),
        path,
        source=source,
        overwrite=overwrite,
        filename=filename,
        max_bytes=_max_bytes(),
        full_postcodes_file=current_app.config.get("FULL_POSTCODES_FILE", ""),
    )
    if not report.ok:
        # 422 rolls the request back, so nothing of the failed import is kept.
        return _preview_page(token, report, filename, overwrite, status=422)
    uploads.discard(current_app.instance_path, token)
    return render_template(
        "imports/result.html", report=report, filename=filename, counts=audited.counts_table(report)
    )


@bp.post("/<token>/cancel")
def cancel(token: str) -> Page:
    require(Permission.IMPORT_FEEDS)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    uploads.discard(current_app.instance_path, token)
    flash("Cancelled: nothing was imported and the uploaded file was deleted.")
    return redirect(url_for("imports.upload"))


# The taxonomy mapping.
@bp.get("/mappings")
def mappings() -> Page:
    """Mapped taxonomies, and the terms of the chosen one with their needs."""
    require(Permission.EDIT_MAPPINGS)
    db = get_session()
    chosen = taxonomy_key(request.args.get("taxonomy", ""))
    return render_template(
        "imports/mappings.html",
        taxonomies=audited.taxonomies(db),
        chosen=chosen,
        rows=list_mappings(db, chosen) if chosen else [],
        labels=needs.labels(db),
    )


def _mapping_form_page(form: MappingForm, exists: bool, status: int = 200) -> Page:
    return render_template("imports/mapping_form.html", form=form, exists=exists), status


@bp.route("/mappings/edit", methods=["GET", "POST"])
def edit_mapping() -> Page:
    """Add or change a term's mapping; GET takes ``taxonomy``, ``term`` and ``term_name`` to fill in."""
    require(Permission.EDIT_MAPPINGS)
    db = get_session()
    form = MappingForm()
    form.need_codes.choices = needs.choices(db)
    if request.method == "GET":
        taxonomy, term = request.args.get("taxonomy", ""), request.args.get("term", "")
        found = audited.find_mapping(db, taxonomy, term) if taxonomy and term else None
        form.taxonomy.data = taxonomy_key(taxonomy) if taxonomy else ""
        form.term.data = term
        form.term_name.data = found.term_name if found else request.args.get("term_name", "")
        form.need_codes.data = list(found.need_codes) if found else []
        return _mapping_form_page(form, found is not None)
    if not form.validate_on_submit():
        return _mapping_form_page(form, False, 400)
    try:
        row = audited.save_mapping(
            db,
            signed_in_user(),
            form.taxonomy.data or "",
            form.term.data or "",
            form.term_name.data or "",
            form.need_codes.data or [],
        )
    except MappingError as error:
        form.need_codes.errors = [str(error)]
        return _mapping_form_page(form, False, 400)
    flash(f"Saved: {row.taxonomy} {row.term} now maps to {', '.join(row.need_codes) or 'no need'}.")
    return redirect(url_for("imports.mappings", taxonomy=row.taxonomy))


@bp.post("/mappings/delete")
def delete_mapping() -> Page:
    """Forget a term's mapping: later imports list it as unmapped again."""
    require(Permission.EDIT_MAPPINGS)
    taxonomy, term = request.form.get("taxonomy", ""), request.form.get("term", "")
    if not audited.remove_mapping(get_session(), signed_in_user(), taxonomy, term):
        abort(404, "That term has no mapping.")
    flash(f"Deleted the mapping of {taxonomy_key(taxonomy)} {term}: imports will list it as unmapped.")
    return redirect(url_for("imports.mappings", taxonomy=taxonomy_key(taxonomy)))
