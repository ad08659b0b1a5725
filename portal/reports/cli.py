"""Flask commands for reports: reminders of reports past their due date (for a daily cron job)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.transaction import commit

reports_cli = AppGroup("reports", help="Activity reports.")


@reports_cli.command("reminders")
def reminders_command():
    """Remind kommuner of reports past their due date (each report at most once a week)."""
    from portal.pulje.services import get_pool
    from portal.reports.services import remind_late

    reminded = remind_late(get_pool(), actor=None)
    commit()
    click.echo(f"Reminded: {reminded}.")
