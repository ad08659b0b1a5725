"""Rate-limit counters in the portal's own database, so every worker and instance shares one login throttle.

Flask-Limiter counts through a `limits` storage. `memory://` counts in each process on its own (two gunicorn
workers on two instances allow four times the limit) and forgets on restart. The portal's only shared state is
its database, so `RATELIMIT_STORAGE_URI=portal-db://` (the default) selects `DatabaseStorage` below: one row
per counter in the table `rate_limit`.

Every call uses its own short transaction on `db.engine`, never the request's `db.session`: a view that rolls
back does not take a counted failure with it, and counting never commits the view's work. `db.engine` needs an
app context; Flask-Limiter calls the storage inside requests, and `check()` or `reset()` elsewhere (a shell, a
CLI command) must run in `app.app_context()`.

On SQLite, a write the request's session has flushed but not committed holds the file's only write lock.
Flask-Limiter counts before the view and, for `deduct_when` limits, after it; the views it guards commit or
roll back before they return, so the two never wait for each other.
"""
from __future__ import annotations

import hashlib
import time

import sqlalchemy as sa
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

KEY_LENGTH = 255
# Rows stay this long after their window ended before a cleanup deletes them: an instance whose clock runs a
# little ahead must not delete a window another instance still counts in.
KEEP_EXPIRED_SECONDS = 3600
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class RateLimit(db.Model):
    """One fixed-window counter: `count` hits on `key` in the window that ends at `expires_at`.

    `expires_at` is seconds since the epoch (UTC) as `time.time()` gives them, the time `limits` itself
    works in; a row whose `expires_at` has passed counts as absent.
    """

    __tablename__ = "rate_limit"

    key: Mapped[str] = mapped_column(sa.String(KEY_LENGTH), primary_key=True)
    count: Mapped[int]
    expires_at: Mapped[float] = mapped_column(sa.Float, index=True)


def stored_key(key: str) -> str:
    """The key as the column holds it.

    The account limit's key carries the e-mail exactly as posted, so it can be any length and hold a NUL
    (which PostgreSQL refuses in text). Such a key is stored as a readable prefix and its SHA-256.
    """
    if len(key) <= KEY_LENGTH and "\x00" not in key:
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return key[:KEY_LENGTH - len(digest) - 1].replace("\x00", "") + "#" + digest


def _now() -> float:
    # Wall time, not portal.clock: limits computes its windows in time.time(), and the demo clock may stand
    # (or run) in 2017, where every window would be long over or never end.
    return time.time()


class DatabaseStorage(Storage):
    """A `limits` storage for the fixed-window strategy (Flask-Limiter's default), in the table `rate_limit`.

    Only fixed windows: the moving-window and sliding-window strategies need interfaces this storage
    does not offer, and Flask-Limiter refuses them with it at start-up.
    """

    STORAGE_SCHEME = ["portal-db"]

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sa.exc.SQLAlchemyError

    @property
    def _engine(self) -> sa.Engine:
        return db.engine

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` to the counter and return it; a counter that is absent or expired starts a new window.

        One atomic upsert, so concurrent hits from any process all count. When a new window starts, rows
        whose windows ended long ago are deleted, in a transaction of their own.
        """
        now = _now()
        engine = self._engine
        insert = _INSERTS[engine.dialect.name](RateLimit)
        new = insert.values(key=stored_key(key), count=amount, expires_at=now + expiry)
        expired = RateLimit.expires_at <= now
        upsert = new.on_conflict_do_update(
            index_elements=[RateLimit.key],
            set_={
                "count": sa.case((expired, new.excluded.count), else_=RateLimit.count + new.excluded.count),
                "expires_at": sa.case((expired, new.excluded.expires_at), else_=RateLimit.expires_at),
            },
        ).returning(RateLimit.count)
        with engine.begin() as connection:
            count = connection.execute(upsert).scalar_one()
        if count == amount:
            delete_expired(engine, before=now - KEEP_EXPIRED_SECONDS)
        return count

    def get(self, key: str) -> int:
        """The counter's value in its current window; 0 when there is none."""
        with self._engine.connect() as connection:
            count = connection.execute(
                sa.select(RateLimit.count).where(RateLimit.key == stored_key(key), RateLimit.expires_at > _now())
            ).scalar()
        return count or 0

    def get_expiry(self, key: str) -> float:
        """When the counter's window ends (epoch seconds); now when there is no window."""
        now = _now()
        with self._engine.connect() as connection:
            expires_at = connection.execute(
                sa.select(RateLimit.expires_at).where(RateLimit.key == stored_key(key), RateLimit.expires_at > now)
            ).scalar()
        return now if expires_at is None else expires_at

    def check(self) -> bool:
        """Whether the database answers."""
        try:
            with self._engine.connect() as connection:
                connection.execute(sa.select(1))
        except sa.exc.SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Delete every counter; returns how many there were."""
        with self._engine.begin() as connection:
            return connection.execute(sa.delete(RateLimit)).rowcount

    def clear(self, key: str) -> None:
        """Forget the counter of `key`."""
        with self._engine.begin() as connection:
            connection.execute(sa.delete(RateLimit).where(RateLimit.key == stored_key(key)))


def delete_expired(engine: sa.Engine, *, before: float) -> int:
    """Delete the counters whose windows ended before `before` (epoch seconds); returns how many."""
    with engine.begin() as connection:
        return connection.execute(sa.delete(RateLimit).where(RateLimit.expires_at < before)).rowcount
