"""Unit tests for portal.reports.measures: exact shares per quarter and cumulatively, the pool, and Danish formats."""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.reports.measures import (
    COUNTS,
    NO_DATA,
    KommuneFigures,
    Quarter,
    QuarterFigures,
    Ratio,
    format_percent,
    format_points,
    format_ratio,
    kommune_timeline,
    measures_of,
    others_timeline,
    pool_timeline,
)

Q4_2017, Q1_2018 = Quarter(2017, 4), Quarter(2018, 1)
QUARTERS = (Q4_2017, Q1_2018, Quarter(2018, 2), Quarter(2018, 3), Quarter(2018, 4))

HERNING = KommuneFigures(
    code=657, name="Herning", baseline_permille=280, grant_kr=800_000,
    quarters=(
        # Given out of order: the timeline sorts by quarter.
        QuarterFigures(Q1_2018, new_recipients=120, conversations_held=320, held_at_workplace=230,
                       measure_before_week_13=45, spent_kr=250_000),
        QuarterFigures(Q4_2017, new_recipients=100, conversations_held=300, held_at_workplace=180,
                       measure_before_week_13=30, spent_kr=150_000),
    ))


def _counts(figures: QuarterFigures) -> dict[str, int]:
    return {name: getattr(figures, name) for name in COUNTS}


def _added(*many: dict[str, int]) -> dict[str, int]:
    return {name: sum(counts[name] for counts in many) for name in COUNTS}


# --- the worked Herning example --------------------------------------------------------------------------------------

def test_kommune_timeline_herning_has_hand_computed_shares_per_quarter_and_cumulative():
    # Act
    timeline = kommune_timeline(HERNING)

    # Assert
    first, second = timeline.rows
    assert (timeline.name, first.quarter, second.quarter) == ("Herning", Q4_2017, Q1_2018)
    assert first.in_quarter.workplace == Ratio(180, 300)
    assert first.cumulative.workplace == Ratio(180, 300)
    assert second.in_quarter.workplace == Ratio(230, 320)
    assert second.cumulative.workplace == Ratio(410, 620)
    assert [format_ratio(first.in_quarter.workplace), format_ratio(second.in_quarter.workplace),
            format_ratio(second.cumulative.workplace)] == ["60,0 %", "71,9 %", "66,1 %"]


def test_kommune_timeline_herning_early_measure_change_is_exact_percentage_points():
    # Act
    timeline = kommune_timeline(HERNING)

    # Assert: 30/100 = 30 %, 45/120 = 37,5 %, 75/220 = 34,09… % against a baseline of 28 %.
    first, second = timeline.rows
    assert second.cumulative.baseline == Fraction(28, 100)
    assert [first.in_quarter.early_measure_change, second.in_quarter.early_measure_change,
            second.cumulative.early_measure_change] == [Fraction(2), Fraction(19, 2), Fraction(67, 11)]
    assert format_points(second.cumulative.early_measure_change) == "+6,1 procentpoint"


def test_kommune_timeline_herning_spending_is_a_share_of_the_whole_grant():
    # Act
    timeline = kommune_timeline(HERNING)

    # Assert: 150.000 and 250.000 of 800.000; 3/16 = 18,75 % rounds half up.
    first, second = timeline.rows
    assert [first.in_quarter.spending, second.in_quarter.spending, second.cumulative.spending] == [
        Ratio(150_000, 800_000), Ratio(250_000, 800_000), Ratio(400_000, 800_000)]
    assert [format_ratio(first.in_quarter.spending), format_ratio(second.in_quarter.spending),
            format_ratio(second.cumulative.spending)] == ["18,8 %", "31,3 %", "50,0 %"]


def test_kommune_timeline_herning_total_is_off_track_on_both_criteria():
    # Act
    timeline = kommune_timeline(HERNING)

    # Assert
    assert timeline.off_track == [
        "66,1 % af de første samtaler på arbejdspladsen (mål 70 %)",
        "virksomhedsrettet indsats inden uge 13 +6,1 procentpoint i forhold til udgangspunktet "
        "(mål +10 procentpoint)",
    ]


