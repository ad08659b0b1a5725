"""Backing up the portal's database and restoring it: SQLite copied online, PostgreSQL through pg_dump.

SQLite is copied with SQLite's own backup API in one step: the copy is one consistent snapshot, taken
while the portal keeps serving (in WAL mode writers go on meanwhile). A restore writes the backup back
through the same API, into the live file under SQLite's locks, so a running portal sees the restored
data at its next transaction instead of keeping a replaced file open. PostgreSQL is dumped with
`pg_dump --format=custom` (a consistent snapshot too) and restored with `pg_restore --clean` in one
transaction. A restore is refused unless the backup is a portal database at the newest migration, and
the database it replaces is first backed up next to the backups as `*.before-restore`.
"""
from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
# pg_dump and pg_restore for the operator's backup and restore commands (see _run below).
import subprocess  # nosec B404
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import click
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext

# Tables any portal database has; a file without them is not a backup of the portal.
PORTAL_TABLES = ("alembic_version", "kommune", "pool", "user_account", "application")


class BackupError(Exception):
    """Why a backup or restore was not made; nothing was changed."""


@dataclass(frozen=True)
class Backup:
    path: Path
    revision: str


def backup_folder() -> Path:
    return Path(current_app.instance_path) / "backups"


def timestamped(suffix: str) -> str:
    # Wall-clock UTC, not the portal's clock: a backup is an operational fact, also during a shifted demo.
    return f"portal-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}{suffix}"


def head_revision() -> str:
    """The newest Alembic revision of the migrations this portal runs with."""
    directory = current_app.extensions["migrate"].directory
    return ScriptDirectory(directory).get_current_head()


def database_url() -> sa.URL:
    return sa.engine.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


# --- SQLite ---------------------------------------------------------------------------------------------------

def sqlite_path(url: sa.URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("The database is in memory; there is nothing to back up.")
    return Path(url.database)


def backup_sqlite(database: Path, target: Path) -> Backup:
    """Copy the live database to `target` as one consistent snapshot, checked, as a single file.

    The copy is written under a temporary name and renamed when it is complete and checked, so a
    file with the final name is always a whole backup.
    """
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    _refuse_existing(target)
    partial = _private_file(target.with_name(target.name + ".partial"))
    source = sqlite3.connect(database)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)  # pages=-1: the whole database in one step, under one read transaction
        copy.execute("PRAGMA journal_mode=DELETE")  # no -wal/-shm files beside it: one file to keep
    finally:
        copy.close()
        source.close()
    try:
        revision = check_sqlite_backup(partial)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return Backup(path=target, revision=revision)


