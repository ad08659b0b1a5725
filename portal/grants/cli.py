"""Flask commands for grants: the daily round of acceptance deadlines (for cron)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.transaction import commit

grants_cli = AppGroup("grants", help="Grant letters (tilsagn).")


@grants_cli.command("deadlines")
def deadlines_command():
    """Remind kommuner whose acceptance deadline is within a week; let overdue grants lapse."""
    from portal.grants.services import remind_and_expire
    from portal.pulje.services import get_pool

    reminded, expired = remind_and_expire(get_pool(), actor=None)
    commit()
    click.echo(f"Reminded: {reminded}. Expired: {expired}.")
