"""The reports a grant owes over its funding period, with their periods and due dates; pure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from portal.reports.states import ReportKind


@dataclass(frozen=True)
class PlannedReport:
    kind: ReportKind
    period_from_on: date
    period_to_on: date
    due_on: date

    @property
    def title(self) -> str:
        return report_title(self.kind, self.period_to_on)


def report_title(kind: ReportKind, period_to_on: date) -> str:
    """'Aktivitetsrapport for 4. kvartal 2017', 'Midtvejsstatus', 'Slutrapport med regnskab'."""
    if kind is ReportKind.QUARTERLY:
        return f"Aktivitetsrapport for {quarter_of(period_to_on)}. kvartal {period_to_on.year}"
    return kind.label


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def month_end(year: int, month: int) -> date:
    """The last day of the month, counting months past December into the next years."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def _quarter_end(day: date) -> date:
    return month_end(day.year, quarter_of(day) * 3)


def reporting_plan(funds_from_on: date, funds_to_on: date) -> list[PlannedReport]:
    """What a grant owes, in the order it falls due.

    - an activity report for every quarter of the funding period (the first and last cut to the period),
      due at the end of the month after the quarter;
    - a mid-term status covering the first half of the quarters (rounded up), due with the report of the
      last of them;
    - the final report with the account, due at the end of the third month after the period.

    1 Oct 2017 – 31 Dec 2018 gives five quarterly reports (31 Jan 2018 … 31 Jan 2019), the mid-term status
    for 1 Oct 2017 – 30 Jun 2018 on 31 July 2018, and the final report on 31 March 2019.
    """
    if funds_to_on < funds_from_on:
        raise ValueError("the funding period ends before it starts")
    quarters = []
    day = funds_from_on
    while day <= funds_to_on:
        quarter_end = _quarter_end(day)
        due_on = month_end(quarter_end.year, quarter_end.month + 1)
        quarters.append(PlannedReport(ReportKind.QUARTERLY, day, min(quarter_end, funds_to_on), due_on))
        day = quarter_end + timedelta(days=1)
    middle = quarters[(len(quarters) + 1) // 2 - 1]
    midterm = PlannedReport(ReportKind.MIDTERM, funds_from_on, middle.period_to_on, middle.due_on)
    final = PlannedReport(ReportKind.FINAL, funds_from_on, funds_to_on,
                          month_end(funds_to_on.year, funds_to_on.month + 3))
    order = {ReportKind.QUARTERLY: 0, ReportKind.MIDTERM: 1, ReportKind.FINAL: 2}
    return sorted([*quarters, midterm, final], key=lambda report: (report.due_on, order[report.kind]))
