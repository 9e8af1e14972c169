"""Who may do what, to which record: the one place authorisation is decided.

``can(user, action, obj)`` answers from the rules below; views call ``require(action, obj)``,
which signs the user in first, answers 404 when the user may not even see the record (so an editor
learns nothing about another agency's listings, drafts or messages) and 403 otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NoReturn, TypeVar, overload

from flask import abort

from directory.auth.sessions import current_user, unauthorized
from directory.models import Case, Organization, ProblemReport, ProposedChange, Service, User
from directory.models.base import utcnow

STAFF = ("curator", "admin")
T = TypeVar("T")

Rule = Callable[[User, Any], bool]
# action -> [(object type or None for actions on no particular record, rule)]
_RULES: dict[str, list[tuple[type | None, Rule]]] = {}


class UnknownActionError(KeyError):
    """A permission check named an action no rule covers (a programming error)."""


def _rule(action: str, object_type: type | None = None) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        _RULES.setdefault(action, []).append((object_type, function))
        return function

    return register


def is_staff(user: User) -> bool:
    """Curators and administrators."""
    return user.role in STAFF


def edits(user: User, organization_id: str | None) -> bool:
    """True when ``user`` is an editor bound to this organisation."""
    return user.role == "editor" and organization_id is not None and organization_id in user.organization_ids


def _live(service: Service) -> bool:
    return service.status != "defunct"


# Listings.
@_rule("view", Service)
def _view_service(user: User, service: Service) -> bool:
    return user.role != "editor" or edits(user, service.organization_id)


@_rule("see_professional_details", Service)
def _see_professional(user: User, service: Service) -> bool:
    return user.role == "practitioner" or is_staff(user) or edits(user, service.organization_id)


@_rule("see_professional_details")
def _see_professional_in_lists(user: User, _obj: Any) -> bool:
    """Lists of many agencies' services: practitioners and staff (an editor sees their own on the page)."""
    return user.role == "practitioner" or is_staff(user)


@_rule("manage_listing", Service)
def _manage_listing(user: User, service: Service) -> bool:
    return is_staff(user) or edits(user, service.organization_id)


@_rule("update_listing", Service)
def _update_listing(user: User, service: Service) -> bool:
    return _live(service) and (is_staff(user) or edits(user, service.organization_id))


@_rule("propose_change", Service)
def _propose_change(user: User, service: Service) -> bool:
    return _live(service) and edits(user, service.organization_id)


@_rule("edit_details", Service)
def _edit_details(user: User, service: Service) -> bool:
    return _live(service) and is_staff(user)


@_rule("view_history", Service)
def _view_history(user: User, service: Service) -> bool:
    return is_staff(user) or edits(user, service.organization_id)


@_rule("report_problem", Service)
def _report_problem(user: User, service: Service) -> bool:
    return _live(service) and user.role in ("practitioner", *STAFF)


@_rule("retire_service", Service)
def _retire_service(user: User, service: Service) -> bool:
    return _live(service) and is_staff(user)


# Organisations.
@_rule("view", Organization)
def _view_organization(user: User, organization: Organization) -> bool:
    return user.role != "editor" or edits(user, organization.id)


@_rule("manage_organisation", Organization)
def _manage_organization(user: User, organization: Organization) -> bool:
    return is_staff(user)


# Proposed changes (an agency's drafts and the curator's answer to them).
@_rule("view", ProposedChange)
def _view_change(user: User, change: ProposedChange) -> bool:
    return is_staff(user) or edits(user, change.service.organization_id)


@_rule("withdraw_change", ProposedChange)
def _withdraw_change(user: User, change: ProposedChange) -> bool:
    return change.status == "pending" and edits(user, change.service.organization_id)


@_rule("decide_change", ProposedChange)
def _decide_change(user: User, change: ProposedChange) -> bool:
    return change.status == "pending" and is_staff(user)


# Problem reports.
@_rule("view", ProblemReport)
def _view_problem(user: User, report: ProblemReport) -> bool:
    return is_staff(user) or edits(user, report.service.organization_id) or report.reported_by_id == user.id


@_rule("resolve_problem", ProblemReport)
def _resolve_problem(user: User, report: ProblemReport) -> bool:
    return report.status == "open" and is_staff(user)


# People.
def _may_manage_role(user: User, role: str) -> bool:
    return user.role == "admin" or (user.role == "curator" and role in ("practitioner", "editor"))