def check_sqlite_backup(path: Path) -> str:
    """The migration revision of a portal database file; BackupError when it is damaged or not one."""
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    with path.open("rb") as file:
        if file.read(16) != b"SQLite format 3\x00":
            raise BackupError(f"{path} is not an SQLite database.")
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if connection.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            raise BackupError(f"{path} is damaged (PRAGMA integrity_check failed).")
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [table for table in PORTAL_TABLES if table not in tables]
        if missing:
            raise BackupError(f"{path} is not a Puljeportalen database (no {', '.join(missing)} table).")
        revisions = [revision for (revision,) in connection.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read: {error}.") from None
    finally:
        connection.close()
    if len(revisions) != 1:
        raise BackupError(f"{path} has no single migration revision ({revisions}).")
    return revisions[0]


def restore_sqlite(backup: Path, database: Path, *, keep: Path) -> Backup:
    """Put the backup's content into the live database; the content it replaces is kept at `keep` first."""
    revision = _check_revision(check_sqlite_backup(backup), backup)
    backup_sqlite(database, keep)
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    live = sqlite3.connect(database, timeout=30)
    try:
        source.backup(live)  # replaces every page of the live database, in one write transaction
        live.execute("PRAGMA journal_mode=WAL")
    finally:
        live.close()
        source.close()
    return Backup(path=database, revision=revision)


# --- PostgreSQL -------------------------------------------------------------------------------------------------

def libpq_target(url: sa.URL) -> tuple[str, dict[str, str]]:
    """The connection string for pg_dump and pg_restore, and the environment carrying the password
    (never on the command line, where other users of the machine can read it)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def pg_dump_command(url: sa.URL, target: Path) -> list[str]:
    dbname, _ = libpq_target(url)
    return ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", f"--dbname={dbname}"]


def pg_restore_command(url: sa.URL, source: Path) -> list[str]:
    dbname, _ = libpq_target(url)
    return ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
            "--exit-on-error", f"--dbname={dbname}", str(source)]


def _require(command: list[str]) -> None:
    """Refuse, printing the command to run by hand, when the PostgreSQL client program is missing."""
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not on PATH. Install the PostgreSQL client programs "
                          f"(the same major version as the server, or newer) and run:\n  {shlex.join(command)}")


def _run(command: list[str], url: sa.URL) -> str:
    _require(command)
    _, env = libpq_target(url)
    program = shutil.which(command[0])  # the program found on PATH, run by its full path and without a shell
    # An argument list, no shell: pg_dump/pg_restore for the operator's CLI, never input from a request.
    result = subprocess.run([program, *command[1:]], env=env, capture_output=True, text=True)  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
    return result.stdout


def backup_postgresql(url: sa.URL, target: Path) -> Backup:
    """pg_dump in its custom format (one consistent snapshot) to `target`, renamed there when complete."""
    _refuse_existing(target)
    _require(pg_dump_command(url, target))
    partial = _private_file(target.with_name(target.name + ".partial"))
    try:
        _run(pg_dump_command(url, partial), url)
        revision = check_postgresql_backup(partial, url)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return Backup(path=target, revision=revision)


def check_postgresql_backup(path: Path, url: sa.URL) -> str:
    """The migration revision in a pg_dump archive; BackupError when it is not a portal dump."""
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    listing = _run(["pg_restore", "--list", str(path)], url)
    missing = [table for table in PORTAL_TABLES if f" TABLE public {table} " not in listing]
    if missing:
        raise BackupError(f"{path} is not a Puljeportalen dump (no {', '.join(missing)} table).")
    data = _run(["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)], url)
    lines = data.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("COPY public.alembic_version")), None)
    revisions = [] if start is None else lines[start + 1:lines.index("\\.", start)]
    if len(revisions) != 1:
        raise BackupError(f"{path} has no single migration revision ({revisions}).")
    return revisions[0]


def restore_postgresql(backup: Path, url: sa.URL, *, keep: Path) -> Backup:
    """pg_restore --clean in one transaction; the database it replaces is dumped to `keep` first."""
    _require(pg_restore_command(url, backup))
    revision = _check_revision(check_postgresql_backup(backup, url), backup)
    backup_postgresql(url, keep)
    _run(pg_restore_command(url, backup), url)
    return Backup(path=backup, revision=revision)


def _private_file(path: Path) -> Path:
    """An empty file only its owner can read: a backup holds personal data and password hashes."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    return path


def _refuse_existing(target: Path) -> None:
    if target.exists():
        raise BackupError(f"{target} exists already; a backup never overwrites a file.")


def _check_revision(revision: str, path: Path) -> str:
    head = head_revision()
    if revision != head:
        raise BackupError(f"{path} is at migration {revision}, this portal at {head}. Restore it with the portal "
                          f"version that made it, then run `flask --app portal db upgrade`.")
    return revision


# --- Commands ---------------------------------------------------------------------------------------------------

def _engine_free() -> None:
    """This process lets go of its own connections, so they neither hold locks nor see old data."""
    from portal.extensions import db

    db.session.remove()
    db.engine.dispose()


@click.command("backup")
@click.option("--to", "target", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the backup (default: instance/backups/portal-<UTC time>.sqlite3 or .dump).")
@with_appcontext
def backup_command(target: Path | None):
    """Back up the database, safely while the portal runs.

    \b
    SQLite: an online copy with SQLite's backup API (one consistent snapshot,
    also while users write), checked, as one file.
    PostgreSQL: pg_dump --format=custom --no-owner --no-privileges
    --file=PATH --dbname=postgresql://USER@HOST/DB (the password is passed
    in PGPASSWORD). Without pg_dump on PATH the command is printed instead.
    """
    url = database_url()
    sqlite = url.get_backend_name() == "sqlite"
    target = target or backup_folder() / timestamped(".sqlite3" if sqlite else ".dump")
    try:
        made = backup_sqlite(sqlite_path(url), target) if sqlite else backup_postgresql(url, target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up the database (migration {made.revision}, {made.path.stat().st_size:,} bytes) "
               f"to {made.path}")


@click.command("restore")
@click.option("--from", "source", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The backup to restore (a file made by `flask --app portal backup`).")
@click.option("--yes", is_flag=True, help="Confirm that every row in the database is to be replaced.")
@with_appcontext
def restore_command(source: Path, yes: bool):
    """Replace the database's content with a backup.

    \b
    The backup must be a portal database at this portal's newest migration.
    The database it replaces is first backed up to
    instance/backups/portal-<UTC time>.before-restore.sqlite3 (or .dump).
    SQLite: written into the live file with SQLite's backup API, so a
    running portal sees the restored data at once; stop it anyway if you can.
    PostgreSQL: pg_restore --clean --if-exists --no-owner --no-privileges
    --single-transaction --exit-on-error --dbname=postgresql://USER@HOST/DB PATH
    (stop the portal first: its open connections would block the restore).
    """
    if not yes:
        raise click.ClickException("A restore replaces every row in the database. Run it again with --yes.")
    url = database_url()
    sqlite = url.get_backend_name() == "sqlite"
    keep = backup_folder() / timestamped(".before-restore.sqlite3" if sqlite else ".before-restore.dump")
    _engine_free()
    try:
        made = restore_sqlite(source, sqlite_path(url), keep=keep) if sqlite else \
            restore_postgresql(source, url, keep=keep)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {source} (migration {made.revision}). The database as it was before is kept in {keep}")
