"""Unit tests for portal.review.spread: counts per AMK, region and size class, and the rules a selection breaks."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.kommuner.enums import AMK, Region, SizeClass
from portal.kommuner.reference import load_kommune_facts
from portal.kommuner.sizeclass import SizeThresholds, size_class
from portal.review.spread import SpreadCandidate, selection_spread
from portal.review.suggest import SelectionRules

FACTS = {fact.code: fact for fact in load_kommune_facts()}


def applicant(code: int, volume: int) -> SpreadCandidate:
    fact = FACTS[code]
    return SpreadCandidate(code=code, name=fact.name, region=fact.region, amk=fact.amk,
                           size_class=size_class(fact.population, SizeThresholds()), volume=volume)


# code -> target-group volume (sickness-benefit recipients in categories 2 and 3)
VOLUMES = {
    101: 4_100, 155: 160, 370: 640, 265: 610,  # København, Dragør, Næstved, Roskilde (Øst)
    657: 1_845, 851: 1_420, 741: 30,  # Herning, Aalborg, Samsø (Midt-Nord)
    661: 410, 751: 2_350, 730: 700,  # Holstebro, Aarhus, Randers (Midt-Nord)
    461: 1_500, 492: 50, 630: 820, 479: 420,  # Odense, Ærø, Vejle, Svendborg (Syd)
}
FIELD = [applicant(code, volume) for code, volume in VOLUMES.items()]
POOL = SelectionRules()
TEN = [101, 155, 370, 657, 851, 741, 661, 461, 492, 630]


def test_selection_spread_balanced_ten_keeps_the_rules():
    # Act
    spread = selection_spread(FIELD, TEN, POOL)

    # Assert
    assert spread.selected_count == 10
    assert spread.selected_volume == 10_975
    assert spread.total_volume == 15_055
    assert spread.per_amk == {AMK.OST: 3, AMK.MIDT_NORD: 4, AMK.SYD: 3}
    assert list(spread.per_amk) == list(AMK)
    assert spread.per_region == {
        Region.HOVEDSTADEN: 2, Region.SJAELLAND: 1, Region.SYDDANMARK: 3, Region.MIDTJYLLAND: 3, Region.NORDJYLLAND: 1,
    }
    assert spread.per_size == {SizeClass.LILLE: 3, SizeClass.MELLEM: 1, SizeClass.STOR: 6}
    assert spread.warnings == ()
    assert spread.notes == ()
    assert spread.keeps_rules is True


def test_selection_spread_eight_large_without_syd_breaks_three_rules():
    # Arrange: København, Næstved, Roskilde, Herning, Aalborg, Holstebro, Aarhus, Randers
    selected = [101, 370, 265, 657, 851, 661, 751, 730]

    # Act
    spread = selection_spread(FIELD, selected, POOL)

    # Assert
    assert spread.warnings == (
        "Der er valgt 8 kommuner. Puljen skal have mindst 10.",
        "Ingen kommune fra AMK Syd er valgt.",
        "Ingen lille kommune er valgt.",
    )
    assert spread.notes == ("Ingen kommune fra Region Syddanmark er valgt.",)
    assert spread.keeps_rules is False


def test_selection_spread_over_the_maximum_is_warned():
    # Act
    spread = selection_spread(FIELD, VOLUMES, POOL)

    # Assert
    assert spread.selected_count == 14
    assert spread.warnings == ()
    assert selection_spread(FIELD, VOLUMES, SelectionRules(max_count=13)).warnings == (
        "Der er valgt 14 kommuner. Puljen må højst have 13.",
    )


def test_selection_spread_higher_minimums_name_the_shortfall():
    # Arrange
    rules = SelectionRules(min_count=1, max_count=14, min_per_amk={AMK.OST: 2, AMK.MIDT_NORD: 2, AMK.SYD: 2},
                           min_per_size={SizeClass.LILLE: 2, SizeClass.STOR: 1})
    selected = [101, 492]  # København and Ærø

    # Act
    spread = selection_spread(FIELD, selected, rules)

    # Assert
    assert spread.warnings == (
        "Der er valgt 1 kommune fra AMK Øst. Puljen skal have mindst 2.",
        "Ingen kommune fra AMK Midt-Nord er valgt. Puljen skal have mindst 2.",
        "Der er valgt 1 kommune fra AMK Syd. Puljen skal have mindst 2.",
        "Der er valgt 1 lille kommune. Puljen skal have mindst 2.",
    )


def test_selection_spread_missing_class_without_minimum_is_only_a_note():
    # Arrange
    rules = SelectionRules(min_count=1, min_per_amk={AMK.OST: 1}, min_per_size={SizeClass.STOR: 1})

    # Act
    spread = selection_spread(FIELD, [101], rules)

    # Assert
    assert spread.warnings == ()
    assert spread.notes == (
        "Ingen kommune fra AMK Midt-Nord er valgt. Det er ikke et krav.",
        "Ingen kommune fra AMK Syd er valgt. Det er ikke et krav.",
        "Ingen lille kommune er valgt. Det er ikke et krav.",
        "Ingen mellemstor kommune er valgt. Det er ikke et krav.",
        "Ingen kommune fra Region Sjælland er valgt.",
        "Ingen kommune fra Region Syddanmark er valgt.",
        "Ingen kommune fra Region Midtjylland er valgt.",
        "Ingen kommune fra Region Nordjylland er valgt.",
    )


def test_selection_spread_nothing_selected_warns_without_notes():
    # Act
    spread = selection_spread(FIELD, [], POOL)

    # Assert
    assert spread.per_size == {SizeClass.LILLE: 0, SizeClass.MELLEM: 0, SizeClass.STOR: 0}
    assert spread.selected_volume == 0
    assert spread.warnings == (
        "Der er ikke valgt nogen kommuner. Puljen skal have mindst 10.",
        "Ingen kommune fra AMK Øst er valgt.",
        "Ingen kommune fra AMK Midt-Nord er valgt.",
        "Ingen kommune fra AMK Syd er valgt.",
        "Ingen lille kommune er valgt.",
        "Ingen stor kommune er valgt.",
    )
    assert spread.notes == ()


@pytest.mark.parametrize(
    ("field", "selected"),
    [(FIELD, [101, 999]), (FIELD + [applicant(101, 1)], [101])],
    ids=["unknown-code", "duplicate-candidate"],
)
def test_selection_spread_malformed_input_raises_value_error(field, selected):
    # Act / Assert
    with pytest.raises(ValueError):
        selection_spread(field, selected, POOL)


@given(
    st.sets(st.sampled_from(sorted(VOLUMES))),
    st.integers(0, 14),
    st.dictionaries(st.sampled_from(AMK), st.integers(0, 4)),
    st.dictionaries(st.sampled_from(SizeClass), st.integers(0, 4)),
)
@settings(max_examples=150, database=None)
def test_selection_spread_any_selection_counts_add_up_and_warns_iff_a_rule_breaks(selected, low, amk_min, size_min):
    # Arrange
    rules = SelectionRules(min_count=low, max_count=max(low, 1) + 2, min_per_amk=amk_min, min_per_size=size_min)
    chosen = [c for c in FIELD if c.code in selected]

    # Act
    spread = selection_spread(FIELD, selected, rules)

    # Assert
    for counts in (spread.per_amk, spread.per_region, spread.per_size):
        assert sum(counts.values()) == len(selected)
    assert spread.selected_volume == sum(c.volume for c in chosen)
    kept = (
        rules.min_count <= len(chosen) <= rules.max_count
        and all(spread.per_amk[amk] >= n for amk, n in rules.min_per_amk.items())
        and all(spread.per_size[size] >= n for size, n in rules.min_per_size.items())
    )
    assert spread.keeps_rules is kept
