"""`flask backup` and `flask restore`: a backup taken while users write is one consistent snapshot, and a
restore brings back every row as it was, keeping what it replaced; bad backups are refused."""
from __future__ import annotations

import contextlib
import shlex
import sqlite3
import threading
import time
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from portal.applications.models import Application
from portal.applications.states import ApplicationStatus
from portal.audit.models import AuditEvent
from portal.auth.enums import Role
from portal.auth.services import create_user
from portal.backup import head_revision
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.grants.models import Grant
from portal.outbox.models import MessageStatus, OutboxAttachment, OutboxMessage
from portal.reports.models import Report
from portal.reports.states import ReportStatus
from portal.transaction import commit
from tests.support.reports import accepted, file_report, report_of, user_of

Q4 = "Aktivitetsrapport for 4. kvartal 2017"
AFTER_Q4 = datetime(2018, 1, 10, 9, 0, tzinfo=COPENHAGEN)
WRITER_KIND = "backup_test"


@pytest.fixture
def project(app, clock, sara, tmp_path):
    """Herning and Læsø submitted, granted and accepted; Herning's Q4 report submitted. Backups in tmp_path."""
    app.instance_path = str(tmp_path)
    grants = accepted(clock, sara, "Herning", "Læsø")
    clock.set(AFTER_Q4)
    file_report(report_of(grants["Herning"], Q4), actor=user_of("Herning"))
    return grants


def _cli(app, *args: str):
    return CliRunner().invoke(app.cli, list(args), catch_exceptions=False)


