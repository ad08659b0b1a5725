"""`make loadtest`: the deadline day. 98 kommune users log in, fill in all six sections of their application
through the real forms and submit within a few minutes, while caseworkers browse the list and the
applications; then every saved answer is read back from the database.

Run against SQLite (WAL) with one gunicorn of 2 workers, and against a throwaway PostgreSQL cluster with
TWO gunicorn instances sharing the database, each user's requests alternating between them: a session,
its CSRF token and its form fingerprints made on one instance must work on the other (the app is stateless).
In some kommuner two colleagues fill in different sections at the same time; a save refused because a
colleague saved in the same moment is pressed again, as a person would, and counted.

Bounded: loopback only, a fixed number of users and requests, think times of about a second, and a time
limit for the whole run. Exit status 1 on any error or lost save.

    python -m tests.bench.loadtest [--backend sqlite|postgresql|both] [--spread SECONDS] [--output FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from portal.applications.template import SECTIONS
from portal.config import PROJECT_ROOT
from tests.bench.client import Response, Session, hidden_inputs, percentile
from tests.bench.pool import PASSWORD, KommuneRef, build_deadline_day
from tests.bench.readback import section_input, verify
from tests.bench.server import Server, start_gunicorn

DEFAULT_OUTPUT = PROJECT_ROOT / "instance" / "bench" / "loadtest.json"
WORKERS = 2
SAVE_ATTEMPTS = 4           # a refused save is pressed again, at most this often
THROTTLE_PROBE_LIMIT = 40   # failed logins tried at most when probing the login throttle


# --- the record of every request -----------------------------------------------------------------------------------

@dataclass
class Record:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    by_server: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)
    retried_saves: int = 0
    submitted: int = 0

    def add(self, kind: str, response: Response) -> None:
        with self.lock:
            self.latencies[kind].append(response.elapsed_ms)
            self.by_server[f"{response.server[0]}:{response.server[1]}"] += 1

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)

    def summary(self) -> dict:
        everything = [value for values in self.latencies.values() for value in values]
        return {
            "requests": len(everything),
            "p50_ms": round(percentile(everything, 0.5), 1),
            "p95_ms": round(percentile(everything, 0.95), 1),
            "max_ms": round(max(everything, default=0.0), 1),
            "by_kind": {kind: {"requests": len(values), "p50_ms": round(percentile(values, 0.5), 1),
                               "p95_ms": round(percentile(values, 0.95), 1)}
                        for kind, values in sorted(self.latencies.items())},
            "requests_per_server": dict(self.by_server),
            "errors": len(self.errors),
            "error_samples": self.errors[:10],
            "saves_pressed_again": self.retried_saves,
            "submitted": self.submitted,
        }


class Failed(Exception):
    """A user could not go on: the reason is recorded as an error."""


def _expect(record: Record, kind: str, response: Response, status: int, who: str) -> Response:
    record.add(kind, response)
    if response.status != status:
        raise Failed(f"{who}: {kind} answered {response.status}, expected {status}")
    return response


# --- the people ----------------------------------------------------------------------------------------------------

@dataclass
class Kommuneteam:
    """A kommune's one or two users; with two, the second fills in the later sections at the same time."""

    kommune: KommuneRef
    emails: list[str]
    started: threading.Event = field(default_factory=threading.Event)
    colleague_done: threading.Event = field(default_factory=threading.Event)
    application_id: int | None = None


def _think(rng: random.Random, low: float, high: float) -> None:
    time.sleep(rng.uniform(low, high))


def _colleague_got_in_between(html: str) -> bool:
    """The page says a colleague saved the section or the application in the same moment: press Gem again."""
    return "samme øjeblik" in html or "har gemt afsnittet, efter du åbnede det" in html


