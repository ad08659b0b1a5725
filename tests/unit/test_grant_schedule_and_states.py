"""The grant's report schedule and the transitions of a grant; pure."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.grants.schedule import report_due_dates
from portal.grants.states import GrantStatus, target_of


def test_report_due_dates_for_the_real_funding_period():
    assert report_due_dates(date(2017, 10, 1), date(2018, 12, 31)) == [
        ("Aktivitetsrapport for 4. kvartal 2017", date(2018, 1, 31)),
        ("Aktivitetsrapport for 1. kvartal 2018", date(2018, 4, 30)),
        ("Aktivitetsrapport for 2. kvartal 2018", date(2018, 7, 31)),
        ("Aktivitetsrapport for 3. kvartal 2018", date(2018, 10, 31)),
        ("Aktivitetsrapport for 4. kvartal 2018", date(2019, 1, 31)),
        ("Slutrapport med regnskab", date(2019, 3, 31)),
    ]


def test_report_due_dates_for_a_period_inside_quarters():
    assert report_due_dates(date(2017, 11, 15), date(2018, 2, 10)) == [
        ("Aktivitetsrapport for 4. kvartal 2017", date(2018, 1, 31)),
        ("Aktivitetsrapport for 1. kvartal 2018", date(2018, 4, 30)),
        ("Slutrapport med regnskab", date(2018, 5, 31)),
    ]


def test_report_due_dates_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(ValueError):
        report_due_dates(date(2018, 1, 1), date(2017, 12, 31))


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.integers(0, 2000))
def test_report_due_dates_one_per_quarter_each_after_its_quarter_and_in_order(start, days):
    end = date.fromordinal(start.toordinal() + days)

    reports = report_due_dates(start, end)

    quarters = (end.year - start.year) * 4 + (end.month - 1) // 3 - (start.month - 1) // 3 + 1
    assert len(reports) == quarters + 1
    due = [due_on for _, due_on in reports]
    assert due == sorted(due) and due[0] > start and due[-1] > end


@pytest.mark.parametrize(("action", "status", "expected"), [
    ("issue", GrantStatus.DRAFT, GrantStatus.ISSUED),
    ("issue", GrantStatus.ACCEPTED, GrantStatus.ISSUED),
    ("issue", GrantStatus.DECLINED, None),
    ("accept", GrantStatus.ISSUED, GrantStatus.ACCEPTED),
    ("accept", GrantStatus.DRAFT, None),
    ("accept", GrantStatus.ACCEPTED, None),
    ("decline", GrantStatus.ISSUED, GrantStatus.DECLINED),
    ("decline", GrantStatus.EXPIRED, None),
    ("expire", GrantStatus.ISSUED, GrantStatus.EXPIRED),
    ("expire", GrantStatus.ACCEPTED, None),
])
def test_grant_transitions(action, status, expected):
    assert target_of(action, status) is expected


def test_only_declined_and_expired_grants_free_their_money():
    assert [status for status in GrantStatus if status.frees_money] == [GrantStatus.DECLINED, GrantStatus.EXPIRED]
