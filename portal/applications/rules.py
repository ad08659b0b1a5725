"""What makes an application complete and valid, its budget totals and its deadline; pure rules.

A draft may hold anything the fields can store; these rules say what must be fixed before it can
be submitted. Problems are keyed by form field name so that every message lands at its field:
'category_3_count', 'budget-0-amount_kr', and 'budget_total' for the budget as a whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Mapping

from portal.applications.template import QUESTIONS, Kind, Question, Section, section_of
from portal.formatting import format_kr, format_number

EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE_PATTERN = re.compile(r"\+?[\d ]{8,16}")
BUDGET_DESCRIPTION_LIMIT = 200


@dataclass(frozen=True)
class BudgetLineAnswer:
    """One line of the budget as stored in a draft; any part may still be missing."""

    category_code: str | None
    year: int | None
    description: str
    amount_kr: int | None

    @property
    def is_blank(self) -> bool:
        return not self.category_code and self.year is None and not self.description.strip() and self.amount_kr is None


@dataclass(frozen=True)
class ApplicationLimits:
    """The pool's facts the rules need."""

    max_grant_kr: int
    budget_years: tuple[int, ...]
    category_codes: tuple[str, ...]
    funds_from_on: date
    funds_to_on: date

    @property
    def project_months(self) -> int:
        """Whole calendar months the funds may be used in: 15 for October 2017 – December 2018."""
        return ((self.funds_to_on.year - self.funds_from_on.year) * 12
                + self.funds_to_on.month - self.funds_from_on.month + 1)


@dataclass(frozen=True)
class BudgetTotals:
    per_year: dict[int, int]
    total_kr: int


def budget_totals(lines: list[BudgetLineAnswer], years: tuple[int, ...]) -> BudgetTotals:
    """The sum per budget year (every year of the period, 0 when empty) and overall; missing amounts count 0."""
    per_year = {year: 0 for year in years}
    for line in lines:
        if line.amount_kr is not None and line.year is not None:
            per_year[line.year] = per_year.get(line.year, 0) + line.amount_kr
    return BudgetTotals(per_year=per_year, total_kr=sum(line.amount_kr or 0 for line in lines))


def _unanswered(value) -> bool:
    # Compared by identity: 0 is an answer, and 0 == False in Python.
    return value is None or value is False or value == ""


def _question_problem(question: Question, value) -> str | None:
    if _unanswered(value):
        if question.kind is Kind.CONFIRM:
            return "Bekræft, at kommunens ledelse står bag ansøgningen."
        if question.kind in (Kind.COUNT, Kind.PERCENT):
            return "Skriv et tal."
        return "Udfyld feltet."
    if question.is_text:
        text = str(value)
        if not text.strip():
            return "Udfyld feltet."
        if question.limit and len(text) > question.limit:
            return (f"Teksten må højst være på {format_number(question.limit)} tegn. "
                    f"Den er på {format_number(len(text))} tegn.")
        if question.kind is Kind.EMAIL and not EMAIL_PATTERN.fullmatch(text.strip()):
            return "Skriv en gyldig e-mailadresse, fx navn@kommune.dk."
        if question.kind is Kind.PHONE and (not PHONE_PATTERN.fullmatch(text.strip())
                                            or sum(character.isdigit() for character in text) < 8):
            return "Skriv et telefonnummer med mindst 8 cifre, fx 96 28 28 28."
    if question.kind is Kind.COUNT and value < 0:
        return "Tallet må ikke være negativt."
    if question.kind is Kind.PERCENT and not 0 <= value <= 1000:
        return "Skriv en andel mellem 0 og 100 %."
    return None


def _figures_problems(answers: Mapping[str, object], limits: ApplicationLimits) -> dict[str, str]:
    """Rules between the numbers: parts never exceed their whole, and the stock fits the inflow."""
    problems: dict[str, str] = {}
    staff, ready = answers.get("double_role_staff"), answers.get("ready_at_start")
    if isinstance(staff, int) and isinstance(ready, int) and ready > staff:
        problems["ready_at_start"] = (f"Der kan ikke være flere klar ved projektstart ({format_number(ready)}) "
                                      f"end medarbejdere i alt ({format_number(staff)}).")
    per_month = answers.get("new_per_month")
    category_2, category_3 = answers.get("category_2_count"), answers.get("category_3_count")
    if isinstance(per_month, int) and isinstance(category_2, int) and isinstance(category_3, int):
        # Everyone counted in categories 2 and 3 today entered the target group at some point; more of
        # them than the whole inflow over the project period means a figure is typed wrong.
        period_inflow = per_month * limits.project_months
        if category_3 > period_inflow:
            problems["category_3_count"] = (
                f"Kategori 3 ({format_number(category_3)}) kan ikke være større end hele målgruppen i "
                f"projektperioden ({limits.project_months} måneder × {format_number(per_month)} = "
                f"{format_number(period_inflow)}). Tjek tallene.")
        elif category_2 + category_3 > period_inflow:
            problems["category_2_count"] = (
                f"Kategori 2 og 3 ({format_number(category_2 + category_3)} i alt) kan ikke være flere end hele "
                f"målgruppen i projektperioden ({limits.project_months} måneder × {format_number(per_month)} = "
                f"{format_number(period_inflow)}). Tjek tallene.")
        elif category_2 + category_3 == 0:
            problems["category_2_count"] = "Kategori 2 og 3 kan ikke begge være 0: rammen beregnes ud fra dem."
    return problems


