"""Authorisation as a matrix: role, action and object, in ``can`` and over HTTP (URLs and forms).

Every cell is written out: who may do each action to each record. An agency editor never reaches
another agency's listings, drafts or messages: those answer 404, as if they did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from directory.auth import can
from directory.auth.permissions import ACTIONS, CASE_ACTIONS, UnknownActionError
from directory.models import User
from tests.auth import factories as make

ACTORS = ("anonymous", "practitioner", "editor_a", "editor_b", "curator", "admin", "disabled_editor_a")
STAFF = {"curator", "admin"}


@dataclass
class World:
    users: dict[str, User | None]
    objects: dict[str, Any]


def build_world(db: Session) -> World:
    org_a, org_b = make.organisation(db, "Agency A"), make.organisation(db, "Agency B")
    practitioner = make.user(db, "practitioner", "practitioner@example.org", team="Lewisham custody")
    editor_a = make.user(db, "editor", "editor-a@example.org", organisations=[org_a])
    editor_b = make.user(db, "editor", "editor-b@example.org", organisations=[org_b])
    users: dict[str, User | None] = {
        "anonymous": None,
        "practitioner": practitioner,
        "editor_a": editor_a,
        "editor_b": editor_b,
        "curator": make.user(db, "curator", "curator@example.org"),
        "admin": make.user(db, "admin", "admin@example.org"),
        "disabled_editor_a": make.user(db, "editor", "gone@example.org", organisations=[org_a], active=False),
    }
    svc_a = make.service(db, org_a, "Service A", assured=date(2026, 1, 1))
    svc_b = make.service(db, org_b, "Service B")
    retired = make.service(db, org_a, "Retired A", status="defunct")
    done = make.proposal(db, svc_a, editor_a, name="Older name")
    done.status = "approved"
    objects = {
        "org_a": org_a,
        "org_b": org_b,
        "svc_a": svc_a,
        "svc_b": svc_b,
        "retired_a": retired,
        "change_a": make.proposal(db, svc_a, editor_a, description="New words"),
        "change_b": make.proposal(db, svc_b, editor_b, description="Other words"),
        "change_a_done": done,
        "report_a": make.problem(db, svc_a, practitioner),
        "report_b": make.problem(db, svc_b, practitioner),
        "practitioner": practitioner,
        "editor_a_user": editor_a,
        "curator_user": users["curator"],
        "other_admin": make.user(db, "admin", "admin2@example.org"),
        "role:practitioner": "practitioner",
        "role:editor": "editor",
        "role:curator": "curator",
        "role:admin": "admin",
        None: None,
    }
    db.commit()
    return World(users, objects)


# (action, object) -> the actors allowed; everyone else is refused.
EXPECTED: dict[tuple[str, str | None], set[str]] = {
    ("view", "svc_a"): {"practitioner", "editor_a", *STAFF},
    ("view", "svc_b"): {"practitioner", "editor_b", *STAFF},
    ("see_professional_details", "svc_a"): {"practitioner", "editor_a", *STAFF},
    ("see_professional_details", "svc_b"): {"practitioner", "editor_b", *STAFF},
    ("manage_listing", "svc_a"): {"editor_a", *STAFF},
    ("manage_listing", "svc_b"): {"editor_b", *STAFF},
    ("manage_listing", "retired_a"): {"editor_a", *STAFF},
    ("update_listing", "svc_a"): {"editor_a", *STAFF},
    ("update_listing", "svc_b"): {"editor_b", *STAFF},
    ("update_listing", "retired_a"): set(),
    ("propose_change", "svc_a"): {"editor_a"},
    ("propose_change", "svc_b"): {"editor_b"},
    ("propose_change", "retired_a"): set(),
    ("edit_details", "svc_a"): STAFF,
    ("edit_details", "retired_a"): set(),
    ("view_history", "svc_a"): {"editor_a", *STAFF},
    ("view_history", "svc_b"): {"editor_b", *STAFF},
    ("report_problem", "svc_a"): {"practitioner", *STAFF},
    ("report_problem", "retired_a"): set(),
    ("retire_service", "svc_a"): STAFF,
    ("retire_service", "retired_a"): set(),
    ("view", "org_a"): {"practitioner", "editor_a", *STAFF},
    ("manage_organisation", "org_a"): STAFF,
    ("view", "change_a"): {"editor_a", *STAFF},
    ("view", "change_b"): {"editor_b", *STAFF},
    ("withdraw_change", "change_a"): {"editor_a"},
    ("withdraw_change", "change_b"): {"editor_b"},
    ("withdraw_change", "change_a_done"): set(),
    ("decide_change", "change_a"): STAFF,
    ("decide_change", "change_a_done"): set(),
    ("view", "report_a"): {"practitioner", "editor_a", *STAFF},
    ("view", "report_b"): {"practitioner", "editor_b", *STAFF},
    ("resolve_problem", "report_a"): STAFF,
    ("view", "practitioner"): {"practitioner", *STAFF},
    ("view", "editor_a_user"): {"editor_a", *STAFF},
    ("manage_user", "practitioner"): STAFF,
    ("manage_user", "editor_a_user"): STAFF,
    ("manage_user", "curator_user"): {"admin"},
    ("manage_user", "other_admin"): {"admin"},
    ("change_role", "editor_a_user"): {"admin"},
    ("change_role", "curator_user"): {"admin"},
    ("invite", "role:practitioner"): STAFF,
    ("invite", "role:editor"): STAFF,
    ("invite", "role:curator"): {"admin"},
    ("invite", "role:admin"): {"admin"},
    ("curate", None): STAFF,
    ("view_audit", None): STAFF,
    ("list_users", None): STAFF,
    ("create_organisation", None): STAFF,
    ("create_service", None): STAFF,
    ("import_feeds", None): STAFF,
    ("edit_mappings", None): STAFF,
    ("view_own_listings", None): {"editor_a", "editor_b", *STAFF},
}


def test_every_action_is_in_the_matrix() -> None:
    assert {action for action, _obj in EXPECTED} == ACTIONS - CASE_ACTIONS  # cases: tests/cases


def test_can_matches_the_matrix(app: Flask, db: Session) -> None:
    world = build_world(db)
    wrong = []
    for (action, object_name), allowed in EXPECTED.items():
        obj = world.objects[object_name]
        for actor in ACTORS:
            got = can(world.users[actor], action, obj)
            if got != (actor in allowed):
                wrong.append(f"{actor} {action} {object_name}: got {got}")
    assert wrong == [], "\n".join(wrong)


def test_nobody_acts_on_themselves_as_an_administrator(app: Flask, db: Session) -> None:
    world = build_world(db)
    admin = world.users["admin"]
    assert can(admin, "view", admin)
    assert not can(admin, "manage_user", admin)
    assert not can(admin, "change_role", admin)


def test_wrong_kind_of_object_and_unknown_actions(app: Flask, db: Session) -> None:
    world = build_world(db)
    admin = world.users["admin"]
    assert not can(admin, "manage_listing", world.objects["org_a"])
    assert not can(admin, "manage_listing", None)
    with pytest.raises(UnknownActionError):
        can(admin, "launch_rockets", None)


# Over HTTP: what each actor gets. "login" = sent to sign in; 403; 404 (hidden); "ok" = allowed
# (a page, a redirect after success, or a 409 conflict: anything but a refusal).
L, F, H, OK = "login", 403, 404, "ok"
HTTP_ACTORS = ("anonymous", "practitioner", "editor_a", "editor_b", "curator", "admin")


def _routes(w: World) -> list[tuple[str, str, dict[str, str] | None, tuple[Any, ...]]]:
    o = w.objects
    a, b = o["svc_a"].id, o["svc_b"].id
    ca, cb, ra = o["change_a"].id, o["change_b"].id, o["report_a"].id
    org_a, ed = o["org_a"].id, o["editor_a_user"].id
    v = str(o["svc_a"].version)
    return [
        #  method, url, form, expected for anonymous, practitioner, editor_a, editor_b, curator, admin
        ("GET", "/listings/", None, (L, F, OK, OK, OK, OK)),
        ("GET", f"/listings/{a}", None, (L, F, OK, H, OK, OK)),
        ("GET", f"/listings/{a}/update", None, (L, F, OK, H, OK, OK)),
        ("GET", f"/listings/{a}/opening-times", None, (L, F, OK, H, OK, OK)),
        ("GET", f"/listings/{a}/exceptions", None, (L, F, OK, H, OK, OK)),
        ("GET", f"/listings/{a}/details", None, (L, F, OK, H, OK, OK)),
        ("GET", f"/listings/{a}/history", None, (L, F, OK, H, OK, OK)),
        ("GET", f"/listings/{a}/changes/{ca}", None, (L, H, OK, H, OK, OK)),
        ("GET", f"/listings/{b}/changes/{cb}", None, (L, H, H, OK, OK, OK)),
        ("GET", f"/listings/{a}/changes/{cb}", None, (L, H, H, H, H, H)),  # an id from another listing
        ("GET", "/listings/no-such-id", None, (L, H, H, H, H, H)),
        ("GET", "/curation/", None, (L, F, F, F, OK, OK)),
        ("GET", "/curation/changes", None, (L, F, F, F, OK, OK)),
        ("GET", f"/curation/changes/{ca}", None, (L, H, F, H, OK, OK)),
        ("GET", f"/curation/changes/{ca}/edit", None, (L, H, F, H, OK, OK)),
        ("GET", f"/curation/problems/{ra}", None, (L, F, F, H, OK, OK)),
        ("GET", "/curation/review", None, (L, F, F, F, OK, OK)),
        ("GET", "/curation/duplicates", None, (L, F, F, F, OK, OK)),
        ("GET", f"/curation/organisations/{org_a}", None, (L, F, F, H, OK, OK)),
        ("GET", f"/curation/services/{a}/retire", None, (L, F, F, H, OK, OK)),
        ("GET", "/admin/users/", None, (L, F, F, F, OK, OK)),
        ("GET", "/admin/users/invite", None, (L, F, F, F, OK, OK)),
        ("GET", f"/admin/users/{ed}", None, (L, H, F, H, OK, OK)),
        ("GET", "/audit", None, (L, F, F, F, OK, OK)),
        ("GET", "/audit/export.csv", None, (L, F, F, F, OK, OK)),
        ("GET", f"/services/{a}/report-problem", None, (L, OK, F, H, OK, OK)),
        ("GET", "/account", None, (L, OK, OK, OK, OK, OK)),
        ("GET", "/imports/", None, (L, F, F, F, OK, OK)),
        ("GET", "/imports/mappings", None, (L, F, F, F, OK, OK)),
        ("GET", "/imports/mappings/edit", None, (L, F, F, F, OK, OK)),
        # Forms posted straight at the URL (no page visited first).
        (
            "POST",
            f"/listings/{a}/update",
            {"capacity_status": "at_capacity", "version": v},
            (L, F, OK, H, OK, OK),
        ),
        ("POST", f"/listings/{a}/accurate", {"version": v}, (L, F, OK, H, OK, OK)),
        ("POST", f"/listings/{a}/details", {"name": "Renamed", "version": v}, (L, F, OK, H, OK, OK)),
        ("POST", f"/listings/{b}/changes/{cb}/withdraw", {}, (L, H, H, OK, F, F)),
        # Once the curator has rejected it, the change is decided: the admin may see it, not decide it.
        ("POST", f"/curation/changes/{ca}/reject", {"reason": "No"}, (L, H, F, H, OK, F)),
        ("POST", f"/services/{a}/report-problem", {"kind": "closed"}, (L, OK, F, H, OK, OK)),
        ("POST", f"/curation/services/{b}/retire", {"reason": "Gone"}, (L, F, H, F, OK, F)),
        ("POST", "/curation/organisations/new", {"name": "New agency"}, (L, F, F, F, OK, OK)),
        # Last: disabling editor_a ends their sessions.
        ("POST", f"/admin/users/{ed}/disable", {"reason": "test"}, (L, H, F, H, OK, OK)),
    ]


def _outcome(response: Any) -> Any:
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return L
    if response.status_code in (403, 404):
        return response.status_code
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    return OK


def test_http_matrix(app: Flask, db: Session) -> None:
    world = build_world(db)
    wrong = []
    for method, url, form, expected in _routes(world):
        for actor, want in zip(HTTP_ACTORS, expected, strict=True):
            client = app.test_client()
            person = world.users[actor]
            if person is not None:
                make.sign_in(client, person)
            response = client.open(url, method=method, data=form)
            got = _outcome(response)
            if got != want:
                wrong.append(f"{actor} {method} {url}: got {got}, want {want}")
    assert wrong == [], "\n".join(wrong)


def test_form_tampering_changes_nothing(app: Flask, db: Session) -> None:
    """Ids changed in URLs and form fields: refused, and the records stay as they were."""
    from directory.models import ProposedChange, Service

    world = build_world(db)
    o, u = world.objects, world.users
    names = ("svc_a", "svc_b", "change_a", "change_b", "org_a", "org_b")
    ids = {name: getattr(o[name], "id", None) for name in names}
    editor_a, curator, practitioner = u["editor_a"], u["curator"], u["practitioner"]
    admin_id, editor_a_id = u["admin"].id, editor_a.id  # type: ignore[union-attr]
    attempts = [
        # An editor binds themselves to another agency.
        (editor_a, f"/admin/users/{editor_a_id}/organisations", {"organisation": ids["org_b"]}, 403),
        # An editor withdraws or approves another agency's proposal through their own listing's URL.
        (editor_a, f"/listings/{ids['svc_a']}/changes/{ids['change_b']}/withdraw", {}, 404),
        (editor_a, f"/curation/changes/{ids['change_a']}/approve", {}, 403),
        # A curator promotes someone, or demotes an admin.
        (curator, f"/admin/users/{editor_a_id}/role", {"role": "admin"}, 403),
        (curator, f"/admin/users/{admin_id}/role", {"role": "practitioner"}, 403),
        (curator, f"/admin/users/{admin_id}/disable", {"reason": "x"}, 403),
        # A practitioner merges listings.
        (
            practitioner,
            "/curation/duplicates/merge",
            {"first": ids["svc_a"], "second": ids["svc_b"], "keep": ids["svc_a"]},
            403,
        ),
        # An editor updates another agency's listing, with its version.
        (
            editor_a,
            f"/listings/{ids['svc_b']}/update",
            {"capacity_status": "closed_to_referrals", "version": "1"},
            404,
        ),
    ]
    for person, url, form, status in attempts:
        client = make.sign_in(app.test_client(), person)  # type: ignore[arg-type]
        assert client.post(url, data=form).status_code == status, url
    db.expire_all()
    assert db.get(User, editor_a_id).organization_ids == {ids["org_a"]}  # type: ignore[union-attr]
    assert db.get(User, editor_a_id).role == "editor"  # type: ignore[union-attr]
    assert db.get(User, admin_id).role == "admin"  # type: ignore[union-attr]
    assert db.get(User, admin_id).active  # type: ignore[union-attr]
    assert db.get(ProposedChange, ids["change_b"]).status == "pending"  # type: ignore[union-attr]
    assert db.get(ProposedChange, ids["change_a"]).status == "pending"  # type: ignore[union-attr]
    assert db.get(Service, ids["svc_a"]).status == "active"  # type: ignore[union-attr]
    assert db.get(Service, ids["svc_b"]).capacity_status == "accepting"  # type: ignore[union-attr]
