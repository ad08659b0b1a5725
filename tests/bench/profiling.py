"""Where a page's time goes: build the benchmark's pool, then profile pages in-process with cProfile.

    python -m tests.bench.profiling [PATH-OR-NAME ...] [--requests N] [--top N] [--sort tottime]

Without arguments every benchmarked page is profiled. Each page is asked for once to warm up, then
N times under the profiler; the functions with the most cumulative time are printed, with the page's
SQL statement count. Use it to find what to fix when `make bench` shows a page far above the bare page.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from portal import create_app
from portal.auth.services import get_user_by_email
from portal.clock import FrozenClock
from portal.extensions import db
from tests.bench.pool import PROJECT_NOW, build_project
from tests.bench.run import PAGES
from tests.support.sessions import signed_in


def profile_page(app, path: str, user_email: str | None, *, requests: int, top: int,
                 sort: str = "cumulative") -> str:
    """The page's time per request in-process, its SQL statement count and the profile's top functions."""
    client = app.test_client()
    with app.app_context():
        if user_email:
            signed_in(client, get_user_by_email(user_email))
        engine = db.engine
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
        if response.status_code != 200:
            return f"{path}: status {response.status_code}\n"
        per_request = len(statements)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(requests):
            client.get(path)
        profiler.disable()
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    elapsed = (time.perf_counter() - started) * 1000 / requests
    out = io.StringIO()
    out.write(f"{path}: {elapsed:.1f} ms per request in-process (profiled), {per_request} SQL statements\n")
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.profiling", description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", help="paths or names of benchmarked pages (default: all)")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime", "ncalls"],
                        help="order of the profile's functions (default cumulative)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="portal-profile-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        facts = build_project(database_url)
        app = create_app({"DATABASE_URL": database_url, "CLOCK": FrozenClock(PROJECT_NOW)})
        users = {None: None, "kommune": facts["kommune_user"], "staff": facts["caseworker"]}
        for page in PAGES:
            path = page.path.format(**facts)
            if args.pages and not any(wanted in (path, page.name) or wanted in page.name for wanted in args.pages):
                continue
            print(f"=== {page.name}")
            print(profile_page(app, path, users[page.role], requests=args.requests, top=args.top, sort=args.sort))
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
