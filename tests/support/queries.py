"""Counting the SQL statements a page costs, to guard lists against N+1 queries."""
import sqlalchemy as sa

from portal.extensions import db


def queries_for(client, url: str) -> int:
    """How many statements GET `url` sends to the database (the page must answer 200)."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)
