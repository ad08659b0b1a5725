"""The spread of a selection at a glance: counts per AMK, region and size class, and the rules it breaks."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portal.kommuner.enums import AMK, Region, SizeClass
from portal.review.suggest import SIZE_WORDS, SelectionRules


@dataclass(frozen=True)
class SpreadCandidate:
    """One applying kommune; `volume` is its number of sickness-benefit recipients in categories 2 and 3."""

    code: int
    name: str
    region: Region
    amk: AMK
    size_class: SizeClass
    volume: int


@dataclass(frozen=True)
class Spread:
    """Counts of the selected kommuner with every enum member present (0 included) in enum order.

    `warnings` are the pool's rules the selection breaks (count, AMK and size-class minimums);
    `notes` are worth knowing but break no rule: a region, or an AMK or size class without a
    minimum, with no kommune selected. Notes are left out while nothing is selected.
    """

    selected_count: int
    selected_volume: int
    total_volume: int
    per_amk: dict[AMK, int]
    per_region: dict[Region, int]
    per_size: dict[SizeClass, int]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def keeps_rules(self) -> bool:
        return not self.warnings


def selection_spread(
    candidates: Iterable[SpreadCandidate], selected: Iterable[int], rules: SelectionRules
) -> Spread:
    """How the selected codes spread over the country and the size classes, checked against `rules`.

    Pure; `rules.min_score` is not checked here (the spread knows no scores). Raises ValueError on
    duplicate candidate codes or a selected code that is not a candidate.
    """
    candidates = list(candidates)
    by_code = {c.code: c for c in candidates}
    if len(by_code) != len(candidates):
        raise ValueError("candidate codes must be unique")
    chosen_codes = set(selected)
    if unknown := chosen_codes - by_code.keys():
        raise ValueError(f"selected codes are not candidates: {sorted(unknown)}")
    chosen = [by_code[code] for code in sorted(chosen_codes)]

    per_amk = {amk: sum(c.amk is amk for c in chosen) for amk in AMK}
    per_region = {region: sum(c.region is region for c in chosen) for region in Region}
    per_size = {size: sum(c.size_class is size for c in chosen) for size in SizeClass}
    return Spread(
        selected_count=len(chosen),
        selected_volume=sum(c.volume for c in chosen),
        total_volume=sum(c.volume for c in candidates),
        per_amk=per_amk,
        per_region=per_region,
        per_size=per_size,
        warnings=tuple(_warnings(len(chosen), per_amk, per_size, rules)),
        notes=tuple(_notes(per_amk, per_region, per_size, rules)) if chosen else (),
    )


def _warnings(count: int, per_amk, per_size, rules: SelectionRules) -> list[str]:
    warnings = []
    if count < rules.min_count:
        chosen = "Der er ikke valgt nogen kommuner." if count == 0 else f"Der er valgt {_kommuner(count)}."
        warnings.append(f"{chosen} Puljen skal have mindst {rules.min_count}.")
    elif count > rules.max_count:
        warnings.append(f"Der er valgt {_kommuner(count)}. Puljen må højst have {rules.max_count}.")
    for amk in AMK:
        warnings += _shortfall(per_amk[amk], rules.min_per_amk[amk],
                               none=f"Ingen kommune fra {amk.label} er valgt.",
                               some=f"Der er valgt {_kommuner(per_amk[amk])} fra {amk.label}.")
    for size in SizeClass:
        one, many = SIZE_WORDS[size]
        have = per_size[size]
        some = f"1 {one} kommune" if have == 1 else f"{have} {many} kommuner"
        warnings += _shortfall(have, rules.min_per_size[size],
                               none=f"Ingen {one} kommune er valgt.", some=f"Der er valgt {some}.")
    return warnings


def _shortfall(have: int, needed: int, *, none: str, some: str) -> list[str]:
    if have >= needed:
        return []
    if have == 0 and needed == 1:
        return [none]
    return [f"{none if have == 0 else some} Puljen skal have mindst {needed}."]


def _notes(per_amk, per_region, per_size, rules: SelectionRules) -> list[str]:
    notes = [f"Ingen kommune fra {amk.label} er valgt. Det er ikke et krav."
             for amk in AMK if per_amk[amk] == 0 and rules.min_per_amk[amk] == 0]
    notes += [f"Ingen {SIZE_WORDS[size][0]} kommune er valgt. Det er ikke et krav."
              for size in SizeClass if per_size[size] == 0 and rules.min_per_size[size] == 0]
    notes += [f"Ingen kommune fra {region.label} er valgt."
              for region in Region if per_region[region] == 0]
    return notes


def _kommuner(n: int) -> str:
    return "1 kommune" if n == 1 else f"{n} kommuner"
