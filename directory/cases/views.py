"""Cases over HTTP: thin views over the case services. Every page that shows a case is audit-logged.

Case ids in URLs are opaque UUIDs; references, names and everything else travel only in POST bodies.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.json import jsonify
from werkzeug.wrappers import Response as WerkzeugResponse

from directory import needs
from directory.auth.permissions import Permission, can, require
from directory.auth.sessions import signed_in_user
from directory.cases import followup, records, referrals
from directory.cases.common import CaseError
from directory.cases.export import case_export
from directory.cases.forms import (
    STEP_FORMS,
    AccessForm,
    AcknowledgedForm,
    CloseCaseForm,
    ClosedForm,
    ConsentForm,
    DeclinedForm,
    FindForm,
    LevelForm,
    OpenCaseForm,
    ReferralForm,
    TaskDoneForm,
)
from directory.cases.handover_text import referral_text
from directory.cases.referrals import STEP_LABELS, allowed_levels, next_steps, plan_item, sharing_refusal
from directory.cases.snapshot import recipient_kinds
from directory.db import by_id, by_ids, get_session
from directory.domain_errors import form_status, show_refusal
from directory.hours import today
from directory.labels import NEED_GROUP_LABELS
from directory.matching.bridge import match
from directory.matching.display import hours_lines, person_step
from directory.matching.forms import PackageForm
from directory.models import Case, Referral, Service
from directory.models.base import utcnow
from directory.search.display import referral_routes

bp = Blueprint("cases", __name__, url_prefix="/cases")
Page = str | Response | WerkzeugResponse | tuple[str, int]
PACKAGE_SKIP = ("csrf_token", "at_iso", "submit", "stage", "reference", "person_name")


def _case(case_id: str, action: Permission = Permission.VIEW) -> Case:
    """The case, if the signed-in user may do ``action`` to it; administrators outside the team are
    sent to record why they need it; everyone else gets 404."""
    user = signed_in_user()
    case = by_id(get_session(), Case, case_id)
    if (
        case is not None
        and action in (Permission.VIEW, Permission.EXPORT_CASE)
        and not can(user, action, case)
        and can(user, Permission.REQUEST_CASE_ACCESS, case)
    ):
        abort(redirect(url_for("cases.access", case_id=case.id)))
    return require(action, case)


def _referral(case: Case, referral_id: str) -> Referral:
    found = next((r for r in case.referrals if r.id == referral_id), None)
    if found is None:
        abort(404)
    return found


def _viewed(case: Case, what: str = "case") -> None:
    records.record_view(get_session(), signed_in_user(), case, what)


# The team's dashboard and finding a case.
@bp.get("/")
def dashboard() -> Page:
    """The signed-in practitioner's landing page: follow-ups overdue, due today and coming up."""
    user = signed_in_user()
    if not can(user, Permission.VIEW_TEAM_CASES) and can(user, Permission.FIND_ANY_CASE):
        return redirect(url_for("cases.find"))
    require(Permission.VIEW_TEAM_CASES)
    session = get_session()
    assert user.team_id is not None
    return render_template(
        "cases/dashboard.html",
        due=followup.team_due(session, user.team_id),
        open_cases=records.team_cases(session, user.team_id),
        closed_cases=records.team_cases(session, user.team_id, "closed", 20),
        form=FindForm(),
        today=today(),
        team=user.team,
    )


@bp.route("/find", methods=["GET", "POST"])
def find() -> Page:
    """Find a returning person's case (and plan) by reference. A POST, so the reference stays out of URLs."""
    user = signed_in_user()
    anywhere = not can(user, Permission.VIEW_TEAM_CASES) and can(user, Permission.FIND_ANY_CASE)
    if not anywhere:
        require(Permission.VIEW_TEAM_CASES)
    form = FindForm()
    found: list[Case] | None = None
    if form.validate_on_submit():
        session = get_session()
        if anywhere:
            found = records.find_anywhere(session, form.reference.data or "")
        else:
            assert user.team_id is not None
            found = records.find_in_team(session, user.team_id, form.reference.data or "")
            if len(found) == 1:
                return redirect(url_for("cases.show", case_id=found[0].id))
        if not found:
            form.reference.errors = [*form.reference.errors, "No case has that reference"]
    status = form_status(form)
    return render_template("cases/find.html", form=form, found=found, anywhere=anywhere), status