def _save_section(session: Session, record: Record, who: str, application_id: int, section, data: dict,
                  rng: random.Random, think: tuple[float, float]) -> None:
    """Open the section, type, press 'Gem og fortsæt'; press again if a colleague's save got in between."""
    path = f"/ansoegning/{application_id}/{section.key}"
    for attempt in range(SAVE_ATTEMPTS):
        page = _expect(record, "section GET", session.get(path), 200, who)
        hidden = hidden_inputs(page.text)
        _think(rng, *think)
        form = {**data, "csrf_token": hidden.get("csrf_token", ""), "seen": hidden.get("seen", ""),
                "handling": "naeste"}
        response = session.post(path, form)
        record.add("section POST", response)
        if response.status == 302:
            return
        if response.status == 200 and attempt + 1 < SAVE_ATTEMPTS and _colleague_got_in_between(response.text):
            with record.lock:
                record.retried_saves += 1
            continue
        raise Failed(f"{who}: saving {section.key} answered {response.status} (attempt {attempt + 1})")
    raise Failed(f"{who}: saving {section.key} was refused {SAVE_ATTEMPTS} times")


def kommune_user(team: Kommuneteam, index: int, addresses, record: Record, *, start_at: float, seed: int,
                 think: tuple[float, float]) -> None:
    """One kommune user's deadline morning: log in, start (or join) the application, save, (submit)."""
    rng = random.Random(seed)
    email = team.emails[index]
    who = f"{team.kommune.name} ({email})"
    colleague = len(team.emails) > 1
    time.sleep(max(0.0, start_at - time.monotonic()))
    # Strict alternation: every form is rendered by one instance and posted to the other. Users start on
    # different instances, so the heavier posts (logins, submissions) are shared between them.
    session = Session(addresses, first=seed)
    try:
        page = session.get("/log-ind")
        record.add("login GET", page)
        response = session.post("/log-ind", {"csrf_token": hidden_inputs(page.text).get("csrf_token", ""),
                                             "email": email, "password": PASSWORD})
        _expect(record, "login POST", response, 302, who)
        dashboard = _expect(record, "dashboard", session.get("/overblik"), 200, who)
        if index == 0:
            response = session.post("/ansoegning/start", {"csrf_token": hidden_inputs(dashboard.text)["csrf_token"]})
            _expect(record, "start POST", response, 302, who)
            team.application_id = int(re.search(r"/ansoegning/(\d+)", response.location).group(1))
            team.started.set()
            sections = SECTIONS[:3] if colleague else SECTIONS
        else:
            if not team.started.wait(timeout=300):
                raise Failed(f"{who}: the colleague never started the application")
            sections = SECTIONS[3:]
        for section in sections:
            _think(rng, *think)
            _save_section(session, record, who, team.application_id, section,
                          section_input(team.kommune, section), rng, think)
        if index == 1:
            team.colleague_done.set()
            return
        if colleague and not team.colleague_done.wait(timeout=300):
            raise Failed(f"{who}: the colleague never finished")
        check = _expect(record, "check page", session.get(f"/ansoegning/{team.application_id}/tjek"), 200, who)
        _think(rng, *think)
        response = session.post(f"/ansoegning/{team.application_id}/indsend",
                                {"csrf_token": hidden_inputs(check.text)["csrf_token"]})
        _expect(record, "submit POST", response, 302, who)
        if not response.location.endswith("/kvittering"):
            raise Failed(f"{who}: submitting led to {response.location}, not the receipt")
        _expect(record, "receipt", session.get(response.location), 200, who)
        with record.lock:
            record.submitted += 1
    except (Failed, OSError, KeyError, AttributeError) as error:
        record.error(f"{who}: {error}")
        team.started.set()
        team.colleague_done.set()


def caseworker(email: str, addresses, record: Record, *, seed: int, until: threading.Event) -> None:
    """Browse as caseworkers do on deadline day: the list, an application, the dashboard; until all are done."""
    rng = random.Random(seed)
    session = Session(addresses, first=seed)
    try:
        session.log_in(email, PASSWORD)
        while not until.is_set():
            listing = _expect(record, "caseworker list", session.get("/ansoegninger"), 200, email)
            ids = sorted(set(re.findall(r'href="/ansoegninger/(\d+)"', listing.text)))
            if ids:
                _expect(record, "caseworker application", session.get(f"/ansoegninger/{rng.choice(ids)}"), 200, email)
            _expect(record, "caseworker dashboard", session.get("/overblik"), 200, email)
            until.wait(rng.uniform(1.0, 3.0))
    except (Failed, OSError, RuntimeError) as error:
        record.error(f"{email}: {error}")


