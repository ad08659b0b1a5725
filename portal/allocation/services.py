"""The allocation's use cases: the selected kommuner's figures, the calculation with overrides, confirming it."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal import clock, permissions
from portal.allocation.engine import AllocationError, Claim, Grant, allocate, split_over_years
from portal.allocation.models import Allocation, AllocationGrant, GrantOverride
from portal.applications.models import Application, Submission
from portal.audit.services import record_event
from portal.errors import DomainError, NotPermitted
from portal.extensions import db
from portal.formatting import format_kr
from portal.kommuner.models import Kommune
from portal.review.enums import Decision
from portal.review.models import SelectionDecision
from portal.review.services import selection_confirmation

REASON_LIMIT = 2000


@dataclass(frozen=True)
class SelectedKommune:
    """A selected kommune with the figures of its submitted application: volume and budget per year."""

    application: Application
    kommune: Kommune
    volume: int
    budget_by_year: dict[int, int]

    @property
    def requested_kr(self) -> int:
        return sum(self.budget_by_year.values())


@dataclass(frozen=True)
class GrantLine:
    """One kommune in a calculation: the engine's grant (None when overridden), the override, the result."""

    selected: SelectedKommune
    volume: int
    grant: Grant | None
    override: GrantOverride | None
    amount_kr: int
    years: dict[int, int]

    @property
    def kommune(self) -> Kommune:
        return self.selected.kommune


@dataclass(frozen=True)
class Calculation:
    """The grants for every selected kommune, in kommune-code order; they add up to `allocated_kr`."""

    lines: tuple[GrantLine, ...]
    pool_kr: int
    max_grant_kr: int
    allocated_kr: int
    unallocated_kr: int
    year_totals: dict[int, int]
    total_volume: int


def list_selected(pool) -> list[SelectedKommune]:
    """The kommuner of the confirmed selection, by kommunekode, with their submitted figures (two queries)."""
    if selection_confirmation(pool) is None:
        return []
    applications = db.session.scalars(
        sa.select(Application).join(SelectionDecision, SelectionDecision.application_id == Application.id)
        .join(Application.kommune)
        .where(Application.pool_id == pool.id, SelectionDecision.decision == Decision.SELECTED,
               SelectionDecision.decided_at.is_not(None))
        .options(selectinload(Application.kommune),
                 selectinload(Application.submissions).defer(Submission.receipt_pdf))
        .order_by(Kommune.code))
    return [_figures(application) for application in applications]


def _figures(application: Application) -> SelectedKommune:
    content = application.latest_submission.content
    answers = content["answers"]
    budget: dict[int, int] = {}
    for line in content["budget"]:
        if line["year"] is not None and line["amount_kr"]:
            budget[line["year"]] = budget.get(line["year"], 0) + line["amount_kr"]
    return SelectedKommune(application=application, kommune=application.kommune,
                           volume=(answers["category_2_count"] or 0) + (answers["category_3_count"] or 0),
                           budget_by_year=dict(sorted(budget.items())))


def list_overrides(pool) -> dict[int, GrantOverride]:
    """Pending overrides by application id."""
    return {override.application_id: override for override in db.session.scalars(
        sa.select(GrantOverride).join(Application, Application.id == GrantOverride.application_id)
        .where(Application.pool_id == pool.id).options(selectinload(GrantOverride.created_by)))}


def calculate(selected: list[SelectedKommune], overrides: dict[int, GrantOverride], *, pool_kr: int,
              max_grant_kr: int, volumes: dict[int, int] | None = None) -> Calculation:
    """Share `pool_kr` by volume among the selected, with overridden kommuner fixed at their amounts.

    `volumes` (application id -> volume) replaces the submitted volumes in a what-if. Reads and
    changes nothing. Raises DomainError with the engine's Danish message when the input makes no sense.
    """
    volumes = volumes or {}
    fixed = {item.application.id: overrides[item.application.id].amount_kr
             for item in selected if item.application.id in overrides}
    free = [item for item in selected if item.application.id not in fixed]
    left = pool_kr - sum(fixed.values())
    if left < 0:
        raise DomainError(f"De faste beløb er i alt {format_kr(sum(fixed.values()))}, mere end puljens "
                          f"{format_kr(pool_kr)}.")
    grants: dict[int, Grant] = {}
    if free and left > 0:
        try:
            result = allocate(pool_kr=left, max_grant_kr=max_grant_kr, claims=[
                Claim(code=item.kommune.code, volume=volumes.get(item.application.id, item.volume),
                      requested_kr=item.requested_kr) for item in free])
        except AllocationError as error:
            raise DomainError(error.message) from error
        grants = {item.application.id: grant for item, grant in zip(free, result.grants)}
    lines = []
    for item in selected:
        grant = grants.get(item.application.id)
        amount = fixed.get(item.application.id, grant.amount_kr if grant else 0)
        lines.append(GrantLine(selected=item, volume=volumes.get(item.application.id, item.volume), grant=grant,
                               override=overrides.get(item.application.id), amount_kr=amount,
                               years=_split(amount, item)))
    allocated = sum(line.amount_kr for line in lines)
    year_totals: dict[int, int] = {}
    for line in lines:
        for year, amount in line.years.items():
            year_totals[year] = year_totals.get(year, 0) + amount
    return Calculation(lines=tuple(lines), pool_kr=pool_kr, max_grant_kr=max_grant_kr, allocated_kr=allocated,
                       unallocated_kr=pool_kr - allocated, year_totals=dict(sorted(year_totals.items())),
                       total_volume=sum(line.volume for line in lines))


def _split(amount_kr: int, item: SelectedKommune) -> dict[int, int]:
    if amount_kr == 0 or not item.budget_by_year:
        return {year: 0 for year in item.budget_by_year}
    return split_over_years(amount_kr, item.budget_by_year)


