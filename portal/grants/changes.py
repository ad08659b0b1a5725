"""Change requests: a kommune asks to move its grant's money between budget years or categories; the agency decides."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import render_template

from portal import clock, permissions
from portal.applications.services import recipients_of
from portal.audit.services import record_event
from portal.errors import DomainError, NotPermitted
from portal.extensions import db
from portal.grants import money
from portal.grants.models import ChangeRequest, Grant, Payment
from portal.grants.payments import plan_payments
from portal.grants.states import ChangeStatus, GrantStatus
from portal.links import external_url
from portal.outbox.services import queue_message

# A broken rule about the split as a whole (its total, or no change at all) belongs to no single line.
SPLIT_FIELD = "split"


@dataclass(frozen=True)
class ChangeLine:
    """One (budget year, category) line of a split, before and after a change, whole kroner."""

    year: int
    category_code: str
    category_name: str
    before_kr: int
    after_kr: int

    @property
    def difference_kr(self) -> int:
        return self.after_kr - self.before_kr


@dataclass(frozen=True)
class YearLine:
    """One budget year before and after a change, and what is already paid for it."""

    year: int
    before_kr: int
    after_kr: int
    paid_kr: int


def pending_change(grant: Grant) -> ChangeRequest | None:
    """The grant's change request still waiting for the agency's decision (there is at most one)."""
    return next((change for change in grant.change_requests if change.status is ChangeStatus.PENDING), None)


def paid_by_year(grant: Grant) -> dict[int, int]:
    """What is paid of the grant per budget year, from its paid payments."""
    return money.total_by_year(_planned(payment) for payment in grant.payments if payment.paid_on is not None)


def split_lines_of(rows: list) -> dict[tuple[int, str], int]:
    """A stored split ([[2017, "kompetenceudvikling", 50000], …]) as (year, category code) -> kr."""
    return {(int(year), category): amount_kr for year, category, amount_kr in rows}


def form_lines(pool) -> list[tuple[int, str, str]]:
    """The lines a change request may use: (year, category code, category name) for every budget year and
    category of the pool, by year, then the categories' order."""
    return [(year, category.code, category.name) for year in pool.budget_years for category in pool.budget_categories]


def compare_lines(pool, before: Mapping[tuple[int, str], int], after: Mapping[tuple[int, str], int]) \
        -> list[ChangeLine]:
    """Every line of the pool and of either split, before and after, by year, then the categories' order."""
    names = {category.code: category.name for category in pool.budget_categories}
    order = {code: position for position, code in enumerate(names)}
    keys = {(year, code) for year, code, _ in form_lines(pool)} | set(before) | set(after)
    return [ChangeLine(year=year, category_code=code, category_name=names.get(code, code),
                       before_kr=before.get((year, code), 0), after_kr=after.get((year, code), 0))
            for year, code in sorted(keys, key=lambda key: (key[0], order.get(key[1], len(order)), key[1]))]


def change_lines(change: ChangeRequest) -> list[ChangeLine]:
    """The lines a change request moves money on: from the split it replaced to the one asked for."""
    lines = compare_lines(change.grant.pool, split_lines_of(change.previous_split),
                          split_lines_of(change.requested_split))
    return [line for line in lines if line.difference_kr]


def compare_years(grant: Grant, before: Mapping[tuple[int, str], int], after: Mapping[tuple[int, str], int]) \
        -> list[YearLine]:
    """Two splits of the grant added up per year, with what is paid of each year now, years ascending."""
    before, after = money.amounts_by_year(before), money.amounts_by_year(after)
    paid = paid_by_year(grant)
    years = sorted(set(grant.pool.budget_years) | set(before) | set(after) | set(paid))
    return [YearLine(year=year, before_kr=before.get(year, 0), after_kr=after.get(year, 0), paid_kr=paid.get(year, 0))
            for year in years]


