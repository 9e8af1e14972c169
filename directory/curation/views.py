"""Curators' pages: the queue, proposed changes, problem reports, reviews, duplicates, records."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from directory import needs, quality
from directory.auth import accounts
from directory.auth.permissions import Permission, require
from directory.auth.sessions import signed_in_user
from directory.auth.views import Page
from directory.curation import duplicates, problems, records
from directory.curation.diffs import field_diffs
from directory.curation.forms import (
    ApproveForm,
    BindEditorForm,
    DuplicateForm,
    OrganisationForm,
    RejectForm,
    ResolveForm,
    RetireForm,
    ServiceForm,
)
from directory.db import by_id, by_ids, get_session
from directory.hours import today
from directory.listings import editing, proposals, updates
from directory.listings.fields import FIELDS, current_values
from directory.listings.forms import ConfirmForm, form_version
from directory.models import Organization, ProblemReport, ProposedChange, Service, User

bp = Blueprint("curation", __name__, url_prefix="/curation")
QUEUE_PREVIEW = 5


@bp.get("/")
def queue() -> Page:
    """Everything waiting for a curator, a few of each."""
    require(Permission.CURATE)
    db = get_session()
    pending = proposals.pending(db)
    reports = problems.open_reports(db)
    due = quality.stale_listings(db, today())
    candidates = duplicates.possible_duplicates(db)
    return render_template(
        "curation/queue.html",
        pending=pending,
        reports=reports,
        due=due,
        candidates=candidates,
        preview=QUEUE_PREVIEW,
    )


@bp.get("/changes")
def changes() -> Page:
    require(Permission.CURATE)
    return render_template("curation/changes.html", pending=proposals.pending(get_session()))


def _change(change_id: str) -> ProposedChange | None:
    return by_id(get_session(), ProposedChange, change_id)


def _change_page(
    change: ProposedChange, approve_form: ApproveForm, reject_form: RejectForm, status: int = 200
) -> tuple[str, int]:
    db = get_session()
    labels = needs.labels(db)
    outdated = proposals.outdated_fields(change) if change.status == "pending" else {}
    return render_template(
        "curation/change.html",
        change=change,
        service=change.service,
        diffs=field_diffs(change.changes, labels, outdated or None),
        applied=field_diffs(change.applied, labels) if change.applied else [],
        outdated=outdated,
        approve_form=approve_form,
        reject_form=reject_form,
    ), status


@bp.get("/changes/<change_id>")
def change(change_id: str) -> Page:
    """A proposal as a field-level diff, with approve, reject, and edit-then-approve."""
    item = require(Permission.VIEW, _change(change_id))
    require(Permission.CURATE)
    return _change_page(item, ApproveForm(), RejectForm())


@bp.post("/changes/<change_id>/approve")
def approve(change_id: str) -> Page:
    item = require(Permission.DECIDE_CHANGE, _change(change_id))
    form = ApproveForm()
    if not form.validate_on_submit():
        return _change_page(item, form, RejectForm(), 400)
    try:
        proposals.approve(get_session(), signed_in_user(), item, reason=form.reason.data or "")
    except proposals.ChangeOutdatedError:
        flash(
            "The listing changed after this was proposed. Check the highlighted fields, then edit and approve."
        )
        return _change_page(item, form, RejectForm(), 409)
    except updates.VersionConflictError:
        flash("Someone changed the listing a moment ago. Check the proposal again.")
        return redirect(url_for("curation.change", change_id=change_id))
    flash(f"Approved: {item.service.name} shows the change now.")
    return redirect(url_for("curation.changes"))


@bp.post("/changes/<change_id>/reject")
def reject(change_id: str) -> Page:
    item = require(Permission.DECIDE_CHANGE, _change(change_id))
    form = RejectForm()
    if not form.validate_on_submit():
        return _change_page(item, ApproveForm(), form, 400)
    proposals.reject(get_session(), signed_in_user(), item, form.reason.data or "")
    flash("Rejected. The agency will see your reason on their listing.")
    return redirect(url_for("curation.changes"))


@bp.route("/changes/<change_id>/edit", methods=["GET", "POST"])
def edit_change(change_id: str) -> Page:
    """Edit a proposal, then approve what the form holds."""
    item = require(Permission.DECIDE_CHANGE, _change(change_id))
    db = get_session()
    service = item.service
    if request.method == "GET":
        form = editing.details_form_for(db, service)
        proposed = {
            **current_values(service),
            **{k: v["after"] for k, v in item.changes.items() if k in FIELDS},
        }
        editing.fill_details(form, proposed)
        form.note.data = ""
    else:
        form = editing.details_form_for(db, service, request.form)
    form.submit.label.text = "Approve and publish"
    form.note.label.text = "Note (optional)"
    if request.method == "POST" and form.validate_on_submit():
        try:
            updates.check_version(service, form_version(form))
            proposals.approve(
                db,
                signed_in_user(),
                item,
                editing.details_values(form),
                form.note.data or "edited before approval",
            )
        except updates.VersionConflictError:
            flash("Someone changed the listing while you were editing. The form now shows their version too.")
            return redirect(url_for("curation.edit_change", change_id=change_id))
        flash(f"Approved with your edits: {service.name} shows the change now.")
        return redirect(url_for("curation.changes"))
    return render_template("curation/edit_change.html", change=item, service=service, form=form)


@bp.get("/problems")
def problem_list() -> Page:
    require(Permission.CURATE)
    return render_template("curation/problems.html", reports=problems.open_reports(get_session()))


@bp.route("/problems/<report_id>", methods=["GET", "POST"])
def problem(report_id: str) -> Page:
    """One report: fix the listing, then close it; or dismiss it."""
    item = require(Permission.VIEW, by_id(get_session(), ProblemReport, report_id))
    require(Permission.CURATE)
    form = ResolveForm()
    if request.method == "POST":
        require(Permission.RESOLVE_PROBLEM, item)
        if form.validate_on_submit():
            problems.resolve(
                get_session(), signed_in_user(), item, form.outcome.data or "", form.note.data or ""
            )
            flash("Report closed.")
            return redirect(url_for("curation.problem_list"))
    return render_template("curation/problem.html", report=item, form=form)


@bp.get("/review")
def review() -> Page:
    """Listings due for review, oldest verified first."""
    require(Permission.CURATE)
    db = get_session()
    due = quality.stale_listings(db, today())
    services = by_ids(db, Service, [f.record_id for f in due])
    return render_template("curation/review.html", due=due, services=services)


@bp.get("/duplicates")
def duplicate_list() -> Page:
    require(Permission.CURATE)
    return render_template(
        "curation/duplicates.html",
        candidates=duplicates.possible_duplicates(get_session()),
        form=DuplicateForm(),
    )


def _pair(form: DuplicateForm) -> tuple[Service, Service]:
    db = get_session()
    first = by_id(db, Service, form.first.data)
    second = by_id(db, Service, form.second.data)
    if first is None or second is None or first.id == second.id:
        abort(404)
    require(Permission.RETIRE_SERVICE, first)
    require(Permission.RETIRE_SERVICE, second)
    return first, second


@bp.post("/duplicates/dismiss")
def dismiss_duplicate() -> Page:
    require(Permission.CURATE)
    form = DuplicateForm()
    if not form.validate_on_submit():
        abort(400)
    first, second = _pair(form)
    if duplicates.pair_key(first.id, second.id) in duplicates.decided_pairs(get_session()):
        abort(409, "A curator has already decided about this pair.")
    duplicates.dismiss(get_session(), signed_in_user(), first, second)
    flash(f"Dismissed: {first.name} and {second.name} will not be suggested again.")
    return redirect(url_for("curation.duplicate_list"))


def _keep_and_retire(form: DuplicateForm) -> tuple[Service, Service]:
    first, second = _pair(form)
    if form.keep.data not in (first.id, second.id):
        abort(400, "Choose which listing to keep.")
    return (first, second) if form.keep.data == first.id else (second, first)


@bp.get("/duplicates/merge")
def confirm_merge() -> Page:
    """Say what merging will do, before it is done: the POST from this page merges."""
    require(Permission.CURATE)
    form = DuplicateForm(request.args, meta={"csrf": False})
    if not form.validate():
        abort(400, "Choose a pair of listings from the possible duplicates.")
    keep, retire = _keep_and_retire(form)
    if duplicates.pair_key(keep.id, retire.id) in duplicates.decided_pairs(get_session()):
        abort(409, "A curator has already decided about this pair.")
    plan = duplicates.plan_merge(get_session(), keep, retire)
    return render_template("curation/confirm_merge.html", plan=plan, form=DuplicateForm())


@bp.post("/duplicates/merge")
def merge_duplicate() -> Page:
    require(Permission.CURATE)
    form = DuplicateForm()
    if not form.validate_on_submit():
        abort(400)
    keep, retire = _keep_and_retire(form)
    if form.confirmed.data != "yes":  # only the confirmation page merges
        return redirect(
            url_for("curation.confirm_merge", first=form.first.data, second=form.second.data, keep=keep.id),
            303,
        )
    if duplicates.pair_key(keep.id, retire.id) in duplicates.decided_pairs(get_session()):
        abort(409, "A curator has already decided about this pair.")
    duplicates.merge(get_session(), signed_in_user(), keep, retire)
    flash(f"Merged: {retire.name} is retired and points to {keep.name}.")
    return redirect(url_for("curation.duplicate_list"))


@bp.get("/organisations")
def organisations() -> Page:
    require(Permission.CURATE)
    query = (request.args.get("q") or "").strip()[:100]
    return render_template(
        "curation/organisations.html", organisations=accounts.organisations(get_session(), query), query=query
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
def new_organisation() -> Page:
    require(Permission.CREATE_ORGANISATION)
    form = OrganisationForm()
    if form.validate_on_submit():
        organisation = records.create_organisation(
            get_session(),
            signed_in_user(),
            name=form.name.data or "",
            description=form.description.data or "",
            website=form.website.data or "",
            email=form.email.data or "",
        )
        flash(f"Created {organisation.name}.")
        return redirect(url_for("curation.organisation", organisation_id=organisation.id))
    return render_template("curation/new_organisation.html", form=form)


def _organisation(organisation_id: str) -> Organization | None:
    return by_id(get_session(), Organization, organisation_id)


@bp.get("/organisations/<organisation_id>")
def organisation(organisation_id: str) -> Page:
    """An organisation: its listings and the editors who may act for it."""
    item = require(Permission.MANAGE_ORGANISATION, _organisation(organisation_id))
    return render_template(
        "curation/organisation.html",
        organisation=item,
        editors=accounts.editors_of(get_session(), item),
        bind_form=BindEditorForm(),
        remove_form=ConfirmForm(),
    )


@bp.post("/organisations/<organisation_id>/editors")
def bind_editor(organisation_id: str) -> Page:
    """Let an existing agency editor act for this organisation."""
    item = require(Permission.MANAGE_ORGANISATION, _organisation(organisation_id))
    form = BindEditorForm()
    db = get_session()
    if form.validate_on_submit():
        editor = accounts.find_by_email(db, form.editor.data or "")
        if editor is None or editor.role != "editor":
            form.editor.errors = [
                "There is no agency editor account with that email address. Invite them first."
            ]
        else:
            require(Permission.MANAGE_USER, editor)
            accounts.bind_organization(db, signed_in_user(), editor, item)
            flash(f"{editor.email} can now edit listings for {item.name}.")
            return redirect(url_for("curation.organisation", organisation_id=item.id))
    return render_template(
        "curation/organisation.html",
        organisation=item,
        editors=accounts.editors_of(db, item),
        bind_form=form,
        remove_form=ConfirmForm(),
    ), 400


@bp.post("/organisations/<organisation_id>/editors/<user_id>/remove")
def unbind_editor(organisation_id: str, user_id: str) -> Page:
    item = require(Permission.MANAGE_ORGANISATION, _organisation(organisation_id))
    editor = require(Permission.MANAGE_USER, by_id(get_session(), User, user_id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    accounts.unbind_organization(get_session(), signed_in_user(), editor, item)
    flash(f"{editor.email} can no longer edit listings for {item.name}.")
    return redirect(url_for("curation.organisation", organisation_id=item.id))


@bp.route("/organisations/<organisation_id>/services/new", methods=["GET", "POST"])
def new_service(organisation_id: str) -> Page:
    item = require(Permission.MANAGE_ORGANISATION, _organisation(organisation_id))
    require(Permission.CREATE_SERVICE)
    form = ServiceForm()
    if form.validate_on_submit():
        service = records.create_service(
            get_session(),
            signed_in_user(),
            item,
            name=form.name.data or "",
            description=form.description.data or "",
        )
        flash(f"Created {service.name}. Add its details and opening times now.")
        return redirect(url_for("listings.listing", service_id=service.id))
    return render_template("curation/new_service.html", organisation=item, form=form)


@bp.route("/services/<service_id>/retire", methods=["GET", "POST"])
def retire(service_id: str) -> Page:
    """Retire a listing (status defunct). It is never deleted."""
    service = require(Permission.RETIRE_SERVICE, by_id(get_session(), Service, service_id))
    form = RetireForm()
    if form.validate_on_submit():
        records.retire_service(get_session(), signed_in_user(), service, form.reason.data or "")
        flash(f"{service.name} is retired. Its history is kept.")
        return redirect(url_for("listings.listing", service_id=service.id))
    return render_template("curation/retire.html", service=service, form=form)