def budget_problems(lines: list[BudgetLineAnswer], limits: ApplicationLimits) -> dict[str, str]:
    """Each line needs an eligible category, a year in the period, a description and a positive whole amount;
    the total may not exceed the pool's maximum grant."""
    problems: dict[str, str] = {}
    years = ", ".join(str(year) for year in limits.budget_years)
    for index, line in enumerate(lines):
        prefix = f"budget-{index}-"
        if line.category_code not in limits.category_codes:
            problems[prefix + "category_code"] = "Vælg en af puljens kategorier."
        if line.year not in limits.budget_years:
            problems[prefix + "year"] = f"Vælg et år i perioden ({years})."
        if not line.description.strip():
            problems[prefix + "description"] = "Beskriv, hvad beløbet dækker."
        elif len(line.description) > BUDGET_DESCRIPTION_LIMIT:
            problems[prefix + "description"] = f"Beskrivelsen må højst være på {BUDGET_DESCRIPTION_LIMIT} tegn."
        if line.amount_kr is None:
            problems[prefix + "amount_kr"] = "Skriv beløbet i hele kroner."
        elif line.amount_kr <= 0:
            problems[prefix + "amount_kr"] = "Beløbet skal være større end 0 kr."
    total = sum(line.amount_kr or 0 for line in lines)
    if not lines:
        problems["budget_total"] = "Budgettet skal have mindst én linje."
    elif total > limits.max_grant_kr:
        problems["budget_total"] = (f"Budgettet er på {format_kr(total)} Det må højst være på "
                                    f"{format_kr(limits.max_grant_kr)}, som er puljens største tilskud.")
    return problems


def application_problems(answers: Mapping[str, object], lines: list[BudgetLineAnswer],
                         limits: ApplicationLimits) -> dict[str, str]:
    """Everything that stands between the draft and a submission, in the template's order, keyed by field."""
    problems: dict[str, str] = {}
    for question in QUESTIONS:
        problem = _question_problem(question, answers.get(question.name))
        if problem:
            problems[question.name] = problem
    for name, message in _figures_problems(answers, limits).items():
        problems.setdefault(name, message)
    problems.update(budget_problems(lines, limits))
    order = {question.name: index for index, question in enumerate(QUESTIONS)}
    budget_position = order["activities_description"] + 0.5
    return dict(sorted(problems.items(),
                       key=lambda item: order.get(item[0], budget_position)))


class SectionStatus(str, Enum):
    """How far a section has come; the value is what the task list shows."""

    NOT_STARTED = "Ikke påbegyndt"
    IN_PROGRESS = "I gang"
    COMPLETE = "Udfyldt"

    @property
    def label(self) -> str:
        return self.value


def section_status(section: Section, answers: Mapping[str, object], lines: list[BudgetLineAnswer],
                   problems: Mapping[str, str]) -> SectionStatus:
    """Not started while nothing is answered; complete when the section has no problems; else in progress."""
    answered = any(not _unanswered(answers.get(name)) for name in section.field_names)
    if section.has_budget and lines:
        answered = True
    if not answered:
        return SectionStatus.NOT_STARTED
    if any(section_of(name) is section for name in problems):
        return SectionStatus.IN_PROGRESS
    return SectionStatus.COMPLETE


def section_problems(section: Section, problems: Mapping[str, str]) -> dict[str, str]:
    return {name: message for name, message in problems.items() if section_of(name) is section}


def effective_deadline(pool_deadline_at: datetime, individual_deadline_at: datetime | None) -> datetime:
    """A reopened application has its own deadline; every other one has the pool's."""
    return individual_deadline_at or pool_deadline_at
