"""`make bench`: build a realistic pool, serve it with gunicorn on loopback, and measure the pages users live on.

Each page is asked for at concurrency 1 and 8 (after a warm-up): p50 and p95 latency, requests per second,
the server's CPU per request (utime + stime of the gunicorn workers from /proc, before and after each run,
divided by the requests), the SQL statements per request (the portal's X-Query-Count header, turned on
with PORTAL_COUNT_QUERIES) and the HTML size. As the limit, a bare Flask app (tests/bench/bare.py) served
with the same gunicorn settings returns a page of the same size from memory, measured the same way; each
page's cost is printed as a multiple of it. Also timed, in the build: the suggestion and the allocation
for 98 applicants, a grant letter PDF, and issuing all 14 letters.

    python -m tests.bench.run [--requests N] [--output FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from portal.config import PROJECT_ROOT
from tests.bench.client import LoadResult, Session, hammer
from tests.bench.pool import PROJECT_NOW, build_project
from tests.bench.server import Server, start_gunicorn

DEFAULT_OUTPUT = PROJECT_ROOT / "instance" / "bench" / "results.json"
CONCURRENCIES = (1, 8)
WORKERS = 2
# The targets on a 2-core machine.
CPU_RATIO_TARGET = 3.0
OPERATION_TARGETS_MS = {
    "suggestion_98": 100,
    "allocation_98": 100,
    "grant_letter_pdf": 100,
    "grant_letters_issued_all": 3000,
}
OPERATION_LABELS = {
    "suggestion_98": "suggestion, 98 applicants (with its DB read)",
    "suggestion_98_pure": "suggestion, 98 applicants (pure)",
    "allocation_98": "allocation engine, 98 applicants",
    "allocation_14_calculated": "allocation page's calculation, 14 selected",
    "grant_letter_pdf": "one grant letter PDF",
    "grant_letters_issued_all": "issuing all 14 grant letters (with commit)",
    "selection_confirmed_with_84_letters": "confirming the selection (84 rejection letters)",
    "applications_98_submitted": "98 applications filled in and submitted",
    "reviews_294_recorded": "294 reviews recorded",
    "build_total": "the whole pool built",
}


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    role: str | None  # None: anonymous; "kommune" or "staff": logged in through /log-ind


PAGES = (
    Page("Log ind (no data: the floor)", "/log-ind", None),
    Page("Puljesiden", "/", None),
    Page("Ansøgningsskema, afsnit 1", "/ansoegning/{own_application_id}/maalgruppen", "kommune"),
    Page("Kommunens overblik", "/overblik", "kommune"),
    Page("Ansøgninger (liste)", "/ansoegninger", "staff"),
    Page("Bedømmelse af én", "/bedoemmelse/{scored_application_id}", "staff"),
    Page("Udvælgelse med kort", "/udvaelgelse", "staff"),
    Page("Fordeling", "/fordeling", "staff"),
    Page("Tilsagn (oversigt)", "/tilsagn", "staff"),
    Page("Succeskriterier", "/succeskriterier", "staff"),
)


def measure(server: Server, path: str, *, concurrency: int, requests: int, time_limit_s: float,
            cookie_header: str = "") -> tuple[LoadResult, dict]:
    """One run of the load generator with the server's CPU time read before and after."""
    pids, ticks_before, run_before = server.cpu_reading()
    result = hammer(server.address, path, concurrency=concurrency, requests=requests, time_limit_s=time_limit_s,
                    cookie_header=cookie_header)
    pids_after, ticks_after, run_after = server.cpu_reading()
    summary = result.summary()
    requests_done = max(1, result.count)
    summary["cpu_ticks_s"] = round(ticks_after - ticks_before, 3)
    summary["cpu_ticks_ms_per_request"] = round((ticks_after - ticks_before) * 1000 / requests_done, 3)
    # The precise reading where the kernel offers it; utime + stime (10 ms ticks) otherwise.
    precise = run_before is not None and run_after is not None
    summary["cpu_s"] = round(run_after - run_before, 4) if precise else summary["cpu_ticks_s"]
    summary["cpu_ms_per_request"] = round(summary["cpu_s"] * 1000 / requests_done, 3)
    summary["cpu_source"] = "schedstat" if precise else "utime+stime"
    if pids_after != pids:
        summary["failures"].append("a worker was replaced during the run: its CPU time is not counted")
    return result, summary


