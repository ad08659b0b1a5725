"""Flask commands for workshops: reminders before the events (for a daily cron job)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.transaction import commit

workshops_cli = AppGroup("workshops", help="Workshops and meetings.")


@workshops_cli.command("reminders")
def reminders_command():
    """Remind the kommuner booked for an event in the next three days (each booking once)."""
    from portal.pulje.services import get_pool
    from portal.workshops.services import send_reminders

    reminded = send_reminders(get_pool(), actor=None)
    commit()
    click.echo(f"Reminded: {reminded}.")
