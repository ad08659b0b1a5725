"""Unit tests for portal.formatting: Danish money, numbers, dates, weeks and name order."""
from __future__ import annotations

from datetime import date, datetime, timezone
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.formatting import (
    COPENHAGEN,
    danish_sort_key,
    file_name,
    format_date,
    format_datetime,
    format_days,
    format_kr,
    format_number,
    format_share,
    format_time,
    format_week,
    format_weekday_date,
)
from portal.kommuner.reference import load_kommune_facts


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (800_000, "800.000 kr."),
        (9_000_000, "9.000.000 kr."),
        (0, "0 kr."),
        (999, "999 kr."),
        (1_000, "1.000 kr."),
        (-1_500, "-1.500 kr."),
        (-800_000, "-800.000 kr."),
    ],
)
def test_format_kr_whole_kroner_uses_dots_and_kr(amount, expected):
    # Act
    text = format_kr(amount)

    # Assert
    assert text == expected


@pytest.mark.parametrize("amount", [800_000.0, 12.5, True, False, "800000", None])
def test_format_kr_not_an_int_raises_type_error(amount):
    # Act / Assert
    with pytest.raises(TypeError):
        format_kr(amount)


@given(st.integers())
@settings(max_examples=200, database=None)
def test_format_kr_any_int_digits_give_back_absolute_value(amount):
    # Act
    text = format_kr(amount)

    # Assert
    digits = text.replace(" kr.", "").replace(".", "").replace("-", "")
    assert digits == str(abs(amount))
    assert text.startswith("-") == (amount < 0)


@given(st.integers())
@settings(max_examples=200, database=None)
def test_format_kr_any_int_groups_after_the_first_have_three_digits(amount):
    # Act
    groups = format_kr(amount).removesuffix(" kr.").lstrip("-").split(".")

    # Assert
    assert 1 <= len(groups[0]) <= 3
    assert [len(group) for group in groups[1:]] == [3] * (len(groups) - 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (999, "999"), (1_845, "1.845"), (602_481, "602.481"), (5_748_691, "5.748.691"), (-1_234, "-1.234")],
)
def test_format_number_whole_number_uses_thousands_dots(value, expected):
    # Act
    text = format_number(value)

    # Assert
    assert text == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2017, 8, 4), "4. august 2017"),
        (date(2017, 1, 31), "31. januar 2017"),
        (date(2018, 12, 31), "31. december 2018"),
        # 22:30 UTC on 3 August is 00:30 on 4 August in Copenhagen (CEST).
        (datetime(2017, 8, 3, 22, 30, tzinfo=timezone.utc), "4. august 2017"),
        (datetime(2017, 8, 3, 21, 59, tzinfo=timezone.utc), "3. august 2017"),
        # Winter: 23:30 UTC on 31 December is already New Year in Copenhagen (CET).
        (datetime(2017, 12, 31, 23, 30, tzinfo=timezone.utc), "1. januar 2018"),
    ],
)
def test_format_date_date_or_instant_gives_copenhagen_day(day, expected):
    # Act
    text = format_date(day)

    # Assert
    assert text == expected


