"""The reports a grant's conditions list, with their due dates, from the funding period; pure."""
from __future__ import annotations

from datetime import date, timedelta


def _month_end(year: int, month: int) -> date:
    """The last day of the month, counting months past December into the next years."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def _quarter_end(day: date) -> date:
    return _month_end(day.year, (day.month - 1) // 3 * 3 + 3)


def report_due_dates(funds_from_on: date, funds_to_on: date) -> list[tuple[str, date]]:
    """An activity report for every quarter of the funding period, due at the end of the month after the
    quarter, and the final report with the account, due at the end of the third month after the period.

    1 Oct 2017 – 31 Dec 2018 gives five quarterly reports (31 Jan 2018 … 31 Jan 2019) and the final
    report on 31 March 2019.
    """
    if funds_to_on < funds_from_on:
        raise ValueError("the funding period ends before it starts")
    found = []
    day = funds_from_on
    while day <= funds_to_on:
        end = _quarter_end(day)
        found.append((f"Aktivitetsrapport for {(end.month - 1) // 3 + 1}. kvartal {end.year}",
                      _month_end(end.year, end.month + 1)))
        day = end + timedelta(days=1)
    found.append(("Slutrapport med regnskab", _month_end(funds_to_on.year, funds_to_on.month + 3)))
    return found
