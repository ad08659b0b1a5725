"""Puljeportalen: create_app() builds the Flask app; nothing else happens at import time."""
from __future__ import annotations

import os

from flask import Flask

from portal.config import PROJECT_ROOT


def create_app(config: dict | None = None) -> Flask:
    """Build the app: read config, bind extensions, register blueprints, helpers and commands.

    `config` overrides settings read from the environment (tests pass their database, clock and mail).
    """
    instance_path = os.environ.get("PORTAL_INSTANCE_PATH", str(PROJECT_ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=instance_path,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    load_config(app, config or {})
    register_proxies(app)
    register_clock(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_commands(app)
    register_diagnostics(app)
    return app


def load_config(app: Flask, overrides: dict) -> None:
    from portal.config import check_production, database_url_from, from_environment

    settings = from_environment(app.instance_path)
    settings.update(overrides)
    if "DATABASE_URL" in overrides and "SQLALCHEMY_DATABASE_URI" not in overrides:
        settings["SQLALCHEMY_DATABASE_URI"] = database_url_from(overrides["DATABASE_URL"], app.instance_path)
    check_production(settings)
    app.config.update(settings)


def register_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, read the client's address and scheme from the headers they set,
    so the login throttle counts each client, not the proxy. Without, those headers are ignored: a client
    cannot name its own address to slip past the throttle."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_clock(app: Flask) -> None:
    from portal.clock import clock_from_setting

    app.extensions["portal_clock"] = app.config.get("CLOCK") or clock_from_setting(app.config["PORTAL_CLOCK"])


def register_extensions(app: Flask) -> None:
    from portal.auth.loader import register_user_loader
    from portal import models  # noqa: F401  (registers every table on the metadata)
    from portal import rate_limits  # noqa: F401  (registers the portal-db:// storage before limiter.init_app)
    from portal.extensions import csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    register_user_loader(login_manager)


BLUEPRINTS = (
    "portal.pulje.views:blueprint",
    "portal.auth.views:blueprint",
    "portal.kommuner.views:blueprint",
    "portal.outbox.views:blueprint",
    "portal.audit.views:blueprint",
    "portal.applications.views:blueprint",
    "portal.applications.casework_views:blueprint",
    "portal.review.views:blueprint",
    "portal.review.selection_views:blueprint",
    "portal.allocation.views:blueprint",
    "portal.grants.views:blueprint",
    "portal.grants.change_views:blueprint",
    "portal.workshops.views:blueprint",
    "portal.reports.views:blueprint",
    "portal.reports.casework_views:blueprint",
    "portal.reports.dashboard_views:blueprint",
)


def register_url_converters(app: Flask) -> None:
    """An id in a URL is at most the databases' 32-bit integer: /rapportering/2147483648 is 404, not 500."""
    from werkzeug.routing import IntegerConverter

    class DatabaseId(IntegerConverter):
        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", 2**31 - 1)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = DatabaseId


def register_blueprints(app: Flask) -> None:
    from importlib import import_module

    for path in BLUEPRINTS:
        module_name, attribute = path.split(":")
        app.register_blueprint(getattr(import_module(module_name), attribute))


def register_template_helpers(app: Flask) -> None:
    from portal.templating import register

    register(app)


def register_error_handlers(app: Flask) -> None:
    from portal.error_pages import register

    register(app)


def register_security_headers(app: Flask) -> None:
    from portal.security import add_security_headers

    production = app.config["PORTAL_ENV"] == "production"
    app.after_request(lambda response: add_security_headers(response, production=production))


def register_diagnostics(app: Flask) -> None:
    """X-Query-Count on every response when PORTAL_COUNT_QUERIES is on (the benchmark); off by default."""
    from portal.diagnostics import register

    register(app)


def register_commands(app: Flask) -> None:
    from portal.cli import register

    register(app)
