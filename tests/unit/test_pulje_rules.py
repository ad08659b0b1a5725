"""Unit tests for portal.pulje.rules: the pool's parameters and the field each problem belongs to."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.pulje.facts import POOL
from portal.pulje.rules import PoolParameters, parameter_problems

REAL = PoolParameters(**{name: POOL[name] for name in PoolParameters.field_names()})

OVER_TOTAL = "Det højeste tilskud til én kommune kan ikke være større end hele puljen."


def test_parameter_problems_real_facts_give_none():
    # Act
    problems = parameter_problems(REAL)

    # Assert
    assert problems == {}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"purpose": "   "}, {"purpose": "Skriv puljens formål."}),
        ({"target_group": ""}, {"target_group": "Beskriv målgruppen."}),
        # With no pool at all, every grant is also larger than the pool.
        ({"total_kr": 0}, {"total_kr": "Puljens samlede beløb skal være større end 0 kr.", "max_grant_kr": OVER_TOTAL}),
        ({"max_grant_kr": 0}, {"max_grant_kr": "Det højeste tilskud skal være større end 0 kr."}),
        ({"max_grant_kr": 9_000_001}, {"max_grant_kr": OVER_TOTAL}),
        ({"min_participants": 0}, {"min_participants": "Der skal mindst være én deltagende kommune."}),
        ({"min_participants": 15},
         {"max_participants": "Det højeste antal kommuner kan ikke være mindre end det laveste."}),
        ({"max_participants": 99}, {"max_participants": "Der er kun 98 kommuner."}),
        ({"funds_to_on": date(2017, 10, 1)},
         {"funds_to_on": "Perioden for brug af midlerne skal slutte efter, at den begynder."}),
        ({"application_deadline_at": POOL["applications_open_at"]},
         {"application_deadline_at": "Ansøgningsfristen skal ligge efter, at der åbnes for ansøgninger."}),
        ({"size_medium_from": 0}, {"size_medium_from": "Grænsen skal være større end 0 indbyggere."}),
        ({"size_large_from": 35_000},
         {"size_large_from": "Grænsen for store kommuner skal være højere end grænsen for mellemstore."}),
    ],
)
def test_parameter_problems_broken_rule_names_its_field(changes, expected):
    # Arrange
    parameters = replace(REAL, **changes)

    # Act
    problems = parameter_problems(parameters)

    # Assert
    assert problems == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"max_grant_kr": 9_000_000},
        {"min_participants": 14},
        {"max_participants": 98},
        {"funds_to_on": date(2017, 10, 2)},
        {"application_deadline_at": POOL["applications_open_at"] + timedelta(microseconds=1)},
        {"size_large_from": 35_001},
    ],
)
def test_parameter_problems_values_at_the_limit_are_allowed(changes):
    # Arrange
    parameters = replace(REAL, **changes)

    # Act
    problems = parameter_problems(parameters)

    # Assert
    assert problems == {}


def test_pool_parameters_of_reads_the_attributes_of_a_pool():
    # Arrange
    pool = SimpleNamespace(**POOL)

    # Act
    parameters = PoolParameters.of(pool)

    # Assert
    assert parameters == REAL


@given(st.integers(min_value=-10**12, max_value=10**12), st.integers(min_value=-10**12, max_value=10**12))
@settings(max_examples=200, database=None)
def test_parameter_problems_any_grant_above_total_is_a_max_grant_problem(total_kr, max_grant_kr):
    # Arrange
    parameters = replace(REAL, total_kr=total_kr, max_grant_kr=max_grant_kr)

    # Act
    problems = parameter_problems(parameters)

    # Assert
    assert ("max_grant_kr" in problems) == (max_grant_kr > total_kr or max_grant_kr <= 0)
