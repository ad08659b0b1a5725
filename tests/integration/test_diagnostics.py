"""The query counter the benchmark reads: off by default; when on, the header equals the statements sent."""
from __future__ import annotations

import pytest

from portal.diagnostics import QUERY_COUNT_HEADER
from tests.support.queries import get_counting


def test_query_count_header_absent_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    assert response.headers.get(QUERY_COUNT_HEADER) is None


class TestCountingOn:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "PORTAL_COUNT_QUERIES": True}

    def test_query_count_header_equals_statements_sent(self, client):
        response, sent = get_counting(client, "/")

        assert response.status_code == 200
        assert sent > 0
        assert response.headers[QUERY_COUNT_HEADER] == str(sent)

    def test_query_count_starts_from_zero_on_each_request(self, client):
        first, _ = get_counting(client, "/")
        second, sent = get_counting(client, "/")

        assert second.headers[QUERY_COUNT_HEADER] == str(sent)
        assert first.headers[QUERY_COUNT_HEADER] == second.headers[QUERY_COUNT_HEADER]
