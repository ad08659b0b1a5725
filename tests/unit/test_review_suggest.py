"""Unit tests for portal.review.suggest: the exact best selection, its reasons and unkeepable rules."""
from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.kommuner.enums import AMK, SizeClass
from portal.kommuner.reference import load_kommune_facts
from portal.kommuner.sizeclass import SizeThresholds, size_class
from portal.review.suggest import (
    Candidate,
    SelectionRules,
    format_points,
    suggest_selection,
)
from tests.support.timing import best_cpu_seconds

LILLE, MELLEM, STOR = SizeClass.LILLE, SizeClass.MELLEM, SizeClass.STOR
OST, MIDT_NORD, SYD = AMK.OST, AMK.MIDT_NORD, AMK.SYD


def points(text: str) -> Fraction:
    return Fraction(text.replace(",", "."))


def candidate(code, name, amk, size, score):
    return Candidate(code=code, name=name, amk=amk, size_class=size,
                     score=None if score is None else points(score))


AARHUS = candidate(751, "Aarhus", MIDT_NORD, STOR, "4,6")
HERNING = candidate(657, "Herning", MIDT_NORD, STOR, "4,4")
KOEBENHAVN = candidate(101, "København", OST, STOR, "4,2")
VIBORG = candidate(791, "Viborg", MIDT_NORD, STOR, "4,0")
ODENSE = candidate(461, "Odense", SYD, STOR, "3,8")
AEROE = candidate(492, "Ærø", SYD, LILLE, "3,2")
DRAGOER = candidate(155, "Dragør", OST, LILLE, "2,6")
SAMSOE = candidate(741, "Samsø", MIDT_NORD, LILLE, None)
FIELD = [SAMSOE, DRAGOER, AEROE, ODENSE, VIBORG, KOEBENHAVN, HERNING, AARHUS]
SMALL_POOL = SelectionRules(min_count=3, max_count=4, min_score=Fraction(3))


def test_suggest_selection_small_kommune_is_taken_to_meet_minimums():
    # Arrange: Ærø is the only small kommune that can be selected, and Syd's lowest scorer.

    # Act
    suggestion = suggest_selection(FIELD, SMALL_POOL)

    # Assert
    assert suggestion.selected == (751, 657, 101, 492)
    assert suggestion.total_score == points("16,4")
    assert suggestion.problems == ()
    assert suggestion.explanations == {
        751: "Valgt: nr. 1 af 7 bedømte ansøgninger efter point.",
        657: "Valgt: nr. 2 af 7 bedømte ansøgninger efter point.",
        101: "Valgt: nr. 3 af 7 bedømte ansøgninger efter point.",
        791: "Fravalgt: de 4 pladser er taget af ansøgninger med højere point og af 1 kommune valgt for at "
             "opfylde kravene om mindst én kommune fra hvert AMK og mindst én lille kommune.",
        461: "Fravalgt: de 4 pladser er taget af ansøgninger med højere point og af 1 kommune valgt for at "
             "opfylde kravet om mindst én lille kommune.",
        492: "Valgt for at opfylde kravene om mindst én kommune fra hvert AMK og mindst én lille kommune, "
             "selv om 2 ansøgninger med højere point er fravalgt.",
        155: "Fravalgt: 2,6 point er under puljens minimum på 3,0.",
        741: "Fravalgt: ikke bedømt endnu.",
    }


def test_suggest_selection_without_binding_minimums_takes_the_top_scores():
    # Arrange
    rules = SelectionRules(min_count=2, max_count=3, min_per_amk={}, min_per_size={})

    # Act
    suggestion = suggest_selection(FIELD, rules)

    # Assert
    assert suggestion.selected == (751, 657, 101)
    assert suggestion.explanations[791] == "Fravalgt: de 3 pladser er taget af ansøgninger med højere point."


def test_suggest_selection_equal_scores_prefer_the_lower_code():
    # Arrange
    holstebro = candidate(661, "Holstebro", MIDT_NORD, MELLEM, "4,0")
    rules = SelectionRules(min_count=1, max_count=1, min_per_amk={}, min_per_size={})

    # Act
    suggestion = suggest_selection([holstebro, VIBORG], rules)

    # Assert
    assert suggestion.selected == (661,)
    assert suggestion.explanations == {
        661: "Valgt: nr. 1 af 2 bedømte ansøgninger efter point.",
        791: "Fravalgt: den ene plads er taget af en ansøgning med samme point.",
    }


