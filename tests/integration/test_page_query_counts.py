"""Every page the benchmark measures costs the same SQL statements whatever the number of applicants.

The benchmark's own pool is built twice, from every 3rd kommune (33 applicants) and from every 2nd (49), each
with its reviews, selection, grants, workshops and reports, and each page is asked for on both. On SQLite only:
how many statements a page sends is the code's doing, not the backend's, and the lists' own query-count tests
run on both backends.
"""
from __future__ import annotations

from portal import create_app
from portal.auth.services import get_user_by_email
from portal.clock import FrozenClock
from portal.diagnostics import QUERY_COUNT_HEADER
from portal.extensions import db
from tests.bench.pool import PROJECT_NOW, build_project
from tests.bench.run import PAGES
from tests.support.sessions import signed_in

POOLS = {"33 applicants": 3, "49 applicants": 2}


def _statements_per_page(database_url: str, facts: dict) -> dict[str, tuple[int, int]]:
    """Page name -> (status, SQL statements) for its second request, as the benchmark's user of its role."""
    app = create_app({"DATABASE_URL": database_url, "CLOCK": FrozenClock(PROJECT_NOW), "MAIL_DELIVERY": False,
                      "RATELIMIT_ENABLED": False, "PORTAL_COUNT_QUERIES": True})
    clients = {None: app.test_client()}
    with app.app_context():  # only to sign in: each request below has an app context (and a `g`) of its own
        for role, email in (("kommune", facts["kommune_user"]), ("staff", facts["caseworker"])):
            clients[role] = signed_in(app.test_client(), get_user_by_email(email))
    found = {}
    for page in PAGES:
        path = page.path.format(**facts)
        clients[page.role].get(path)  # what a process does once (caches, the first load of a user) is done now
        response = clients[page.role].get(path)
        found[page.name] = (response.status_code, int(response.headers[QUERY_COUNT_HEADER]))
    with app.app_context():
        db.engine.dispose()
    return found


def test_every_benchmarked_page_costs_the_same_statements_for_33_and_49_applicants(tmp_path_factory):
    found = {}
    for pool, every in POOLS.items():
        database_url = f"sqlite:///{tmp_path_factory.mktemp('pool') / 'pool.sqlite3'}"
        found[pool] = _statements_per_page(database_url, build_project(database_url, every=every))
    small, larger = (found[pool] for pool in POOLS)

    assert {status for status, _ in [*small.values(), *larger.values()]} == {200}
    assert {page: (small[page][1], larger[page][1]) for page in small if small[page] != larger[page]} == {}
