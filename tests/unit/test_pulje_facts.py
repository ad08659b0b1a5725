"""Unit tests for portal.pulje.facts: the announced dates of 'Sammen om fastholdelse' hold together."""
from __future__ import annotations

from datetime import date, time

import pytest

from portal.formatting import COPENHAGEN, format_time, format_weekday_date
from portal.pulje.facts import APPLICATION_DEADLINE_AT, APPLICATIONS_OPEN_AT, POOL, TIMELINE

TIMELINE_BY_KEY = {key: (title, period, note) for key, title, period, note in TIMELINE}


def test_application_deadline_is_friday_4_august_2017_at_noon_copenhagen():
    # Act
    local = APPLICATION_DEADLINE_AT.astimezone(COPENHAGEN)

    # Assert
    assert (local.date(), local.time(), local.isoweekday()) == (date(2017, 8, 4), time(12, 0), 5)


@pytest.mark.parametrize(
    ("moment", "week"), [(APPLICATION_DEADLINE_AT, 31), (APPLICATIONS_OPEN_AT, 22)]
)
def test_pool_moments_lie_in_their_iso_week(moment, week):
    # Act
    iso = moment.astimezone(COPENHAGEN).isocalendar()

    # Assert
    assert (iso.year, iso.week) == (2017, week)


def test_pool_moments_are_the_pool_dict_values():
    # Act
    moments = (POOL["applications_open_at"], POOL["application_deadline_at"])

    # Assert
    assert moments == (APPLICATIONS_OPEN_AT, APPLICATION_DEADLINE_AT)


def test_timeline_keys_are_unique():
    # Act
    keys = [key for key, *_ in TIMELINE]

    # Assert
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("key", "first_week", "last_week"),
    [
        ("puljeudmelding", 22, 22),
        ("ansoegningsfrist", 31, 31),
        ("udvaelgelse", 33, 33),
        ("opstartsworkshops", 40, 43),
    ],
)
def test_timeline_entry_lies_in_its_weeks(key, first_week, last_week):
    # Arrange
    _, (starts_on, ends_on), _ = TIMELINE_BY_KEY[key]

    # Act
    start_iso, end_iso = starts_on.isocalendar(), ends_on.isocalendar()

    # Assert
    assert (start_iso.year, start_iso.week, start_iso.weekday) == (2017, first_week, 1)
    assert (end_iso.year, end_iso.week, end_iso.weekday) == (2017, last_week, 7)


def test_timeline_deadline_entry_contains_the_deadline_and_names_it():
    # Arrange
    _, (starts_on, ends_on), note = TIMELINE_BY_KEY["ansoegningsfrist"]
    deadline_on = APPLICATION_DEADLINE_AT.astimezone(COPENHAGEN).date()

    # Act
    expected_note = f"{format_weekday_date(APPLICATION_DEADLINE_AT).capitalize()} kl. {format_time(APPLICATION_DEADLINE_AT)}"

    # Assert
    assert starts_on <= deadline_on <= ends_on
    assert note == expected_note


def test_timeline_entries_end_no_earlier_than_they_start():
    # Act
    backwards = [key for key, _, (starts_on, ends_on), _ in TIMELINE if ends_on < starts_on]

    # Assert
    assert backwards == []
