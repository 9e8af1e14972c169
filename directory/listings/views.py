"""Agency self-service pages: "Your listings" and everything an agency can do to a listing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from directory import needs
from directory.auth.permissions import Permission, can, require
from directory.auth.sessions import current_user, signed_in_user
from directory.auth.views import Page
from directory.db import by_id, get_session
from directory.hours import today
from directory.labels import CAPACITY_LABELS
from directory.listings import attention, editing, proposals, updates
from directory.listings.fields import FIELDS, current_values, display, same
from directory.listings.forms import (
    DAY_NAMES,
    SLOTS_PER_DAY,
    AccurateForm,
    ConfirmForm,
    ExceptionForm,
    OperationalForm,
    ScheduleForm,
    form_version,
    parse_time,
)
from directory.models import ProposedChange, ScheduleException, Service
from matcher.vocabulary import WEEKDAYS

bp = Blueprint("listings", __name__, url_prefix="/listings")
STAFF_SEARCH_LIMIT = 50


def _service(service_id: str) -> Service | None:
    return by_id(get_session(), Service, service_id)


@bp.get("/")
def your_listings() -> Page:
    """An editor's listings with what needs attention; staff search every listing by name."""
    require(Permission.VIEW_OWN_LISTINGS)
    user = signed_in_user()
    db = get_session()
    query = (request.args.get("q") or "").strip()[:100]
    if user.role == "editor":
        services = attention.editable_services(db, user)
    elif query:
        services = attention.named(db, query, STAFF_SEARCH_LIMIT)
    else:
        services = []
    return render_template(
        "listings/index.html",
        statuses=attention.statuses(db, services, today()),
        query=query,
        is_editor=user.role == "editor",
        accurate_form=AccurateForm(),
    )


@bp.get("/<service_id>")
def listing(service_id: str) -> Page:
    """One listing: status, quick actions, proposals and the curator's answers, problems reported."""
    service = require(Permission.MANAGE_LISTING, _service(service_id))
    db = get_session()
    form = AccurateForm()
    form.version.data = str(service.version)
    return render_template(
        "listings/listing.html",
        service=service,
        status=attention.status_of(db, service, today()),
        changes=proposals.for_service(db, service),
        problems=attention.open_problems(db, service),
        exceptions=updates.upcoming_exceptions(service, today()),
        accurate_form=form,
        capacity_labels=CAPACITY_LABELS,
        values=current_values(service),
        fields=FIELDS,
        display=display,
        need_labels=needs.labels(db),
        day_names=list(DAY_NAMES.values()),
    )


def _conflict(
    template: str, service: Service, theirs: dict[str, Any], now: dict[str, Any], **context: Any
) -> tuple[str, int]:
    """The conflict page: what they typed against the listing now, and their form to try again."""
    rows = [
        {"field": name, "theirs": theirs.get(name), "now": now.get(name)}
        for name in now
        if not same(theirs.get(name), now.get(name))
    ]
    return render_template(template, service=service, conflict_rows=rows, conflict=True, **context), 409


@bp.route("/<service_id>/update", methods=["GET", "POST"])
def update(service_id: str) -> Page:
    """Capacity, waiting time, temporary closure and alert: published at once."""
    service = require(Permission.UPDATE_LISTING, _service(service_id))
    form = OperationalForm()
    if request.method == "GET":
        values = updates.operational_values(service)
        form.capacity_status.data = values["capacity_status"]
        form.wait_days.data = values["wait_days"]
        form.temporarily_closed.data = values["temporarily_closed"]
        form.alert.data = values["alert"]
        form.version.data = str(service.version)
    elif form.validate_on_submit():
        update = updates.Operational(
            capacity_status=form.capacity_status.data or "",
            wait_days=form.wait_days.data,
            temporarily_closed=bool(form.temporarily_closed.data),
            alert=form.alert.data or "",
        )
        try:
            changes = updates.update_operational(
                get_session(), signed_in_user(), service, form_version(form), update
            )
        except updates.VersionConflictError:
            service = require(Permission.UPDATE_LISTING, _service(service_id))
            form.version.data = str(service.version)
            theirs = {
                "capacity_status": update.capacity_status,
                "wait_days": update.wait_days,
                "temporarily_closed": update.temporarily_closed,
                "alert": update.alert.strip(),
            }
            return _conflict(
                "listings/update.html",
                service,
                theirs,
                updates.operational_values(service),
                form=form,
                labels={
                    "capacity_status": "Taking referrals",
                    "wait_days": "Wait (days)",
                    "temporarily_closed": "Temporarily closed",
                    "alert": "Alert",
                },
            )
        flash("Published: the listing shows this now." if changes else "Nothing had changed.")
        return redirect(url_for("listings.listing", service_id=service.id))
    return render_template("listings/update.html", service=service, form=form)


