"""Unit tests for portal.applications.rules: every problem at its field, budget totals, section status, deadline.

The pool's own facts (800.000 kr. at most, funds from 1 October 2017 to 31 December 2018) give the
limits; a complete application from Herning (123 new a month) is the baseline that each test breaks once.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.applications.rules import (
    ApplicationLimits,
    BudgetLineAnswer,
    BudgetTotals,
    SectionStatus,
    application_problems,
    budget_problems,
    budget_totals,
    effective_deadline,
    section_status,
)
from portal.applications.template import (
    BUDGET_CELLS,
    QUESTIONS,
    QUESTIONS_BY_NAME,
    SECTIONS_BY_KEY,
    Kind,
    label_of,
    section_of,
)
from portal.clock import COPENHAGEN
from portal.pulje.facts import BUDGET_CATEGORIES, POOL

CONSULTANTS, COMPETENCES = (category["code"] for category in BUDGET_CATEGORIES)
YEARS = (2017, 2018)

LIMITS = ApplicationLimits(
    max_grant_kr=POOL["max_grant_kr"],
    budget_years=YEARS,
    category_codes=(CONSULTANTS, COMPETENCES),
    funds_from_on=POOL["funds_from_on"],
    funds_to_on=POOL["funds_to_on"],
)

HERNING = {
    "target_group_description": "Alle nye sygedagpengemodtagere fra beskæftigelse i kategori 2 og 3.",
    "new_per_month": 123,
    "category_2_count": 300,
    "category_3_count": 100,
    "baseline_measure_permille": 235,
    "target_group_needs": "En tidlig samtale på arbejdspladsen.",
    "organisation_description": "Sagsbehandleren inviterer arbejdsgiveren inden udgangen af 8. fraværsuge.",
    "double_role_staff": 4,
    "ready_at_start": 3,
    "competence_description": "Kompetenceudvikling i august og september 2017.",
    "management_description": "Jobcenterchefen følger op hver måned.",
    "activities_description": "Fastholdelseskonsulenter og kompetenceudvikling.",
    "contact_name": "Bodil Clark",
    "contact_title": "Teamleder",
    "contact_email": "bodil.clark@herning.dk",
    "contact_phone": "96 28 28 28",
    "management_declaration": True,
}

HERNING_BUDGET = [
    BudgetLineAnswer(CONSULTANTS, 2017, "Tre fastholdelseskonsulenter, oktober–december", 200_000),
    BudgetLineAnswer(CONSULTANTS, 2018, "Tre fastholdelseskonsulenter, hele året", 600_000),
]

FILL_IN = "Udfyld feltet."
WRITE_A_NUMBER = "Skriv et tal."
NEGATIVE = "Tallet må ikke være negativt."
BAD_EMAIL = "Skriv en gyldig e-mailadresse, fx navn@kommune.dk."
BAD_PHONE = "Skriv et telefonnummer med mindst 8 cifre, fx 96 28 28 28."
UNCONFIRMED = "Bekræft, at kommunens ledelse står bag ansøgningen."
BAD_SHARE = "Skriv en andel mellem 0 og 100 %."
BOTH_ZERO = "Kategori 2 og 3 kan ikke begge være 0: rammen beregnes ud fra dem."


def _line(**changes) -> BudgetLineAnswer:
    return replace(BudgetLineAnswer(COMPETENCES, 2018, "Kursus i dobbeltrollen", 50_000), **changes)


def test_application_limits_project_months_pool_period_gives_15():
    # Act
    months = LIMITS.project_months

    # Assert
    assert months == 15


@pytest.mark.parametrize(
    ("from_on", "to_on", "expected"),
    [
        (date(2017, 10, 1), date(2017, 10, 31), 1),
        (date(2017, 10, 15), date(2017, 11, 2), 2),
        (date(2017, 1, 1), date(2017, 12, 31), 12),
        (date(2017, 10, 1), date(2019, 9, 30), 24),
    ],
)
def test_application_limits_project_months_counts_calendar_months(from_on, to_on, expected):
    # Arrange
    limits = replace(LIMITS, funds_from_on=from_on, funds_to_on=to_on)

    # Act
    months = limits.project_months

    # Assert
    assert months == expected


def test_application_problems_complete_herning_application_gives_none():
    # Act
    problems = application_problems(HERNING, HERNING_BUDGET, LIMITS)

    # Assert
    assert problems == {}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # Missing text, in every kind of text question.
        ({"target_group_description": ""}, {"target_group_description": FILL_IN}),
        ({"target_group_description": None}, {"target_group_description": FILL_IN}),
        ({"target_group_needs": "  \n\t "}, {"target_group_needs": FILL_IN}),
        ({"activities_description": ""}, {"activities_description": FILL_IN}),
        ({"contact_name": " "}, {"contact_name": FILL_IN}),
        ({"contact_email": ""}, {"contact_email": FILL_IN}),
        ({"contact_phone": ""}, {"contact_phone": FILL_IN}),
        # Missing and negative counts and shares.
        ({"new_per_month": None}, {"new_per_month": WRITE_A_NUMBER}),
        ({"category_3_count": None}, {"category_3_count": WRITE_A_NUMBER}),
        ({"baseline_measure_permille": None}, {"baseline_measure_permille": WRITE_A_NUMBER}),
        ({"ready_at_start": None}, {"ready_at_start": WRITE_A_NUMBER}),
        ({"category_2_count": -1}, {"category_2_count": NEGATIVE}),
        ({"ready_at_start": -1}, {"ready_at_start": NEGATIVE}),
        # A negative whole also makes its part too large.
        ({"double_role_staff": -1},
         {"double_role_staff": NEGATIVE,
          "ready_at_start": "Der kan ikke være flere klar ved projektstart (3) end medarbejdere i alt (-1)."}),
        ({"baseline_measure_permille": 1001}, {"baseline_measure_permille": BAD_SHARE}),
        ({"baseline_measure_permille": -1}, {"baseline_measure_permille": BAD_SHARE}),
        # Text over its limit names the limit and the length.
        ({"target_group_description": "x" * 4001},
         {"target_group_description": "Teksten må højst være på 4.000 tegn. Den er på 4.001 tegn."}),
        ({"management_description": "æ" * 12_345},
         {"management_description": "Teksten må højst være på 4.000 tegn. "
                                    "Den er på 12.345 tegn."}),
        ({"contact_title": "x" * 201},
         {"contact_title": "Teksten må højst være på 200 tegn. Den er på 201 tegn."}),
        # E-mail and phone.
        ({"contact_email": "bodil.clark"}, {"contact_email": BAD_EMAIL}),
        ({"contact_email": "bodil@herning"}, {"contact_email": BAD_EMAIL}),
        ({"contact_email": "bodil clark@herning.dk"}, {"contact_email": BAD_EMAIL}),
        ({"contact_email": "@herning.dk"}, {"contact_email": BAD_EMAIL}),
        ({"contact_phone": "9628282"}, {"contact_phone": BAD_PHONE}),
        ({"contact_phone": "96 28 28 2x"}, {"contact_phone": BAD_PHONE}),
        ({"contact_phone": "tlf. 96282828"}, {"contact_phone": BAD_PHONE}),
        # The declaration.
        ({"management_declaration": False}, {"management_declaration": UNCONFIRMED}),
        ({"management_declaration": None}, {"management_declaration": UNCONFIRMED}),
        # Rules between the numbers.
        ({"ready_at_start": 5},
         {"ready_at_start": "Der kan ikke være flere klar ved projektstart (5) end medarbejdere i alt (4)."}),
        ({"category_3_count": 1846},
         {"category_3_count": "Kategori 3 (1.846) kan ikke være større end hele målgruppen i projektperioden "
                              "(15 måneder × 123 = 1.845). Tjek tallene."}),
        ({"category_2_count": 1746},
         {"category_2_count": "Kategori 2 og 3 (1.846 i alt) kan ikke være flere end hele målgruppen i "
                              "projektperioden (15 måneder × 123 = 1.845). Tjek tallene."}),
        ({"category_2_count": 0, "category_3_count": 0}, {"category_2_count": BOTH_ZERO}),
    ],
)
def test_application_problems_broken_answer_names_its_field(changes, expected):
    # Arrange
    answers = {**HERNING, **changes}

    # Act
    problems = application_problems(answers, HERNING_BUDGET, LIMITS)

    # Assert
    assert problems == expected


def test_application_problems_missing_answer_key_is_a_missing_answer():
    # Arrange
    answers = {name: value for name, value in HERNING.items() if name != "contact_title"}

    # Act
    problems = application_problems(answers, HERNING_BUDGET, LIMITS)

    # Assert
    assert problems == {"contact_title": FILL_IN}


@pytest.mark.parametrize(
    "changes",
    [
        {"target_group_description": "x" * 4000},
        {"contact_title": "x" * 200},
        {"baseline_measure_permille": 0},
        {"baseline_measure_permille": 1000},
        {"ready_at_start": 4},
        {"ready_at_start": 0},
        {"category_2_count": 0, "category_3_count": 1845},
        {"category_2_count": 1745, "category_3_count": 100},
        {"category_2_count": 1, "category_3_count": 0},
        {"contact_email": " bodil.clark@herning.dk "},
        {"contact_phone": "96282828"},
        {"contact_phone": "+45 96 28 28 28"},
    ],
)
def test_application_problems_values_at_the_limit_are_allowed(changes):
    # Arrange
    answers = {**HERNING, **changes}

    # Act
    problems = application_problems(answers, HERNING_BUDGET, LIMITS)

    # Assert
    assert problems == {}


def test_application_problems_phone_needs_eight_digits_not_eight_characters():
    # Arrange: nine characters, but only five of them digits.
    answers = {**HERNING, "contact_phone": "9 6 2 8 2"}

    # Act
    problems = application_problems(answers, HERNING_BUDGET, LIMITS)

    # Assert
    assert problems == {"contact_phone": BAD_PHONE}


def test_application_problems_figures_wait_for_every_number():
    # Arrange: category 3 would exceed the inflow, but the inflow is not given yet.
    answers = {**HERNING, "new_per_month": None, "category_3_count": 5000}

    # Act
    problems = application_problems(answers, HERNING_BUDGET, LIMITS)

    # Assert
    assert problems == {"new_per_month": WRITE_A_NUMBER}


def test_application_problems_empty_draft_lists_every_question_in_template_order():
    # Arrange
    before_budget = [question.name for question in QUESTIONS if section_of(question.name).number <= 5]
    after_budget = [question.name for question in QUESTIONS if section_of(question.name).number == 6]

    # Act
    problems = application_problems({}, [], LIMITS)

    # Assert
    assert list(problems) == before_budget + ["budget_total"] + after_budget


def test_application_problems_come_in_template_order():
    # Arrange: problems in four sections; the figures rule and the budget are checked after the questions.
    answers = {**HERNING, "contact_email": "bodil", "category_3_count": 2000, "competence_description": "",
               "target_group_description": ""}
    lines = [_line(category_code=None, amount_kr=None), _line(amount_kr=800_001)]

    # Act
    problems = application_problems(answers, lines, LIMITS)

    # Assert
    assert list(problems) == [
        "target_group_description", "category_3_count", "competence_description",
        "budget-0-category_code", "budget-0-amount_kr", "budget_total", "contact_email",
    ]


def test_budget_problems_complete_budget_gives_none():
    # Act
    problems = budget_problems(HERNING_BUDGET, LIMITS)

    # Assert
    assert problems == {}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"category_code": None}, {"budget-1-category_code": "Vælg en af puljens kategorier."}),
        ({"category_code": ""}, {"budget-1-category_code": "Vælg en af puljens kategorier."}),
        ({"category_code": "kaffe"}, {"budget-1-category_code": "Vælg en af puljens kategorier."}),
        ({"year": 2019}, {"budget-1-year": "Vælg et år i perioden (2017, 2018)."}),
        ({"year": 2016}, {"budget-1-year": "Vælg et år i perioden (2017, 2018)."}),
        ({"year": None}, {"budget-1-year": "Vælg et år i perioden (2017, 2018)."}),
        ({"description": ""}, {"budget-1-description": "Beskriv, hvad beløbet dækker."}),
        ({"description": "   "}, {"budget-1-description": "Beskriv, hvad beløbet dækker."}),
        ({"description": "x" * 201}, {"budget-1-description": "Beskrivelsen må højst være på 200 tegn."}),
        ({"amount_kr": None}, {"budget-1-amount_kr": "Skriv beløbet i hele kroner."}),
        ({"amount_kr": 0}, {"budget-1-amount_kr": "Beløbet skal være større end 0 kr."}),
        ({"amount_kr": -1}, {"budget-1-amount_kr": "Beløbet skal være større end 0 kr."}),
    ],
)
def test_budget_problems_broken_line_names_its_cell(changes, expected):
    # Arrange
    lines = [HERNING_BUDGET[0], _line(**changes)]

    # Act
    problems = budget_problems(lines, LIMITS)

    # Assert
    assert problems == expected


def test_budget_problems_blank_line_names_every_cell():
    # Arrange
    lines = [BudgetLineAnswer(None, None, "", None)]

    # Act
    problems = budget_problems(lines, LIMITS)

    # Assert
    assert problems == {
        "budget-0-category_code": "Vælg en af puljens kategorier.",
        "budget-0-year": "Vælg et år i perioden (2017, 2018).",
        "budget-0-description": "Beskriv, hvad beløbet dækker.",
        "budget-0-amount_kr": "Skriv beløbet i hele kroner.",
    }


def test_budget_problems_no_lines_names_the_total():
    # Act
    problems = budget_problems([], LIMITS)

    # Assert
    assert problems == {"budget_total": "Budgettet skal have mindst én linje."}


def test_budget_problems_total_over_max_grant_names_the_total():
    # Arrange
    lines = [HERNING_BUDGET[0], replace(HERNING_BUDGET[1], amount_kr=600_001)]

    # Act
    problems = budget_problems(lines, LIMITS)

    # Assert
    assert problems == {"budget_total": "Budgettet er på 800.001 kr. Det må højst være på 800.000 kr., "
                                        "som er puljens største tilskud."}


def test_budget_problems_total_exactly_max_grant_is_allowed():
    # Arrange
    lines = [_line(amount_kr=100_000), _line(year=2017, amount_kr=700_000)]

    # Act
    problems = budget_problems(lines, LIMITS)

    # Assert
    assert problems == {}


def test_budget_description_exactly_200_characters_is_allowed():
    # Arrange
    lines = [_line(description="x" * 200)]

    # Act
    problems = budget_problems(lines, LIMITS)

    # Assert
    assert problems == {}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([], BudgetTotals(per_year={2017: 0, 2018: 0}, total_kr=0)),
        (HERNING_BUDGET, BudgetTotals(per_year={2017: 200_000, 2018: 600_000}, total_kr=800_000)),
        ([_line(year=2017, amount_kr=150_000), _line(year=2017, amount_kr=50_000), _line(amount_kr=25_000)],
         BudgetTotals(per_year={2017: 200_000, 2018: 25_000}, total_kr=225_000)),
        # A year without lines is still there, with 0.
        ([_line(amount_kr=100)], BudgetTotals(per_year={2017: 0, 2018: 100}, total_kr=100)),
        # Missing amounts count 0.
        ([_line(amount_kr=None), _line(year=2017, amount_kr=None), _line(amount_kr=7)],
         BudgetTotals(per_year={2017: 0, 2018: 7}, total_kr=7)),
    ],
)
def test_budget_totals_sums_per_year_and_overall(lines, expected):
    # Act
    totals = budget_totals(lines, YEARS)

    # Assert
    assert totals == expected


budget_lines = st.lists(
    st.builds(
        BudgetLineAnswer,
        category_code=st.sampled_from([CONSULTANTS, COMPETENCES, None]),
        year=st.sampled_from(YEARS),
        description=st.text(max_size=20),
        amount_kr=st.none() | st.integers(min_value=0, max_value=2_000_000),
    ),
    max_size=12,
)


@settings(max_examples=300, database=None)
@given(lines=budget_lines)
def test_budget_totals_total_is_the_sum_of_years_and_of_amounts(lines):
    # Act
    totals = budget_totals(lines, YEARS)

    # Assert
    assert (list(totals.per_year), totals.total_kr, sum(totals.per_year.values())) == (
        list(YEARS), sum(line.amount_kr or 0 for line in lines), totals.total_kr)


@settings(max_examples=300, database=None)
@given(lines=budget_lines.filter(bool))
def test_budget_problems_total_problem_iff_total_exceeds_max_grant(lines):
    # Arrange
    over = budget_totals(lines, YEARS).total_kr > LIMITS.max_grant_kr

    # Act
    problems = budget_problems(lines, LIMITS)

    # Assert
    assert ("budget_total" in problems) == over


def _answer_strategy(kind: Kind):
    if kind in (Kind.COUNT, Kind.PERCENT):
        return st.none() | st.integers()
    if kind is Kind.CONFIRM:
        return st.none() | st.booleans()
    return st.none() | st.text() | st.integers().map(str)


any_answers = st.fixed_dictionaries(
    {}, optional={question.name: _answer_strategy(question.kind) for question in QUESTIONS})

any_lines = st.lists(
    st.builds(
        BudgetLineAnswer,
        category_code=st.none() | st.sampled_from([CONSULTANTS, COMPETENCES]) | st.text(max_size=10),
        year=st.none() | st.integers(),
        description=st.text(max_size=250),
        amount_kr=st.none() | st.integers(),
    ),
    max_size=5,
)

BUDGET_KEY = re.compile(r"budget-(\d+)-(" + "|".join(BUDGET_CELLS) + ")")


def _is_known_key(key: str, line_count: int) -> bool:
    if key in QUESTIONS_BY_NAME or key == "budget_total":
        return True
    match = BUDGET_KEY.fullmatch(key)
    return match is not None and int(match.group(1)) < line_count


@settings(max_examples=300, database=None, deadline=None)
@given(answers=any_answers, lines=any_lines)
def test_application_problems_any_draft_gives_known_keys_in_template_order(answers, lines):
    # Act
    problems = application_problems(answers, lines, LIMITS)

    # Assert
    section_numbers = [section_of(key).number for key in problems]
    assert [key for key in problems if not _is_known_key(key, len(lines))] == []
    assert section_numbers == sorted(section_numbers)
    assert [label for label in map(label_of, problems) if not label or "_" in label] == []


@pytest.mark.parametrize(
    ("section_key", "answers", "lines", "expected"),
    [
        ("maalgruppen", {}, [], SectionStatus.NOT_STARTED),
        ("maalgruppen", {"target_group_description": "", "new_per_month": None}, [], SectionStatus.NOT_STARTED),
        ("maalgruppen", {"new_per_month": 123}, [], SectionStatus.IN_PROGRESS),
        ("maalgruppen", HERNING, [], SectionStatus.COMPLETE),
        # A figures problem keeps the section in progress although every question is answered.
        ("maalgruppen", {**HERNING, "category_3_count": 2000}, HERNING_BUDGET, SectionStatus.IN_PROGRESS),
        ("organisering", {**HERNING, "ready_at_start": 9}, HERNING_BUDGET, SectionStatus.IN_PROGRESS),
        ("organisering", HERNING, HERNING_BUDGET, SectionStatus.COMPLETE),
        # An unticked declaration alone is not a start.
        ("kontakt", {"management_declaration": False}, [], SectionStatus.NOT_STARTED),
        ("kontakt", {"management_declaration": True}, [], SectionStatus.IN_PROGRESS),
        # The budget counts as an answer in Økonomi; its problems keep the section in progress.
        ("oekonomi", {}, [], SectionStatus.NOT_STARTED),
        ("oekonomi", {}, HERNING_BUDGET, SectionStatus.IN_PROGRESS),
        ("oekonomi", {"activities_description": "Konsulenter."}, [], SectionStatus.IN_PROGRESS),
        ("oekonomi", HERNING, [_line(amount_kr=None)], SectionStatus.IN_PROGRESS),
        ("oekonomi", HERNING, [_line(amount_kr=800_001)], SectionStatus.IN_PROGRESS),
        ("oekonomi", HERNING, HERNING_BUDGET, SectionStatus.COMPLETE),
        # Problems in other sections do not matter.
        ("ledelse", {**HERNING, "contact_email": ""}, [], SectionStatus.COMPLETE),
    ],
)
def test_section_status_follows_answers_and_problems(section_key, answers, lines, expected):
    # Arrange
    section = SECTIONS_BY_KEY[section_key]
    problems = application_problems(answers, lines, LIMITS)

    # Act
    status = section_status(section, answers, lines, problems)

    # Assert
    assert status == expected


@pytest.mark.parametrize("name", ["double_role_staff", "ready_at_start", "new_per_month", "baseline_measure_permille"])
def test_section_status_number_answered_with_zero_is_in_progress(name):
    # Arrange: 0 is an answer ("no one yet", "0 %"), not a blank field.
    section = section_of(name)
    answers = {name: 0}
    problems = application_problems(answers, [], LIMITS)

    # Act
    status = section_status(section, answers, [], problems)

    # Assert
    assert status == SectionStatus.IN_PROGRESS


def test_section_status_labels_are_danish():
    # Act
    labels = [status.label for status in SectionStatus]

    # Assert
    assert labels == ["Ikke påbegyndt", "I gang", "Udfyldt"]


POOL_DEADLINE_AT = datetime(2017, 8, 4, 12, 0, tzinfo=COPENHAGEN)


@pytest.mark.parametrize(
    ("individual_deadline_at", "expected"),
    [
        (None, POOL_DEADLINE_AT),
        (POOL_DEADLINE_AT + timedelta(days=7), POOL_DEADLINE_AT + timedelta(days=7)),
        # The individual deadline is the one that counts, even an earlier one.
        (POOL_DEADLINE_AT - timedelta(hours=1), POOL_DEADLINE_AT - timedelta(hours=1)),
    ],
)
def test_effective_deadline_individual_deadline_wins(individual_deadline_at, expected):
    # Act
    deadline = effective_deadline(POOL_DEADLINE_AT, individual_deadline_at)

    # Assert
    assert deadline == expected
