"""The query counter the benchmark reads: off by default; when on, the header equals the statements sent."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.diagnostics import QUERY_COUNT_HEADER
from portal.extensions import db


def _get_counting(client, url: str):
    """GET `url` and count, independently of the app, the statements the request sends."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return response, len(statements)


def test_query_count_header_absent_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    assert response.headers.get(QUERY_COUNT_HEADER) is None


class TestCountingOn:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "PORTAL_COUNT_QUERIES": True}

    def test_query_count_header_equals_statements_sent(self, client):
        response, sent = _get_counting(client, "/")

        assert response.status_code == 200
        assert sent > 0
        assert response.headers[QUERY_COUNT_HEADER] == str(sent)

    def test_query_count_starts_from_zero_on_each_request(self, client):
        first, _ = _get_counting(client, "/")
        second, sent = _get_counting(client, "/")

        assert second.headers[QUERY_COUNT_HEADER] == str(sent)
        assert first.headers[QUERY_COUNT_HEADER] == second.headers[QUERY_COUNT_HEADER]