def test_pool_timeline_baseline_of_each_row_is_weighted_by_that_rows_new_recipients():
    # Arrange: Aarhus reports from Q4 2017, Odense only from Q1 2018.
    aarhus = KommuneFigures(code=751, name="Aarhus", baseline_permille=100, grant_kr=600_000, quarters=(
        QuarterFigures(Q4_2017, new_recipients=100, measure_before_week_13=25),))
    odense = KommuneFigures(code=461, name="Odense", baseline_permille=500, grant_kr=400_000, quarters=(
        QuarterFigures(Q1_2018, new_recipients=900, measure_before_week_13=500),))

    # Act
    pool = pool_timeline([aarhus, odense])

    # Assert: Q4 2017 is Aarhus alone (25 % against 10 %), whatever Odense reports later.
    first, second = pool.rows
    assert [first.in_quarter.baseline, first.cumulative.baseline, second.in_quarter.baseline,
            second.cumulative.baseline, pool.total.baseline] == [
        Fraction(1, 10), Fraction(1, 10), Fraction(1, 2), Fraction(46, 100), Fraction(46, 100)]
    assert [first.cumulative.early_measure_change, second.in_quarter.early_measure_change,
            second.cumulative.early_measure_change] == [Fraction(15), Fraction(50, 9), Fraction(13, 2)]


# --- no data ---------------------------------------------------------------------------------------------------------

def test_ratio_zero_whole_has_no_value_and_shows_no_data():
    # Arrange
    ratio = Ratio(0, 0)

    # Act
    shown = format_ratio(ratio)

    # Assert
    assert (ratio.value, shown) == (None, "Ingen data")


def test_measures_zero_denominators_give_none_and_no_problems():
    # Arrange: new recipients and cases, but no conversations held and no baseline.
    totals = QuarterFigures(Q4_2017, new_recipients=10, measure_before_week_13=3)

    # Act
    measures = measures_of(totals, grant_kr=0, baseline=None)

    # Assert
    assert [measures.workplace.value, measures.employer.value, measures.before_week_8.value,
            measures.work_or_education.value, measures.spending.value, measures.early_measure_change] == [None] * 6
    assert [format_ratio(measures.workplace), format_points(measures.early_measure_change)] == [NO_DATA, NO_DATA]
    assert measures.problems == []


def test_kommune_timeline_no_quarters_is_empty_with_no_data_and_no_problems():
    # Arrange
    kommune = KommuneFigures(code=101, name="København", baseline_permille=250, grant_kr=500_000, quarters=())

    # Act
    timeline = kommune_timeline(kommune)

    # Assert
    total = timeline.total
    assert timeline.rows == ()
    assert [total.workplace.value, total.employer.value, total.before_week_8.value, total.early_measure.value,
            total.work_or_education.value, total.early_measure_change] == [None] * 6
    # Nothing spent of a grant is a known 0 %, not missing data.
    assert total.spending == Ratio(0, 500_000)
    assert timeline.off_track == []


@pytest.mark.parametrize(
    ("held", "at_workplace", "new", "early", "baseline", "expected"),
    [
        (100, 70, 100, 38, Fraction(28, 100), []),
        (1000, 699, 100, 38, Fraction(28, 100), ["workplace"]),
        (100, 70, 100, 37, Fraction(28, 100), ["early_measure"]),
        (100, 10, 100, 0, Fraction(28, 100), ["workplace", "early_measure"]),
        (0, 0, 100, 0, None, []),
        (0, 0, 0, 0, Fraction(28, 100), []),
    ],
    ids=["on-track-at-the-limits", "workplace-below", "change-below", "both-below", "no-data", "no-recipients"],
)
def test_measures_problems_name_each_criterion_below_its_goal(held, at_workplace, new, early, baseline, expected):
    # Arrange
    totals = QuarterFigures(Q4_2017, conversations_held=held, held_at_workplace=at_workplace, new_recipients=new,
                            measure_before_week_13=early)

    # Act
    problems = measures_of(totals, grant_kr=1, baseline=baseline).problems

    # Assert
    assert _criteria(problems) == expected


def _criteria(problems: list[str]) -> list[str]:
    return ["workplace" if "arbejdspladsen" in problem else "early_measure" for problem in problems]


# --- formatting ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (Fraction(2, 3), "66,7 %"),
        (Fraction(1, 8), "12,5 %"),
        (Fraction(1, 16), "6,3 %"),
        (Fraction(1, 3), "33,3 %"),
        (Fraction(0), "0,0 %"),
        (Fraction(1), "100,0 %"),
        (Fraction(7, 10), "70,0 %"),
        (Fraction(6999, 10000), "70,0 %"),
        (Fraction(-1, 2000), "-0,1 %"),
        (Fraction(-1, 3000), "0,0 %"),
    ],
)
def test_format_percent_rounds_half_up_at_one_decimal(share, expected):
    assert format_percent(share) == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (Ratio(2, 3), "66,7 %"),
        (Ratio(1, 16), "6,3 %"),
        (Ratio(0, 5), "0,0 %"),
        (Ratio(0, 0), NO_DATA),
        (Ratio(3, 0), NO_DATA),
    ],
)
def test_format_ratio_shows_percent_or_no_data(ratio, expected):
    assert format_ratio(ratio) == expected


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (Fraction(0), "+0,0 procentpoint"),
        (Fraction(-1, 20), "-0,1 procentpoint"),
        (Fraction(1, 20), "+0,1 procentpoint"),
        (Fraction(-1, 25), "+0,0 procentpoint"),
        (Fraction(123, 10), "+12,3 procentpoint"),
        (Fraction(-2), "-2,0 procentpoint"),
        (Fraction(67, 11), "+6,1 procentpoint"),
        (None, NO_DATA),
    ],
)
def test_format_points_shows_sign_and_one_decimal(points, expected):
    assert format_points(points) == expected