def test_suggest_selection_forced_in_past_equal_score_says_same_points():
    # Arrange: Hjørring ties with Lemvig and Struer but ranks after them on code; two must be large.
    lemvig = candidate(665, "Lemvig", MIDT_NORD, LILLE, "3,5")
    struer = candidate(671, "Struer", MIDT_NORD, LILLE, "3,5")
    hjoerring = candidate(860, "Hjørring", MIDT_NORD, STOR, "3,5")
    rules = SelectionRules(min_count=2, max_count=2, min_per_amk={}, min_per_size={STOR: 2})

    # Act
    suggestion = suggest_selection([lemvig, struer, hjoerring, AARHUS], rules)

    # Assert
    assert suggestion.selected == (751, 860)
    assert suggestion.explanations[860] == (
        "Valgt for at opfylde kravet om mindst 2 store kommuner, selv om 2 ansøgninger med samme point er fravalgt."
    )


def test_suggest_selection_score_rounding_to_the_minimum_shows_more_decimals():
    # Arrange
    almost = candidate(183, "Ishøj", OST, LILLE, "2,96")
    rules = SelectionRules(min_count=0, max_count=1, min_score=Fraction(3), min_per_amk={}, min_per_size={})

    # Act
    suggestion = suggest_selection([almost], rules)

    # Assert
    assert suggestion.explanations == {183: "Fravalgt: 2,96 point er under puljens minimum på 3,00."}


@pytest.mark.parametrize(
    ("field", "rules", "expected"),
    [
        pytest.param(
            [KOEBENHAVN, AARHUS, candidate(461, "Odense", SYD, STOR, "2,8"),
             candidate(492, "Ærø", SYD, LILLE, "2,5")],
            SelectionRules(min_count=2, max_count=4, min_score=Fraction(3), min_per_size={}),
            (("Ingen ansøgning fra AMK Syd har mindst 3,0 point, så kravet om mindst én kommune fra hvert AMK "
              "kan ikke opfyldes."),),
            id="amk-below-minimum",
        ),
        pytest.param(
            [KOEBENHAVN, AARHUS],
            SelectionRules(min_count=2, max_count=4, min_per_size={}),
            ("Ingen kommune fra AMK Syd har søgt, så kravet om mindst én kommune fra hvert AMK kan ikke opfyldes.",),
            id="amk-no-applicants",
        ),
        pytest.param(
            [KOEBENHAVN, AARHUS, candidate(461, "Odense", SYD, STOR, None)],
            SelectionRules(min_count=2, max_count=4, min_per_size={}),
            (("Ingen ansøgning fra AMK Syd er bedømt endnu, så kravet om mindst én kommune fra hvert AMK "
              "kan ikke opfyldes."),),
            id="amk-unscored",
        ),
        pytest.param(
            [KOEBENHAVN, AARHUS, candidate(461, "Odense", SYD, STOR, None),
             candidate(492, "Ærø", SYD, LILLE, "2,0")],
            SelectionRules(min_count=2, max_count=4, min_score=Fraction(3), min_per_size={}),
            (("Ingen bedømt ansøgning fra AMK Syd har mindst 3,0 point, og 1 er ikke bedømt endnu, så kravet om "
              "mindst én kommune fra hvert AMK kan ikke opfyldes."),),
            id="amk-unscored-and-below",
        ),
        pytest.param(
            FIELD,
            SelectionRules(min_count=2, max_count=6, min_score=Fraction(3), min_per_amk={OST: 2, SYD: 1},
                           min_per_size={}),
            (("Kun 1 af 2 ansøgninger fra AMK Øst kan vælges (bedømt og med mindst 3,0 point), så kravet om "
              "mindst 2 kommuner fra AMK Øst kan ikke opfyldes."),),
            id="amk-uneven-minimums",
        ),
        pytest.param(
            FIELD,
            SelectionRules(min_count=2, max_count=6, min_per_amk={}, min_per_size={LILLE: 1, MELLEM: 1, STOR: 1}),
            ("Ingen mellemstor kommune har søgt, så kravet om mindst én mellemstor kommune kan ikke opfyldes.",),
            id="size-no-applicants",
        ),
        pytest.param(
            [AEROE, AARHUS, HERNING],
            SelectionRules(min_count=2, max_count=6, min_per_amk={}, min_per_size={LILLE: 2}),
            ("Kun 1 lille kommune har søgt, så kravet om mindst 2 små kommuner kan ikke opfyldes.",),
            id="size-too-few-applicants",
        ),
        pytest.param(
            FIELD,
            SelectionRules(min_count=7, max_count=8, min_score=Fraction(3)),
            ("Kun 6 af 8 ansøgninger kan vælges (bedømt og med mindst 3,0 point), men puljen skal have mindst 7.",),
            id="count-below-minimum-score",
        ),
        pytest.param(
            FIELD,
            SelectionRules(min_count=8, max_count=8),
            ("Kun 7 af 8 ansøgninger kan vælges (bedømt), men puljen skal have mindst 8.",),
            id="count-unscored",
        ),
        pytest.param(
            [KOEBENHAVN, AARHUS, ODENSE],
            SelectionRules(min_count=10, max_count=14),
            ("Ingen lille kommune har søgt, så kravet om mindst én lille kommune kan ikke opfyldes.",
             "Der er kun 3 ansøgninger, men puljen skal have mindst 10."),
            id="several-rules",
        ),
        pytest.param(
            [],
            SelectionRules(min_count=1, max_count=14, min_per_amk={}, min_per_size={}),
            ("Der er ingen ansøgninger, men puljen skal have mindst 1.",),
            id="no-applications",
        ),
        pytest.param(
            [DRAGOER, KOEBENHAVN, candidate(661, "Holstebro", MIDT_NORD, MELLEM, "4,0"),
             candidate(479, "Svendborg", SYD, MELLEM, "3,6")],
            SelectionRules(min_count=2, max_count=3),
            (("Med de ansøgninger, der kan vælges, kræver kravene om mindst én kommune fra hvert AMK, mindst én "
              "lille kommune og mindst én stor kommune 4 kommuner, men der må højst vælges 3."),),
            id="combined-gap",
        ),
        pytest.param(
            FIELD,
            SelectionRules(min_count=1, max_count=2, min_per_size={}),
            ("Kravet om mindst én kommune fra hvert AMK kræver 3 kommuner, men der må højst vælges 2.",),
            id="combined-amk-alone",
        ),
        pytest.param(
            FIELD,
            SelectionRules(min_count=1, max_count=2, min_per_size={LILLE: 2, STOR: 2}),
            (("Kravene om mindst én kommune fra hvert AMK, mindst 2 små kommuner og mindst 2 store kommuner "
              "kræver mindst 4 kommuner, men der må højst vælges 2."),),
            id="combined-both-alone",
        ),
        pytest.param(
            FIELD,
            SelectionRules(min_count=1, max_count=3, min_per_amk={}, min_per_size={LILLE: 2, STOR: 2}),
            (("Kravene om mindst 2 små kommuner og mindst 2 store kommuner kræver 4 kommuner, men der må højst "
              "vælges 3."),),
            id="combined-sizes-alone",
        ),
    ],
)
def test_suggest_selection_unkeepable_rule_is_named(field, rules, expected):
    # Act
    suggestion = suggest_selection(field, rules)

    # Assert
    assert suggestion.problems == expected
    assert suggestion.feasible is False
    assert suggestion.selected == ()