# --- the run -------------------------------------------------------------------------------------------------------

def probe_login_throttle(addresses) -> dict:
    """Failed logins for one (unknown) account, alternating over the servers, until the first 429."""
    session = Session(addresses)
    email = "throttle.probe@bench.test"
    for attempt in range(1, THROTTLE_PROBE_LIMIT + 1):
        page = session.get("/log-ind")
        token = hidden_inputs(page.text).get("csrf_token", "")
        response = session.post("/log-ind", {"csrf_token": token, "email": email, "password": "forkert-adgangskode"})
        if response.status == 429:
            return {"failed_logins_before_429": attempt - 1, "limit_per_account": "5 per 15 minutes (default)"}
    return {"failed_logins_before_429": f"more than {THROTTLE_PROBE_LIMIT}",
            "limit_per_account": "5 per 15 minutes (default)"}


def run_backend(name: str, database_url: str, folder: Path, *, instances: int, spread: float,
                think: tuple[float, float], colleagues: int, caseworkers: int, time_limit: float) -> dict:
    print(f"[{name}] building the deadline morning in {database_url.split('?')[0]} …", flush=True)
    facts = build_deadline_day(database_url, caseworkers=caseworkers, colleagues=colleagues)
    teams = [Kommuneteam(kommune=kommune, emails=emails) for kommune, emails in facts["teams"]]
    environment = {
        "PORTAL_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": database_url,
        "PORTAL_INSTANCE_PATH": str(folder), "PORTAL_CLOCK": facts["clock"], "PUBLIC_BASE_URL": "http://127.0.0.1",
    }
    servers: list[Server] = []
    try:
        for number in range(1, instances + 1):
            servers.append(start_gunicorn("wsgi:app", name=f"{name}-{number}", env=environment, log_dir=folder,
                                          workers=WORKERS, ready_path="/log-ind"))
        addresses = [server.address for server in servers]
        users = sum(len(team.emails) for team in teams)
        pairs = sum(len(team.emails) > 1 for team in teams)
        print(f"[{name}] {len(teams)} kommuner ({users} users, {pairs} with two colleagues) start within "
              f"{spread:.0f} s; {caseworkers} caseworkers browse; {instances} gunicorn instance(s) × {WORKERS} "
              f"workers on ports {', '.join(str(server.port) for server in servers)} …", flush=True)
        record = Record()
        rng = random.Random(2017)
        begin = time.monotonic()
        threads = []
        for position, team in enumerate(teams):
            start_at = begin + rng.uniform(0, spread)
            for index in range(len(team.emails)):
                threads.append(threading.Thread(
                    target=kommune_user, args=(team, index, addresses, record),
                    kwargs=dict(start_at=start_at + index * rng.uniform(0, 3), seed=position + index,
                                think=think), daemon=True))
        browsing_done = threading.Event()
        browsers = [threading.Thread(target=caseworker, args=(email, addresses, record),
                                     kwargs=dict(seed=number, until=browsing_done), daemon=True)
                    for number, email in enumerate(facts["caseworkers"])]
        cpu_before = {server.port: server.cpu_seconds() for server in servers}
        for thread in [*browsers, *threads]:
            thread.start()
        deadline = begin + time_limit
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        timed_out = sum(thread.is_alive() for thread in threads)
        browsing_done.set()
        for thread in browsers:
            thread.join(timeout=30)
        wall = time.monotonic() - begin
        server_cpu = {str(server.port): round(server.cpu_seconds() - cpu_before[server.port], 1) for server in servers}
        if timed_out:
            record.error(f"{timed_out} users had not finished after {time_limit:.0f} s")
        throttle = probe_login_throttle(addresses)
    finally:
        for server in servers:
            server.stop()
    logged = "".join(server.log_path.read_text(errors="replace") for server in servers if server.log_path.exists())
    tracebacks = logged.count("Traceback")
    if tracebacks:
        record.error(f"{tracebacks} tracebacks in the gunicorn logs")
    checked = verify(database_url, teams)
    result = {"backend": name, "instances": instances, "workers_per_instance": WORKERS, "wall_s": round(wall, 1),
              "server_cpu_s": server_cpu,
              **record.summary(), "verification": checked, "login_throttle_probe": throttle,
              "server_log_tail": logged[-3000:]}
    result["ok"] = result["errors"] == 0 and checked["lost"] == 0 and record.submitted == len(teams)
    return result


