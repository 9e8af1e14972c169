"""Who may do what, to which record: the one place authorisation is decided.

``can(user, action, obj)`` answers from the rules below; views call ``require(action, obj)``,
which signs the user in first, answers 404 when the user may not even see the record (so an editor
learns nothing about another agency's listings, drafts or messages) and 403 otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, NoReturn, TypeVar, overload

from flask import abort

from directory.auth.sessions import current_user, unauthorized
from directory.models import Case, Organization, ProblemReport, ProposedChange, Service, User
from directory.models.base import utcnow


class Permission(StrEnum):
    """Every action a permission check can name; ``can`` and ``require`` take only these, so the type
    checker catches a misspelt action. Templates name them as text through ``user_can``."""

    CHANGE_CASE = "change_case"
    CHANGE_ROLE = "change_role"
    CREATE_ORGANISATION = "create_organisation"
    CREATE_SERVICE = "create_service"
    CURATE = "curate"
    DECIDE_CHANGE = "decide_change"
    EDIT_DETAILS = "edit_details"
    EDIT_MAPPINGS = "edit_mappings"
    EXPORT_CASE = "export_case"
    FIND_ANY_CASE = "find_any_case"
    IMPORT_FEEDS = "import_feeds"
    INVITE = "invite"
    LIST_USERS = "list_users"
    MANAGE_LISTING = "manage_listing"
    MANAGE_ORGANISATION = "manage_organisation"
    MANAGE_USER = "manage_user"
    OPEN_CASE = "open_case"
    PROPOSE_CHANGE = "propose_change"
    REPORT_PROBLEM = "report_problem"
    REQUEST_CASE_ACCESS = "request_case_access"
    RESOLVE_PROBLEM = "resolve_problem"
    RETIRE_SERVICE = "retire_service"
    SEE_PROFESSIONAL_DETAILS = "see_professional_details"
    UPDATE_LISTING = "update_listing"
    VIEW = "view"
    VIEW_AUDIT = "view_audit"
    VIEW_HISTORY = "view_history"
    VIEW_OWN_LISTINGS = "view_own_listings"
    VIEW_TEAM_CASES = "view_team_cases"
    WITHDRAW_CHANGE = "withdraw_change"


STAFF = ("curator", "admin")
T = TypeVar("T")

Rule = Callable[[User, Any], bool]
# action -> [(object type or None for actions on no particular record, rule)]
_RULES: dict[Permission, list[tuple[type | None, Rule]]] = {}


class UnknownActionError(KeyError):
    """A permission check named an action no rule covers (a programming error)."""


def _rule(action: Permission, object_type: type | None = None) -> Callable[[Rule], Rule]:
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
@_rule(Permission.VIEW, Service)
def _view_service(user: User, service: Service) -> bool:
    return user.role != "editor" or edits(user, service.organization_id)


@_rule(Permission.SEE_PROFESSIONAL_DETAILS, Service)
def _see_professional(user: User, service: Service) -> bool:
    return user.role == "practitioner" or is_staff(user) or edits(user, service.organization_id)


@_rule(Permission.SEE_PROFESSIONAL_DETAILS)
def _see_professional_in_lists(user: User, _obj: Any) -> bool:
    """Lists of many agencies' services: practitioners and staff (an editor sees their own on the page)."""
    return user.role == "practitioner" or is_staff(user)


@_rule(Permission.MANAGE_LISTING, Service)
def _manage_listing(user: User, service: Service) -> bool:
    return is_staff(user) or edits(user, service.organization_id)


@_rule(Permission.UPDATE_LISTING, Service)
def _update_listing(user: User, service: Service) -> bool:
    return _live(service) and (is_staff(user) or edits(user, service.organization_id))


@_rule(Permission.PROPOSE_CHANGE, Service)
def _propose_change(user: User, service: Service) -> bool:
    return _live(service) and edits(user, service.organization_id)


@_rule(Permission.EDIT_DETAILS, Service)
def _edit_details(user: User, service: Service) -> bool:
    return _live(service) and is_staff(user)


@_rule(Permission.VIEW_HISTORY, Service)
def _view_history(user: User, service: Service) -> bool:
    return is_staff(user) or edits(user, service.organization_id)


@_rule(Permission.REPORT_PROBLEM, Service)
def _report_problem(user: User, service: Service) -> bool:
    return _live(service) and user.role in ("practitioner", *STAFF)


@_rule(Permission.RETIRE_SERVICE, Service)
def _retire_service(user: User, service: Service) -> bool:
    return _live(service) and is_staff(user)


# Organisations.
@_rule(Permission.VIEW, Organization)
def _view_organization(user: User, organization: Organization) -> bool:
    return user.role != "editor" or edits(user, organization.id)


@_rule(Permission.MANAGE_ORGANISATION, Organization)
def _manage_organization(user: User, organization: Organization) -> bool:
    return is_staff(user)


# Proposed changes (an agency's drafts and the curator's answer to them).
@_rule(Permission.VIEW, ProposedChange)
def _view_change(user: User, change: ProposedChange) -> bool:
    return is_staff(user) or edits(user, change.service.organization_id)


