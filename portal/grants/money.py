"""Following a grant's money: the payment plan, the pool's money summary, change requests; pure."""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

# A grant's statuses, as in portal.grants.states.GrantStatus (a str enum, so its members work here too).
DRAFT = "draft"
ISSUED = "issued"
ACCEPTED = "accepted"
DECLINED = "declined"
EXPIRED = "expired"
STATUSES = (DRAFT, ISSUED, ACCEPTED, DECLINED, EXPIRED)

# A grant's split: (budget year, budget category code) -> whole kroner.
Split = Mapping[tuple[int, str], int]


class GrantMoneyError(ValueError):
    """The money does not follow the rules; the message is Danish, `field` names the form field at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class PlannedPayment:
    """One payment of a grant: the budget year it belongs to, the day it falls due, whole kroner (> 0)."""

    year: int
    due_on: date
    amount_kr: int


@dataclass(frozen=True)
class GrantMoney:
    """One grant's money as the summary needs it: kommunekode, status, amount and what is paid of it."""

    code: int
    status: str
    amount_kr: int
    paid_kr: int = 0


@dataclass(frozen=True)
class MoneySummary:
    """The money of a pool's grants, whole kroner, adding up exactly.

    draft_kr             amounts of grants not yet issued (planned, not promised)
    granted_kr           money promised: letters out (issued or accepted), plus money paid under a letter
                         that was later replaced and then declined or left to lapse
    accepted_kr          the part of granted_kr the kommuner have accepted
    not_yet_accepted_kr  the part of granted_kr waiting for a kommune's answer
    paid_kr              money paid out
    remaining_to_pay_kr  accepted, not yet paid
    freed_kr             declined or expired and never paid: free for other kommuner again
    pool_kr              the pool, if given; then also
    available_kr         what can still be promised: pool_kr - granted_kr (never negative)
    unallocated_kr       what is neither promised nor drafted: available_kr - draft_kr (negative when
                         the drafts ask for more than is available; issuing them all would be refused)
    """

    draft_kr: int
    granted_kr: int
    accepted_kr: int
    not_yet_accepted_kr: int
    paid_kr: int
    remaining_to_pay_kr: int
    freed_kr: int
    pool_kr: int | None = None
    available_kr: int | None = None
    unallocated_kr: int | None = None


def payment_plan(amounts_by_year: Mapping[int, int], *, accepted_on: date) -> list[PlannedPayment]:
    """One payment per budget year, due on 1 January of the year, or on the day the grant is accepted if
    the year has begun by then (Herning, accepted 20 October 2017: 200.000 kr. due that day, 600.000 kr.
    on 1 January 2018).

    Invariants: the payments add up exactly to the grant; a year of 0 kr. gets no payment; no payment
    falls due before the acceptance; ordered by due date, then year. Raises GrantMoneyError on a
    negative amount.
    """
    for year, amount_kr in amounts_by_year.items():
        _check_whole(year)
        _check_whole(amount_kr)
        if amount_kr < 0:
            raise GrantMoneyError(f"Beløbet for {year} kan ikke være negativt ({_kr(amount_kr)}).")
    plan = [
        PlannedPayment(year=year, due_on=_due_on(year, accepted_on), amount_kr=amount_kr)
        for year, amount_kr in amounts_by_year.items()
        if amount_kr > 0
    ]
    return sorted(plan, key=lambda payment: (payment.due_on, payment.year))


def total_by_year(payments: Iterable[PlannedPayment]) -> dict[int, int]:
    """The payments' amounts added up per year, years ascending (e.g. what is paid, for apply_change)."""
    totals: dict[int, int] = {}
    for payment in payments:
        totals[payment.year] = totals.get(payment.year, 0) + payment.amount_kr
    return dict(sorted(totals.items()))


