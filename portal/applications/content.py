"""An application's answers as plain data: for the rules, the frozen submission, and reading it back.

`freeze()` turns a draft into the JSON a Submission keeps; `read()` turns that JSON into sections of
labelled, Danish-formatted answers for the pages, the receipt PDF and the exports. No database access.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.applications.rules import ApplicationLimits, BudgetLineAnswer, BudgetTotals, budget_totals
from portal.applications.template import QUESTIONS, SECTIONS, Question, Section, display_answer


def answers_of(application) -> dict[str, object]:
    """The draft's answers by question name."""
    return {question.name: getattr(application, question.name) for question in QUESTIONS}


def budget_of(application) -> list[BudgetLineAnswer]:
    return [
        BudgetLineAnswer(
            category_code=line.category.code if line.category else None,
            year=line.year,
            description=line.description or "",
            amount_kr=line.amount_kr,
        )
        for line in application.budget_lines
    ]


def limits_of(pool) -> ApplicationLimits:
    return ApplicationLimits(
        max_grant_kr=pool.max_grant_kr,
        budget_years=tuple(pool.budget_years),
        category_codes=tuple(category.code for category in pool.budget_categories),
        funds_from_on=pool.funds_from_on,
        funds_to_on=pool.funds_to_on,
    )


def freeze(application, *, number: int, submitted_at: datetime, submitted_by) -> dict:
    """Everything the kommune submitted, as JSON that never changes afterwards."""
    kommune, pool = application.kommune, application.pool
    return {
        "number": number,
        "submitted_at": submitted_at.isoformat(),
        "submitted_by": {"name": submitted_by.name, "email": submitted_by.email},
        "kommune": {
            "code": kommune.code,
            "name": kommune.name,
            "official_name": kommune.official_name,
            "region": kommune.region.label,
            "amk": kommune.amk.label,
        },
        "pool": {"name": pool.name, "journal_number": pool.journal_number},
        "answers": answers_of(application),
        "budget": [
            {
                "category": line.category.name if line.category else "",
                "category_code": line.category.code if line.category else None,
                "year": line.year,
                "description": line.description,
                "amount_kr": line.amount_kr,
            }
            for line in application.budget_lines
        ],
        "budget_years": list(pool.budget_years),
    }


@dataclass(frozen=True)
class ReadAnswer:
    question: Question
    text: str


@dataclass(frozen=True)
class ReadSection:
    section: Section
    answers: list[ReadAnswer]


@dataclass(frozen=True)
class ReadBudgetLine:
    category: str
    year: int | None
    description: str
    amount_kr: int | None


@dataclass(frozen=True)
class ReadApplication:
    """A frozen submission made readable; `submitted_at` is an aware instant."""

    number: int
    submitted_at: datetime
    submitted_by_name: str
    submitted_by_email: str
    kommune: dict
    pool: dict
    sections: list[ReadSection]
    budget: list[ReadBudgetLine]
    totals: BudgetTotals
    answers: dict


def read(content: dict) -> ReadApplication:
    """A submission's JSON as labelled sections with formatted answers and budget totals."""
    answers = content["answers"]
    lines = [BudgetLineAnswer(line["category_code"], line["year"], line["description"], line["amount_kr"])
             for line in content["budget"]]
    return ReadApplication(
        number=content["number"],
        submitted_at=datetime.fromisoformat(content["submitted_at"]),
        submitted_by_name=content["submitted_by"]["name"],
        submitted_by_email=content["submitted_by"]["email"],
        kommune=content["kommune"],
        pool=content["pool"],
        sections=[
            ReadSection(section, [ReadAnswer(question, display_answer(question, answers.get(question.name)))
                                  for question in section.questions])
            for section in SECTIONS
        ],
        budget=[ReadBudgetLine(line["category"], line["year"], line["description"], line["amount_kr"])
                for line in content["budget"]],
        totals=budget_totals(lines, tuple(content["budget_years"])),
        answers=answers,
    )