def current_calculation(pool, *, without: frozenset[int] = frozenset()) -> Calculation:
    """The allocation as it stands: the pool's amount and cap, the submitted volumes, the pending overrides.

    `without` holds the application ids of selected kommuner that no longer take part (a declined or
    expired grant): the pool is shared among the others.
    """
    selected = [item for item in list_selected(pool) if item.application.id not in without]
    return calculate(selected, list_overrides(pool), pool_kr=pool.total_kr, max_grant_kr=pool.max_grant_kr)


def current_allocation(pool) -> Allocation | None:
    """The confirmed allocation in force (the newest not superseded), with its grants."""
    return db.session.scalar(
        sa.select(Allocation).where(Allocation.pool_id == pool.id, Allocation.superseded_at.is_(None))
        .options(selectinload(Allocation.grants).selectinload(AllocationGrant.kommune))
        .order_by(Allocation.confirmed_at.desc(), Allocation.id.desc()))


def _check_allocating(pool, actor) -> None:
    if not permissions.can_allocate(actor):
        raise NotPermitted("Kun styrelsens sagsbehandlere kan fordele puljen.")
    if selection_confirmation(pool) is None:
        raise DomainError("Udvælgelsen skal bekræftes, før puljen kan fordeles.")


def set_override(pool, item: SelectedKommune, *, actor, amount_kr: int, reason: str) -> GrantOverride:
    """Fix one kommune's grant at `amount_kr` (with a reason); the others share what is left.

    The amount must lie within the kommune's cap (the pool's maximum and its own budget), and all
    fixed amounts together within the pool. Side effects: an audit event 'allocation.overridden'.
    """
    _check_allocating(pool, actor)
    cap = min(pool.max_grant_kr, item.requested_kr)
    if not reason.strip():
        raise DomainError("Skriv begrundelsen for at ændre tilskuddet.", field="reason")
    if len(reason) > REASON_LIMIT:
        raise DomainError("Begrundelsen må højst være på 2.000 tegn.", field="reason")
    if not 0 <= amount_kr <= cap:
        raise DomainError(f"Tilskuddet skal ligge mellem 0 kr. og {format_kr(cap)} "
                          f"({'puljens største tilskud' if cap == pool.max_grant_kr else 'kommunens budget'}).",
                          field="amount_kr")
    overrides = list_overrides(pool)
    others = sum(override.amount_kr for application_id, override in overrides.items()
                 if application_id != item.application.id)
    if others + amount_kr > pool.total_kr:
        raise DomainError(f"Med de andre faste beløb ({format_kr(others)}) kommer tilskuddene over puljens "
                          f"{format_kr(pool.total_kr)}.", field="amount_kr")
    override = overrides.get(item.application.id)
    before = {"amount_kr": override.amount_kr, "reason": override.reason} if override else None
    if override is None:
        override = GrantOverride(application_id=item.application.id)
        db.session.add(override)
    override.amount_kr, override.reason = amount_kr, reason.strip()
    override.created_at, override.created_by_id = clock.now(), actor.id
    record_event(actor=actor, action="allocation.overridden", obj=item.application,
                 object_label=item.kommune.official_name, before=before,
                 after={"amount_kr": amount_kr, "reason": reason.strip()})
    db.session.flush()
    return override


def remove_override(pool, item: SelectedKommune, *, actor) -> None:
    """Let the engine compute the kommune's grant again. Side effects: an audit event."""
    _check_allocating(pool, actor)
    override = list_overrides(pool).get(item.application.id)
    if override is None:
        return
    record_event(actor=actor, action="allocation.override_removed", obj=item.application,
                 object_label=item.kommune.official_name,
                 before={"amount_kr": override.amount_kr, "reason": override.reason})
    db.session.delete(override)
    db.session.flush()


def confirm_allocation(pool, *, actor, without: frozenset[int] = frozenset()) -> Allocation:
    """Save the allocation as it stands as the record grant letters are made from; supersedes an earlier one.

    Side effects: an Allocation with one AllocationGrant per selected kommune (inputs and results),
    the earlier allocation marked superseded, and an audit event 'allocation.confirmed'.
    """
    _check_allocating(pool, actor)
    calculation = current_calculation(pool, without=without)
    if not calculation.lines:
        raise DomainError("Der er ingen valgte kommuner at fordele puljen til.")
    now = clock.now()
    previous = current_allocation(pool)
    if previous is not None:
        previous.superseded_at = now
    allocation = Allocation(pool_id=pool.id, confirmed_at=now, confirmed_by_id=actor.id, pool_kr=calculation.pool_kr,
                            max_grant_kr=calculation.max_grant_kr, allocated_kr=calculation.allocated_kr, grants=[
                                AllocationGrant(
                                    application_id=line.selected.application.id, kommune_id=line.kommune.id,
                                    volume=line.volume, requested_kr=line.selected.requested_kr,
                                    cap_kr=min(calculation.max_grant_kr, line.selected.requested_kr),
                                    computed_kr=line.grant.amount_kr if line.grant else line.amount_kr,
                                    amount_kr=line.amount_kr,
                                    override_reason=line.override.reason if line.override else "",
                                    years={str(year): amount for year, amount in line.years.items()})
                                for line in calculation.lines])
    db.session.add(allocation)
    record_event(actor=actor, action="allocation.confirmed", object_type="pool", object_label=pool.name,
                 before={"allocation": previous.id} if previous else None,
                 after={"allocated_kr": calculation.allocated_kr,
                        "grants": {line.kommune.name: line.amount_kr for line in calculation.lines}})
    db.session.flush()
    return allocation
