"""Unit tests for portal.applications.template: the shape of the template and how answers and fields read."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import Form

from portal.applications.template import (
    QUESTIONS,
    QUESTIONS_BY_NAME,
    SECTIONS,
    Kind,
    display_answer,
    format_permille,
    label_of,
    section_of,
)
from portal.fields import PercentField


class ShareForm(Form):
    share = PercentField("Andel")


def test_template_question_names_are_unique():
    # Arrange
    names = [question.name for question in QUESTIONS]

    # Act
    repeated = sorted({name for name in names if names.count(name) > 1})

    # Assert
    assert repeated == []


def test_template_question_names_never_look_like_budget_fields():
    # section_of() sends every name that starts with 'budget' to Økonomi.

    # Act
    budget_like = [question.name for question in QUESTIONS if question.name.startswith("budget")]

    # Assert
    assert budget_like == []


def test_template_section_keys_are_unique_and_url_safe():
    # Arrange
    keys = [section.key for section in SECTIONS]

    # Act
    unsafe = [key for key in keys if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key)]

    # Assert
    assert (unsafe, len(set(keys))) == ([], len(keys))


def test_template_section_numbers_run_from_1_to_6_in_order():
    # Act
    numbers = [section.number for section in SECTIONS]

    # Assert
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_template_only_oekonomi_has_the_budget():
    # Act
    with_budget = [section.key for section in SECTIONS if section.has_budget]

    # Assert
    assert with_budget == ["oekonomi"]


def test_template_every_text_question_has_a_limit_and_no_other_does():
    # Act
    wrong = [question.name for question in QUESTIONS if bool(question.limit) != question.is_text]

    # Assert
    assert wrong == []


def test_template_questions_are_the_sections_questions_in_order():
    # Act
    names = [name for section in SECTIONS for name in section.field_names]

    # Assert
    assert names == [question.name for question in QUESTIONS]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("new_per_month", 1845, "1.845"),
        ("new_per_month", 123, "123"),
        ("category_2_count", 0, "0"),
        ("category_3_count", 1_234_567, "1.234.567"),
        ("baseline_measure_permille", 315, "31,5 %"),
        ("baseline_measure_permille", 230, "23 %"),
        ("baseline_measure_permille", 5, "0,5 %"),
        ("baseline_measure_permille", 0, "0 %"),
        ("baseline_measure_permille", 1000, "100 %"),
        ("management_declaration", True, "Ja"),
        ("management_declaration", False, ""),
        ("target_group_description", "Alle nye sygemeldte.\n\nUndtagen alvorligt syge.",
         "Alle nye sygemeldte.\n\nUndtagen alvorligt syge."),
        ("contact_name", "Bodil Clark", "Bodil Clark"),
        ("contact_email", "bodil.clark@herning.dk", "bodil.clark@herning.dk"),
        ("contact_phone", "96 28 28 28", "96 28 28 28"),
    ],
)
def test_display_answer_formats_each_kind(name, value, expected):
    # Act
    shown = display_answer(QUESTIONS_BY_NAME[name], value)

    # Assert
    assert shown == expected


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("value", [None, ""])
def test_display_answer_unanswered_gives_empty_text(kind, value):
    # Arrange
    question = next(question for question in QUESTIONS if question.kind is kind)

    # Act
    shown = display_answer(question, value)

    # Assert
    assert shown == ""


@settings(max_examples=300, database=None)
@given(value=st.integers(min_value=0, max_value=1000))
def test_format_permille_round_trips_through_percent_field(value):
    # Arrange
    shown = format_permille(value)

    # Act
    form = ShareForm(MultiDict({"share": shown}))
    form.validate()

    # Assert
    assert (form.share.data, form.share.errors) == (value, [])


@settings(max_examples=300, database=None)
@given(value=st.integers(min_value=0, max_value=1000))
def test_format_permille_matches_percent_field_display(value):
    # Arrange
    form = ShareForm(data={"share": value})

    # Act
    shown = format_permille(value)

    # Assert
    assert shown == f"{form.share._value()} %"


@pytest.mark.parametrize(
    ("field_name", "expected"),
    [
        ("budget-1-amount_kr", "Budget, linje 2: beløb"),
        ("budget-0-category_code", "Budget, linje 1: kategori"),
        ("budget-0-year", "Budget, linje 1: år"),
        ("budget-11-description", "Budget, linje 12: beskrivelse"),
        ("budget_total", "Budget i alt"),
        ("contact_email", "E-mail"),
        ("ready_at_start", "Heraf klar ved projektstart"),
    ],
)
def test_label_of_names_the_field(field_name, expected):
    # Act
    label = label_of(field_name)

    # Assert
    assert label == expected


def test_label_of_every_question_is_its_label():
    # Act
    labels = [label_of(question.name) for question in QUESTIONS]

    # Assert
    assert labels == [question.label for question in QUESTIONS]


@pytest.mark.parametrize(
    ("field_name", "expected_key"),
    [
        ("target_group_description", "maalgruppen"),
        ("category_3_count", "maalgruppen"),
        ("baseline_measure_permille", "maalgruppen"),
        ("ready_at_start", "organisering"),
        ("competence_description", "kompetencer"),
        ("management_description", "ledelse"),
        ("activities_description", "oekonomi"),
        ("budget-0-amount_kr", "oekonomi"),
        ("budget-7-category_code", "oekonomi"),
        ("budget_total", "oekonomi"),
        ("contact_phone", "kontakt"),
        ("management_declaration", "kontakt"),
    ],
)
def test_section_of_finds_the_fields_section(field_name, expected_key):
    # Act
    section = section_of(field_name)

    # Assert
    assert section.key == expected_key


def test_section_of_every_question_is_the_section_that_holds_it():
    # Act
    wrong = [(question.name, section.key) for section in SECTIONS for question in section.questions
             if section_of(question.name) is not section]

    # Assert
    assert wrong == []