def _rows() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order, read afresh."""
    db.session.remove()
    return {table.name: [tuple(row) for row in db.session.execute(
        sa.select(table).order_by(*table.primary_key.columns))] for table in db.metadata.sorted_tables}


class Writer(threading.Thread):
    """Another user writing all the while: each transaction adds an outbox message and its attachment."""

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.engine = sa.create_engine(database_url)
        self.done = 0
        self.stop = threading.Event()

    def run(self) -> None:
        messages, attachments = OutboxMessage.__table__, OutboxAttachment.__table__
        while not self.stop.is_set():
            with self.engine.begin() as connection:
                message_id = connection.execute(messages.insert().returning(messages.c.id).values(
                    created_at=datetime.now(timezone.utc), kind=WRITER_KIND, recipient="skriver@test.dk",
                    subject=f"skrivning {self.done}", text_body="-", status=MessageStatus.QUEUED, attempts=0,
                )).scalar_one()
                connection.execute(attachments.insert().values(
                    message_id=message_id, filename="bilag.txt", content_type="text/plain",
                    data=str(self.done).encode()))
            self.done += 1
            time.sleep(0.002)

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 10
        while self.done < count:
            assert time.monotonic() < deadline, "the writer stalled"
            time.sleep(0.005)

    def finish(self) -> None:
        self.stop.set()
        self.join()
        self.engine.dispose()


def _written() -> list[tuple[str, list[bytes]]]:
    db.session.remove()
    query = sa.select(OutboxMessage).where(OutboxMessage.kind == WRITER_KIND).order_by(OutboxMessage.id)
    return [(message.subject, [a.data for a in message.attachments]) for message in db.session.scalars(query)]


def test_a_backup_taken_while_users_write_restores_every_row_as_it_was(app, project, database_url, tmp_path):
    herning_id, herning_kr = project["Herning"].id, project["Herning"].amount_kr
    before = _rows()
    writer = Writer(database_url)
    writer.start()
    writer.wait_for(5)
    db.session.remove()

    started = writer.done
    backed_up = _cli(app, "backup")
    ended = writer.done
    writer.wait_for(ended + 5)
    writer.finish()

    (backup,) = (tmp_path / "backups").iterdir()
    suffix = ".sqlite3" if database_url.startswith("sqlite") else ".dump"
    assert (backup.name.startswith("portal-"), backup.suffix, backup.stat().st_mode & 0o777) == (True, suffix, 0o600)
    assert backed_up.output.startswith(f"Backed up the database (migration {head_revision()}, ")
    assert backed_up.output.endswith(f" to {backup}\n")

    # Afterwards the data changes: rows deleted and changed, a new user, a report sent back.
    db.session.execute(sa.delete(AuditEvent))
    db.session.execute(sa.update(Grant).values(amount_kr=1))
    db.session.execute(sa.update(Report).values(status=ReportStatus.RETURNED))
    db.session.execute(sa.update(Application).values(status=ApplicationStatus.WITHDRAWN))
    create_user(email="ny@star.test", name="Ny Efter Backup", role=Role.SAGSBEHANDLER)
    commit()

    restored = _cli(app, "restore", "--from", str(backup), "--yes")

    after = _rows()
    assert {name: rows for name, rows in after.items() if not name.startswith("outbox")} == \
        {name: rows for name, rows in before.items() if not name.startswith("outbox")}
    # The writer's transactions are in the backup whole and in order, up to some moment during the backup.
    written = _written()
    assert started <= len(written) <= ended
    assert written == [(f"skrivning {n}", [str(n).encode()]) for n in range(len(written))]
    assert [row for row in after["outbox_message"] if row[2] != WRITER_KIND] == before["outbox_message"]
    # Specific rows, as a person would look for them.
    grant = db.session.get(Grant, herning_id)
    report = report_of(grant, Q4)
    assert (grant.status.value, grant.amount_kr, grant.application.status, len(grant.application.submissions)) == (
        "accepted", herning_kr, ApplicationStatus.SUBMITTED, 1)
    assert (report.status, report.pdf.startswith(b"%PDF")) == (ReportStatus.SUBMITTED, True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == len(before["audit_event"])
    (kept,) = (tmp_path / "backups").glob("*.before-restore*")
    assert restored.output == (f"Restored {backup} (migration {head_revision()}). "
                               f"The database as it was before is kept in {kept}\n")
    if database_url.startswith("sqlite"):
        with contextlib.closing(sqlite3.connect(kept)) as replaced:
            assert replaced.execute("SELECT name FROM user_account WHERE email = 'ny@star.test'").fetchall() == [
                ("Ny Efter Backup",)]


def test_the_restored_portal_keeps_working(app, project, tmp_path, client):
    _cli(app, "backup", "--to", str(tmp_path / "kopi.backup"))

    _cli(app, "restore", "--from", str(tmp_path / "kopi.backup"), "--yes")
    create_user(email="efter@star.test", name="Efter Gendannelse", role=Role.SAGSBEHANDLER)
    commit()

    assert client.get("/").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Grant)) == 2


def _refusal(app, *args: str) -> str:
    result = CliRunner().invoke(app.cli, list(args))
    assert result.exit_code == 1
    return result.output


def test_a_restore_is_refused_without_yes_or_from_a_file_that_is_no_current_portal_backup(app, project, tmp_path):
    good = tmp_path / "god.backup"
    _cli(app, "backup", "--to", str(good))
    db.session.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    commit()
    old = tmp_path / "gammel.backup"
    _cli(app, "backup", "--to", str(old))
    db.session.execute(sa.text("UPDATE alembic_version SET version_num = :head"), {"head": head_revision()})
    commit()
    junk = tmp_path / "noget.backup"
    junk.write_bytes(b"ikke en backup\n" * 100)
    rows = _rows()

    no_yes = _refusal(app, "restore", "--from", str(good))
    too_old = _refusal(app, "restore", "--from", str(old), "--yes")
    not_one = _refusal(app, "restore", "--from", str(junk), "--yes")
    again = _refusal(app, "backup", "--to", str(good))

    assert no_yes == "Error: A restore replaces every row in the database. Run it again with --yes.\n"
    assert too_old == (f"Error: {old} is at migration 0001, this portal at {head_revision()}. Restore it with the "
                       "portal version that made it, then run `flask --app portal db upgrade`.\n")
    assert not_one.startswith(f"Error: {junk} is not an SQLite database." if app.config[
        "SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else "Error: pg_restore failed: ")
    assert again == f"Error: {good} exists already; a backup never overwrites a file.\n"
    assert _rows() == rows
    assert not (tmp_path / "backups").exists()  # nothing was replaced, so nothing was kept


def test_without_pg_dump_the_backup_command_prints_what_to_run(app, monkeypatch, tmp_path):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump to be found

    output = _refusal(app, "backup", "--to", str(tmp_path / "x.dump"))

    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp_path / 'x.dump'}",
               f"--dbname={url.render_as_string(hide_password=False)}"]
    assert output == ("Error: pg_dump is not on PATH. Install the PostgreSQL client programs (the same major version "
                      f"as the server, or newer) and run:\n  {shlex.join(command)}\n")