@_rule(Permission.WITHDRAW_CHANGE, ProposedChange)
def _withdraw_change(user: User, change: ProposedChange) -> bool:
    return change.status == "pending" and edits(user, change.service.organization_id)


@_rule(Permission.DECIDE_CHANGE, ProposedChange)
def _decide_change(user: User, change: ProposedChange) -> bool:
    return change.status == "pending" and is_staff(user)


# Problem reports.
@_rule(Permission.VIEW, ProblemReport)
def _view_problem(user: User, report: ProblemReport) -> bool:
    return is_staff(user) or edits(user, report.service.organization_id) or report.reported_by_id == user.id


@_rule(Permission.RESOLVE_PROBLEM, ProblemReport)
def _resolve_problem(user: User, report: ProblemReport) -> bool:
    return report.status == "open" and is_staff(user)


# People.
def _may_manage_role(user: User, role: str) -> bool:
    return user.role == "admin" or (user.role == "curator" and role in ("practitioner", "editor"))


@_rule(Permission.VIEW, User)
def _view_user(user: User, target: User) -> bool:
    return is_staff(user) or target.id == user.id


@_rule(Permission.MANAGE_USER, User)
def _manage_user(user: User, target: User) -> bool:
    return target.id != user.id and _may_manage_role(user, target.role)


@_rule(Permission.CHANGE_ROLE, User)
def _change_role(user: User, target: User) -> bool:
    return target.id != user.id and user.role == "admin"


@_rule(Permission.INVITE, str)
def _invite(user: User, role: str) -> bool:
    return _may_manage_role(user, role)


# Whole areas of the service.
for _action in (
    Permission.CURATE,
    Permission.VIEW_AUDIT,
    Permission.LIST_USERS,
    Permission.CREATE_ORGANISATION,
    Permission.CREATE_SERVICE,
    Permission.IMPORT_FEEDS,
    Permission.EDIT_MAPPINGS,
):
    _rule(_action)(lambda user, _obj: is_staff(user))


@_rule(Permission.VIEW_OWN_LISTINGS)
def _own_listings(user: User, _obj: object) -> bool:
    return user.role == "editor" or is_staff(user)


# Cases: special-category data. Only the owning team's practitioners (and administrators who are
# members of it) see and change a case; other administrators see it read-only, for a limited time,
# after recording why (a CaseAccessGrant). Everyone else gets 404.
CASE_TEAM_ROLES = ("practitioner", "admin")
CASE_ACTIONS = frozenset(
    {
        Permission.OPEN_CASE,
        Permission.VIEW_TEAM_CASES,
        Permission.FIND_ANY_CASE,
        Permission.CHANGE_CASE,
        Permission.REQUEST_CASE_ACCESS,
        Permission.EXPORT_CASE,
    }
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


@_rule(Permission.VIEW, Case)
def _view_case(user: User, case: Case) -> bool:
    return in_case_team(user, case.team_id) or _granted(user, case)


@_rule(Permission.EXPORT_CASE, Case)
def _export_case(user: User, case: Case) -> bool:
    return in_case_team(user, case.team_id) or _granted(user, case)


@_rule(Permission.CHANGE_CASE, Case)
def _change_case(user: User, case: Case) -> bool:
    return case.is_open and not case.is_purged and in_case_team(user, case.team_id)


@_rule(Permission.REQUEST_CASE_ACCESS, Case)
def _request_case_access(user: User, case: Case) -> bool:
    return user.role == "admin" and not in_case_team(user, case.team_id)


for _action in (Permission.OPEN_CASE, Permission.VIEW_TEAM_CASES):
    _rule(_action)(lambda user, _obj: user.role in CASE_TEAM_ROLES and user.team_id is not None)


@_rule(Permission.FIND_ANY_CASE)
def _find_any_case(user: User, _obj: object) -> bool:
    return user.role == "admin"


ACTIONS = frozenset(_RULES)


def _rule_for(action: Permission, obj: Any) -> tuple[bool, Rule | None]:
    """(whether the action takes a record, the rule for ``obj``'s type or None)."""
    try:
        entries = _RULES[action]
    except KeyError:
        raise UnknownActionError(action) from None
    for object_type, rule in entries:
        if object_type is None or isinstance(obj, object_type):
            return object_type is not None, rule
    return True, None


def can(user: User | None, action: Permission, obj: Any = None) -> bool:
    """True when ``user`` may do ``action`` to ``obj``; anonymous and disabled users may do nothing."""
    _takes_record, rule = _rule_for(action, obj)
    if user is None or not user.is_authenticated or not user.is_active or rule is None:
        return False
    return bool(rule(user, obj))


def deny(user: User, obj: Any) -> NoReturn:
    """Refuse: 404 when the user may not even see ``obj``, 403 when they may see it but not do this."""
    if (
        obj is not None
        and _rule_for(Permission.VIEW, obj)[1] is not None
        and not can(user, Permission.VIEW, obj)
    ):
        abort(404)
    abort(403)


@overload
def require(action: Permission) -> None: ...
@overload
def require(action: Permission, obj: T | None) -> T: ...
def require(action: Permission, obj: T | None = None) -> T | None:
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
