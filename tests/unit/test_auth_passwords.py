"""Unit tests for portal.auth.passwords: the password rule and its Danish messages."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.auth.passwords import password_problem

EMAIL = "anna.jensen@kommune.dk"


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("", "Adgangskoden skal være på mindst 12 tegn."),
        ("a" * 11, "Adgangskoden skal være på mindst 12 tegn."),
        ("a" * 12, None),
        ("a" * 128, None),
        ("a" * 129, "Adgangskoden må højst være på 128 tegn."),
        (" " * 12, "Adgangskoden kan ikke bestå af mellemrum alene."),
        ("\t \n" * 5, "Adgangskoden kan ikke bestå af mellemrum alene."),
        (EMAIL, "Adgangskoden må ikke være din e-mailadresse."),
        (f"  {EMAIL.upper()} ", "Adgangskoden må ikke være din e-mailadresse."),
        ("korrekt hest batteri hæfteklamme", None),
    ],
)
def test_password_problem_password_gives_expected_message(password, expected):
    # Act
    problem = password_problem(password, email=EMAIL)

    # Assert
    assert problem == expected


def test_password_problem_without_email_accepts_an_address_as_password():
    # Act
    problem = password_problem(EMAIL)

    # Assert
    assert problem is None


@given(
    st.text(min_size=12, max_size=128).filter(
        lambda text: text.strip() and text.strip().casefold() != EMAIL.casefold()
    )
)
@settings(max_examples=200, database=None)
def test_password_problem_any_acceptable_text_gives_none(password):
    # Act
    problem = password_problem(password, email=EMAIL)

    # Assert
    assert problem is None
