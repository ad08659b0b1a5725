"""Rate limits counted in the portal's database: the storage's semantics, and one login throttle for all workers."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from limits.storage import storage_from_string

from portal import create_app
from portal.auth.enums import Role
from portal.auth.models import User
from portal.extensions import db, limiter
from portal.rate_limits import KEEP_EXPIRED_SECONDS, KEY_LENGTH, DatabaseStorage, RateLimit
from portal.transaction import commit
from tests.conftest import PASSWORD, log_in


@pytest.fixture
def storage(app):
    return DatabaseStorage("portal-db://")


def _expire(key: str, *, seconds_ago: float) -> None:
    db.session.execute(sa.update(RateLimit).where(RateLimit.key == key).values(expires_at=time.time() - seconds_ago))
    commit()


def _counters() -> dict[str, int]:
    db.session.rollback()  # a fresh snapshot: the counts were written on other connections
    return dict(db.session.execute(sa.select(RateLimit.key, RateLimit.count)).all())


def test_the_default_storage_is_the_portals_database(app):
    uri = app.config["RATELIMIT_STORAGE_URI"]

    assert (uri, type(storage_from_string(uri))) == ("portal-db://", DatabaseStorage)


def test_storage_counts_hits_within_one_window(storage):
    before = time.time()

    counts = [storage.incr("k", 60), storage.incr("k", 60), storage.incr("k", 60, amount=3)]

    assert counts == [1, 2, 5]
    assert (storage.get("k"), storage.get("unknown")) == (5, 0)
    assert before + 60 <= storage.get_expiry("k") <= time.time() + 60


def test_storage_starts_a_new_window_once_the_old_one_has_expired(storage):
    storage.incr("k", 60)
    storage.incr("k", 60)
    _expire("k", seconds_ago=1)

    assert (storage.get("k"), storage.get_expiry("k") <= time.time()) == (0, True)
    assert storage.incr("k", 60) == 1
    assert (storage.get("k"), storage.get_expiry("k") > time.time() + 59) == (1, True)


def test_storage_clear_forgets_one_key_and_reset_forgets_all(storage):
    storage.incr("a", 60)
    storage.incr("b", 60)

    storage.clear("a")
    after_clear = (storage.get("a"), storage.get("b"))
    reset = storage.reset()

    assert (after_clear, reset, _counters()) == ((0, 1), 1, {})


def test_storage_deletes_counters_long_expired_when_a_new_window_starts(storage):
    for key in ("long-ago", "just-now", "running"):
        storage.incr(key, 60)
    _expire("long-ago", seconds_ago=KEEP_EXPIRED_SECONDS + 1)
    _expire("just-now", seconds_ago=1)

    storage.incr("new", 60)

    assert _counters() == {"just-now": 1, "running": 1, "new": 1}


@pytest.mark.parametrize("key", ["login-account:" + "x" * 1000 + "@test.dk", "login-account:a\x00b@test.dk"],
                         ids=["too-long", "with-nul"])
def test_storage_counts_a_key_too_long_for_the_column_or_with_a_nul(storage, key):
    counts = [storage.incr(key, 60), storage.incr(key, 60)]

    [stored] = _counters()
    assert (counts, storage.get(key), storage.get(key + "-other")) == ([1, 2], 2, 0)
    assert len(stored) <= KEY_LENGTH and "\x00" not in stored


def test_storage_check_says_the_database_answers(storage):
    assert storage.check() is True


def test_storage_counts_every_concurrent_hit_exactly_once(app, storage):
    threads, hits_each = 8, 25
    start = threading.Barrier(threads)

    def hits() -> list[int]:
        with app.app_context():
            start.wait()
            return [storage.incr("login-account:shared@test.dk", 900) for _ in range(hits_each)]

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(hits) for _ in range(threads)]
    counts = [count for future in futures for count in future.result()]

    assert sorted(counts) == list(range(1, threads * hits_each + 1))
    assert storage.get("login-account:shared@test.dk") == threads * hits_each


def test_storage_counts_outside_the_requests_transaction(app, storage, make_user):
    user = make_user(Role.KOMMUNE, kommune="Herning")
    user.name = "Ikke gemt"  # pending in the session, as a view's unfinished work would be

    storage.incr("k", 60)
    db.session.rollback()

    assert (_counters(), db.session.get(User, user.id).name) == ({"k": 1}, "Test Testesen")


def _worker(database_url: str, clock, storage_uri: str):
    """An app as one gunicorn worker builds it: its own create_app() on the shared database."""
    return create_app({"TESTING": True, "DATABASE_URL": database_url, "CLOCK": clock, "WTF_CSRF_ENABLED": False,
                       "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage_uri,
                       "LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes"})


def _spread_over_two_workers(database_url: str, clock, email: str, storage_uri: str):
    """Two failed logins on worker A and one on worker B, then the right password on A and on B."""
    workers = [_worker(database_url, clock, storage_uri) for _ in range(2)]

    def attempt(worker, password: str):
        # The extension object is shared within this test process, where each worker process has its own.
        # Binding it again gives the worker a storage of its own, as its own process would have.
        limiter.init_app(worker)
        return log_in(worker.test_client(), email, password)

    try:
        failures = [attempt(worker, "forkert-forkert").status_code for worker in (workers[0], workers[0], workers[1])]
        return failures, [attempt(worker, PASSWORD) for worker in workers]
    finally:
        for worker in workers:
            with worker.app_context():
                db.engine.dispose()


def test_two_workers_on_one_database_share_the_login_throttle(app, database_url, clock, make_user):
    user = make_user(Role.KOMMUNE, kommune="Herning")

    failures, fourth = _spread_over_two_workers(database_url, clock, user.email, "portal-db://")

    assert failures == [200, 200, 200]
    assert [response.status_code for response in fourth] == [429, 429]
    pages = [response.get_data(as_text=True) for response in fourth]
    assert ["For mange mislykkede loginforsøg" in page for page in pages] == [True, True]


def test_two_workers_counting_in_memory_each_allow_the_limit(app, database_url, clock, make_user):
    """Why portal-db:// is the default, and proof that the test above can tell the difference."""
    user = make_user(Role.KOMMUNE, kommune="Herning")

    failures, fourth = _spread_over_two_workers(database_url, clock, user.email, "memory://")

    assert (failures, [response.status_code for response in fourth]) == ([200, 200, 200], [302, 302])


def test_a_failed_login_is_counted_although_the_view_rolls_back(app, client, make_user):
    app.config.update(RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes")
    limiter.init_app(app)
    user = make_user(Role.KOMMUNE, kommune="Herning")

    response = log_in(client, user.email, "forkert-forkert")

    assert response.status_code == 200
    assert _counters() == {"LIMITER/127.0.0.1/auth.login/30/15/minute": 1,
                           f"LIMITER/login-account:{user.email}/auth.login/3/15/minute": 1}