# Opening a case from a package.
@bp.post("/new")
def new() -> Page:
    """From /package: check the package form again, then ask for the reference and open the case."""
    require(Permission.OPEN_CASE)
    user = signed_in_user()
    package_form = PackageForm.for_request(get_session())
    if not package_form.validate():
        return render_template(
            "package/build.html", form=package_form, package=None, group_labels=NEED_GROUP_LABELS
        ), 400
    session = get_session()
    data = package_form.to_input()
    package = match(session, data)
    form = OpenCaseForm()
    person_details = bool(current_app.config["CASE_PERSON_DETAILS"])
    status = 200
    if request.form.get("stage") == "open":
        if form.validate():
            try:
                case = records.open_case(
                    session,
                    user,
                    data,
                    package,
                    reference=form.reference.data or "",
                    person_name=form.person_name.data if person_details else None,
                    date_of_birth=form.date_of_birth.data if person_details else None,
                )
            except CaseError as error:
                show_refusal(form, error)
            else:
                flash(
                    "Case opened. Record the person's consent before you refer."
                )  # no reference: flashes ride in the cookie
                return redirect(url_for("cases.show", case_id=case.id))
        status = 400
    else:
        form = OpenCaseForm(formdata=None)
    hidden = [
        (key, value)
        for key, values in request.form.lists()
        if key not in PACKAGE_SKIP and not key.startswith("date_of_birth")
        for value in values
    ]
    return render_template(
        "cases/new.html",
        form=form,
        hidden=hidden,
        at_iso=data.at.isoformat(),
        data=data,
        package=package,
        labels=needs.labels(session),
        person_details=person_details,
    ), status


# One case.
@bp.get("/<case_id>")
def show(case_id: str) -> Page:
    """The case: consent, the package and its referrals, follow-up checks and the timeline."""
    case = _case(case_id)
    _viewed(case)
    user = signed_in_user()
    items = []
    for item in case.plan.get("items", []):
        referral = referrals.referral_for(case, item["rank"])
        items.append(
            {
                "item": item,
                "referral": referral,
                "steps": next_steps(referral) if referral else [],
                "refusal": sharing_refusal(case, item.get("needs", [])),
            }
        )
    return render_template(
        "cases/show.html",
        case=case,
        items=items,
        labels=needs.labels(get_session()),
        may_change=can(user, Permission.CHANGE_CASE, case),
        step_labels=STEP_LABELS,
        done_form=TaskDoneForm(),
        today=today(),
    )


@bp.route("/<case_id>/access", methods=["GET", "POST"])
def access(case_id: str) -> Page:
    """An administrator outside the team records why they need the case, then may read it for a while."""
    user = signed_in_user()
    case = require(Permission.REQUEST_CASE_ACCESS, by_id(get_session(), Case, case_id))
    if can(user, Permission.VIEW, case):
        return redirect(url_for("cases.show", case_id=case.id))
    form = AccessForm()
    if form.validate_on_submit():
        try:
            records.grant_access(
                get_session(),
                user,
                case,
                form.reason.data or "",
                int(current_app.config["CASE_ADMIN_ACCESS_MINUTES"]),
            )
        except CaseError as error:
            show_refusal(form, error)
        else:
            return redirect(url_for("cases.show", case_id=case.id))
    status = form_status(form)
    return render_template(
        "cases/access.html", form=form, case=case, minutes=current_app.config["CASE_ADMIN_ACCESS_MINUTES"]
    ), status


@bp.route("/<case_id>/consent", methods=["GET", "POST"])
def consent(case_id: str) -> Page:
    """Record what the person agreed to share and with whom, or a legal exception."""
    case = _case(case_id, Permission.CHANGE_CASE)
    form = ConsentForm()
    if request.method == "GET":
        _viewed(case)
        if case.consent is not None:
            form = ConsentForm(
                formdata=None,
                shares=case.consent.shares,
                recipients=case.consent.recipients,
                method=case.consent.method,
            )
    if form.validate_on_submit():
        try:
            records.record_consent(
                get_session(),
                signed_in_user(),
                case,
                decision=form.decision.data or "",
                shares=form.shares.data or [],
                recipients=form.recipients.data or [],
                method=form.method.data,
                exception_ground=form.exception_ground.data,
                reason=form.reason.data or "",
            )
        except CaseError as error:
            show_refusal(form, error)
        else:
            flash("Consent recorded.")
            return redirect(url_for("cases.show", case_id=case.id))
    status = form_status(form)
    kinds_in_package: dict[str, list[str]] = {}
    for item in case.plan.get("items", []):
        for kind in recipient_kinds(get_session(), item.get("needs", [])):
            kinds_in_package.setdefault(kind, []).append(item.get("service_name", ""))
    return render_template(
        "cases/consent.html", form=form, case=case, kinds_in_package=kinds_in_package
    ), status