@bp.post("/<service_id>/accurate")
def still_accurate(service_id: str) -> Page:
    """One click: the listing is still right today."""
    service = require(Permission.UPDATE_LISTING, _service(service_id))
    form = AccurateForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        updates.mark_accurate(get_session(), signed_in_user(), service, form_version(form), today())
    except updates.VersionConflictError:
        flash("Someone changed this listing a moment ago. Check it, then confirm it is still accurate.")
        return redirect(url_for("listings.listing", service_id=service_id))
    flash(f"Thank you: {service.name} is marked as verified today.")
    back = request.form.get("back")
    if back == "list":
        return redirect(url_for("listings.your_listings"))
    return redirect(url_for("listings.listing", service_id=service.id))


@bp.route("/<service_id>/opening-times", methods=["GET", "POST"])
def opening_times(service_id: str) -> Page:
    """The weekly grid: several sessions a day, 24/7, bank holidays. Published at once."""
    service = require(Permission.UPDATE_LISTING, _service(service_id))
    form = ScheduleForm()
    grid_errors: dict[str, str] = {}
    if request.method == "GET":
        editing.fill_schedule(form, service)
    elif form.validate_on_submit():
        sessions, grid_errors = editing.read_schedule(form)
        if not grid_errors and not sessions and not form.always_open.data:
            grid_errors["mon_1_opens"] = "Enter at least one session, or tick open 24 hours a day"
        if not grid_errors:
            try:
                changes = updates.update_schedule(
                    get_session(),
                    signed_in_user(),
                    service,
                    form_version(form),
                    always_open=bool(form.always_open.data),
                    open_on_bank_holidays=bool(form.open_on_bank_holidays.data),
                    sessions=[] if form.always_open.data else sessions,
                )
            except updates.VersionConflictError:
                service = require(Permission.UPDATE_LISTING, _service(service_id))
                form.version.data = str(service.version)
                now = updates.schedule_values(service)
                theirs = {
                    "always_open": bool(form.always_open.data),
                    "open_on_bank_holidays": bool(form.open_on_bank_holidays.data),
                    "sessions": [
                        [d, o.strftime("%H:%M"), c.strftime("%H:%M"), di] for d, o, c, di in sorted(sessions)
                    ],
                }
                return _conflict(
                    "listings/opening_times.html",
                    service,
                    _schedule_text(theirs),
                    _schedule_text(now),
                    form=form,
                    grid_errors={},
                    weekdays=WEEKDAYS,
                    day_names=DAY_NAMES,
                    slots=range(1, SLOTS_PER_DAY + 1),
                    labels={
                        "always_open": "Open 24 hours",
                        "open_on_bank_holidays": "Bank holidays",
                        "sessions": "Weekly sessions",
                    },
                )
            flash("Published: the new opening times show now." if changes else "Nothing had changed.")
            return redirect(url_for("listings.listing", service_id=service.id))
    return render_template(
        "listings/opening_times.html",
        service=service,
        form=form,
        grid_errors=grid_errors,
        weekdays=WEEKDAYS,
        day_names=DAY_NAMES,
        slots=range(1, SLOTS_PER_DAY + 1),
    )


def _schedule_text(values: dict[str, Any]) -> dict[str, str]:
    names = list(DAY_NAMES.values())
    sessions = "; ".join(
        f"{names[d][:3]} {o} to {c}" + (" drop-in" if di else "") for d, o, c, di in values["sessions"]
    )
    return {
        "always_open": "Yes" if values["always_open"] else "No",
        "open_on_bank_holidays": "Yes" if values["open_on_bank_holidays"] else "No",
        "sessions": sessions or "(none)",
    }


