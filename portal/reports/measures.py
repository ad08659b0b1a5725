"""The success criteria measured from the kommuner's quarterly figures, per kommune and for the pool; pure.

Every share is kept as an exact `Ratio` of two counts, so sums over quarters and kommuner are sums of
counts (never averages of percentages), and a share whose whole is 0 has no value ("Ingen data") rather
than 0 %. The goals are the pool's: 70 % of first conversations at the workplace, and the share with a
workplace-oriented measure before week 13 up by 10 percentage points on the kommune's own baseline.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

WORKPLACE_GOAL = Fraction(70, 100)
EARLY_MEASURE_GOAL_POINTS = Fraction(10)
NO_DATA = "Ingen data"

COUNTS = ("new_recipients", "conversations_held", "planned_at_workplace", "held_at_workplace", "with_employer",
          "held_before_week_8", "measure_before_week_13", "cases_ended", "in_work_or_education",
          "phone_follow_ups", "spent_kr")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.number}. kvt. {self.year}"


@dataclass(frozen=True)
class QuarterFigures:
    """One kommune's submitted counts for one quarter, and what it spent in it."""
    quarter: Quarter
    new_recipients: int = 0
    conversations_held: int = 0
    planned_at_workplace: int = 0
    held_at_workplace: int = 0
    with_employer: int = 0
    held_before_week_8: int = 0
    measure_before_week_13: int = 0
    cases_ended: int = 0
    in_work_or_education: int = 0
    phone_follow_ups: int = 0
    spent_kr: int = 0


@dataclass(frozen=True)
class KommuneFigures:
    """A participating kommune: its baseline (‰ with an early measure before the project), grant, quarters."""
    code: int
    name: str
    baseline_permille: int | None
    grant_kr: int
    quarters: tuple[QuarterFigures, ...]


@dataclass(frozen=True)
class Ratio:
    part: int
    whole: int

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.part, self.whole) if self.whole > 0 else None


@dataclass(frozen=True)
class Measures:
    """The success criteria over one span of quarters (one quarter, or all up to one)."""
    workplace: Ratio            # first conversations held at the workplace / held
    employer: Ratio             # with the employer taking part / held
    before_week_8: Ratio        # held before the end of absence week 8 / held
    early_measure: Ratio        # a workplace-oriented measure before week 13 / new recipients
    baseline: Fraction | None   # the early-measure share before the project
    work_or_education: Ratio    # in work or education a month after / cases ended
    spending: Ratio             # spent / grant
    totals: QuarterFigures

    @property
    def early_measure_change(self) -> Fraction | None:
        """Percentage points above (or below) the baseline; None without data or without a baseline."""
        share = self.early_measure.value
        return None if share is None or self.baseline is None else (share - self.baseline) * 100

    @property
    def problems(self) -> list[str]:
        """In Danish, each success criterion the figures fall short of; nothing for a criterion without data."""
        found = []
        workplace = self.workplace.value
        if workplace is not None and workplace < WORKPLACE_GOAL:
            found.append(f"{format_ratio(self.workplace)} af de første samtaler på arbejdspladsen (mål 70 %)")
        change = self.early_measure_change
        if change is not None and change < EARLY_MEASURE_GOAL_POINTS:
            found.append(f"virksomhedsrettet indsats inden uge 13 {format_points(change)} i forhold til "
                         f"udgangspunktet (mål +10 procentpoint)")
        return found


@dataclass(frozen=True)
class Row:
    """One quarter's measures and the cumulative measures through it."""
    quarter: Quarter
    in_quarter: Measures
    cumulative: Measures


@dataclass(frozen=True)
class Timeline:
    name: str
    rows: tuple[Row, ...]
    total: Measures

    @property
    def off_track(self) -> list[str]:
        return self.total.problems


def off_track_reasons(timeline: Timeline, *, late_reports: int) -> list[str]:
    """Why a kommune is not on track, in Danish: the criteria it falls short of so far, and its late reports."""
    late = ([f"{late_reports} {'rapport' if late_reports == 1 else 'rapporter'} over fristen"]
            if late_reports else [])
    return [*timeline.off_track, *late]


def _sum(quarters: Iterable[QuarterFigures], quarter: Quarter) -> QuarterFigures:
    quarters = list(quarters)
    return QuarterFigures(quarter, **{name: sum(getattr(item, name) for item in quarters) for name in COUNTS})


