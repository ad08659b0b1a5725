"""Flask commands: seed, demo, create-user, the outbox, allocation simulate, grants deadlines, workshop
and report reminders, backup and restore."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from portal import clock
from portal.allocation.cli import allocation_cli
from portal.backup import backup_command, restore_command
from portal.grants.cli import grants_cli
from portal.reports.cli import reports_cli
from portal.workshops.cli import workshops_cli
from portal.formatting import format_datetime
from portal.transaction import commit

outbox_cli = AppGroup("outbox", help="The mail outbox.")


def register(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(allocation_cli)
    app.cli.add_command(grants_cli)
    app.cli.add_command(workshops_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def _seed() -> None:
    from portal.kommuner.services import seed_kommuner
    from portal.pulje.services import seed_pool

    result = seed_kommuner()
    pool, created = seed_pool()
    commit()
    click.echo(f"Kommuner: {result.created} created, {result.updated} updated, {result.unchanged} unchanged.")
    click.echo(f"Pool {pool.name} (J.nr. {pool.journal_number}): {'created' if created else 'already there'}.")


@click.command("seed")
def seed_command():
    """Load the 98 kommuner and the pool with its real parameters (idempotent)."""
    _seed()


@click.command("demo")
def demo_command():
    """Seed, then add the demo accounts (idempotent), and print the logins."""
    from portal.auth.services import get_user_by_email
    from portal.demo import DEMO_CASEWORKER, DEMO_PASSWORD, load_demo_accounts, load_demo_applications, \
        load_demo_reviews
    from portal.demo_project import load_demo_project

    _seed()
    accounts = load_demo_accounts()
    commit()
    for line in load_demo_applications():
        click.echo(f"Demo application: {line}")
    commit()
    reviews = load_demo_reviews()
    commit()
    if reviews:
        click.echo(f"Demo reviews: {reviews} scored by the demo's caseworker and administrator.")
    for line in load_demo_project(get_user_by_email(DEMO_CASEWORKER)):
        click.echo(f"Demo project: {line}")
    commit()
    click.echo("")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for account in accounts:
        click.echo(f"  {account.email:<32} {account.role.label}{' – ' + account.kommune if account.kommune else ''}")
    portal_clock = clock.get_clock()
    if portal_clock.is_shifted:
        click.echo(f"The portal's clock stands at {format_datetime(portal_clock.now())} and runs forward.")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["kommune", "sagsbehandler", "admin"]), required=True)
@click.option("--kommune", "kommune_name", help="The kommune's name, for role 'kommune' (e.g. Herning).")
@click.password_option(help="At least 12 characters.")
def create_user_command(email, name, role, kommune_name, password):
    """Create an account with a password (for the first administrator of an installation)."""
    from portal.auth.enums import Role
    from portal.auth.services import create_user
    from portal.errors import DomainError
    from portal.kommuner.services import get_kommune_by_name

    kommune = get_kommune_by_name(kommune_name) if kommune_name else None
    if kommune_name and kommune is None:
        raise click.ClickException(f"No kommune called {kommune_name!r}.")
    try:
        user = create_user(email=email, name=name, role=Role(role), kommune=kommune, password=password)
        commit()
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created {user.email} ({user.role.label}).")


@outbox_cli.command("send")
def outbox_send():
    """Deliver every queued message now (retries those that failed)."""
    from portal.outbox.delivery import deliver_queued

    result = deliver_queued()
    if result.skipped:
        raise click.ClickException("MAIL_SERVER is not set: messages stay in the outbox.")
    click.echo(f"Sent {result.sent}, failed {result.failed}.")
    if result.failed:
        raise SystemExit(1)


@outbox_cli.command("list")
def outbox_list():
    """Show the newest messages of the outbox."""
    from portal.outbox.services import list_messages

    for message in list_messages(page=1).items:
        error = f"  ({message.last_error})" if message.last_error else ""
        click.echo(f"{message.id:>5}  {message.status.label:<7} {format_datetime(message.created_at)}  "
                   f"{message.recipient}  {message.subject}{error}")