def test_suggest_selection_infeasible_explains_every_candidate():
    # Act
    suggestion = suggest_selection(FIELD, SelectionRules(min_count=1, max_count=2))

    # Assert
    assert suggestion.explanations == {
        751: "Fravalgt: ingen udvælgelse kan overholde puljens krav.",
        657: "Fravalgt: ingen udvælgelse kan overholde puljens krav.",
        101: "Fravalgt: ingen udvælgelse kan overholde puljens krav.",
        791: "Fravalgt: ingen udvælgelse kan overholde puljens krav.",
        461: "Fravalgt: ingen udvælgelse kan overholde puljens krav.",
        492: "Fravalgt: ingen udvælgelse kan overholde puljens krav.",
        155: "Fravalgt: ingen udvælgelse kan overholde puljens krav.",
        741: "Fravalgt: ikke bedømt endnu.",
    }


@pytest.mark.parametrize(
    ("score", "decimals", "expected"),
    [
        (Fraction(21, 5), 1, "4,2"),
        (Fraction(17, 4), 1, "4,3"),
        (Fraction(3), 1, "3,0"),
        (Fraction(10, 3), 2, "3,33"),
        (Fraction(5), 0, "5"),
    ],
)
def test_format_points_rounds_half_up_with_decimal_comma(score, decimals, expected):
    # Act / Assert
    assert format_points(score, decimals) == expected


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: suggest_selection([AARHUS, AARHUS], SelectionRules()), ValueError),
        (lambda: candidate(1, "X", OST, LILLE, "5,5"), ValueError),
        (lambda: Candidate(1, "X", OST, LILLE, 4.2), TypeError),
        (lambda: SelectionRules(min_count=15, max_count=14), ValueError),
        (lambda: SelectionRules(min_count=0, max_count=0), ValueError),
        (lambda: SelectionRules(min_per_amk={OST: -1}), ValueError),
        (lambda: SelectionRules(min_per_size={OST: 1}), ValueError),
    ],
    ids=["duplicate-code", "score-above-5", "float-score", "min-over-max", "no-seats", "negative-minimum",
         "amk-as-size"],
)
def test_suggest_inputs_malformed_raise(make, error):
    # Act / Assert
    with pytest.raises(error):
        make()


