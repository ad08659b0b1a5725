"""The pool's allocation: proportional to volume, capped per kommune, exact to the krone; pure."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import floor

LIMITED_BY_POOL = "pulje"
LIMITED_BY_BUDGET = "budget"


class AllocationError(ValueError):
    """The input cannot be allocated; the message is Danish, `code` names the kommune at fault, if one is."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Claim:
    """One selected kommune: its code (the tie-breaker), its volume (sickness-benefit recipients in
    categories 2 + 3) and its own budget total (`None`: no limit of its own)."""

    code: int
    volume: int
    requested_kr: int | None = None


@dataclass(frozen=True)
class Grant:
    """A kommune's share of the pool. `exact_kr` is the share before rounding; `amount_kr` is whole
    kroner and differs from it by less than 1 kr. `limited_by` says which limit a capped grant met."""

    code: int
    volume: int
    cap_kr: int
    share: Fraction
    exact_kr: Fraction
    amount_kr: int
    capped: bool
    limited_by: str | None


@dataclass(frozen=True)
class AllocationResult:
    """The grants in input order; they add up exactly to `allocated_kr`. Money stays unallocated only
    when every kommune with a volume has reached its cap."""

    grants: tuple[Grant, ...]
    pool_kr: int
    allocated_kr: int
    unallocated_kr: int
    rounds: int


def allocate(*, pool_kr: int, max_grant_kr: int, claims: Sequence[Claim]) -> AllocationResult:
    """Share `pool_kr` among `claims` in proportion to volume, no kommune above its cap.

    A kommune's cap is `max_grant_kr`, or its own requested total if that is lower. What a capped
    kommune cannot take goes to the others in the same proportion, round after round, until the money
    is spent or every kommune is at its cap (water-filling). The arithmetic is exact (fractions); the
    grants are then rounded to whole kroner by largest remainders, ties to the lower kommunekode.

    Invariants: sum of grants == allocated_kr == min(pool_kr, sum of the caps of kommuner with a
    volume); 0 <= grant <= cap; a kommune with volume 0 gets 0; an uncapped kommune gets within 1 kr.
    of (money left after the capped ones) * volume / (volume of the uncapped); the order of the claims
    does not change any amount. Raising one kommune's volume never lowers its amount, not even by
    1 kr.; raising the pool can lower a grant by 1 kr. (the 'Alabama paradox' of largest remainders).
    Raises AllocationError on bad input.
    """
    _check_input(pool_kr=pool_kr, max_grant_kr=max_grant_kr, claims=claims)
    total_volume = sum(claim.volume for claim in claims)
    caps = {claim.code: _cap_kr(claim, max_grant_kr) for claim in claims}

    # Water-filling: each round shares what the capped ones leave among the rest; whoever would get
    # at least its cap is capped. The level (kroner per unit of volume) only rises, so no one capped
    # in an earlier round would fall below its cap later.
    open_claims = [claim for claim in claims if claim.volume > 0]
    exact: dict[int, Fraction] = {claim.code: Fraction(0) for claim in claims}
    capped: set[int] = set()
    left_kr = pool_kr  # stays whole: the pool less the whole-krone caps met so far
    rounds = 0
    while open_claims:
        rounds += 1
        open_volume = sum(claim.volume for claim in open_claims)
        # left_kr * volume / open_volume >= cap, in whole numbers.
        reaching_cap = [
            claim for claim in open_claims if left_kr * claim.volume >= caps[claim.code] * open_volume
        ]
        if not reaching_cap:
            for claim in open_claims:
                exact[claim.code] = Fraction(left_kr * claim.volume, open_volume)
            break
        for claim in reaching_cap:
            exact[claim.code] = Fraction(caps[claim.code])
            capped.add(claim.code)
            left_kr -= caps[claim.code]
        open_claims = [claim for claim in open_claims if claim.code not in capped]

    allocated_kr = int(sum(exact.values()))
    amounts = _largest_remainders(exact, allocated_kr, tie_key=lambda code: code)
    grants = tuple(
        Grant(
            code=claim.code,
            volume=claim.volume,
            cap_kr=caps[claim.code],
            share=Fraction(claim.volume, total_volume),
            exact_kr=exact[claim.code],
            amount_kr=amounts[claim.code],
            capped=claim.code in capped,
            limited_by=_limited_by(claim, max_grant_kr) if claim.code in capped else None,
        )
        for claim in claims
    )
    return AllocationResult(
        grants=grants,
        pool_kr=pool_kr,
        allocated_kr=allocated_kr,
        unallocated_kr=pool_kr - allocated_kr,
        rounds=rounds,
    )


