"""Kommuner in the project for tests: selected, allocated and with an issued grant letter, through the services."""
from __future__ import annotations

from portal.allocation.services import confirm_allocation
from portal.grants.services import create_drafts, issue_all
from portal.pulje.services import get_pool
from portal.review.enums import Decision
from portal.review.selection import confirm_selection, decide, list_candidates
from portal.transaction import commit
from tests.support.applications import submitted_applications


def participating(clock, staff, *names: str, after_deadline) -> dict:
    """Each named kommune's application submitted, selected and granted (letter issued); name -> Application."""
    applications = submitted_applications(*names)
    clock.set(after_deadline)
    pool = get_pool()
    pool.min_participants = min(pool.min_participants, len(names))
    rows = list_candidates(pool, viewer=staff)
    decide(rows, actor=staff, decisions={row.application.id: (Decision.SELECTED, "") for row in rows})
    confirm_selection(pool, list_candidates(pool, viewer=staff), actor=staff)
    confirm_allocation(pool, actor=staff)
    create_drafts(pool, actor=staff)
    issue_all(pool, actor=staff)
    commit()
    return applications