def _warm_up(server: Server, path: str, cookie_header: str) -> LoadResult:
    """Both workers load their templates and caches (and the first database connections) before timing."""
    return hammer(server.address, path, concurrency=WORKERS, requests=4 * WORKERS, time_limit_s=60,
                  cookie_header=cookie_header)


def measure_page(portal: Server, bare: Server, page: Page, path: str, cookie_header: str, *, requests: int,
                 bare_requests: int, time_limit_s: float) -> dict:
    warm = _warm_up(portal, path, cookie_header)
    if warm.failures:
        raise RuntimeError(f"{page.name} ({path}) does not answer 200: {warm.failures[:3]}")
    size = max(warm.sizes)
    row: dict = {"name": page.name, "path": path, "role": page.role or "anonymous", "html_bytes": size}
    queries: list[int] = []
    cpu_total, count_total = 0.0, 0
    for concurrency in CONCURRENCIES:
        result, summary = measure(portal, path, concurrency=concurrency, requests=requests,
                                  time_limit_s=time_limit_s, cookie_header=cookie_header)
        row[f"c{concurrency}"] = summary
        queries += result.query_counts
        cpu_total += summary["cpu_s"]
        count_total += result.count
    row["queries"] = max(queries) if queries else None
    row["queries_varied"] = len(set(queries)) > 1
    row["cpu_ms_per_request"] = round(cpu_total * 1000 / max(1, count_total), 2)

    bare_path = f"/{size}"
    _warm_up(bare, bare_path, "")
    limit: dict = {"path": bare_path}
    cpu_total, count_total = 0.0, 0
    for concurrency in CONCURRENCIES:
        result, summary = measure(bare, bare_path, concurrency=concurrency, requests=bare_requests,
                                  time_limit_s=time_limit_s)
        limit[f"c{concurrency}"] = summary
        cpu_total += summary["cpu_s"]
        count_total += result.count
    limit["cpu_ms_per_request"] = round(cpu_total * 1000 / max(1, count_total), 3)
    row["bare"] = limit
    row["cpu_ratio"] = round(row["cpu_ms_per_request"] / limit["cpu_ms_per_request"], 1) \
        if limit["cpu_ms_per_request"] else None
    row["p50_ratio"] = round(row["c1"]["p50_ms"] / limit["c1"]["p50_ms"], 1) if limit["c1"]["p50_ms"] else None
    return row


def print_table(rows: list[dict]) -> None:
    header = (f"{'page':<29} {'KB':>6} {'SQL':>4} {'c1 p50':>7} {'c1 p95':>7} {'c1 rps':>7} {'c8 p50':>7} "
              f"{'c8 p95':>7} {'c8 rps':>7} {'CPU ms':>7} {'xCPU':>6} {'xp50':>6}")
    print(header)
    print("-" * len(header))
    for row in rows:
        queries = "?" if row["queries"] is None else f"{row['queries']}{'*' if row['queries_varied'] else ''}"
        print(f"{row['name']:<29} {row['html_bytes'] / 1024:>6.1f} {queries:>4} "
              f"{row['c1']['p50_ms']:>7.1f} {row['c1']['p95_ms']:>7.1f} {row['c1']['rps']:>7.1f} "
              f"{row['c8']['p50_ms']:>7.1f} {row['c8']['p95_ms']:>7.1f} {row['c8']['rps']:>7.1f} "
              f"{row['cpu_ms_per_request']:>7.2f} {row['cpu_ratio']:>6.1f} {row['p50_ratio']:>6.1f}")
    print("-" * len(header))
    print("The limit: a bare Flask route returning the same number of bytes from memory, same gunicorn:")
    for row in rows:
        bare = row["bare"]
        print(f"{'  bare ' + bare['path']:<29} {row['html_bytes'] / 1024:>6.1f} {'0':>4} "
              f"{bare['c1']['p50_ms']:>7.1f} {bare['c1']['p95_ms']:>7.1f} {bare['c1']['rps']:>7.1f} "
              f"{bare['c8']['p50_ms']:>7.1f} {bare['c8']['p95_ms']:>7.1f} {bare['c8']['rps']:>7.1f} "
              f"{bare['cpu_ms_per_request']:>7.2f}")
    print("KB: HTML size; SQL: statements per request (* varied between requests); p50/p95 in ms;")
    print("CPU ms: server CPU per request (both runs); xCPU and xp50: the page's CPU and c1 p50 over the bare page's.")


