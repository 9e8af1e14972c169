"""Permissions are an enum: every name has a rule, every rule a name, and a misspelt name fails loudly."""

from __future__ import annotations

import pytest
from flask import Flask

from directory.auth import user_can
from directory.auth.permissions import ACTIONS, Permission, UnknownActionError


def test_every_permission_has_a_rule_and_every_rule_a_permission() -> None:
    assert set(Permission) == ACTIONS


def test_a_template_naming_an_unknown_action_fails_instead_of_denying(app: Flask) -> None:
    with app.test_request_context("/"):
        assert user_can("curate") is False  # anonymous: a real action, refused
        with pytest.raises(UnknownActionError):
            user_can("curatte")
