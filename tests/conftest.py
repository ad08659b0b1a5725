"""Fixtures for every test layer: a migrated database per backend, the app, SMTP, users, the clock.

The database schema comes from the Alembic migrations, run once per backend and session; each test
then starts from empty tables with the reference data seeded. Every database test runs against
SQLite and, when a server can be started, against PostgreSQL (ids `[sqlite]` and `[postgresql]`).
"""
from __future__ import annotations

import os
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from portal import create_app
from portal.auth.enums import Role
from portal.auth.services import create_user
from portal.clock import COPENHAGEN, FrozenClock
from portal.extensions import db
from portal.kommuner.services import get_kommune_by_name, seed_kommuner
from portal.pulje.services import seed_pool
from portal.transaction import commit
from tests.support.postgres import PostgresUnavailable, start_cluster
from tests.support.smtp import SmtpServer

# Monday of week 30, 2017: the application window is open, the deadline 11 days away.
IN_APPLICATION_WINDOW = datetime(2017, 7, 24, 9, 0, tzinfo=COPENHAGEN)
PASSWORD = "en-god-adgangskode-2017"
BACKENDS = [name.strip() for name in os.environ.get("PORTAL_TEST_BACKENDS", "sqlite,postgresql").split(",")
            if name.strip()]


@pytest.fixture(scope="session")
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_cluster():
    try:
        cluster = start_cluster()
    except PostgresUnavailable as reason:
        pytest.skip(f"PostgreSQL half of the suite skipped: {reason}")
    yield cluster
    cluster.stop()


def _migrate(url: str) -> None:
    app = create_app({"DATABASE_URL": url, "CLOCK": FrozenClock(IN_APPLICATION_WINDOW)})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A database migrated to the newest revision, once per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'portal.sqlite3'}"
    elif request.param == "postgresql":
        cluster = request.getfixturevalue("postgres_cluster")
        # Each xdist worker has its own database, also on a shared server (PORTAL_TEST_POSTGRES_URL).
        name = f"portal_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
        engine = sa.create_engine(cluster.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
        engine.dispose()
        url = cluster.url_for(name)
    else:
        raise ValueError(f"unknown backend {request.param!r}")
    _migrate(url)
    return url


@pytest.fixture
def clock():
    """The portal's clock in tests: frozen inside the application window; move it with .set()."""
    return FrozenClock(IN_APPLICATION_WINDOW)


@pytest.fixture
def app_config():
    """Settings a test folder may override (the browser tests switch CSRF back on)."""
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (its own `g` and database session), as in production,
    even while the test holds the app context it uses for its own queries."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def empty_and_seed() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    seed_kommuner()
    seed_pool()
    commit()


@pytest.fixture
def app(database_url, smtp_server, clock, app_config):
    """The app on a freshly emptied and seeded database, with its app context pushed for the test."""
    smtp_server.clear()
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "CLOCK": clock,
        "MAIL_DELIVERY": True,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "PUBLIC_BASE_URL": "http://portal.test",
        **app_config,
    })
    app.test_client_class = FreshContextClient
    with app.app_context():
        empty_and_seed()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def mailbox(smtp_server):
    """What the loopback SMTP server received during this test."""
    return smtp_server


@pytest.fixture
def make_user(app):
    """Create an account with PASSWORD: make_user(Role.KOMMUNE, kommune='Herning')."""

    def make(role: Role, *, kommune: str | None = None, email: str | None = None, name: str = "Test Testesen"):
        email = email or f"{role.value}.{(kommune or 'star').lower()}@test.dk".replace("ø", "oe").replace("æ", "ae").replace("å", "aa")
        user = create_user(email=email, name=name, role=role,
                           kommune=get_kommune_by_name(kommune) if kommune else None, password=PASSWORD)
        commit()
        return user

    return make


def log_in(client, email: str, password: str = PASSWORD):
    return client.post("/log-ind", data={"email": email, "password": password})
