"""The checks a report's figures must pass, the warnings for odd ones, and the final account's settlement; pure."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from portal.reports.template import FIGURE_BY_KEY, FIGURES

NO_CONVERSATIONS = "Ingen første samtaler i kvartalet. Er det rigtigt? I så fald kan I sende rapporten alligevel."


@dataclass
class Findings:
    """Errors block submission; warnings are shown at the field and do not."""
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, message)

    def warn(self, key: str, message: str) -> None:
        if key not in self.errors:
            self.warnings.setdefault(key, message)


def check_figures(figures: Mapping[str, int | None], spending: Mapping[str, int | None], *,
                  complete: bool, expected_per_quarter: int | None = None) -> Findings:
    """Check a quarter's counts and spending.

    Errors: a count below 0, a part larger than its whole, spending below 0, and, when `complete`
    (the report is being submitted), a count or spending left empty. Warnings: no new recipients or no
    conversations in the quarter, more persons with an early measure than new recipients, and more than
    twice the new recipients the kommune expected per quarter in its application.
    """
    found = Findings()
    for figure in FIGURES:
        value = figures.get(figure.key)
        if value is None:
            if complete:
                found.error(figure.key, "Skriv antallet. Skriv 0, hvis der ingen var.")
        elif value < 0:
            found.error(figure.key, "Antallet kan ikke være negativt.")
    for figure in FIGURES:
        # A negative whole has its own error; its parts are not measured against it.
        value, whole = figures.get(figure.key), figures.get(figure.part_of) if figure.part_of else None
        if figure.part_of and value is not None and whole is not None and value > whole >= 0:
            found.error(figure.key, f"Kan ikke være flere end {FIGURE_BY_KEY[figure.part_of].label.lower()} "
                                    f"({whole}).")
    for code, amount in spending.items():
        if amount is None:
            if complete:
                found.error(f"spending_{code}", "Skriv forbruget. Skriv 0, hvis I intet har brugt.")
        elif amount < 0:
            found.error(f"spending_{code}", "Forbruget kan ikke være negativt. Træk en tilbagebetaling fra i "
                                            "et senere kvartal og forklar den.")
    new, held, early = (figures.get(key) for key in ("new_recipients", "conversations_held",
                                                     "measure_before_week_13"))
    if new == 0:
        found.warn("new_recipients", "Ingen nye sygedagpengemodtagere i kvartalet. Er det rigtigt?")
    if held == 0:
        found.warn("conversations_held", NO_CONVERSATIONS)
    if new is not None and early is not None and early > new >= 0:
        found.warn("measure_before_week_13", f"Flere end kvartalets nye sygedagpengemodtagere ({new}). "
                                             "Tjek, at I kun tæller personer fra kvartalet.")
    if new is not None and expected_per_quarter and new > 2 * expected_per_quarter:
        found.warn("new_recipients", f"Mere end dobbelt så mange som forventet i ansøgningen "
                                     f"({expected_per_quarter} pr. kvartal). Tjek tallet.")
    return found


@dataclass(frozen=True)
class AccountLine:
    """One (year, budget category) of the final account: granted, spent, and what the grant covers of it."""
    year: int
    category: str
    granted_kr: int
    spent_kr: int

    @property
    def covered_kr(self) -> int:
        return min(self.granted_kr, self.spent_kr)

    @property
    def difference_kr(self) -> int:
        """Spent minus granted: negative is unspent money, positive is spending the grant does not cover."""
        return self.spent_kr - self.granted_kr


@dataclass(frozen=True)
class Settlement:
    lines: tuple[AccountLine, ...]
    paid_kr: int

    @property
    def granted_kr(self) -> int:
        return sum(line.granted_kr for line in self.lines)

    @property
    def spent_kr(self) -> int:
        return sum(line.spent_kr for line in self.lines)

    @property
    def covered_kr(self) -> int:
        return sum(line.covered_kr for line in self.lines)

    @property
    def repay_kr(self) -> int:
        """What the kommune must pay back: paid out beyond the spending the grant covers."""
        return max(0, self.paid_kr - self.covered_kr)

    @property
    def still_to_pay_kr(self) -> int:
        """What the agency still owes: covered spending not yet paid out."""
        return max(0, self.covered_kr - self.paid_kr)


def settle_account(granted: Mapping[tuple[int, str], int], spent: Mapping[tuple[int, str], int], *,
                   paid_kr: int) -> Settlement:
    """Compare the final account with the grant, line by line over (year, budget category).

    The grant covers each line's spending up to the amount granted on that line; money moved between
    lines needs an approved change request first, so spending beyond a line is not covered by the rest.
    Lines are in (year, category) order and include every line granted or spent on.
    """
    if paid_kr < 0 or any(amount < 0 for amount in (*granted.values(), *spent.values())):
        raise ValueError("amounts are never negative")
    keys = sorted(set(granted) | set(spent))
    return Settlement(tuple(AccountLine(year, category, granted.get((year, category), 0),
                                        spent.get((year, category), 0)) for year, category in keys), paid_kr)