@bp.route("/<case_id>/items/<int:rank>/refer", methods=["GET", "POST"])
def refer(case_id: str, rank: int) -> Page:
    """Hand over one package item: at any level with consent, by signposting without it."""
    case = _case(case_id, Permission.CHANGE_CASE)
    item = plan_item(case, rank)
    if item is None:
        abort(404)
    if referrals.referral_for(case, rank) is not None:
        return redirect(url_for("cases.show", case_id=case.id))
    form = ReferralForm()
    levels = allowed_levels(case, item.get("needs", []))
    if request.method == "GET":
        _viewed(case)
    if form.validate_on_submit() and form.check_appointment():
        try:
            referral = referrals.make_referral(
                get_session(),
                signed_in_user(),
                case,
                rank,
                form.level.data or "",
                appointment_at=form.appointment(),
                appointment_place=form.appointment_place.data or "",
                note=form.note.data or "",
            )
        except CaseError as error:
            show_refusal(form, error)
        else:
            flash(f"{referral.level_label}: {referral.service_name}.")
            return redirect(url_for("cases.show", case_id=case.id) + f"#item-{rank}")
    status = form_status(form)
    service = by_id(get_session(), Service, str(item.get("service_id") or ""))
    professional = service is not None and can(signed_in_user(), Permission.SEE_PROFESSIONAL_DETAILS, service)
    return render_template(
        "cases/refer.html",
        form=form,
        case=case,
        item=item,
        levels=levels,
        refusal=sharing_refusal(case, item.get("needs", [])),
        labels=needs.labels(get_session()),
        title="Make a referral",
        service=service,
        phones=(service.phones if professional else service.public_phones) if service else [],
        routes=referral_routes(service, professional) if service else [],
    ), status


@bp.route("/<case_id>/referrals/<referral_id>/level", methods=["GET", "POST"])
def level(case_id: str, referral_id: str) -> Page:
    """Record a new handover level for a referral (an appointment booked, say)."""
    case = _case(case_id, Permission.CHANGE_CASE)
    referral = _referral(case, referral_id)
    if referral.is_closed:
        abort(403)
    form = LevelForm()
    if request.method == "GET":
        _viewed(case)
        form = LevelForm(formdata=None, level=referral.level, appointment_place=referral.appointment_place)
    if form.validate_on_submit() and form.check_appointment():
        try:
            referrals.change_level(
                get_session(),
                signed_in_user(),
                referral,
                form.level.data or "",
                appointment_at=form.appointment(),
                appointment_place=form.appointment_place.data or "",
                note=form.note.data or "",
            )
        except CaseError as error:
            show_refusal(form, error)
        else:
            flash(f"{referral.level_label}: {referral.service_name}.")
            return redirect(url_for("cases.show", case_id=case.id) + f"#item-{referral.rank}")
    status = form_status(form)
    item = plan_item(case, referral.rank) or {"service_name": referral.service_name, "needs": referral.needs}
    return render_template(
        "cases/refer.html",
        form=form,
        case=case,
        item=item,
        referral=referral,
        levels=allowed_levels(case, referral.needs),
        refusal=sharing_refusal(case, referral.needs),
        labels=needs.labels(get_session()),
        title="Change the handover level",
    ), status


@bp.route("/<case_id>/referrals/<referral_id>/<step>", methods=["GET", "POST"])
def step(case_id: str, referral_id: str, step: str) -> Page:
    """Record the referral's next step: acknowledged, declined, attended, missed, engaged or closed."""
    if step not in STEP_FORMS:
        abort(404)
    case = _case(case_id, Permission.CHANGE_CASE)
    referral = _referral(case, referral_id)
    if step not in next_steps(referral):
        abort(403)
    form = STEP_FORMS[step]()
    if request.method == "GET":
        _viewed(case)
    if form.validate_on_submit() and (not isinstance(form, AcknowledgedForm) or form.check_appointment()):
        fields: dict[str, Any] = {"note": form.note.data or ""}
        if isinstance(form, DeclinedForm):
            fields["decline_reason"] = form.decline_reason.data
        if isinstance(form, ClosedForm):
            fields["outcome"] = form.outcome.data
            fields["outcome_reason"] = form.outcome_reason.data
            fields["listing_note"] = form.listing_note.data or ""
        if isinstance(form, AcknowledgedForm):
            fields["appointment_at"] = form.appointment()
            fields["appointment_place"] = form.appointment_place.data or ""
        try:
            report = referrals.record_step(get_session(), signed_in_user(), referral, step, **fields)
        except CaseError as error:
            show_refusal(form, error)
        else:
            message = f"{STEP_LABELS[step]}: {referral.service_name}."
            if report is not None:
                message += " The directory's curators have been told the listing needs checking."
            flash(message)
            return redirect(url_for("cases.show", case_id=case.id) + f"#item-{referral.rank}")
    status = form_status(form)
    return render_template(
        "cases/step.html", form=form, case=case, referral=referral, step=step, step_label=STEP_LABELS[step]
    ), status