def split_over_years(amount_kr: int, budget_by_year: Mapping[int, int]) -> dict[int, int]:
    """A grant split over budget years in proportion to the kommune's own budget per year.

    Whole kroner by largest remainders, ties to the earlier year; the parts add up exactly to
    `amount_kr`, a year without budget gets 0, and every part is within 1 kr. of its exact share.
    Returns the years in ascending order. Raises AllocationError when there is no budget to follow.
    """
    _check_whole_kroner(amount_kr)
    if amount_kr < 0:
        raise AllocationError(f"Tilskuddet kan ikke være negativt ({_kr(amount_kr)}).")
    for year, budget_kr in budget_by_year.items():
        _check_whole_kroner(budget_kr)
        if budget_kr < 0:
            raise AllocationError(f"Budgettet for {year} kan ikke være negativt ({_kr(budget_kr)}).")
    total_kr = sum(budget_by_year.values())
    if total_kr == 0:
        raise AllocationError("Budgettet er 0 kr. i alle år, så tilskuddet kan ikke fordeles på år.")
    exact = {year: Fraction(amount_kr * budget_by_year[year], total_kr) for year in sorted(budget_by_year)}
    return _largest_remainders(exact, amount_kr, tie_key=lambda year: year)


def _check_input(*, pool_kr: int, max_grant_kr: int, claims: Sequence[Claim]) -> None:
    _check_whole_kroner(pool_kr)
    _check_whole_kroner(max_grant_kr)
    if pool_kr <= 0:
        raise AllocationError(f"Puljens beløb skal være større end 0 kr. (er {_kr(pool_kr)}).")
    if max_grant_kr <= 0:
        raise AllocationError(f"Det højeste tilskud skal være større end 0 kr. (er {_kr(max_grant_kr)}).")
    if not claims:
        raise AllocationError("Der er ingen kommuner at fordele puljen imellem.")
    seen: set[int] = set()
    for claim in claims:
        _check_whole_kroner(claim.volume)
        if claim.requested_kr is not None:
            _check_whole_kroner(claim.requested_kr)
        if claim.code in seen:
            raise AllocationError(f"Kommunekode {claim.code} optræder mere end én gang.", code=claim.code)
        seen.add(claim.code)
        if claim.volume < 0:
            raise AllocationError(
                f"Kommunekode {claim.code}: antallet af sager i kategori 2 og 3 kan ikke være negativt "
                f"({claim.volume}).",
                code=claim.code,
            )
        if claim.requested_kr is not None and claim.requested_kr < 0:
            raise AllocationError(
                f"Kommunekode {claim.code}: det ansøgte beløb kan ikke være negativt ({_kr(claim.requested_kr)}).",
                code=claim.code,
            )
    if all(claim.volume == 0 for claim in claims):
        raise AllocationError(
            "Ingen af kommunerne har sager i kategori 2 og 3, så der er intet at fordele puljen efter."
        )


def _check_whole_kroner(value: int) -> None:
    # A float (or a bool) here would quietly break the exact arithmetic; that is a programming error.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"whole numbers (int) only, got {value!r}")


def _cap_kr(claim: Claim, max_grant_kr: int) -> int:
    if claim.requested_kr is None:
        return max_grant_kr
    return min(max_grant_kr, claim.requested_kr)


def _limited_by(claim: Claim, max_grant_kr: int) -> str:
    if claim.requested_kr is not None and claim.requested_kr < max_grant_kr:
        return LIMITED_BY_BUDGET
    return LIMITED_BY_POOL


def _largest_remainders(exact: Mapping, total: int, *, tie_key) -> dict:
    """Round exact non-negative parts that add up to the whole number `total` to whole numbers that
    add up to it too: everyone gets the floor, the largest remainders one more (ties by `tie_key`).
    Only parts with a remainder get one more, so no part moves 1 or more from its exact value."""
    rounded = {key: floor(value) for key, value in exact.items()}
    missing = total - sum(rounded.values())
    by_remainder = sorted(exact, key=lambda key: (-(exact[key] - rounded[key]), tie_key(key)))
    for key in by_remainder[:missing]:
        rounded[key] += 1
    return rounded


def _kr(amount: int) -> str:
    # The engine imports the standard library only, so it keeps its own copy of the Danish format.
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + " kr."
