"""Unit tests for portal.fields: Danish numbers, dates and local times typed into forms; the cleaning of text;
WTForms' own messages in Danish.

The fields are exercised in a plain wtforms.Form with a werkzeug MultiDict: no Flask app, no CSRF.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField, StringField

from portal.fields import (DANISH, LARGEST_NUMBER, DanishDateField, LocalDateTimeField, VersionField, WholeNumberField,
                           choices, clean_text, required)
from portal.forms import cleaned_formdata

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


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Sygedagpenge\x00", "Sygedagpenge"),
        ("a\x01\x07\x08\x0b\x0c\x1b\x1fb", "ab"),
        ("slet\x7f og C1\x85\x9f", "slet og C1"),
        ("linje 1\r\nlinje 2\rlinje 3", "linje 1\nlinje 2\nlinje 3"),
        ("tab\tog\nlinjeskift bliver", "tab\tog\nlinjeskift bliver"),
        ("ensom \ud800halvdel\udfff", "ensom halvdel"),
        ("ikke-tegn \ufffe\uffff", "ikke-tegn "),
        ("Sk\u00f8de e\u0301", "Sk\u00f8de \u00e9"),  # 'e' + combining acute becomes one 'é'
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # escaped where shown, not here
        ("'; DROP TABLE user_account; --", "'; DROP TABLE user_account; --"),
        ("æøå ÆØÅ \U0001F600", "æøå ÆØÅ \U0001F600"),
    ],
)
def test_clean_text_drops_what_cannot_be_typed_and_composes(typed, kept):
    # Act
    cleaned = clean_text(typed)

    # Assert
    assert cleaned == kept


def test_clean_text_composed_text_is_unchanged():
    # Arrange
    text = "Fastholdelsesrådgiveren holder 1. samtale på arbejdspladsen.\n\tTak."

    # Act
    cleaned = clean_text(text)

    # Assert
    assert cleaned == text


def test_cleaned_formdata_cleans_values_keeps_verbatim_ones_and_drops_names_no_field_has():
    # Arrange
    sent = MultiDict([("note", "a\x00b"), ("note", "c\r\nd"), ("password", "hemmelig\x00"),
                      ("budget-²-amount_kr", "1"), ("x y", "2"), ("budget-0-amount_kr", "3")])

    # Act
    cleaned = cleaned_formdata(sent, verbatim=frozenset({"password"}))

    # Assert
    assert list(cleaned.lists()) == [("note", ["ab", "c\nd"]), ("password", ["hemmelig\x00"]),
                                      ("budget-0-amount_kr", ["3"])]


class RequiredForm(Form):
    name = StringField("Navn", validators=[required("Skriv et navn.")])
    amount = WholeNumberField("Beløb", validators=[required()])


@pytest.mark.parametrize(("name", "amount"), [("", "5"), ("   ", "5"), ("\t\n", "5")])
def test_required_blanks_alone_are_nothing_typed(name, amount):
    # Act
    form = _submit(RequiredForm, name=name, amount=amount)

    # Assert
    assert form.errors == {"name": ["Skriv et navn."]}


def test_required_blank_number_gets_one_danish_message():
    # Act
    form = _submit(RequiredForm, name="Bo", amount="  ")

    # Assert
    assert (form.amount.data, form.errors) == (None, {"amount": ["Udfyld feltet."]})


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        ("1.000.000.000", []),
        ("1.000.000.001", ["Tallet må højst være 1.000.000.000."]),
        ("9223372036854775808", ["Tallet må højst være 1.000.000.000."]),
        ("-9223372036854775809", ["Tallet skal være mindst -1.000.000.000."]),
    ],
)
def test_whole_number_field_stays_within_the_largest_number_without_a_maximum(typed, errors):
    # Act
    form = _submit(AmountForm, amount=typed)

    # Assert
    assert form.amount.errors == errors
    assert LARGEST_NUMBER == 1_000_000_000


@pytest.mark.parametrize("typed", ["\u0661\u0662", "\uff11\uff12", "1\u0662"])
def test_whole_number_field_digits_of_other_scripts_give_danish_error(typed):
    # Act
    form = _submit(AmountForm, amount=typed)

    # Assert
    assert (form.amount.data, form.amount.errors) == (None, [NOT_A_WHOLE_NUMBER])


@pytest.mark.parametrize("typed", ["1-1-1999", "31-12-2100", "0001-01-01", "9999-12-31"])
def test_danish_date_field_year_outside_2000_to_2099_gives_danish_error(typed):
    # Act
    form = _submit(DateForm, day=typed)

    # Assert
    assert (form.day.data, form.day.errors) == (None, ["Skriv en dato mellem år 2000 og 2099."])


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59"])
def test_local_datetime_field_year_outside_2000_to_2099_gives_danish_error(typed):
    # Act
    form = _submit(MomentForm, moment=typed)

    # Assert
    assert (form.moment.data, form.moment.errors) == (None, ["Skriv et tidspunkt mellem år 2000 og 2099."])


def test_local_datetime_field_digits_of_other_scripts_give_danish_error():
    # Act
    form = _submit(MomentForm, moment="\u0662\u0660\u0661\u0667-08-04T12:00")

    # Assert
    assert (form.moment.data, form.moment.errors) == (None, [NOT_A_MOMENT])


class VersionForm(Form):
    version = VersionField()


@pytest.mark.parametrize(("typed", "read"), [("7", 7), (" 12 ", 12), ("abc", 0), ("", 0), ("1e3", 0),
                                             ("9" * 40, 0), ("-1", 0)])
def test_version_field_reads_a_whole_number_or_zero(typed, read):
    # Act
    form = _submit(VersionForm, version=typed)

    # Assert
    assert (form.version.data, form.version.errors) == (read, [])


class ChoiceForm(Form):
    class Meta:
        def get_translations(self, form):
            return DANISH

    colour = SelectField("Farve", choices=choices([(1, "Rød"), (2, "Blå")]), coerce=int)


@pytest.mark.parametrize(("typed", "message"), [("x", "Vælg en af mulighederne."), ("3", "Vælg en af mulighederne.")])
def test_danish_translations_give_wtforms_own_messages_in_danish(typed, message):
    # Act
    form = _submit(ChoiceForm, colour=typed)

    # Assert
    assert form.colour.errors == [message]