def test_quarter_label_is_danish_and_quarters_order_by_year_then_number():
    assert [quarter.label for quarter in sorted([Quarter(2018, 1), Quarter(2017, 4), Quarter(2018, 4)])] == [
        "4. kvt. 2017", "1. kvt. 2018", "4. kvt. 2018"]


# --- properties ------------------------------------------------------------------------------------------------------

@st.composite
def quarter_figures(draw, quarter: Quarter) -> QuarterFigures:
    """Counts where every part is at most its whole, as checked reports have."""
    held, new, ended = (draw(st.integers(0, 60)) for _ in range(3))
    return QuarterFigures(
        quarter, new_recipients=new, conversations_held=held,
        planned_at_workplace=draw(st.integers(0, held)), held_at_workplace=draw(st.integers(0, held)),
        with_employer=draw(st.integers(0, held)), held_before_week_8=draw(st.integers(0, held)),
        measure_before_week_13=draw(st.integers(0, new)), cases_ended=ended,
        in_work_or_education=draw(st.integers(0, ended)), phone_follow_ups=draw(st.integers(0, 20)),
        spent_kr=draw(st.integers(0, 100_000)))


@st.composite
def kommune_figures(draw, code: int) -> KommuneFigures:
    quarters = draw(st.lists(st.sampled_from(QUARTERS), unique=True, max_size=len(QUARTERS)))
    figures = tuple(draw(quarter_figures(quarter)) for quarter in quarters)
    # The grant is at least what was spent, so the spending share stays within [0, 1] too.
    grant_kr = sum(item.spent_kr for item in figures) + draw(st.integers(0, 500_000))
    return KommuneFigures(code=code, name=f"Kommune {code}",
                          baseline_permille=draw(st.none() | st.integers(0, 1000)), grant_kr=grant_kr,
                          quarters=figures)


@st.composite
def pools(draw) -> list[KommuneFigures]:
    codes = draw(st.lists(st.integers(101, 860), unique=True, min_size=1, max_size=3))
    return [draw(kommune_figures(code)) for code in codes]


def _shares(measures) -> list[Ratio]:
    return [measures.workplace, measures.employer, measures.before_week_8, measures.early_measure,
            measures.work_or_education, measures.spending]


@settings(max_examples=25, database=None)
@given(pools())
def test_timeline_cumulative_through_last_quarter_equals_total(kommuner):
    # Act
    timelines = [kommune_timeline(kommune) for kommune in kommuner] + [pool_timeline(kommuner)]

    # Assert
    for timeline in timelines:
        if timeline.rows:
            assert timeline.rows[-1].cumulative == timeline.total


@settings(max_examples=25, database=None)
@given(pools())
def test_timeline_cumulative_counts_equal_sum_of_quarter_counts(kommuner):
    # Act
    timeline = pool_timeline(kommuner)

    # Assert
    for index, row in enumerate(timeline.rows):
        so_far = [_counts(earlier.in_quarter.totals) for earlier in timeline.rows[:index + 1]]
        assert _counts(row.cumulative.totals) == _added(*so_far)


@settings(max_examples=25, database=None)
@given(pools())
def test_pool_timeline_counts_equal_sum_over_kommuner(kommuner):
    # Act
    pool = pool_timeline(kommuner)

    # Assert
    for row in pool.rows:
        in_quarter = [_counts(item) for kommune in kommuner for item in kommune.quarters if item.quarter == row.quarter]
        assert _counts(row.in_quarter.totals) == _added(*in_quarter)
    assert _counts(pool.total.totals) == _added(*(_counts(kommune_timeline(kommune).total.totals)
                                                 for kommune in kommuner))
    assert pool.total.spending.whole == sum(kommune.grant_kr for kommune in kommuner)


