"""Configuration: read from the environment once, at create_app(); SQLite in instance/ by default."""
from __future__ import annotations

import os
from pathlib import Path

from flask.helpers import get_debug_flag

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Development only: check_production() refuses to start with it, so bandit's B105 is answered there.
DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"  # nosec B105


def database_url_from(value: str | None, instance_path: str) -> str:
    """DATABASE_URL as SQLAlchemy wants it; PostgreSQL through psycopg 3; default SQLite in instance/."""
    if not value:
        return f"sqlite:///{Path(instance_path) / 'portal.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix):]
    return value


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment(instance_path: str) -> dict:
    """Every setting the portal reads, from the environment, with development defaults."""
    env = os.environ
    production = env.get("PORTAL_ENV", "development") == "production"
    mail_server = env.get("MAIL_SERVER", "")
    return {
        "PORTAL_ENV": "production" if production else "development",
        # As Flask reads it; production refuses it (check_production), so no traceback can reach a browser.
        "DEBUG": get_debug_flag(),
        "SECRET_KEY": env.get("SECRET_KEY") or (None if production else DEV_SECRET_KEY),
        "DATABASE_URL": env.get("DATABASE_URL"),
        "SQLALCHEMY_DATABASE_URI": database_url_from(env.get("DATABASE_URL"), instance_path),
        "PORTAL_CLOCK": env.get("PORTAL_CLOCK", ""),
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # Mail: without MAIL_SERVER, messages wait in the outbox and can be read in the portal.
        "MAIL_DELIVERY": bool(mail_server),
        "MAIL_SERVER": mail_server or "localhost",
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_USERNAME": env.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD"),
        # Flask-Mail would silently drop mail under TESTING; the tests read real SMTP instead.
        "MAIL_SUPPRESS_SEND": False,
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Puljeportalen <puljeportalen@star.dk>"),
        # Counted in the portal's own database, so every worker and instance shares one throttle (portal.rate_limits).
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "portal-db://"),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        # How many reverse proxies in front of the portal set X-Forwarded-For and -Proto (portal.register_proxies).
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        "LOGIN_LIMIT_PER_ACCOUNT": env.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_IP": env.get("LOGIN_LIMIT_PER_IP", "30 per 15 minutes"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        # A CSRF token lives as long as the session: a long form typed slowly must still save.
        "WTF_CSRF_TIME_LIMIT": None,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # No form takes files; the largest honest post, the selection of 98 kommuner with their reasons, is far
        # below this. Anything bigger gets the Danish 413 page before a byte of it is parsed.
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(4 * 1024 * 1024))),
    }


def check_production(config: dict) -> None:
    """Refuse to run in production on development defaults."""
    if config["PORTAL_ENV"] != "production":
        return
    missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not config.get(name)]
    if missing:
        raise RuntimeError(f"Production needs {' and '.join(missing)} in the environment; refusing to start.")
    if config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise RuntimeError("Production cannot use the development SECRET_KEY; refusing to start.")
    if config.get("DEBUG"):
        raise RuntimeError("Production cannot run in debug mode (FLASK_DEBUG); refusing to start.")