@bp.route("/<service_id>/exceptions", methods=["GET", "POST"])
def exceptions(service_id: str) -> Page:
    """Dated changes: closed tomorrow, an extra session today. Published at once."""
    service = require(Permission.UPDATE_LISTING, _service(service_id))
    form = ExceptionForm()
    form.today = today()
    if form.validate_on_submit():
        closed = form.closed.data == "closed"
        assert form.day.data is not None
        updates.add_exception(
            get_session(),
            signed_in_user(),
            service,
            day=form.day.data,
            closed=closed,
            opens=None if closed else parse_time(form.opens.data or ""),
            closes=None if closed else parse_time(form.closes.data or ""),
            note=(form.note.data or "").strip(),
        )
        flash("Published: the change to opening times shows now.")
        return redirect(url_for("listings.exceptions", service_id=service.id))
    return render_template(
        "listings/exceptions.html",
        service=service,
        form=form,
        upcoming=updates.upcoming_exceptions(service, today()),
        remove_form=ConfirmForm(),
    )


@bp.post("/<service_id>/exceptions/<exception_id>/remove")
def remove_exception(service_id: str, exception_id: str) -> Page:
    """Remove a dated change (only one belonging to this listing)."""
    service = require(Permission.UPDATE_LISTING, _service(service_id))
    item = by_id(get_session(), ScheduleException, exception_id)
    if item is None or item.service_id != service.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    updates.remove_exception(get_session(), signed_in_user(), service, item)
    flash("Removed.")
    return redirect(url_for("listings.exceptions", service_id=service.id))


@bp.route("/<service_id>/details", methods=["GET", "POST"])
def details(service_id: str) -> Page:
    """Descriptive fields. An editor's edit goes to a curator; a curator's publishes at once."""
    service = _service(service_id)
    user = current_user()
    direct = user is not None and can(user, Permission.EDIT_DETAILS, service)
    service = require(Permission.EDIT_DETAILS if direct else Permission.PROPOSE_CHANGE, service)
    db = get_session()
    form = editing.details_form_for(db, service, None if request.method == "GET" else request.form)
    if direct:
        form.submit.label.text = "Publish changes"
        form.note.label.text = "Reason for the change (optional)"
    if request.method == "POST" and form.validate_on_submit():
        values = editing.details_values(form)
        try:
            if direct:
                proposals.edit_directly(
                    db, signed_in_user(), service, form_version(form), values, form.note.data or ""
                )
                flash("Published: the listing shows the new details now.")
            else:
                proposals.propose(
                    db, signed_in_user(), service, form_version(form), values, form.note.data or ""
                )
                flash("Sent to a curator. The listing will change when they approve it.")
            return redirect(url_for("listings.listing", service_id=service.id))
        except proposals.NothingChangedError:
            form.name.errors = ["You have not changed anything yet"]
        except updates.VersionConflictError:
            service = require(
                Permission.EDIT_DETAILS if direct else Permission.PROPOSE_CHANGE, _service(service_id)
            )
            form.version.data = str(service.version)
            labels = needs.labels(db)
            return _conflict(
                "listings/details.html",
                service,
                values,
                current_values(service),
                form=form,
                direct=direct,
                labels={name: f.label for name, f in FIELDS.items()},
                show=lambda name, value: display(name, value, labels),
            )
    return render_template("listings/details.html", service=service, form=form, direct=direct)


@bp.get("/<service_id>/changes/<change_id>")
def change(service_id: str, change_id: str) -> Page:
    """A proposal and, once decided, the curator's answer."""
    found = by_id(get_session(), ProposedChange, change_id)
    if found is not None and found.service_id != service_id:
        found = None
    item = require(Permission.VIEW, found)
    return render_template(
        "listings/change.html",
        change=item,
        service=item.service,
        fields=FIELDS,
        display=display,
        need_labels=needs.labels(get_session()),
        form=ConfirmForm(),
    )


@bp.post("/<service_id>/changes/<change_id>/withdraw")
def withdraw(service_id: str, change_id: str) -> Page:
    """Take back a proposal still waiting for a curator."""
    found = by_id(get_session(), ProposedChange, change_id)
    if found is not None and found.service_id != service_id:
        found = None
    item = require(Permission.WITHDRAW_CHANGE, found)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    proposals.withdraw(get_session(), signed_in_user(), item)
    flash("Your proposed change has been withdrawn.")
    return redirect(url_for("listings.listing", service_id=item.service_id))