# --- exactness against brute force --------------------------------------------------------------


def keeps_rules(members, rules) -> bool:
    return (
        rules.min_count <= len(members) <= rules.max_count
        and all(c.score is not None and (rules.min_score is None or c.score >= rules.min_score) for c in members)
        and all(sum(c.amk is amk for c in members) >= n for amk, n in rules.min_per_amk.items())
        and all(sum(c.size_class is s for c in members) >= n for s, n in rules.min_per_size.items())
    )


def brute_force(candidates, rules):
    """Every subset: the best total, ties to the lexicographically smallest ranks; None if none keeps the rules."""
    ranking = sorted((c for c in candidates if c.score is not None), key=lambda c: (-c.score, c.code))
    eligible = [c for c in ranking if rules.min_score is None or c.score >= rules.min_score]
    best = None
    for size in range(rules.min_count, min(rules.max_count, len(eligible)) + 1):
        for chosen in combinations(range(len(eligible)), size):
            members = [eligible[i] for i in chosen]
            if not keeps_rules(members, rules):
                continue
            key = (sum(c.score for c in members), tuple(-i for i in chosen))
            if best is None or key > best[0]:
                best = (key, tuple(c.code for c in members))
    return best


# Quarter points give many ties; a third or two give denominators other than powers of ten.
SCORES = st.sampled_from([None, None] + [Fraction(n, 4) for n in range(4, 21)] + [Fraction(10, 3), Fraction(11, 3)])
MINIMUMS = st.sampled_from([0, 0, 0, 1, 1, 2])


@st.composite
def cases(draw):
    size = draw(st.integers(0, 12))
    codes = draw(st.lists(st.integers(101, 860), min_size=size, max_size=size, unique=True))
    field = [Candidate(code, f"K{code}", draw(st.sampled_from(AMK)), draw(st.sampled_from(SizeClass)), draw(SCORES))
             for code in codes]
    max_count = draw(st.integers(1, 5))
    rules = SelectionRules(
        min_count=draw(st.integers(0, max_count)),
        max_count=max_count,
        min_score=draw(st.sampled_from([None, None, Fraction(2), Fraction(5, 2), Fraction(3)])),
        min_per_amk={amk: draw(MINIMUMS) for amk in AMK},
        min_per_size={size: draw(MINIMUMS) for size in SizeClass},
    )
    return field, rules


@given(cases())
@settings(max_examples=500, database=None, deadline=None)
def test_suggest_selection_any_small_case_equals_brute_force(case):
    # Arrange
    field, rules = case

    # Act
    suggestion = suggest_selection(field, rules)
    expected = brute_force(field, rules)

    # Assert
    if expected is None:
        assert suggestion.feasible is False
        assert suggestion.problems != ()
    else:
        assert suggestion.problems == ()
        assert keeps_rules([c for c in field if c.code in suggestion.selected], rules) is True
        assert suggestion.total_score == expected[0][0]
        assert suggestion.selected == expected[1]
        chosen = {code for code, reason in suggestion.explanations.items() if reason.startswith("Valgt")}
        assert chosen == set(suggestion.selected)
    ranked = sorted(field, key=lambda c: (c.score is None, -(c.score or 0), c.code))
    assert list(suggestion.explanations) == [c.code for c in ranked]


# --- real size ------------------------------------------------------------------------------------


def realistic_field(seed: int) -> list[Candidate]:
    """The 98 kommuner, each scored as the mean of two reviews' weighted means over four sections."""
    rng = random.Random(seed)
    return [
        Candidate(fact.code, fact.name, fact.amk, size_class(fact.population, SizeThresholds()),
                  Fraction(sum(rng.choice((2, 3, 3, 4, 4, 5)) for _ in range(8)), 8))
        for fact in load_kommune_facts()
    ]


@pytest.mark.parametrize(
    "rules",
    [
        SelectionRules(),
        SelectionRules(min_score=Fraction(3), min_per_amk={OST: 4, MIDT_NORD: 4, SYD: 4},
                       min_per_size={LILLE: 4, MELLEM: 3, STOR: 4}),
    ],
)
def test_suggest_selection_98_candidates_choose_14_within_a_second(rules):
    # Arrange
    field = realistic_field(seed=2017)

    # Act
    suggestion, elapsed = best_cpu_seconds(lambda: suggest_selection(field, rules))

    # Assert
    assert len(suggestion.selected) == 14
    assert elapsed < 1.0
