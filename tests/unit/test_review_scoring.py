"""The pure scoring rules: weighted scores, means, the Danish score format, and what a review lacks."""
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.review.scoring import (DEFAULT_WEIGHTS, SCORED_SECTIONS, SectionScore, application_score, format_score,
                                   review_problems, section_means, weighted_score, weights_problems)

points = st.fixed_dictionaries({key: st.integers(1, 5) for key in SCORED_SECTIONS})
weights = st.fixed_dictionaries({key: st.integers(0, 10) for key in SCORED_SECTIONS}).filter(
    lambda given_weights: sum(given_weights.values()) > 0)


def test_scored_sections_are_the_template_sections_but_contact():
    assert SCORED_SECTIONS == ("maalgruppen", "organisering", "kompetencer", "ledelse", "oekonomi")


def test_weighted_score_with_equal_weights_is_the_plain_mean():
    assert weighted_score(dict(zip(SCORED_SECTIONS, [4, 4, 3, 5, 2])), DEFAULT_WEIGHTS) == Fraction(18, 5)


def test_weighted_score_ignores_sections_weighted_zero_even_when_unscored():
    scores = {"maalgruppen": 4, "organisering": 4, "kompetencer": 3, "ledelse": 5, "oekonomi": None}

    assert weighted_score(scores, {**DEFAULT_WEIGHTS, "maalgruppen": 2, "oekonomi": 0}) == Fraction(20, 5)


def test_weighted_score_is_none_while_a_weighted_section_lacks_a_score():
    assert weighted_score({"maalgruppen": 4}, DEFAULT_WEIGHTS) is None


@given(points, weights)
def test_weighted_score_lies_between_the_lowest_and_highest_weighted_section(given_points, given_weights):
    counted = [given_points[key] for key in SCORED_SECTIONS if given_weights[key] > 0]

    assert min(counted) <= weighted_score(given_points, given_weights) <= max(counted)


@given(st.lists(points, min_size=1, max_size=6), weights)
def test_application_score_is_the_mean_of_review_scores(reviews, given_weights):
    expected = sum(weighted_score(review, given_weights) for review in reviews) / len(reviews)

    assert application_score(reviews, given_weights) == expected


def test_no_reviews_means_no_score_never_zero():
    assert (application_score([], DEFAULT_WEIGHTS), section_means([])) == (None, {key: None for key in SCORED_SECTIONS})


def test_section_means_are_exact():
    reviews = [dict(zip(SCORED_SECTIONS, [4, 4, 3, 5, 2])), dict(zip(SCORED_SECTIONS, [5, 3, 3, 4, 4]))]

    assert section_means(reviews) == {"maalgruppen": Fraction(9, 2), "organisering": Fraction(7, 2),
                                      "kompetencer": 3, "ledelse": Fraction(9, 2), "oekonomi": 3}


@pytest.mark.parametrize(("score", "shown"), [
    (None, "–"), (Fraction(37, 10), "3,7"), (Fraction(11, 3), "3,7"), (Fraction(7, 2), "3,5"), (Fraction(13, 4), "3,3"),
    (5, "5,0"), (1, "1,0"), (Fraction(449, 100), "4,5"), (Fraction(444, 100), "4,4"),
])
def test_format_score_one_decimal_with_comma_half_up(score, shown):
    assert format_score(score) == shown


@pytest.mark.parametrize(("given_weights", "expected"), [
    (DEFAULT_WEIGHTS, {}),
    ({**DEFAULT_WEIGHTS, "ledelse": 11}, {"ledelse": "Vægten skal være et helt tal fra 0 til 10."}),
    ({**DEFAULT_WEIGHTS, "ledelse": -1}, {"ledelse": "Vægten skal være et helt tal fra 0 til 10."}),
    ({key: 0 for key in SCORED_SECTIONS}, {"maalgruppen": "Mindst ét afsnit skal have en vægt over 0."}),
])
def test_weights_problems(given_weights, expected):
    assert weights_problems(given_weights) == expected


def test_review_problems_ask_for_every_missing_score_and_comment():
    sections = {"maalgruppen": SectionScore(4, "God beskrivelse."), "organisering": SectionScore(None, "Uklar."),
                "kompetencer": SectionScore(3, "  "), "ledelse": SectionScore(6, "Forkert skala."),
                "oekonomi": SectionScore(2, "x" * 2001)}

    assert review_problems(sections) == {
        "organisering_score": "Giv Organisering af indsatsen point fra 1 til 5.",
        "kompetencer_comment": "Skriv en kommentar til pointene for Medarbejderkompetencer.",
        "ledelse_score": "Giv Ledelse point fra 1 til 5.",
        "oekonomi_comment": "Kommentaren må højst være på 2.000 tegn.",
    }
