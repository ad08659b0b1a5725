"""Absolute links for mail, built from the configured PUBLIC_BASE_URL (never from a request's Host)."""
from __future__ import annotations

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """The full address of `endpoint`, usable in a mail; works without a request."""
    adapter = current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT", "/"))
    path = adapter.build(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path
