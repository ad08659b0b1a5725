"""Unit tests for portal.kommuner.sizeclass: a kommune's size class from its population."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.kommuner.enums import SizeClass
from portal.kommuner.sizeclass import SizeThresholds, size_class

ORDER = [SizeClass.LILLE, SizeClass.MELLEM, SizeClass.STOR]


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (0, SizeClass.LILLE),
        (1_783, SizeClass.LILLE),
        (34_999, SizeClass.LILLE),
        (35_000, SizeClass.MELLEM),
        (59_999, SizeClass.MELLEM),
        (60_000, SizeClass.STOR),
        (602_481, SizeClass.STOR),
    ],
)
def test_size_class_default_thresholds_bounds_are_inclusive_low(population, expected):
    # Arrange
    thresholds = SizeThresholds()

    # Act
    result = size_class(population, thresholds)

    # Assert
    assert result == expected


def test_size_class_negative_population_raises_value_error():
    # Act / Assert
    with pytest.raises(ValueError):
        size_class(-1, SizeThresholds())


@pytest.mark.parametrize(
    ("medium_from", "large_from"), [(0, 60_000), (-1, 60_000), (60_000, 60_000), (60_000, 35_000)]
)
def test_size_thresholds_invalid_ordering_raises_value_error(medium_from, large_from):
    # Act / Assert
    with pytest.raises(ValueError):
        SizeThresholds(medium_from=medium_from, large_from=large_from)


@st.composite
def thresholds(draw):
    medium_from = draw(st.integers(min_value=1, max_value=1_000_000))
    large_from = draw(st.integers(min_value=medium_from + 1, max_value=2_000_000))
    return SizeThresholds(medium_from=medium_from, large_from=large_from)


@given(thresholds(), st.integers(0, 3_000_000), st.integers(0, 3_000_000))
@settings(max_examples=200, database=None)
def test_size_class_any_valid_thresholds_is_monotonic_in_population(limits, first, second):
    # Arrange
    smaller, larger = sorted((first, second))

    # Act
    small_class, large_class = size_class(smaller, limits), size_class(larger, limits)

    # Assert
    assert ORDER.index(small_class) <= ORDER.index(large_class)
