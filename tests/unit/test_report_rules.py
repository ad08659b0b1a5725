"""Unit tests for portal.reports.rules: the checks on a quarter's figures and the final account's settlement."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.reports.rules import NO_CONVERSATIONS, AccountLine, Findings, check_figures, settle_account
from portal.reports.template import FIGURE_KEYS, FIGURES

MISSING = "Skriv antallet. Skriv 0, hvis der ingen var."
NEGATIVE = "Antallet kan ikke være negativt."
SPENDING_MISSING = "Skriv forbruget. Skriv 0, hvis I intet har brugt."
SPENDING_NEGATIVE = "Forbruget kan ikke være negativt. Træk en tilbagebetaling fra i et senere kvartal og forklar den."
NO_NEW = "Ingen nye sygedagpengemodtagere i kvartalet. Er det rigtigt?"

CONSULTANTS, TRAINING = "fastholdelseskonsulenter", "kompetenceudvikling"
PARTS = {figure.key: figure.part_of for figure in FIGURES if figure.part_of}

# A plausible quarter for Herning: every count filled in, every part within its whole, nothing to warn about.
QUARTER = {
    "new_recipients": 120, "conversations_held": 110, "planned_at_workplace": 90, "held_at_workplace": 80,
    "with_employer": 60, "held_before_week_8": 70, "measure_before_week_13": 40, "cases_ended": 50,
    "in_work_or_education": 35, "phone_follow_ups": 5,
}
SPENDING = {CONSULTANTS: 150_000, TRAINING: 20_000}


# --- check_figures: errors -------------------------------------------------------------------------------------------

def test_check_figures_complete_quarter_has_no_findings():
    # Act
    found = check_figures(QUARTER, SPENDING, complete=True, expected_per_quarter=123 * 3)

    # Assert
    assert (found.errors, found.warnings) == ({}, {})


def test_check_figures_draft_allows_everything_empty():
    # Act
    found = check_figures({}, {CONSULTANTS: None, TRAINING: None}, complete=False)

    # Assert
    assert (found.errors, found.warnings) == ({}, {})


def test_check_figures_complete_and_empty_gives_an_error_at_every_field():
    # Act
    found = check_figures({}, {CONSULTANTS: None, TRAINING: None}, complete=True)

    # Assert
    assert found.errors == {**{key: MISSING for key in FIGURE_KEYS},
                            f"spending_{CONSULTANTS}": SPENDING_MISSING, f"spending_{TRAINING}": SPENDING_MISSING}
    assert found.warnings == {}


@pytest.mark.parametrize("key", FIGURE_KEYS)
def test_check_figures_complete_with_one_count_missing_names_that_count(key):
    # Arrange
    figures = {**QUARTER, key: None}

    # Act
    found = check_figures(figures, SPENDING, complete=True)

    # Assert
    assert found.errors == {key: MISSING}


@pytest.mark.parametrize("complete", [False, True])
@pytest.mark.parametrize("key", FIGURE_KEYS)
def test_check_figures_negative_count_is_an_error(key, complete):
    # Arrange
    figures = {**QUARTER, key: -1}

    # Act
    found = check_figures(figures, SPENDING, complete=complete)

    # Assert: the parts of a negative whole are not also said to exceed it.
    assert found.errors == {key: NEGATIVE}


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("planned_at_workplace", "Kan ikke være flere end første opfølgningssamtaler holdt (110)."),
        ("held_at_workplace", "Kan ikke være flere end første opfølgningssamtaler holdt (110)."),
        ("with_employer", "Kan ikke være flere end første opfølgningssamtaler holdt (110)."),
        ("held_before_week_8", "Kan ikke være flere end første opfølgningssamtaler holdt (110)."),
        ("in_work_or_education", "Kan ikke være flere end afsluttede forløb (50)."),
    ],
)
def test_check_figures_part_above_its_whole_is_an_error_on_the_part(key, expected):
    # Arrange
    figures = {**QUARTER, key: QUARTER[PARTS[key]] + 1}

    # Act
    found = check_figures(figures, SPENDING, complete=False)

    # Assert
    assert found.errors == {key: expected}


def test_check_figures_part_equal_to_its_whole_is_allowed():
    # Arrange
    figures = {**QUARTER, **{key: QUARTER[whole] for key, whole in PARTS.items()}}

    # Act
    found = check_figures(figures, SPENDING, complete=True)

    # Assert
    assert found.errors == {}


@pytest.mark.parametrize(
    ("amount", "complete", "expected"),
    [
        (-1, False, {f"spending_{TRAINING}": SPENDING_NEGATIVE}),
        (-1, True, {f"spending_{TRAINING}": SPENDING_NEGATIVE}),
        (None, True, {f"spending_{TRAINING}": SPENDING_MISSING}),
        (None, False, {}),
        (0, True, {}),
    ],
)
def test_check_figures_spending_errors_are_keyed_by_category(amount, complete, expected):
    # Arrange
    spending = {**SPENDING, TRAINING: amount}

    # Act
    found = check_figures(QUARTER, spending, complete=complete)

    # Assert
    assert found.errors == expected


# --- check_figures: warnings -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("changes", "expected_per_quarter", "expected"),
    [
        ({"conversations_held": 0, "planned_at_workplace": 0, "held_at_workplace": 0, "with_employer": 0,
          "held_before_week_8": 0}, None, {"conversations_held": NO_CONVERSATIONS}),
        ({"new_recipients": 0, "measure_before_week_13": 0}, None, {"new_recipients": NO_NEW}),
        ({"measure_before_week_13": 121}, None, {
            "measure_before_week_13": "Flere end kvartalets nye sygedagpengemodtagere (120). Tjek, at I kun tæller "
                                      "personer fra kvartalet."}),
        ({"measure_before_week_13": 120}, None, {}),
        ({}, 59, {"new_recipients": "Mere end dobbelt så mange som forventet i ansøgningen (59 pr. kvartal). "
                                    "Tjek tallet."}),
        ({}, 60, {}),
        ({}, 0, {}),
    ],
    ids=["no-conversations", "no-new-recipients", "early-above-new", "early-equal-new", "above-twice-expected",
         "exactly-twice-expected", "nothing-expected"],
)
def test_check_figures_odd_counts_are_warnings_not_errors(changes, expected_per_quarter, expected):
    # Arrange
    figures = {**QUARTER, **changes}

    # Act
    found = check_figures(figures, SPENDING, complete=True, expected_per_quarter=expected_per_quarter)

    # Assert
    assert (found.errors, found.warnings) == ({}, expected)


def test_check_figures_negative_new_recipients_gives_no_early_measure_warning():
    # Arrange
    figures = {**QUARTER, "new_recipients": -5}

    # Act
    found = check_figures(figures, SPENDING, complete=True)

    # Assert
    assert (found.errors, found.warnings) == ({"new_recipients": NEGATIVE}, {})


def test_findings_field_with_an_error_gets_no_warning():
    # Arrange
    found = Findings()
    found.error("new_recipients", NEGATIVE)

    # Act
    found.warn("new_recipients", NO_NEW)
    found.warn("conversations_held", NO_CONVERSATIONS)

    # Assert
    assert (found.errors, found.warnings) == ({"new_recipients": NEGATIVE}, {"conversations_held": NO_CONVERSATIONS})


def test_findings_first_message_per_field_wins():
    # Arrange
    found = Findings()

    # Act
    found.error("cases_ended", MISSING)
    found.error("cases_ended", NEGATIVE)

    # Assert
    assert found.errors == {"cases_ended": MISSING}


@st.composite
def consistent_figures(draw) -> dict[str, int]:
    """Every count at least 0 and every part at most its whole."""
    figures = {key: draw(st.integers(0, 1000)) for key in FIGURE_KEYS if key not in PARTS}
    return figures | {key: draw(st.integers(0, figures[whole])) for key, whole in PARTS.items()}


@settings(max_examples=50, database=None)
@given(consistent_figures(), st.dictionaries(st.sampled_from([CONSULTANTS, TRAINING]), st.integers(0, 10**7)),
       st.none() | st.integers(0, 500))
def test_check_figures_consistent_figures_have_no_errors(figures, spending, expected_per_quarter):
    # Act
    found = check_figures(figures, spending, complete=True, expected_per_quarter=expected_per_quarter)

    # Assert
    assert found.errors == {}


@settings(max_examples=50, database=None)
@given(st.fixed_dictionaries({key: st.integers(0, 20) for key in FIGURE_KEYS}))
def test_check_figures_every_part_above_its_whole_has_an_error_at_that_part(figures):
    # Arrange
    above = {key for key, whole in PARTS.items() if figures[key] > figures[whole]}

    # Act
    found = check_figures(figures, {}, complete=True)

    # Assert
    assert set(found.errors) == above


@settings(max_examples=50, database=None)
@given(st.fixed_dictionaries({key: st.none() | st.integers(-3, 20) for key in FIGURE_KEYS}),
       st.booleans(), st.none() | st.integers(0, 10))
def test_check_figures_no_field_has_both_an_error_and_a_warning(figures, complete, expected_per_quarter):
    # Act
    found = check_figures(figures, {}, complete=complete, expected_per_quarter=expected_per_quarter)

    # Assert
    assert set(found.errors) & set(found.warnings) == set()


# --- settle_account --------------------------------------------------------------------------------------------------

def test_settle_account_overspending_one_line_is_not_covered_by_underspending_another():
    # Arrange: 30.000 kr. less spent than granted in all, but 60.000 kr. over on one line.
    granted = {(2017, CONSULTANTS): 200_000, (2018, CONSULTANTS): 500_000, (2018, TRAINING): 100_000}
    spent = {(2017, CONSULTANTS): 150_000, (2018, CONSULTANTS): 560_000, (2018, TRAINING): 60_000}

    # Act
    settlement = settle_account(granted, spent, paid_kr=800_000)

    # Assert
    assert [(line.covered_kr, line.difference_kr) for line in settlement.lines] == [
        (150_000, -50_000), (500_000, 60_000), (60_000, -40_000)]
    assert (settlement.granted_kr, settlement.spent_kr, settlement.covered_kr) == (800_000, 770_000, 710_000)
    assert (settlement.repay_kr, settlement.still_to_pay_kr) == (90_000, 0)


def test_settle_account_lines_are_sorted_over_every_line_granted_or_spent_on():
    # Arrange
    granted = {(2018, TRAINING): 100_000, (2018, CONSULTANTS): 500_000, (2017, TRAINING): 50_000}
    spent = {(2018, CONSULTANTS): 400_000, (2017, CONSULTANTS): 30_000}

    # Act
    settlement = settle_account(granted, spent, paid_kr=0)

    # Assert
    assert settlement.lines == (
        AccountLine(2017, CONSULTANTS, 0, 30_000),
        AccountLine(2017, TRAINING, 50_000, 0),
        AccountLine(2018, CONSULTANTS, 500_000, 400_000),
        AccountLine(2018, TRAINING, 100_000, 0),
    )
    assert [line.covered_kr for line in settlement.lines] == [0, 0, 400_000, 0]


@pytest.mark.parametrize(
    ("paid_kr", "expected"),
    [(600_000, (0, 100_000)), (700_000, (0, 0)), (750_000, (50_000, 0))],
    ids=["paid-less-than-covered", "paid-exactly-covered", "paid-more-than-covered"],
)
def test_settle_account_repay_or_still_to_pay_follows_what_was_paid(paid_kr, expected):
    # Arrange
    granted = {(2018, CONSULTANTS): 800_000}
    spent = {(2018, CONSULTANTS): 700_000}

    # Act
    settlement = settle_account(granted, spent, paid_kr=paid_kr)

    # Assert
    assert (settlement.repay_kr, settlement.still_to_pay_kr) == expected


@pytest.mark.parametrize(
    ("granted", "spent", "paid_kr"),
    [
        ({(2018, CONSULTANTS): -1}, {}, 0),
        ({}, {(2018, CONSULTANTS): -1}, 0),
        ({}, {}, -1),
    ],
    ids=["granted", "spent", "paid"],
)
def test_settle_account_negative_amount_is_refused(granted, spent, paid_kr):
    with pytest.raises(ValueError, match="amounts are never negative"):
        settle_account(granted, spent, paid_kr=paid_kr)


ACCOUNT_KEYS = st.tuples(st.sampled_from([2017, 2018]), st.sampled_from([CONSULTANTS, TRAINING, "rejser"]))
AMOUNTS = st.dictionaries(ACCOUNT_KEYS, st.integers(0, 10**6))


@settings(max_examples=50, database=None)
@given(AMOUNTS, AMOUNTS, st.integers(0, 3 * 10**6))
def test_settle_account_repay_and_still_to_pay_balance_what_is_covered(granted, spent, paid_kr):
    # Act
    settlement = settle_account(granted, spent, paid_kr=paid_kr)

    # Assert
    assert [(line.year, line.category) for line in settlement.lines] == sorted(set(granted) | set(spent))
    assert [line.covered_kr for line in settlement.lines] == [
        min(granted.get(key, 0), spent.get(key, 0)) for key in sorted(set(granted) | set(spent))]
    assert min(settlement.repay_kr, settlement.still_to_pay_kr) == 0
    assert settlement.covered_kr - settlement.paid_kr == settlement.still_to_pay_kr - settlement.repay_kr
