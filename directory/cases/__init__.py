"""Cases, warm handovers and follow-up: closing the loop on every referral.

- ``records``: open, consent, close, find, administrators' reasoned access;
- ``referrals``: handover levels (H0-H4) and each referral's lifecycle;
- ``followup``: the checks made automatically and the team's list of what is due;
- ``retention``: ``flask purge`` and anonymous counts; ``export``: subject access;
- ``views``: the pages under /cases; ``cli``: the commands.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Settings, template filters, the /cases blueprint and the ``purge`` and ``case-counts`` commands."""
    from directory.cases import cli, display, settings, views

    settings.apply(app.config)
    display.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.purge_command)
    app.cli.add_command(cli.counts_command)
