"""Use cases of the pool: read it, seed it, and let an administrator change its parameters."""
from __future__ import annotations

import sqlalchemy as sa

from portal import permissions
from portal.audit.services import changed_only, record_event
from portal.auth.models import User
from portal.errors import NotPermitted, RuleViolations, StaleObject
from portal.extensions import db
from portal.kommuner.models import Kommune
from portal.outbox.models import MessageStatus
from portal.outbox.services import count_by_status
from portal.pulje import facts
from portal.pulje.models import BudgetCategory, Pool, TimelineEntry
from portal.pulje.rules import PoolParameters, parameter_problems


def get_pool() -> Pool:
    """The portal's pool; the portal runs one, created by `flask seed`."""
    pool = db.session.scalar(sa.select(Pool).order_by(Pool.id).limit(1))
    if pool is None:
        raise LookupError("No pool in the database: run `flask --app portal seed`.")
    return pool


def seed_pool() -> tuple[Pool, bool]:
    """Create the pool with its announced facts, or complete an existing one; idempotent.

    Parameters an administrator may have changed are left as they are; missing budget categories
    and timeline entries are added. Returns the pool and whether it was created.
    """
    pool = db.session.scalar(sa.select(Pool).where(Pool.journal_number == facts.JOURNAL_NUMBER))
    created = pool is None
    if created:
        pool = Pool(**facts.POOL)
        db.session.add(pool)
        db.session.flush()
    known_categories = {category.code for category in pool.budget_categories}
    for category in facts.BUDGET_CATEGORIES:
        if category["code"] not in known_categories:
            db.session.add(BudgetCategory(pool=pool, **category))
    known_entries = {entry.key for entry in pool.timeline}
    for position, (key, title, (starts_on, ends_on), note) in enumerate(facts.TIMELINE):
        if key not in known_entries:
            db.session.add(TimelineEntry(pool=pool, key=key, title=title, starts_on=starts_on,
                                         ends_on=ends_on, note=note, position=position))
    if created:
        record_event(actor=None, action="pool.seeded", obj=pool, object_label=pool.name)
    db.session.flush()
    return pool, created


def update_pool(pool: Pool, *, actor, parameters: PoolParameters, seen_version: int) -> bool:
    """Change the pool's parameters; returns whether anything changed.

    Raises NotPermitted unless the actor may edit the pool, StaleObject if someone saved the pool
    after `seen_version` was read, and RuleViolations (each at its field) for broken rules.
    Side effects: the changed fields are written and one 'pool.updated' audit event records them.
    """
    if not permissions.can_edit_pool(actor):
        raise NotPermitted("Kun en administrator kan ændre puljens parametre.")
    if pool.version != seen_version:
        raise StaleObject("Puljen er blevet ændret af en anden, siden du åbnede siden. "
                          "Se de nye værdier, og gem dine ændringer igen.")
    problems = parameter_problems(parameters)
    if problems:
        raise RuleViolations(problems)
    names = PoolParameters.field_names()
    before, after = changed_only(
        {name: getattr(pool, name) for name in names},
        {name: getattr(parameters, name) for name in names},
    )
    if not after:
        return False
    for name in after:
        setattr(pool, name, getattr(parameters, name))
    record_event(actor=actor, action="pool.updated", obj=pool, object_label=pool.name, before=before, after=after)
    db.session.flush()
    return True


def staff_counts() -> dict:
    """Figures for the staff dashboard: kommuner, active users, and the outbox by status."""
    mail = count_by_status()
    return {
        "kommuner": db.session.scalar(sa.select(sa.func.count()).select_from(Kommune)),
        "users": db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.active)),
        "mail_queued": mail[MessageStatus.QUEUED],
        "mail_sent": mail[MessageStatus.SENT],
    }