def print_operations(timings: dict) -> list[str]:
    """Print the timed operations with their targets; returns the targets missed."""
    missed = []
    print(f"{'operation':<52} {'ms':>9} {'target':>8}")
    for key, label in OPERATION_LABELS.items():
        if key not in timings:
            continue
        target = OPERATION_TARGETS_MS.get(key)
        verdict = ""
        if target is not None:
            verdict = f"< {target}" + ("  MISSED" if timings[key] >= target else "")
            if timings[key] >= target:
                missed.append(f"{label}: {timings[key]:.0f} ms (target < {target} ms)")
        print(f"{label:<52} {timings[key]:>9.1f} {verdict:>8}")
    return missed


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="requests per page and concurrency (default 40)")
    parser.add_argument("--bare-requests", type=int, default=400, help="requests to the bare page per run")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds at most per run")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"JSON results (default {DEFAULT_OUTPUT})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as folder:
        folder_path = Path(folder)
        database_url = f"sqlite:///{folder_path / 'bench.sqlite3'}"
        print(f"Building the pool in {database_url} …", flush=True)
        facts = build_project(database_url)
        print(f"Built in {facts['timings_ms']['build_total'] / 1000:.1f} s: 98 applications, 294 reviews, "
              f"{facts['selected']} selected, {facts['grant_letters_issued']} letters, {facts['bookings']} bookings, "
              f"{facts['reports_filed']} reports.", flush=True)
        environment = {
            "PORTAL_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": database_url,
            "PORTAL_INSTANCE_PATH": str(folder_path), "PORTAL_CLOCK": PROJECT_NOW.isoformat(),
            "PORTAL_COUNT_QUERIES": "1", "PUBLIC_BASE_URL": "http://127.0.0.1",
        }
        portal = start_gunicorn("wsgi:app", name="portal", env=environment, log_dir=folder_path, workers=WORKERS)
        bare = start_gunicorn("tests.bench.bare:app", name="bare", env={}, log_dir=folder_path, workers=WORKERS,
                              ready_path="/10")
        try:
            cookies = {None: ""}
            for role, email in (("kommune", facts["kommune_user"]), ("staff", facts["caseworker"])):
                session = Session([portal.address])
                session.log_in(email, facts["password"])
                cookies[role] = session.cookie_header
            rows = []
            for page in PAGES:
                path = page.path.format(**facts)
                print(f"Measuring {page.name} ({path}) …", flush=True)
                rows.append(measure_page(portal, bare, page, path, cookies[page.role], requests=args.requests,
                                         bare_requests=args.bare_requests, time_limit_s=args.time_limit))
        finally:
            portal.stop()
            bare.stop()
            errors = portal.log_path.read_text(errors="replace") if portal.log_path.exists() else ""
    print()
    print_table(rows)
    print()
    missed = print_operations(facts["timings_ms"])
    missed += [f"{row['name']}: {row['cpu_ratio']}x the bare page's CPU per request (target at most "
               f"{CPU_RATIO_TARGET:g}x)" for row in rows
               if row["cpu_ratio"] is None or row["cpu_ratio"] > CPU_RATIO_TARGET]
    failures = [f"{row['name']} c{level}: {failure}" for row in rows for level in CONCURRENCIES
                for failure in row[f"c{level}"]["failures"]]
    print()
    for line in missed:
        print(f"Target missed: {line}")
    for line in failures:
        print(f"Failure: {line}")
    results = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average": os.getloadavg()},
        "settings": {"server": f"gunicorn, {WORKERS} sync workers, SQLite, PORTAL_ENV=production, debug off",
                     "portal_clock": facts["clock"], "requests_per_run": args.requests,
                     "bare_requests_per_run": args.bare_requests, "concurrencies": list(CONCURRENCIES)},
        "build": {key: value for key, value in facts.items() if key not in ("password",)},
        "targets": {"cpu_ratio_at_most": CPU_RATIO_TARGET, "operations_ms_below": OPERATION_TARGETS_MS},
        "missed": missed,
        "failures": failures,
        "server_errors_logged": errors[-5000:],
        "pages": rows,
        "wall_s": round(time.perf_counter() - started, 1),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"Results written to {args.output} ({results['wall_s']:.0f} s in all).")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
