"""gunicorn on loopback for a measurement: start it, wait for it, read its workers' CPU time, stop it."""
from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from portal.config import PROJECT_ROOT

HOST = "127.0.0.1"
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name (which may hold spaces): field 3 onwards."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if int(_stat_fields(int(entry))[1]) == pid:
                found.append(int(entry))
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            continue
    return sorted(found)


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of the processes (utime + stime from /proc/<pid>/stat), in seconds.

    Counted in clock ticks (10 ms): exact enough over a run of many requests, not for one.
    """
    ticks = 0
    for pid in pids:
        fields = _stat_fields(pid)
        ticks += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat
    return ticks / TICKS_PER_SECOND


def run_seconds(pids: list[int]) -> float | None:
    """The time the processes' threads ran on a CPU, from /proc/<pid>/task/*/schedstat (nanoseconds);
    the same quantity as utime + stime without the tick's rounding. None where the kernel has no schedstat."""
    total = 0
    for pid in pids:
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
            for task in tasks:
                total += int(Path(f"/proc/{pid}/task/{task}/schedstat").read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None
    return total / 1e9


@dataclass
class Server:
    """One gunicorn master with its sync workers, listening on HOST:port."""

    name: str
    port: int
    process: subprocess.Popen
    log_path: Path
    workers: int

    @property
    def address(self) -> tuple[str, int]:
        return HOST, self.port

    def worker_pids(self) -> list[int]:
        return children_of(self.process.pid)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.worker_pids())

    def cpu_reading(self) -> tuple[list[int], float, float | None]:
        """The workers, their utime + stime and their schedstat run time, read together."""
        pids = self.worker_pids()
        return pids, cpu_seconds(pids), run_seconds(pids)

    def wait_until_ready(self, path: str = "/", timeout: float = 90.0) -> None:
        """Until every worker has booted and a GET of `path` answers; raise with the log's tail otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if len(self.worker_pids()) == self.workers:
                try:
                    connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
                    connection.request("GET", path)
                    connection.getresponse().read()
                    connection.close()
                    return
                except OSError:
                    pass
            time.sleep(0.2)
        self.stop()
        tail = self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""
        raise RuntimeError(f"gunicorn '{self.name}' did not become ready on port {self.port}:\n{tail}")

    def stop(self) -> None:
        """SIGTERM to our own master (it stops its workers gracefully); SIGKILL to it if it will not go."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_gunicorn(app_spec: str, *, name: str, env: dict[str, str], log_dir: Path, workers: int = 2,
                   ready_path: str = "/") -> Server:
    """Serve `app_spec` (module:attribute) with `workers` sync workers on a free loopback port, debug off."""
    port = free_port()
    log_path = log_dir / f"gunicorn-{name}.log"
    environment = {key: value for key, value in os.environ.items() if key not in ("FLASK_DEBUG", "FLASK_ENV")}
    environment.update(env)
    command = [sys.executable, "-m", "gunicorn", app_spec, "--workers", str(workers), "--bind", f"{HOST}:{port}",
               "--chdir", str(PROJECT_ROOT), "--timeout", "120", "--log-level", "warning",
               "--error-logfile", str(log_path)]
    process = subprocess.Popen(command, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    server = Server(name=name, port=port, process=process, log_path=log_path, workers=workers)
    server.wait_until_ready(ready_path)
    return server