@pytest.mark.parametrize(
    "formatter", [format_date, format_weekday_date, format_datetime, format_time, format_week]
)
def test_formatters_naive_datetime_raises_value_error(formatter):
    # Arrange
    naive = datetime(2017, 8, 4, 12, 0)

    # Act / Assert
    with pytest.raises(ValueError):
        formatter(naive)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2017, 8, 4), "fredag 4. august 2017"),
        (date(2017, 10, 1), "søndag 1. oktober 2017"),
        (date(2017, 5, 29), "mandag 29. maj 2017"),
        (datetime(2017, 8, 3, 22, 30, tzinfo=timezone.utc), "fredag 4. august 2017"),
    ],
)
def test_format_weekday_date_day_gives_danish_weekday(day, expected):
    # Act
    text = format_weekday_date(day)

    # Assert
    assert text == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Summer time (CEST, UTC+2).
        (datetime(2017, 8, 4, 10, 0, tzinfo=timezone.utc), "4. august 2017 kl. 12.00"),
        # Winter time (CET, UTC+1).
        (datetime(2017, 12, 1, 11, 0, tzinfo=timezone.utc), "1. december 2017 kl. 12.00"),
        (datetime(2017, 8, 4, 12, 0, tzinfo=COPENHAGEN), "4. august 2017 kl. 12.00"),
        (datetime(2017, 8, 3, 22, 5, tzinfo=timezone.utc), "4. august 2017 kl. 00.05"),
    ],
)
def test_format_datetime_instant_gives_copenhagen_wall_clock(moment, expected):
    # Act
    text = format_datetime(moment)

    # Assert
    assert text == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2017, 8, 4, 10, 0, tzinfo=timezone.utc), "12.00"),
        (datetime(2017, 12, 1, 11, 0, tzinfo=timezone.utc), "12.00"),
        (datetime(2017, 5, 29, 7, 0, tzinfo=timezone.utc), "09.00"),
    ],
)
def test_format_time_instant_gives_copenhagen_hours_and_minutes(moment, expected):
    # Act
    text = format_time(moment)

    # Assert
    assert text == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2017, 8, 4), "uge 31"),
        (date(2017, 10, 1), "uge 39"),
        (date(2017, 10, 2), "uge 40"),
        (date(2017, 5, 29), "uge 22"),
        (date(2021, 1, 3), "uge 53"),  # belongs to ISO year 2020
        (date(2018, 12, 31), "uge 1"),  # belongs to ISO year 2019
        # Sunday 1 October 22:30 UTC is Monday 2 October in Copenhagen.
        (datetime(2017, 10, 1, 22, 30, tzinfo=timezone.utc), "uge 40"),
    ],
)
def test_format_week_day_gives_iso_week(day, expected):
    # Act
    text = format_week(day)

    # Assert
    assert text == expected


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 dage"), (1, "1 dag"), (2, "2 dage"), (12, "12 dage"), (-1, "-1 dag")]
)
def test_format_days_count_chooses_singular_or_plural(count, expected):
    # Act
    text = format_days(count)

    # Assert
    assert text == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["å", "ø", "æ", "z"], ["z", "æ", "ø", "å"]),
        (["Aarhus", "Ærø", "Vordingborg", "Odense"], ["Odense", "Vordingborg", "Ærø", "Aarhus"]),
        (["Aarhus", "Aabenraa", "Albertslund", "Aalborg"], ["Albertslund", "Aabenraa", "Aalborg", "Aarhus"]),
        (["Ballerup", "assens", "Brønderslev", "brøndby"], ["assens", "Ballerup", "brøndby", "Brønderslev"]),
    ],
)
def test_danish_sort_key_names_sort_in_danish_order(names, expected):
    # Act
    ordered = sorted(names, key=danish_sort_key)

    # Assert
    assert ordered == expected


def test_danish_sort_key_real_kommuner_end_with_ae_o_aa():
    # Arrange
    names = [fact.name for fact in load_kommune_facts()]

    # Act
    ordered = sorted(names, key=danish_sort_key)

    # Assert
    assert len(ordered) == 98
    assert ordered[:3] == ["Albertslund", "Allerød", "Assens"]
    assert ordered[-6:] == ["Viborg", "Vordingborg", "Ærø", "Aabenraa", "Aalborg", "Aarhus"]


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (505, 5050, "10,00 %"), (1, 3, "33,33 %"), (2, 3, "66,67 %"), (1, 8, "12,50 %"), (1, 800, "0,13 %"),
    (0, 5, "0,00 %"), (5, 5, "100,00 %"), (1, 0, "–"),
])
def test_format_share_two_decimals_half_up(part, whole, expected):
    assert format_share(part, whole) == expected


@given(st.integers(0, 10**9), st.integers(1, 10**9))
def test_format_share_is_within_half_a_hundredth_of_the_exact_percent(part, whole):
    text = format_share(part, whole).removesuffix(" %")
    whole_percent, hundredths = text.split(",")

    shown = Fraction(int(whole_percent) * 100 + int(hundredths), 100)

    assert abs(shown - Fraction(part * 100, whole)) <= Fraction(1, 200)


@pytest.mark.parametrize(("parts", "expected"), [
    (("afslag", 657, "Herning"), "afslag-657-herning"),
    (("tilsagn", 169, "Høje-Taastrup", "v2"), "tilsagn-169-hoeje-taastrup-v2"),
    (("x", 492, "Ærø"), "x-492-aeroe"),
    (("x", 400, "Bornholms Regionskommune"), "x-400-bornholms-regionskommune"),
    (("x", 1, "<script>/../"), "x-1-script"),
])
def test_file_name_is_ascii_lowercase_with_danish_letters_spelled_out(parts, expected):
    assert file_name(*parts) == expected