def request_change(grant: Grant, *, actor, split: Mapping[tuple[int, str], int], reason: str) -> ChangeRequest:
    """A kommune's request to move money of its accepted grant between budget years or categories.

    `split` is the whole new split, (year, category code) -> kr. The rules of money.apply_change hold
    against the grant's split now and what is paid per year; the total stays the grant's, something
    must change, a reason is required, and only one request waits for a decision at a time.
    Raises NotPermitted for anyone but the kommune's users, DomainError (at the line's field, at
    SPLIT_FIELD for the total, or at 'reason') for a broken rule. Side effects: a pending ChangeRequest
    with the split asked for and the one it would replace, an audit event 'grant.change_requested', and a
    mail to the pool's contact address. The grant itself does not change until the agency approves.
    """
    if not permissions.can_request_change(actor, grant):
        raise NotPermitted("Kun kommunens egne brugere kan bede om at ændre kommunens tilsagn.")
    if grant.status is not GrantStatus.ACCEPTED:
        raise DomainError("Der kan kun flyttes penge i et tilsagn, som kommunen har accepteret.")
    if pending_change(grant) is not None:
        raise DomainError("I har allerede en anmodning om ændring, som styrelsen ikke har svaret på. "
                          "Vent på svaret, før I sender en ny.")
    if not reason.strip():
        raise DomainError("Skriv begrundelsen for ændringen.", field="reason")
    new_split = _validated_split(grant, split)
    change = ChangeRequest(status=ChangeStatus.PENDING, requested_split=_rows(new_split),
                           previous_split=_rows(grant.split_lines), reason=reason.strip(),
                           requested_at=clock.now(), requested_by_id=actor.id)
    grant.change_requests.append(change)
    db.session.flush()
    record_event(actor=actor, action="grant.change_requested", obj=grant, object_label=grant.kommune.official_name,
                 before={"split": change.previous_split},
                 after={"change_id": change.id, "split": change.requested_split, "reason": change.reason})
    context = dict(grant=grant, change=change, actor=actor, lines=change_lines(change),
                   link=external_url("grant_changes.decide_change", grant_id=grant.id, change_id=change.id))
    queue_message(kind="grant_change_requested", recipient=grant.pool.contact_email,
                  subject=f"Tilsagn nr. {grant.letter_number}: {grant.kommune.official_name} beder om at flytte penge",
                  text_body=render_template("mail/grant_change_requested.txt", **context))
    return change


def decide_change(change: ChangeRequest, *, actor, approve: bool, note: str) -> None:
    """The agency approves or rejects a pending change request; a rejection needs a note.

    Approval checks the request again against the grant as it is now: the grant must still be
    accepted with the split the request was made from, and no year may drop below what has been paid
    since. Raises NotPermitted for anyone but staff, DomainError for a broken rule. Side effects: on
    approval the grant's split and amounts per year become the requested ones and its unpaid payments
    are planned again (paid ones stay as they are); the request is marked approved or rejected with
    who, when and the note; an audit event 'grant.change_approved' or 'grant.change_rejected'; a mail
    to the kommune's users and its application contact.
    """
    if not permissions.can_manage_grants(actor):
        raise NotPermitted("Kun styrelsens sagsbehandlere kan godkende eller afvise ændringer.")
    if change.status is not ChangeStatus.PENDING:
        raise DomainError(f"Anmodningen er allerede {change.status.label.lower()}.")
    note = note.strip()
    if not approve and not note:
        raise DomainError("Skriv en begrundelse for at afvise ændringen. Den sendes til kommunen.", field="note")
    grant = change.grant
    before = {"split": grant.split, "amounts_by_year": grant.amounts_by_year}
    if approve:
        _approve(grant, change)
    change.status = ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED
    change.decided_at, change.decided_by_id, change.decision_note = clock.now(), actor.id, note
    if approve:
        record_event(actor=actor, action="grant.change_approved", obj=grant, object_label=grant.kommune.official_name,
                     before=before, after={"change_id": change.id, "split": grant.split,
                                           "amounts_by_year": grant.amounts_by_year, "note": note})
    else:
        record_event(actor=actor, action="grant.change_rejected", obj=grant, object_label=grant.kommune.official_name,
                     after={"change_id": change.id, "note": note})
    db.session.flush()
    context = dict(grant=grant, change=change, approved=approve, lines=change_lines(change),
                   link=external_url("grants.mine"))
    verdict = "godkendt" if approve else "afvist"
    for recipient in recipients_of(grant.application):
        queue_message(kind=f"grant_change_{'approved' if approve else 'rejected'}", recipient=recipient,
                      subject=f"Tilsagn nr. {grant.letter_number}: jeres ændring af fordelingen er {verdict}",
                      text_body=render_template("mail/grant_change_decided.txt", **context))


