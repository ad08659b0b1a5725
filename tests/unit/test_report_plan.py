"""The reporting plan a grant owes over its funding period; pure."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.reports.plan import reporting_plan
from portal.reports.states import ReportKind, ReportStatus, target_of


def _rows(plan):
    return [(report.title, report.period_from_on, report.period_to_on, report.due_on) for report in plan]


def test_the_real_funding_period_owes_five_quarterly_reports_a_midterm_status_and_a_final_report():
    assert _rows(reporting_plan(date(2017, 10, 1), date(2018, 12, 31))) == [
        ("Aktivitetsrapport for 4. kvartal 2017", date(2017, 10, 1), date(2017, 12, 31), date(2018, 1, 31)),
        ("Aktivitetsrapport for 1. kvartal 2018", date(2018, 1, 1), date(2018, 3, 31), date(2018, 4, 30)),
        ("Aktivitetsrapport for 2. kvartal 2018", date(2018, 4, 1), date(2018, 6, 30), date(2018, 7, 31)),
        ("Midtvejsstatus", date(2017, 10, 1), date(2018, 6, 30), date(2018, 7, 31)),
        ("Aktivitetsrapport for 3. kvartal 2018", date(2018, 7, 1), date(2018, 9, 30), date(2018, 10, 31)),
        ("Aktivitetsrapport for 4. kvartal 2018", date(2018, 10, 1), date(2018, 12, 31), date(2019, 1, 31)),
        ("Slutrapport med regnskab", date(2017, 10, 1), date(2018, 12, 31), date(2019, 3, 31)),
    ]


def test_a_period_inside_quarters_cuts_the_first_and_last_quarter_but_keeps_their_due_dates():
    assert _rows(reporting_plan(date(2017, 11, 15), date(2018, 2, 10))) == [
        ("Aktivitetsrapport for 4. kvartal 2017", date(2017, 11, 15), date(2017, 12, 31), date(2018, 1, 31)),
        ("Midtvejsstatus", date(2017, 11, 15), date(2017, 12, 31), date(2018, 1, 31)),
        ("Aktivitetsrapport for 1. kvartal 2018", date(2018, 1, 1), date(2018, 2, 10), date(2018, 4, 30)),
        ("Slutrapport med regnskab", date(2017, 11, 15), date(2018, 2, 10), date(2018, 5, 31)),
    ]


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        reporting_plan(date(2018, 1, 1), date(2017, 12, 31))


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.integers(0, 2000))
def test_the_quarters_tile_the_period_and_everything_falls_due_after_what_it_covers(start, days):
    end = date.fromordinal(start.toordinal() + days)

    plan = reporting_plan(start, end)

    quarters = [report for report in plan if report.kind is ReportKind.QUARTERLY]
    assert len(quarters) == (end.year - start.year) * 4 + (end.month - 1) // 3 - (start.month - 1) // 3 + 1
    assert quarters[0].period_from_on == start and quarters[-1].period_to_on == end
    assert all(a.period_to_on.toordinal() + 1 == b.period_from_on.toordinal() for a, b in zip(quarters, quarters[1:]))
    assert [report.kind for report in plan].count(ReportKind.MIDTERM) == 1
    assert plan[-1].kind is ReportKind.FINAL
    assert [report.due_on for report in plan] == sorted(report.due_on for report in plan)
    assert all(report.due_on > report.period_to_on for report in plan)


@pytest.mark.parametrize(("action", "status", "expected"), [
    ("submit", ReportStatus.DRAFT, ReportStatus.SUBMITTED),
    ("submit", ReportStatus.RETURNED, ReportStatus.SUBMITTED),
    ("submit", ReportStatus.SUBMITTED, None),
    ("submit", ReportStatus.WAIVED, None),
    ("send_back", ReportStatus.SUBMITTED, ReportStatus.RETURNED),
    ("send_back", ReportStatus.APPROVED, ReportStatus.RETURNED),
    ("send_back", ReportStatus.DRAFT, None),
    ("approve", ReportStatus.SUBMITTED, ReportStatus.APPROVED),
    ("approve", ReportStatus.RETURNED, None),
    ("waive", ReportStatus.DRAFT, ReportStatus.WAIVED),
    ("waive", ReportStatus.SUBMITTED, None),
    ("reinstate", ReportStatus.WAIVED, ReportStatus.DRAFT),
])
def test_report_transitions(action, status, expected):
    assert target_of(action, status) is expected


def test_only_submitted_and_approved_reports_count_and_only_drafts_and_returned_ones_are_owed():
    assert [status for status in ReportStatus if status.counts] == [ReportStatus.SUBMITTED, ReportStatus.APPROVED]
    assert [status for status in ReportStatus if status.is_open] == [ReportStatus.DRAFT, ReportStatus.RETURNED]