@bp.get("/<case_id>/referrals/<referral_id>/text")
def handover_text(case_id: str, referral_id: str) -> Page:
    """The text to send the agency for one referral, ready to copy."""
    case = _case(case_id)
    referral = _referral(case, referral_id)
    _viewed(case, "referral_text")
    text = referral_text(case, referral, needs.labels(get_session()), signed_in_user())
    return render_template("cases/text.html", case=case, referral=referral, text=text)


@bp.route("/<case_id>/tasks/<task_id>/done", methods=["GET", "POST"])
def task_done(case_id: str, task_id: str) -> Page:
    """Mark a follow-up check as made."""
    case = _case(case_id, Permission.CHANGE_CASE)
    task = next((t for t in case.tasks if t.id == task_id), None)
    if task is None:
        abort(404)
    if not task.is_open:
        return redirect(url_for("cases.show", case_id=case.id))
    form = TaskDoneForm()
    if request.method == "GET":
        _viewed(case)
    if form.validate_on_submit():
        followup.mark_done(get_session(), signed_in_user(), task, form.note.data or "")
        flash(f"Done: {task.kind_label}.")
        target = request.form.get("back")
        if target == "dashboard":
            return redirect(url_for("cases.dashboard"))
        return redirect(url_for("cases.show", case_id=case.id))
    status = form_status(form)
    return render_template("cases/task.html", form=form, case=case, task=task), status


@bp.route("/<case_id>/close", methods=["GET", "POST"])
def close(case_id: str) -> Page:
    """Close the case once every referral has an outcome."""
    case = _case(case_id, Permission.CHANGE_CASE)
    form = CloseCaseForm()
    if request.method == "GET":
        _viewed(case)
    if form.validate_on_submit():
        try:
            records.close_case(get_session(), signed_in_user(), case, form.note.data or "")
        except CaseError as error:
            show_refusal(form, error)
        else:
            flash("Case closed.")
            return redirect(url_for("cases.show", case_id=case.id))
    status = form_status(form)
    return render_template("cases/close.html", form=form, case=case), status


@bp.get("/<case_id>/plan")
def plan(case_id: str) -> Page:
    """The person's own plan, as made when the case was opened, with the services' current details."""
    case = _case(case_id)
    _viewed(case, "plan")
    session = get_session()
    booked = {r.rank for r in case.referrals if r.appointment_at is not None}
    items = [
        {**item, "step": person_step(item.get("route"), appointment=item.get("rank") in booked)}
        for item in case.plan.get("items", [])
    ]
    ids = [item["service_id"] for item in items if item.get("service_id")]
    services = by_ids(session, Service, ids)
    return render_template(
        "cases/plan.html",
        case=case,
        items=items,
        services=services,
        referrals={r.rank: r for r in case.referrals},
        labels=needs.labels(session),
        show_needs=request.args.get("needs") == "yes",
        hours_lines=hours_lines,
        team_contact=current_app.config.get("TEAM_CONTACT", ""),
    )


@bp.get("/<case_id>/export")
def export_page(case_id: str) -> Page:
    """Everything the case holds, as a printable page (for a subject access request)."""
    case = _case(case_id, Permission.EXPORT_CASE)
    _viewed(case, "export")
    labels = needs.labels(get_session())
    return render_template(
        "cases/export.html", case=case, data=case_export(case, labels), labels=labels, now=utcnow()
    )


@bp.get("/<case_id>/export.json")
def export_json(case_id: str) -> Page:
    """Everything the case holds, as JSON (for a subject access request)."""
    case = _case(case_id, Permission.EXPORT_CASE)
    _viewed(case, "export")
    response = jsonify(case_export(case, needs.labels(get_session())))
    response.headers["Content-Disposition"] = f'attachment; filename="case-{case.id}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.after_request
def _no_store(response: Response) -> Response:
    """Case pages hold special-category data: browsers and proxies must not keep copies."""
    response.headers["Cache-Control"] = "no-store"
    return response