def money_summary(grants: Iterable[GrantMoney], *, pool_kr: int | None = None) -> MoneySummary:
    """Add up the money of a pool's grants.

    Each grant's amount is split exactly once: a draft's amount is draft_kr (nothing may be paid on
    it); otherwise what is paid is paid_kr, and the unpaid rest is remaining_to_pay_kr (accepted),
    not_yet_accepted_kr (issued) or freed_kr (declined or expired). Money is paid only under an accepted
    letter, so what is paid of a grant now issued again (a changed letter awaiting the answer), declined
    or expired stays accepted and is never freed.

    Invariants, always: granted == accepted + not_yet_accepted; accepted == paid + remaining_to_pay;
    sum of all amounts == draft + granted + freed; 0 <= paid <= amount for every grant. With a pool:
    pool == available + granted, available == unallocated + draft, available >= 0.
    Raises GrantMoneyError on a grant that breaks these rules or on promises beyond the pool.
    """
    draft_kr = accepted_kr = not_yet_accepted_kr = paid_kr = freed_kr = 0
    for grant in grants:
        _check_grant(grant)
        paid_kr += grant.paid_kr
        unpaid_kr = grant.amount_kr - grant.paid_kr
        if grant.status == DRAFT:
            draft_kr += grant.amount_kr
        elif grant.status == ACCEPTED:
            accepted_kr += grant.amount_kr
        elif grant.status == ISSUED:
            accepted_kr += grant.paid_kr
            not_yet_accepted_kr += unpaid_kr
        else:  # declined or expired
            accepted_kr += grant.paid_kr
            freed_kr += unpaid_kr
    granted_kr = accepted_kr + not_yet_accepted_kr
    summary = MoneySummary(
        draft_kr=draft_kr,
        granted_kr=granted_kr,
        accepted_kr=accepted_kr,
        not_yet_accepted_kr=not_yet_accepted_kr,
        paid_kr=paid_kr,
        remaining_to_pay_kr=accepted_kr - paid_kr,
        freed_kr=freed_kr,
    )
    if pool_kr is None:
        return summary
    _check_whole(pool_kr)
    if pool_kr < 0:
        raise GrantMoneyError(f"Puljens beløb kan ikke være negativt ({_kr(pool_kr)}).")
    if granted_kr > pool_kr:
        raise GrantMoneyError(
            f"Tilsagnene er på {_kr(granted_kr)} i alt og overstiger puljen på {_kr(pool_kr)}"
        )
    return replace(
        summary, pool_kr=pool_kr, available_kr=pool_kr - granted_kr, unallocated_kr=pool_kr - granted_kr - draft_kr
    )


def amounts_by_year(split: Split) -> dict[int, int]:
    """A (year, category) split added up per year, years ascending."""
    totals: dict[int, int] = {}
    for (year, _category), amount_kr in sorted(split.items()):
        totals[year] = totals.get(year, 0) + amount_kr
    return totals


def amounts_by_category(split: Split) -> dict[str, int]:
    """A (year, category) split added up per category code, codes ascending."""
    totals: dict[str, int] = {}
    for (_year, category), amount_kr in sorted(split.items(), key=lambda item: (item[0][1], item[0][0])):
        totals[category] = totals.get(category, 0) + amount_kr
    return totals


def line_field(year: int, category: str) -> str:
    """The form field of one line of a change request: 'amount_2018_kompetenceudvikling'."""
    return f"amount_{year}_{category}"


def apply_change(
    current: Split,
    requested: Split,
    *,
    paid_by_year: Mapping[int, int],
    allowed_years: Collection[int],
    allowed_categories: Collection[str],
) -> dict[tuple[int, str], int]:
    """A kommune's change request: the grant's new split over (budget year, category), if it is valid.

    Money may move freely between years and categories, but: every line is whole, non-negative kroner
    in an allowed year (the funding period) and an allowed category; the total stays the grant's
    (the total of `current`); and no year drops below what is already paid for it (payments are per
    year, so within a year the categories may change freely). An unchanged split is valid.
    Returns the new split with its lines of 0 kr. left out, ordered by year, then category. Checks
    lines first (by year, then category), then the total, then the years against what is paid; the
    first broken rule raises GrantMoneyError (a line's error names its `line_field`).
    """
    for key, amount_kr in current.items():
        _check_key(key)
        _check_whole(amount_kr)
    for year, amount_kr in paid_by_year.items():
        _check_whole(year)
        _check_whole(amount_kr)
    years = sorted(allowed_years)
    for (year, category), amount_kr in sorted(requested.items()):
        _check_key((year, category))
        _check_whole(amount_kr)
        field = line_field(year, category)
        if year not in allowed_years:
            raise GrantMoneyError(
                f"{year} ligger uden for tilskudsperioden; pengene kan kun bruges i {_and_list(years)}.",
                field=field,
            )
        if category not in allowed_categories:
            raise GrantMoneyError(f'Budgetkategorien "{category}" findes ikke i puljen.', field=field)
        if amount_kr < 0:
            raise GrantMoneyError(
                f"Beløbet til {category} i {year} kan ikke være negativt ({_kr(amount_kr)}).", field=field
            )
    grant_kr = sum(current.values())
    new_kr = sum(requested.values())
    if new_kr != grant_kr:
        raise GrantMoneyError(
            f"Ændringen skal holde tilskuddet på {_kr(grant_kr)}; den nye fordeling er på {_kr(new_kr)}"
        )
    _check_not_below_paid(amounts_by_year(requested), paid_by_year)
    return {key: amount_kr for key, amount_kr in sorted(requested.items()) if amount_kr > 0}