@settings(max_examples=25, database=None)
@given(pools(), st.data())
def test_pool_timeline_counts_are_others_plus_the_kommune(kommuner, data):
    # Arrange
    kommune = data.draw(st.sampled_from(kommuner))

    # Act
    pool, others, own = pool_timeline(kommuner), others_timeline(kommuner, kommune.code), kommune_timeline(kommune)

    # Assert
    assert others.name == "De øvrige kommuner"
    for row in pool.rows:
        assert _counts(row.in_quarter.totals) == _added(_in_quarter(others, row.quarter), _in_quarter(own, row.quarter))
        assert _counts(row.cumulative.totals) == _added(_through(others, row.quarter), _through(own, row.quarter))
    assert _counts(pool.total.totals) == _added(_counts(others.total.totals), _counts(own.total.totals))


def _in_quarter(timeline, quarter: Quarter) -> dict[str, int]:
    """The counts of one quarter; zero when the timeline has no figures for it."""
    rows = [row for row in timeline.rows if row.quarter == quarter]
    return _counts(rows[0].in_quarter.totals if rows else QuarterFigures(quarter))


def _through(timeline, quarter: Quarter) -> dict[str, int]:
    """The cumulative counts up to and including a quarter, which the timeline may not have itself."""
    rows = [row for row in timeline.rows if row.quarter <= quarter]
    return _counts(rows[-1].cumulative.totals if rows else QuarterFigures(quarter))


@settings(max_examples=25, database=None)
@given(pools())
def test_timeline_shares_with_data_lie_between_zero_and_one(kommuner):
    # Act
    timeline = pool_timeline(kommuner)

    # Assert
    every = [measures for row in timeline.rows for measures in (row.in_quarter, row.cumulative)] + [timeline.total]
    values = [ratio.value for measures in every for ratio in _shares(measures) if ratio.whole > 0]
    assert [value for value in values if not 0 <= value <= 1] == []


@settings(max_examples=25, database=None)
@given(pools(), st.randoms(use_true_random=False))
def test_pool_timeline_order_of_kommuner_and_quarters_does_not_matter(kommuner, random):
    # Arrange
    shuffled = [KommuneFigures(kommune.code, kommune.name, kommune.baseline_permille, kommune.grant_kr,
                               tuple(random.sample(kommune.quarters, len(kommune.quarters))))
                for kommune in random.sample(kommuner, len(kommuner))]

    # Act
    original, reordered = pool_timeline(kommuner), pool_timeline(shuffled)

    # Assert
    assert reordered == original


@settings(max_examples=25, database=None)
@given(pools())
def test_pool_timeline_weighted_baseline_lies_between_the_kommuners_baselines(kommuner):
    # Arrange
    baselines = [Fraction(kommune.baseline_permille, 1000) for kommune in kommuner
                 if kommune.baseline_permille is not None]

    # Act
    timeline = pool_timeline(kommuner)

    # Assert
    every = [timeline.total.baseline] + [measures.baseline for row in timeline.rows
                                         for measures in (row.in_quarter, row.cumulative)]
    if baselines:
        assert [baseline for baseline in every if not min(baselines) <= baseline <= max(baselines)] == []
    else:
        assert every == [None] * len(every)


@settings(max_examples=30, database=None)
@given(pools())
def test_timeline_off_track_exactly_when_a_criterion_with_data_misses_its_goal(kommuner):
    # Arrange
    timelines = [kommune_timeline(kommune) for kommune in kommuner] + [pool_timeline(kommuner)]
    expected = [_expected_criteria(timeline.total) for timeline in timelines]

    # Act
    off_track = [_criteria(timeline.off_track) for timeline in timelines]

    # Assert
    assert off_track == expected


def _expected_criteria(measures) -> list[str]:
    """The goals stated independently: 70 % at the workplace, and +10 points on the baseline."""
    workplace, early, baseline = measures.workplace, measures.early_measure, measures.baseline
    missed = []
    if workplace.whole > 0 and workplace.part * 10 < workplace.whole * 7:
        missed.append("workplace")
    if early.whole > 0 and baseline is not None and Fraction(early.part, early.whole) - baseline < Fraction(1, 10):
        missed.append("early_measure")
    return missed


@settings(max_examples=25, database=None)
@given(pools(), st.sampled_from(QUARTERS))
def test_pool_timeline_rows_do_not_change_when_later_quarters_are_reported(kommuner, quarter):
    # Arrange
    so_far = [KommuneFigures(kommune.code, kommune.name, kommune.baseline_permille, kommune.grant_kr,
                             tuple(item for item in kommune.quarters if item.quarter <= quarter))
              for kommune in kommuner]

    # Act
    later, then = pool_timeline(kommuner), pool_timeline(so_far)

    # Assert
    assert [row for row in later.rows if row.quarter <= quarter] == list(then.rows)