def _approve(grant: Grant, change: ChangeRequest) -> None:
    if grant.status is not GrantStatus.ACCEPTED:
        raise DomainError(f"Tilsagnet er {grant.status.label.lower()} nu, så ændringen kan ikke godkendes. "
                          "Afvis den med en begrundelse.")
    if grant.split_lines != split_lines_of(change.previous_split):
        # Approving would overwrite a split the kommune never saw; it must ask again from the new one.
        raise DomainError("Tilsagnets fordeling er ændret, siden kommunen sendte anmodningen. "
                          "Afvis den med en begrundelse, så kommunen kan sende en ny.")
    new_split = _validated_split(grant, split_lines_of(change.requested_split))
    new_by_year = money.amounts_by_year(new_split)
    years = sorted({int(year) for year in grant.amounts_by_year} | set(new_by_year))
    grant.split = _rows(new_split)
    grant.amounts_by_year = {str(year): new_by_year.get(year, 0) for year in years}
    plan_payments(grant)


def _validated_split(grant: Grant, requested: Mapping[tuple[int, str], int]) -> dict[tuple[int, str], int]:
    """The new split if it follows money.apply_change and changes something; else DomainError at its field."""
    current = grant.split_lines
    paid = paid_by_year(grant)
    pool = grant.pool
    try:
        new_split = money.apply_change(current, requested, paid_by_year=paid, allowed_years=pool.budget_years,
                                       allowed_categories=[category.code for category in pool.budget_categories])
    except money.GrantMoneyError as error:
        raise DomainError(error.message, field=error.field or _field_at_fault(current, requested, paid)) from error
    if new_split == {key: amount_kr for key, amount_kr in current.items() if amount_kr > 0}:
        raise DomainError("Fordelingen er den samme som nu. Ret beløbene for at flytte penge.", field=SPLIT_FIELD)
    return new_split


def _field_at_fault(current: Mapping[tuple[int, str], int], requested: Mapping[tuple[int, str], int],
                    paid: Mapping[int, int]) -> str:
    # apply_change names no field for a changed total or a year below what is paid. A year below what is
    # paid is the fault of a line the kommune lowered in that year, so the error goes there.
    if sum(requested.values()) != sum(current.values()):
        return SPLIT_FIELD
    requested_by_year = money.amounts_by_year(requested)
    for year in sorted(paid):
        if requested_by_year.get(year, 0) < paid[year]:
            lowered = [key for key in sorted(requested) if key[0] == year and requested[key] < current.get(key, 0)]
            return money.line_field(*lowered[0]) if lowered else SPLIT_FIELD
    return SPLIT_FIELD


def _planned(payment: Payment) -> money.PlannedPayment:
    return money.PlannedPayment(year=payment.year, due_on=payment.due_on, amount_kr=payment.amount_kr)


def _rows(split: Mapping[tuple[int, str], int]) -> list[list]:
    """A split as Grant.split stores it: [[year, category code, kr], …] without 0-lines, by year and code."""
    return [[year, category, amount_kr] for (year, category), amount_kr in sorted(split.items()) if amount_kr]
