"""A throwaway PostgreSQL cluster on a Unix socket in a temporary folder, for the test session.

PostgreSQL refuses to run as root, so as root the server binaries run as the `postgres` system user.
`PORTAL_TEST_POSTGRES_URL` points the suite at an existing server instead.
"""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass


class PostgresUnavailable(Exception):
    """Why no PostgreSQL server can be had here; the PostgreSQL half of the suite is skipped."""


@dataclass
class PostgresCluster:
    folder: str
    as_user: list[str]

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@/postgres?host={self.folder}"

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}"

    def _run(self, *command: str) -> None:
        result = subprocess.run([*self.as_user, *command], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise PostgresUnavailable(f"{' '.join(command[:2])} failed: {result.stderr.strip()[-500:]}")

    def start(self) -> None:
        data = os.path.join(self.folder, "data")
        self._run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8",
                  "--locale=C.UTF-8")
        options = (f"-k {self.folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   f"-c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", data, "-o", options, "-l", os.path.join(self.folder, "server.log"), "-w", "start")

    def stop(self) -> None:
        subprocess.run([*self.as_user, "pg_ctl", "-D", os.path.join(self.folder, "data"), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> PostgresCluster:
    """Start a cluster, or raise PostgresUnavailable saying why not."""
    for binary in ("initdb", "pg_ctl"):
        if shutil.which(binary) is None:
            raise PostgresUnavailable(f"{binary} is not on PATH")
    as_user: list[str] = []
    folder = tempfile.mkdtemp(prefix="portal-pg-")
    if os.geteuid() == 0:
        try:
            postgres = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable("running as root and there is no `postgres` system user") from None
        runuser = shutil.which("runuser")
        if runuser is None:
            raise PostgresUnavailable("running as root and `runuser` is missing")
        os.chown(folder, postgres.pw_uid, postgres.pw_gid)
        os.chmod(folder, 0o755)
        path = os.environ.get("PATH", "")
        as_user = [runuser, "-u", "postgres", "--", "env", f"PATH={path}"]
    cluster = PostgresCluster(folder=folder, as_user=as_user)
    try:
        cluster.start()
    except Exception:
        cluster.stop()
        raise
    return cluster
