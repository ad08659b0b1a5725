"""Counting the SQL statements a page costs, to guard lists against N+1 queries."""
import sqlalchemy as sa

from portal.extensions import db


def get_counting(client, url: str):
    """GET `url` and count, independently of the app, the statements the request sends: (response, count)."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return response, len(statements)


def queries_for(client, url: str) -> int:
    """How many statements GET `url` sends to the database (the page must answer 200)."""
    response, statements = get_counting(client, url)
    assert response.status_code == 200
    return statements