@_rule("view", User)
def _view_user(user: User, target: User) -> bool:
    return is_staff(user) or target.id == user.id


@_rule("manage_user", User)
def _manage_user(user: User, target: User) -> bool:
    return target.id != user.id and _may_manage_role(user, target.role)


@_rule("change_role", User)
def _change_role(user: User, target: User) -> bool:
    return target.id != user.id and user.role == "admin"


@_rule("invite", str)
def _invite(user: User, role: str) -> bool:
    return _may_manage_role(user, role)


# Whole areas of the service.
for _action in (
    "curate",
    "view_audit",
    "list_users",
    "create_organisation",
    "create_service",
    "import_feeds",
    "edit_mappings",
):
    _rule(_action)(lambda user, _obj: is_staff(user))


@_rule("view_own_listings")
def _own_listings(user: User, _obj: object) -> bool:
    return user.role == "editor" or is_staff(user)


# Cases: special-category data. Only the owning team's practitioners (and administrators who are
# members of it) see and change a case; other administrators see it read-only, for a limited time,
# after recording why (a CaseAccessGrant). Everyone else gets 404.
CASE_TEAM_ROLES = ("practitioner", "admin")
CASE_ACTIONS = frozenset(
    {"open_case", "view_team_cases", "find_any_case", "change_case", "request_case_access", "export_case"}
)


def in_case_team(user: User, team_id: str | None) -> bool:
    """True when ``user`` works in the team that owns a case."""
    return user.role in CASE_TEAM_ROLES and user.team_id is not None and user.team_id == team_id


def _granted(user: User, case: Case) -> bool:
    now = utcnow()
    return user.role == "admin" and any(
        grant.user_id == user.id and _aware(grant.expires_at) > now for grant in case.access_grants
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@_rule("view", Case)
def _view_case(user: User, case: Case) -> bool:
    return in_case_team(user, case.team_id) or _granted(user, case)


@_rule("export_case", Case)
def _export_case(user: User, case: Case) -> bool:
    return in_case_team(user, case.team_id) or _granted(user, case)


@_rule("change_case", Case)
def _change_case(user: User, case: Case) -> bool:
    return case.is_open and not case.is_purged and in_case_team(user, case.team_id)


@_rule("request_case_access", Case)
def _request_case_access(user: User, case: Case) -> bool:
    return user.role == "admin" and not in_case_team(user, case.team_id)


for _action in ("open_case", "view_team_cases"):
    _rule(_action)(lambda user, _obj: user.role in CASE_TEAM_ROLES and user.team_id is not None)


@_rule("find_any_case")
def _find_any_case(user: User, _obj: object) -> bool:
    return user.role == "admin"


ACTIONS = frozenset(_RULES)


def _rule_for(action: str, obj: Any) -> tuple[bool, Rule | None]:
    """(whether the action takes a record, the rule for ``obj``'s type or None)."""
    try:
        entries = _RULES[action]
    except KeyError:
        raise UnknownActionError(action) from None
    for object_type, rule in entries:
        if object_type is None or isinstance(obj, object_type):
            return object_type is not None, rule
    return True, None


def can(user: User | None, action: str, obj: Any = None) -> bool:
    """True when ``user`` may do ``action`` to ``obj``; anonymous and disabled users may do nothing."""
    _takes_record, rule = _rule_for(action, obj)
    if user is None or not user.is_authenticated or not user.is_active or rule is None:
        return False
    return bool(rule(user, obj))


def deny(user: User, obj: Any) -> NoReturn:
    """Refuse: 404 when the user may not even see ``obj``, 403 when they may see it but not do this."""
    if obj is not None and _rule_for("view", obj)[1] is not None and not can(user, "view", obj):
        abort(404)
    abort(403)


@overload
def require(action: str) -> None: ...
@overload
def require(action: str, obj: T | None) -> T: ...
def require(action: str, obj: T | None = None) -> T | None:
    """Check the signed-in user may do ``action`` to ``obj`` and return ``obj``.

    Not signed in: redirect to sign in (and back). ``obj`` None where a record is expected (an id
    that matches nothing): 404. Otherwise 404 or 403 as ``deny`` decides.
    """
    takes_record, _rule = _rule_for(action, obj)
    user = current_user()
    if user is None:
        abort(unauthorized())
    if takes_record and obj is None:
        abort(404)
    if not can(user, action, obj):
        deny(user, obj)
    return obj
