"""Diagnostics for measurement: with PORTAL_COUNT_QUERIES on, each response says how many SQL statements it cost.

Off by default. The benchmark (`make bench`) turns it on to report queries per page from a real server;
the header `X-Query-Count` is the number of statements sent to the database while the request was handled.
"""
from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, g, has_app_context
from sqlalchemy.engine import Engine

QUERY_COUNT_HEADER = "X-Query-Count"
_COUNTER = "portal_query_count"
_listening = False


def _count_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    """Add one to the current request's count; statements outside a counted request are not counted."""
    if has_app_context() and _COUNTER in g:
        g.portal_query_count += 1


def _start_counting() -> None:
    g.portal_query_count = 0


def _report_count(response):
    if _COUNTER in g:
        response.headers[QUERY_COUNT_HEADER] = str(g.portal_query_count)
    return response


def register(app: Flask) -> None:
    """Count statements per request when the app's PORTAL_COUNT_QUERIES (or the environment's) says so."""
    enabled = app.config.get("PORTAL_COUNT_QUERIES")
    if enabled is None:
        enabled = os.environ.get("PORTAL_COUNT_QUERIES", "").strip().lower() in {"1", "true", "yes", "on"}
    app.config["PORTAL_COUNT_QUERIES"] = bool(enabled)
    if not enabled:
        return
    global _listening
    if not _listening:  # one listener per process, on every engine; it counts only inside a counted request
        sa.event.listen(Engine, "before_cursor_execute", _count_statement)
        _listening = True
    app.before_request(_start_counting)
    app.after_request(_report_count)
