"""Unit tests for portal.fields.PercentField: a share typed in percent, kept in tenths of a percent.

The field is exercised in a plain wtforms.Form with a werkzeug MultiDict: no Flask app, no CSRF.
"""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from portal.fields import PercentField

NOT_A_SHARE = "Skriv en andel i procent med højst én decimal, fx 23 eller 23,5."
OUT_OF_RANGE = "Andelen skal være mellem 0 og 100 %."


class ShareForm(Form):
    share = PercentField("Andel")


def _submit(typed: str) -> ShareForm:
    form = ShareForm(MultiDict({"share": typed}))
    form.validate()
    return form


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("23", 230),
        ("23,5", 235),
        ("23.5", 235),
        (" 23,5 % ", 235),
        ("23,5%", 235),
        ("0,5", 5),
        ("100", 1000),
        ("100,0", 1000),
        ("0", 0),
        ("007", 70),
    ],
)
def test_percent_field_danish_share_gives_tenths_of_a_percent(typed, expected):
    # Act
    form = _submit(typed)

    # Assert
    assert (form.share.data, form.share.errors) == (expected, [])


@pytest.mark.parametrize("typed", ["23,55", "abc", "-5", "23,", ",5", "1000", "23 ,5 5", "½"])
def test_percent_field_not_a_share_gives_danish_error(typed):
    # Act
    form = _submit(typed)

    # Assert
    assert (form.share.data, form.share.errors) == (None, [NOT_A_SHARE])


@pytest.mark.parametrize(("typed", "parsed"), [("101", 1010), ("100,1", 1001), ("999,9", 9999)])
def test_percent_field_over_100_gives_danish_error(typed, parsed):
    # Act
    form = _submit(typed)

    # Assert
    assert (form.share.data, form.share.errors) == (parsed, [OUT_OF_RANGE])


@pytest.mark.parametrize("typed", ["", "   ", " % "])
def test_percent_field_empty_gives_none(typed):
    # Act
    form = _submit(typed)

    # Assert
    assert (form.share.data, form.share.errors) == (None, [])


@pytest.mark.parametrize(
    ("data", "shown"), [(235, "23,5"), (230, "23"), (5, "0,5"), (0, "0"), (1000, "100"), (None, "")])
def test_percent_field_shows_stored_share_the_danish_way(data, shown):
    # Arrange
    form = ShareForm(data={"share": data})

    # Act
    value = form.share._value()

    # Assert
    assert value == shown


def test_percent_field_shows_what_was_typed_after_an_error():
    # Arrange
    form = _submit("23,55")

    # Act
    value = form.share._value()

    # Assert
    assert value == "23,55"