def measures_of(totals: QuarterFigures, *, grant_kr: int, baseline: Fraction | None) -> Measures:
    return Measures(
        workplace=Ratio(totals.held_at_workplace, totals.conversations_held),
        employer=Ratio(totals.with_employer, totals.conversations_held),
        before_week_8=Ratio(totals.held_before_week_8, totals.conversations_held),
        early_measure=Ratio(totals.measure_before_week_13, totals.new_recipients),
        baseline=baseline,
        work_or_education=Ratio(totals.in_work_or_education, totals.cases_ended),
        spending=Ratio(totals.spent_kr, grant_kr),
        totals=totals)


def _baseline(kommuner: Sequence[KommuneFigures], *,
              included: Callable[[Quarter], bool] = lambda quarter: True) -> Fraction | None:
    """The baselines of several kommuner, weighted by their new recipients, as the early-measure share is.

    The weights are the new recipients of the quarters `included`, the same quarters as the share it is
    compared with, so a quarter's row does not change when a kommune reports a later quarter. Kommuner
    without a baseline are left out; with no new recipients the weights are equal.
    """
    known = [kommune for kommune in kommuner if kommune.baseline_permille is not None]
    if not known:
        return None
    weights = [sum(item.new_recipients for item in kommune.quarters if included(item.quarter)) for kommune in known]
    if sum(weights) == 0:
        weights = [1] * len(known)
    return sum((Fraction(kommune.baseline_permille, 1000) * weight for kommune, weight in zip(known, weights)),
               Fraction(0)) / sum(weights)


def timeline_of(kommuner: Sequence[KommuneFigures], *, name: str) -> Timeline:
    """The measures of one kommune, or of several taken together (the pool, or all but one), per quarter
    and cumulatively, over every quarter any of them has reported.

    Taken together, counts and grants are summed and the baseline is weighted by new recipients.
    """
    grant_kr, baseline = sum(kommune.grant_kr for kommune in kommuner), _baseline(kommuner)
    figures = [quarter for kommune in kommuner for quarter in kommune.quarters]
    quarters = sorted({item.quarter for item in figures})
    rows = []
    for quarter in quarters:
        in_quarter = _sum((item for item in figures if item.quarter == quarter), quarter)
        so_far = _sum((item for item in figures if item.quarter <= quarter), quarter)
        rows.append(Row(quarter, measures_of(in_quarter, grant_kr=grant_kr,
                                             baseline=_baseline(kommuner, included=lambda other: other == quarter)),
                        measures_of(so_far, grant_kr=grant_kr,
                                    baseline=_baseline(kommuner, included=lambda other: other <= quarter))))
    total = measures_of(_sum(figures, quarters[-1] if quarters else Quarter(0, 0)), grant_kr=grant_kr,
                        baseline=baseline)
    return Timeline(name, tuple(rows), total)


def kommune_timeline(kommune: KommuneFigures) -> Timeline:
    return timeline_of([kommune], name=kommune.name)


def pool_timeline(kommuner: Sequence[KommuneFigures]) -> Timeline:
    return timeline_of(kommuner, name="Hele puljen")


def others_timeline(kommuner: Sequence[KommuneFigures], code: int) -> Timeline:
    """Every kommune but one taken together: what that one is compared with."""
    return timeline_of([kommune for kommune in kommuner if kommune.code != code], name="De øvrige kommuner")


def format_ratio(ratio: Ratio) -> str:
    """'72,5 %' to one decimal, half up; 'Ingen data' when the whole is 0."""
    value = ratio.value
    return NO_DATA if value is None else format_percent(value)


def format_percent(share: Fraction) -> str:
    tenths = _round_half_up(share * 1000)
    return f"{'-' if tenths < 0 else ''}{abs(tenths) // 10},{abs(tenths) % 10} %"


def format_points(points: Fraction | None) -> str:
    """'+12,3 procentpoint', '-2,0 procentpoint', 'Ingen data'."""
    if points is None:
        return NO_DATA
    tenths = _round_half_up(points * 10)
    return f"{'+' if tenths >= 0 else '-'}{abs(tenths) // 10},{abs(tenths) % 10} procentpoint"


def _round_half_up(value: Fraction) -> int:
    """Half away from zero, so -0,05 shows as -0,1 as 0,05 shows as 0,1."""
    magnitude = (abs(value) * 2 + 1) // 2
    return int(magnitude if value >= 0 else -magnitude)
