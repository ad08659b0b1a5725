"""Unit tests for portal.pulje.timeline: ISO weeks, quarters, the application window and periods."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.pulje.timeline import (
    COPENHAGEN,
    WindowState,
    application_window,
    days_left,
    describe_period,
    period_status,
    quarter_bounds,
    week_bounds,
)

OPENS_AT = datetime(2017, 5, 29, 9, 0, tzinfo=COPENHAGEN)
DEADLINE_AT = datetime(2017, 8, 4, 12, 0, tzinfo=COPENHAGEN)


@pytest.mark.parametrize(
    ("year", "week", "expected"),
    [
        (2017, 31, (date(2017, 7, 31), date(2017, 8, 6))),
        (2017, 1, (date(2017, 1, 2), date(2017, 1, 8))),
        (2019, 1, (date(2018, 12, 31), date(2019, 1, 6))),
        (2020, 53, (date(2020, 12, 28), date(2021, 1, 3))),
    ],
)
def test_week_bounds_iso_week_gives_monday_and_sunday(year, week, expected):
    # Act
    bounds = week_bounds(year, week)

    # Assert
    assert bounds == expected


def test_week_bounds_week_53_in_a_52_week_year_raises_value_error():
    # Act / Assert
    with pytest.raises(ValueError):
        week_bounds(2017, 53)


@pytest.mark.parametrize(
    ("year", "quarter", "expected"),
    [
        (2017, 1, (date(2017, 1, 1), date(2017, 3, 31))),
        (2017, 2, (date(2017, 4, 1), date(2017, 6, 30))),
        (2017, 3, (date(2017, 7, 1), date(2017, 9, 30))),
        (2017, 4, (date(2017, 10, 1), date(2017, 12, 31))),
    ],
)
def test_quarter_bounds_quarter_gives_first_and_last_day(year, quarter, expected):
    # Act
    bounds = quarter_bounds(year, quarter)

    # Assert
    assert bounds == expected


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_quarter_bounds_invalid_quarter_raises_value_error(quarter):
    # Act / Assert
    with pytest.raises(ValueError):
        quarter_bounds(2017, quarter)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (OPENS_AT - timedelta(microseconds=1), WindowState.NOT_OPEN),
        (OPENS_AT, WindowState.OPEN),
        (datetime(2017, 7, 1, 12, 0, tzinfo=timezone.utc), WindowState.OPEN),
        (DEADLINE_AT - timedelta(microseconds=1), WindowState.OPEN),
        (DEADLINE_AT, WindowState.CLOSED),
        # The same instant as the deadline, written in UTC.
        (datetime(2017, 8, 4, 10, 0, tzinfo=timezone.utc), WindowState.CLOSED),
        (DEADLINE_AT + timedelta(days=30), WindowState.CLOSED),
    ],
)
def test_application_window_now_gives_state(now, expected):
    # Act
    state = application_window(OPENS_AT, DEADLINE_AT, now)

    # Assert
    assert state == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2017, 7, 24, 10, 0, tzinfo=COPENHAGEN), 11),
        (datetime(2017, 8, 3, 23, 59, tzinfo=COPENHAGEN), 1),
        (datetime(2017, 8, 3, 21, 59, tzinfo=timezone.utc), 1),
        # 23:30 UTC on 3 August is already 4 August in Copenhagen.
        (datetime(2017, 8, 3, 23, 30, tzinfo=timezone.utc), 0),
        (datetime(2017, 8, 4, 0, 0, tzinfo=COPENHAGEN), 0),
        (datetime(2017, 8, 4, 13, 0, tzinfo=COPENHAGEN), 0),
        (datetime(2017, 8, 5, 8, 0, tzinfo=COPENHAGEN), -1),
    ],
)
def test_days_left_counts_copenhagen_calendar_days(now, expected):
    # Act
    left = days_left(DEADLINE_AT, now)

    # Assert
    assert left == expected


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "expected"),
    [
        (date(2017, 10, 1), date(2017, 10, 1), "1. oktober 2017"),
        (date(2017, 7, 31), date(2017, 8, 6), "uge 31 2017"),
        (date(2017, 10, 2), date(2017, 10, 29), "uge 40–43 2017"),
        (date(2017, 10, 1), date(2017, 12, 31), "4. kvartal 2017"),
        (date(2018, 4, 1), date(2018, 12, 31), "2.–4. kvartal 2018"),
        (date(2017, 10, 1), date(2018, 6, 30), "4. kvartal 2017 – 2. kvartal 2018"),
        (date(2017, 10, 1), date(2018, 3, 31), "4. kvartal 2017 – 1. kvartal 2018"),
        # Quarters that happen to run Monday to Sunday are still quarters, not 'uge 14–26'.
        (date(2019, 4, 1), date(2019, 6, 30), "2. kvartal 2019"),
        (date(2024, 1, 1), date(2024, 6, 30), "1.–2. kvartal 2024"),
        (date(2017, 8, 1), date(2017, 8, 4), "1. august 2017 – 4. august 2017"),
        (date(2017, 10, 2), date(2017, 12, 30), "2. oktober 2017 – 30. december 2017"),
        # Whole weeks across an ISO year boundary are a date range, not 'uge 52–1'.
        (date(2018, 12, 24), date(2019, 1, 6), "24. december 2018 – 6. januar 2019"),
    ],
)
def test_describe_period_period_gives_timeline_words(starts_on, ends_on, expected):
    # Act
    text = describe_period(starts_on, ends_on)

    # Assert
    assert text == expected


def test_describe_period_end_before_start_raises_value_error():
    # Act / Assert
    with pytest.raises(ValueError):
        describe_period(date(2017, 8, 4), date(2017, 8, 3))


@st.composite
def iso_weeks(draw):
    year = draw(st.integers(min_value=1900, max_value=2100))
    weeks_in_year = date(year, 12, 28).isocalendar().week
    return year, draw(st.integers(min_value=1, max_value=weeks_in_year))


@given(iso_weeks())
@settings(max_examples=200, database=None)
def test_describe_period_any_iso_week_starts_with_its_week(year_and_week):
    # Arrange
    year, week = year_and_week

    # Act
    text = describe_period(*week_bounds(year, week))

    # Assert
    assert text.startswith(f"uge {week}")


@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=1, max_value=4))
@settings(max_examples=200, database=None)
def test_describe_period_any_quarter_names_the_quarter(year, quarter):
    # Act
    text = describe_period(*quarter_bounds(year, quarter))

    # Assert
    assert text == f"{quarter}. kvartal {year}"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2017, 10, 1), "coming"),
        (date(2017, 10, 2), "now"),
        (date(2017, 10, 15), "now"),
        (date(2017, 10, 29), "now"),
        (date(2017, 10, 30), "done"),
    ],
)
def test_period_status_today_gives_place_in_timeline(today, expected):
    # Act
    status = period_status(date(2017, 10, 2), date(2017, 10, 29), today)

    # Assert
    assert status == expected