def replan(
    plan: Iterable[PlannedPayment],
    *,
    paid: Iterable[PlannedPayment],
    new_amounts_by_year: Mapping[int, int],
    today: date,
) -> list[PlannedPayment]:
    """The payment plan after an approved change: paid payments stay as they are, unpaid ones follow.

    `paid` are the payments of `plan` already made. For each year the unpaid rest (new amount less
    what is paid for the year) becomes one unpaid payment, due on the earliest due date of that year's
    unpaid payments in `plan` (a growing year gets the difference on the date it already had), or, if the
    year had none (it was paid in full, or is new), on 1 January of the year or `today` if the year has
    begun. A year with nothing left to pay gets no unpaid payment; a year missing from
    `new_amounts_by_year` is 0 kr.

    Invariants: every paid payment is in the result unchanged; per year the payments add up exactly to
    the new amount, so the result adds up to the new total; at most one unpaid payment per year;
    ordered by due date, then year, paid before unpaid. Raises GrantMoneyError when a paid payment is not
    in `plan`, or a year's new amount is negative or below what is paid for it (apply_change refuses
    such a change first).
    """
    plan = list(plan)
    paid = list(paid)
    for year, amount_kr in new_amounts_by_year.items():
        _check_whole(year)
        _check_whole(amount_kr)
        if amount_kr < 0:
            raise GrantMoneyError(f"Beløbet for {year} kan ikke være negativt ({_kr(amount_kr)}).")
    unpaid = Counter(plan)
    for payment in paid:
        if unpaid[payment] == 0:
            raise GrantMoneyError(
                f"En udbetaling på {_kr(payment.amount_kr)} for {payment.year} findes ikke i udbetalingsplanen."
            )
        unpaid[payment] -= 1
    paid_by_year = total_by_year(paid)
    _check_not_below_paid(new_amounts_by_year, paid_by_year)

    first_unpaid_on: dict[int, date] = {}
    for payment in unpaid.elements():
        first_unpaid_on[payment.year] = min(payment.due_on, first_unpaid_on.get(payment.year, payment.due_on))
    rest = [
        PlannedPayment(
            year=year,
            due_on=first_unpaid_on.get(year) or _due_on(year, today),
            amount_kr=amount_kr - paid_by_year.get(year, 0),
        )
        for year, amount_kr in new_amounts_by_year.items()
        if amount_kr > paid_by_year.get(year, 0)
    ]
    ordered = [(payment, 0) for payment in paid] + [(payment, 1) for payment in rest]
    ordered.sort(key=lambda item: (item[0].due_on, item[0].year, item[1]))
    return [payment for payment, _ in ordered]


def _due_on(year: int, decided_on: date) -> date:
    # A year's money is due when the year starts, but never before the decision that makes it due.
    return max(date(year, 1, 1), decided_on)


def _check_not_below_paid(new_by_year: Mapping[int, int], paid_by_year: Mapping[int, int]) -> None:
    for year in sorted(paid_by_year):
        new_kr = new_by_year.get(year, 0)
        if new_kr < paid_by_year[year]:
            raise GrantMoneyError(
                f"Der er allerede udbetalt {_kr(paid_by_year[year])} for {year}, "
                f"så året kan ikke sættes ned til {_kr(new_kr)}"
            )


def _check_grant(grant: GrantMoney) -> None:
    _check_whole(grant.amount_kr)
    _check_whole(grant.paid_kr)
    if grant.status not in STATUSES:
        raise GrantMoneyError(f'Kommunekode {grant.code}: ukendt status for tilsagnet ("{grant.status}").')
    if grant.amount_kr < 0:
        raise GrantMoneyError(f"Kommunekode {grant.code}: tilsagnet kan ikke være negativt ({_kr(grant.amount_kr)}).")
    if grant.paid_kr < 0:
        raise GrantMoneyError(
            f"Kommunekode {grant.code}: det udbetalte beløb kan ikke være negativt ({_kr(grant.paid_kr)})."
        )
    if grant.paid_kr > grant.amount_kr:
        raise GrantMoneyError(
            f"Kommunekode {grant.code}: der er udbetalt {_kr(grant.paid_kr)}, "
            f"mere end tilsagnet på {_kr(grant.amount_kr)}"
        )
    if grant.status == DRAFT and grant.paid_kr > 0:
        raise GrantMoneyError(
            f"Kommunekode {grant.code}: der er udbetalt {_kr(grant.paid_kr)} på et tilsagn, "
            "der endnu ikke er udstedt."
        )


def _check_key(key: tuple[int, str]) -> None:
    year, category = key
    _check_whole(year)
    if not isinstance(category, str):
        raise TypeError(f"budget category codes are str, got {category!r}")


def _check_whole(value: int) -> None:
    # A float (or a bool) here would quietly break the exact sums; that is a programming error.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"whole numbers (int) only, got {value!r}")


def _and_list(items: list) -> str:
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words) or "ingen år"
    return ", ".join(words[:-1]) + " og " + words[-1]


def _kr(amount: int) -> str:
    # Pure modules import the standard library only, so this one keeps its own copy of the Danish format.
    # It ends in a full stop, so a sentence that ends in an amount gets no second one.
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + " kr."
