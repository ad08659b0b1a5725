"""Writing and reading the audit log."""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa

from portal import clock
from portal.audit.models import AuditEvent
from portal.extensions import db

PAGE_SIZE = 50


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """The named attributes of `obj` as JSON-ready values, for a before/after pair."""
    return {field: _jsonable(getattr(obj, field)) for field in fields}


def changed_only(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep the keys whose values differ, so the log shows what changed and nothing else."""
    keys = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def record_event(
    *,
    actor,
    action: str,
    obj: Any = None,
    object_type: str | None = None,
    object_label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (flushed with it, never committed here).

    `actor` is a User or None (the system, or an anonymous visitor); `obj` names the object by its
    table and id, unless `object_type` is given.
    """
    event = AuditEvent(
        occurred_at=clock.now(),
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else "system",
        action=action,
        object_type=object_type or (obj.__tablename__ if obj is not None else "portal"),
        object_id=str(obj.id) if obj is not None and obj.id is not None else None,
        object_label=object_label[:200],
        before={k: _jsonable(v) for k, v in before.items()} if before else None,
        after={k: _jsonable(v) for k, v in after.items()} if after else None,
    )
    db.session.add(event)
    return event


def list_events(*, action: str | None = None, object_type: str | None = None, actor: str | None = None,
                page: int = 1):
    """Newest first, id as tie-breaker, filtered, one page at a time."""
    query = sa.select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if actor:
        query = query.where(AuditEvent.actor_label.ilike(f"%{actor.strip()}%"))
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def list_filter_choices() -> tuple[list[str], list[str]]:
    """The actions and object types that occur in the log, sorted, for the filter drop-downs."""
    actions = db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    types = db.session.scalars(sa.select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)).all()
    return list(actions), list(types)
