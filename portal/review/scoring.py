"""Scores against the template: the scored sections, their weights, and the means a caseworker defends.

Pure rules (standard library and the template only). A review gives each scored section a whole
score 1–5 and a comment; a review's score is the weighted mean of its sections; an application's
score is the mean of its submitted reviews' scores. All arithmetic is exact (Fraction).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from portal.applications.template import SECTIONS
from portal.review.suggest import format_points

SCORED_SECTIONS: tuple[str, ...] = tuple(section.key for section in SECTIONS if section.key != "kontakt")
SECTION_TITLES: dict[str, str] = {section.key: section.title for section in SECTIONS if section.key in SCORED_SECTIONS}
SCALE: tuple[int, ...] = (1, 2, 3, 4, 5)
SCALE_LABELS: dict[int, str] = {1: "Meget svag", 2: "Svag", 3: "Tilfredsstillende", 4: "God", 5: "Fremragende"}
DEFAULT_WEIGHTS: dict[str, int] = {key: 1 for key in SCORED_SECTIONS}
MAX_WEIGHT = 10
COMMENT_LIMIT = 2000


@dataclass(frozen=True)
class SectionScore:
    """One section of one review: a score 1–5 (None while a draft lacks it) and the reviewer's comment."""

    score: int | None
    comment: str = ""


def weights_problems(weights: Mapping[str, int]) -> dict[str, str]:
    """What is wrong with a set of section weights, keyed by section: whole numbers 0–10, not all 0."""
    problems = {key: f"Vægten skal være et helt tal fra 0 til {MAX_WEIGHT}."
                for key in SCORED_SECTIONS
                if not isinstance(weights.get(key), int) or not 0 <= weights[key] <= MAX_WEIGHT}
    if not problems and sum(weights[key] for key in SCORED_SECTIONS) == 0:
        problems[SCORED_SECTIONS[0]] = "Mindst ét afsnit skal have en vægt over 0."
    return problems


def review_problems(sections: Mapping[str, SectionScore]) -> dict[str, str]:
    """What a review lacks before it can be submitted: a score 1–5 and a comment for every section."""
    problems = {}
    for key in SCORED_SECTIONS:
        given = sections.get(key, SectionScore(None))
        if given.score not in SCALE:
            problems[f"{key}_score"] = f"Giv {SECTION_TITLES[key]} point fra 1 til 5."
        elif not given.comment.strip():
            problems[f"{key}_comment"] = f"Skriv en kommentar til pointene for {SECTION_TITLES[key]}."
        elif len(given.comment) > COMMENT_LIMIT:
            problems[f"{key}_comment"] = f"Kommentaren må højst være på {COMMENT_LIMIT:,} tegn.".replace(",", ".")
    return problems


def weighted_score(scores: Mapping[str, int | None], weights: Mapping[str, int]) -> Fraction | None:
    """One review's score: the weighted mean of its section scores; None if a weighted section lacks one."""
    weighted = [(weights.get(key, 0), scores.get(key)) for key in SCORED_SECTIONS if weights.get(key, 0) > 0]
    if not weighted or any(score is None for _, score in weighted):
        return None
    return Fraction(sum(weight * score for weight, score in weighted), sum(weight for weight, _ in weighted))


def mean(values: Sequence[int | Fraction]) -> Fraction | None:
    """The exact mean, or None for no values (never 0: no reviews is not a bad score)."""
    return Fraction(sum(values), len(values)) if values else None


def section_means(reviews: Sequence[Mapping[str, int]]) -> dict[str, Fraction | None]:
    """Each scored section's mean over the given (submitted) reviews."""
    return {key: mean([review[key] for review in reviews if review.get(key) is not None]) for key in SCORED_SECTIONS}


def application_score(reviews: Sequence[Mapping[str, int]], weights: Mapping[str, int]) -> Fraction | None:
    """An application's score: the mean of its submitted reviews' weighted scores (None with no reviews)."""
    return mean([score for review in reviews if (score := weighted_score(review, weights)) is not None])


def format_score(score: Fraction | None) -> str:
    """A score the Danish way with one decimal (4,2), half up; a dash when there is none."""
    return "–" if score is None else format_points(score)
