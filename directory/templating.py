"""Jinja set-up: our templates plus the GOV.UK Frontend macros, and shared filters."""

from __future__ import annotations

import os
from datetime import date, datetime

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from directory import wording
from directory.geography import authority_name
from matcher import timewords


def format_date(value: date | datetime | None) -> str:
    """``3 March 2026``."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def format_time(value: datetime | None) -> str:
    """``9am``, ``5:30pm``, ``midnight`` in London time (:func:`matcher.timewords.clock`)."""
    return "" if value is None else timewords.clock(value)


def format_when(value: datetime | None) -> str:
    """``Monday 23 November at 9am``: the one way times are written (:mod:`matcher.timewords`)."""
    return "" if value is None else timewords.day_and_time(value)


def init_app(app: Flask) -> None:
    """Load templates from ``templates/`` and GOV.UK Frontend Jinja, and register filters."""
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(os.path.join(app.root_path, str(app.template_folder))),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            PrefixLoader({"govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(
        date=format_date,
        time=format_time,
        when=format_when,
        authority=authority_name,
        moment=wording.moment,
        plain=wording.plain,
        plural=wording.plural,
        field_label=wording.field_label,
        action_sentence=wording.action_sentence,
    )
