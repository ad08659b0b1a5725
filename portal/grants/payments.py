"""Following a grant's money: the payment plan made on acceptance, payments marked paid, the pool's totals."""
from __future__ import annotations

from collections import Counter
from datetime import date

from portal import clock, permissions
from portal.audit.services import record_event
from portal.errors import DomainError, NotPermitted
from portal.extensions import db
from portal.grants import money
from portal.grants.models import Grant, Payment
from portal.grants.states import GrantStatus


def plan_payments(grant: Grant) -> None:
    """The payments of an accepted grant: the year's amount at the start of the year, or at acceptance for a
    year already begun; a re-accepted grant keeps what is paid and adjusts the rest."""
    today = clock.local_now().date()
    paid = [money.PlannedPayment(payment.year, payment.due_on, payment.amount_kr)
            for payment in grant.payments if payment.paid_on is not None]
    try:
        if grant.payments:
            planned = money.replan([money.PlannedPayment(payment.year, payment.due_on, payment.amount_kr)
                                    for payment in grant.payments], paid=paid, new_amounts_by_year=grant.years,
                                   today=today)
        else:
            planned = money.payment_plan(grant.years, accepted_on=today)
    except money.GrantMoneyError as error:
        raise DomainError(error.message) from error
    still_paid, unpaid = Counter(paid), []
    for item in planned:
        if still_paid[item]:
            still_paid[item] -= 1
        else:
            unpaid.append(item)
    grant.payments = [payment for payment in grant.payments if payment.paid_on is not None] + [
        Payment(year=item.year, due_on=item.due_on, amount_kr=item.amount_kr) for item in unpaid]


def mark_paid(payment: Payment, *, actor, paid_on: date) -> None:
    """Record that a planned payment has been paid (on `paid_on`, not in the future).

    Side effects: an audit event 'grant.payment_paid'.
    """
    if not permissions.can_manage_grants(actor):
        raise NotPermitted("Kun styrelsens sagsbehandlere kan markere udbetalinger.")
    if payment.paid_on is not None:
        raise DomainError(f"Udbetalingen er allerede markeret som betalt {payment.paid_on:%d.%m.%Y}.")
    if payment.grant.status is not GrantStatus.ACCEPTED:
        raise DomainError("Kun et accepteret tilsagn kan udbetales.")
    if paid_on > clock.local_now().date():
        raise DomainError("Betalingsdatoen kan ikke ligge i fremtiden.", field="paid_on")
    payment.paid_on, payment.marked_at, payment.marked_by_id = paid_on, clock.now(), actor.id
    record_event(actor=actor, action="grant.payment_paid", obj=payment.grant,
                 object_label=payment.grant.kommune.official_name,
                 after={"year": payment.year, "amount_kr": payment.amount_kr, "paid_on": paid_on})
    db.session.flush()


def money_overview(grants: list[Grant], *, pool_kr: int) -> money.MoneySummary:
    """The pool's money: drafted, granted, accepted, paid, remaining and freed; it always adds up."""
    return money.money_summary([money.GrantMoney(code=grant.kommune.code, status=grant.status.value,
                                                 amount_kr=grant.amount_kr, paid_kr=grant.paid_kr)
                                for grant in grants], pool_kr=pool_kr)