def print_result(result: dict) -> None:
    verification = result["verification"]
    print(f"[{result['backend']}] {result['requests']} requests in {result['wall_s']} s over "
          f"{result['instances']} instance(s): p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
          f"max {result['max_ms']} ms; {result['submitted']} submitted; errors {result['errors']}; "
          f"saves pressed again {result['saves_pressed_again']}")
    print(f"{'request':<26} {'count':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, figures in result["by_kind"].items():
        print(f"{kind:<26} {figures['requests']:>6} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f}")
    print(f"requests per server: {result['requests_per_server']}; workers' CPU seconds per port: "
          f"{result['server_cpu_s']}")
    print(f"read back: {verification['applications']} applications, {verification['answers_checked']} answers "
          f"checked, {verification['lost']} lost" + (f"; SQLite journal_mode={verification['sqlite_journal_mode']}"
                                                    if verification["sqlite_journal_mode"] else ""))
    print(f"login throttle: {result['login_throttle_probe']['failed_logins_before_429']} failed logins for one "
          f"account before the first 429 (limit {result['login_throttle_probe']['limit_per_account']})")
    for sample in result["error_samples"] + verification["lost_samples"]:
        print(f"  ! {sample}")
    print("OK" if result["ok"] else "FAILED")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.loadtest", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--spread", type=float, default=90.0, help="seconds over which the kommuner start")
    parser.add_argument("--think", type=float, nargs=2, default=(0.3, 1.5), metavar=("LOW", "HIGH"),
                        help="seconds a user pauses between actions")
    parser.add_argument("--colleagues", type=int, default=10, help="kommuner where two users work at once")
    parser.add_argument("--caseworkers", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=480.0, help="seconds at most per backend")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    options = dict(spread=args.spread, think=tuple(args.think), colleagues=args.colleagues,
                   caseworkers=args.caseworkers, time_limit=args.time_limit)
    results, skipped = [], {}
    with tempfile.TemporaryDirectory(prefix="portal-loadtest-") as folder:
        folder_path = Path(folder)
        if args.backend in ("sqlite", "both"):
            url = f"sqlite:///{folder_path / 'loadtest.sqlite3'}"
            results.append(run_backend("sqlite", url, folder_path, instances=1, **options))
            print_result(results[-1])
        if args.backend in ("postgresql", "both"):
            outcome = run_postgresql(folder_path, options)
            if isinstance(outcome, str):
                skipped["postgresql"] = outcome
                print(f"[postgresql] skipped: {outcome}")
            else:
                results.append(outcome)
                print_result(outcome)
    report = {"generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
              "settings": {key: value for key, value in options.items()}, "results": results, "skipped": skipped}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"Results written to {args.output}.")
    return 0 if results and all(result["ok"] for result in results) else 1


def run_postgresql(folder: Path, options: dict) -> dict | str:
    """The run on a throwaway cluster with two instances; the reason as text when no cluster can be had."""
    from tests.support.postgres import PostgresUnavailable, start_cluster

    try:
        cluster = start_cluster()
    except PostgresUnavailable as reason:
        return str(reason)
    try:
        engine = sa.create_engine(cluster.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text("CREATE DATABASE portal_loadtest"))
        engine.dispose()
        return run_backend("postgresql", cluster.url_for("portal_loadtest"), folder, instances=2, **options)
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
