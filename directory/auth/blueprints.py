"""The blueprints for signed-in work: accounts, users, listings, curation, problem reports, audit."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Register every blueprint of the accounts, self-service, curation and audit features."""
    from directory.audit import views as audit_views
    from directory.auth import admin_views, limits, views
    from directory.curation import report_views
    from directory.curation import views as curation_views
    from directory.listings import views as listing_views

    for blueprint in (
        views.bp,
        admin_views.bp,
        listing_views.bp,
        curation_views.bp,
        report_views.bp,
        audit_views.bp,
    ):
        app.register_blueprint(blueprint)
    limits.apply(app)
