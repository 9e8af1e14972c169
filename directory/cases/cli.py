"""``flask purge`` (run it daily from cron) and ``flask case-counts``."""

from __future__ import annotations

import json

import click
from flask import current_app

from directory.cases import retention
from directory.db import get_session


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Say how many cases would be purged, change nothing.")
def purge_command(dry_run: bool) -> None:
    """Remove personal fields from cases closed more than CASE_RETENTION_MONTHS ago (idempotent)."""
    months = int(current_app.config["CASE_RETENTION_MONTHS"])
    session = get_session()
    if dry_run:
        count = len(retention.due_for_purge(session, months))
        click.echo(f"{count} case(s) closed more than {months} month(s) ago would be purged.")
        return
    count = retention.purge(session, months)
    session.commit()
    click.echo(f"Purged personal fields from {count} case(s) closed more than {months} month(s) ago.")


@click.command("case-counts")
def counts_command() -> None:
    """Print anonymous case and referral counts as JSON (they survive the purge)."""
    click.echo(json.dumps(retention.counts(get_session()), indent=2, sort_keys=True))
