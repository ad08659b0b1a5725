"""Unit tests for portal.fields: Danish numbers, dates and local times typed into forms.

The fields are exercised in a plain wtforms.Form with a werkzeug MultiDict: no Flask app, no CSRF.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from portal.fields import DanishDateField, LocalDateTimeField, WholeNumberField

NOT_A_WHOLE_NUMBER = "Skriv et helt tal uden decimaler, fx 800000 eller 800.000."
NOT_A_DATE = "Skriv en gyldig dato, fx 4-8-2017."
NOT_A_MOMENT = "Skriv dato og klokkeslæt, fx 2017-08-04 kl. 12:00."


class AmountForm(Form):
    amount = WholeNumberField("Beløb")
    grant_kr = WholeNumberField("Tilskud", minimum=1_000, unit=" kr.")
    participants = WholeNumberField("Deltagere", minimum=1)


class DateForm(Form):
    day = DanishDateField("Dato")


class MomentForm(Form):
    moment = LocalDateTimeField("Tidspunkt")


def _submit(form_class, **values):
    form = form_class(MultiDict(values))
    form.validate()
    return form


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("800000", 800_000),
        ("800.000", 800_000),
        ("800000 kr.", 800_000),
        ("800.000 kr.", 800_000),
        ("800.000 KR", 800_000),
        (" 9.000.000 kr. ", 9_000_000),
        ("1.845", 1_845),
        ("800 000", 800_000),
        ("0", 0),
        ("-12", -12),
        ("", None),
    ],
)
def test_whole_number_field_danish_number_gives_int(typed, expected):
    # Act
    form = _submit(AmountForm, amount=typed)

    # Assert
    assert (form.amount.data, form.amount.errors) == (expected, [])


@pytest.mark.parametrize("typed", ["12,5", "80.00", "1.8450", "8.00.000", "kr.", "otte", "800.000,00", "1e6"])
def test_whole_number_field_not_a_whole_number_gives_danish_error(typed):
    # Act
    form = _submit(AmountForm, amount=typed)

    # Assert
    assert (form.amount.data, form.amount.errors) == (None, [NOT_A_WHOLE_NUMBER])


@pytest.mark.parametrize(
    ("field", "typed", "errors"),
    [
        ("grant_kr", "999", ["Tallet skal være mindst 1.000 kr."]),
        ("grant_kr", "1.000", []),
        ("grant_kr", "800.000 kr.", []),
        ("participants", "0", ["Tallet skal være mindst 1."]),
        ("participants", "-3", ["Tallet skal være mindst 1."]),
        ("participants", "1", []),
    ],
)
def test_whole_number_field_minimum_is_enforced_in_danish(field, typed, errors):
    # Act
    form = _submit(AmountForm, **{field: typed})

    # Assert
    assert form[field].errors == errors


def test_whole_number_field_shows_number_with_thousands_dots():
    # Arrange
    form = AmountForm(data={"amount": 9_000_000})

    # Act
    shown = form.amount._value()

    # Assert
    assert shown == "9.000.000"


@pytest.mark.parametrize("typed", ["2017-08-04", "4-8-2017", "4.8.2017", "04.08.2017", "4/8/2017", " 4-8-2017 "])
def test_danish_date_field_danish_or_iso_date_gives_date(typed):
    # Act
    form = _submit(DateForm, day=typed)

    # Assert
    assert (form.day.data, form.day.errors) == (date(2017, 8, 4), [])


@pytest.mark.parametrize(
    "typed",
    [
        "31-2-2017", "2017-02-31", "4-8", "4-8-2017-1", "fredag", "2017-8-4", "13.13.2017", "0-8-2017",
        # A short year is refused rather than read as the year 17.
        "4-8-17", "4.8.17", "1-1-1",
    ],
)
def test_danish_date_field_invalid_date_gives_danish_error(typed):
    # Act
    form = _submit(DateForm, day=typed)

    # Assert
    assert (form.day.data, form.day.errors) == (None, [NOT_A_DATE])


def test_danish_date_field_empty_gives_none():
    # Act
    form = _submit(DateForm, day="  ")

    # Assert
    assert (form.day.data, form.day.errors) == (None, [])


@pytest.mark.parametrize(
    ("typed", "expected_utc"),
    [
        ("2017-08-04T12:00", datetime(2017, 8, 4, 10, 0, tzinfo=timezone.utc)),  # CEST
        ("2017-12-01T12:00", datetime(2017, 12, 1, 11, 0, tzinfo=timezone.utc)),  # CET
    ],
)
def test_local_datetime_field_copenhagen_wall_clock_gives_aware_instant(typed, expected_utc):
    # Act
    form = _submit(MomentForm, moment=typed)

    # Assert
    assert form.moment.errors == []
    assert form.moment.data.tzinfo is not None
    assert form.moment.data == expected_utc


@pytest.mark.parametrize("typed", ["2017-08-04 12:00", "4-8-2017 kl. 12", "2017-08-04T25:00", "i morgen"])
def test_local_datetime_field_invalid_moment_gives_danish_error(typed):
    # Act
    form = _submit(MomentForm, moment=typed)

    # Assert
    assert (form.moment.data, form.moment.errors) == (None, [NOT_A_MOMENT])


def test_local_datetime_field_shows_instant_in_copenhagen_time():
    # Arrange
    form = MomentForm(data={"moment": datetime(2017, 8, 4, 10, 0, tzinfo=timezone.utc)})

    # Act
    shown = form.moment._value()

    # Assert
    assert shown == "2017-08-04T12:00"
