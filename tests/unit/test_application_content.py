"""Unit tests for portal.applications.content.read: a frozen submission's JSON read back for pages and receipts.

freeze() needs model objects and is covered by the integration tests; here the JSON is written by hand.
"""
from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

from portal.applications.content import ReadBudgetLine, read
from portal.applications.rules import BudgetTotals

FROZEN = {
    "number": 7,
    "submitted_at": "2017-08-03T10:15:00+00:00",
    "submitted_by": {"name": "Bodil Clark", "email": "bodil.clark@herning.dk"},
    "kommune": {"code": 657, "name": "Herning", "official_name": "Herning Kommune", "region": "Midtjylland",
                "amk": "Midt-Nord"},
    "pool": {"name": "Sammen om fastholdelse", "journal_number": "16/17959"},
    "answers": {
        "target_group_description": "Alle nye sygedagpengemodtagere fra beskæftigelse.",
        "new_per_month": 1845,
        "category_2_count": 300,
        "category_3_count": 100,
        "baseline_measure_permille": 235,
        "target_group_needs": "En tidlig samtale på arbejdspladsen.",
        "organisation_description": "Sagsbehandleren inviterer arbejdsgiveren.",
        "double_role_staff": 4,
        "ready_at_start": 3,
        "competence_description": "Kompetenceudvikling i efteråret.",
        "management_description": "Jobcenterchefen følger op hver måned.",
        "activities_description": "Fastholdelseskonsulenter.",
        "contact_name": "Bodil Clark",
        "contact_title": "Teamleder",
        "contact_email": "bodil.clark@herning.dk",
        "contact_phone": "96 28 28 28",
        "management_declaration": True,
    },
    "budget": [
        {"category": "Fastholdelseskonsulenter", "category_code": "fastholdelseskonsulenter", "year": 2017,
         "description": "Tre konsulenter, oktober–december", "amount_kr": 200_000},
        {"category": "Fastholdelseskonsulenter", "category_code": "fastholdelseskonsulenter", "year": 2018,
         "description": "Tre konsulenter, hele året", "amount_kr": 550_000},
        {"category": "Kompetenceudvikling af medarbejdere", "category_code": "kompetenceudvikling", "year": 2018,
         "description": "Kursus i dobbeltrollen", "amount_kr": 50_000},
    ],
    "budget_years": [2017, 2018],
}


def test_read_gives_sections_in_template_order():
    # Act
    application = read(FROZEN)

    # Assert
    assert [(part.section.number, part.section.key) for part in application.sections] == [
        (1, "maalgruppen"), (2, "organisering"), (3, "kompetencer"), (4, "ledelse"), (5, "oekonomi"), (6, "kontakt"),
    ]


def test_read_formats_answers_the_danish_way():
    # Act
    application = read(FROZEN)

    # Assert
    first, second, *_, last = application.sections
    assert [(answer.question.name, answer.text) for answer in first.answers] == [
        ("target_group_description", "Alle nye sygedagpengemodtagere fra beskæftigelse."),
        ("new_per_month", "1.845"),
        ("category_2_count", "300"),
        ("category_3_count", "100"),
        ("baseline_measure_permille", "23,5 %"),
        ("target_group_needs", "En tidlig samtale på arbejdspladsen."),
    ]
    assert [(answer.question.name, answer.text) for answer in second.answers] == [
        ("organisation_description", "Sagsbehandleren inviterer arbejdsgiveren."),
        ("double_role_staff", "4"),
        ("ready_at_start", "3"),
    ]
    assert [(answer.question.name, answer.text) for answer in last.answers] == [
        ("contact_name", "Bodil Clark"),
        ("contact_title", "Teamleder"),
        ("contact_email", "bodil.clark@herning.dk"),
        ("contact_phone", "96 28 28 28"),
        ("management_declaration", "Ja"),
    ]


def test_read_answer_missing_from_the_json_reads_as_empty():
    # Arrange: a submission frozen before a question was added to the template.
    content = copy.deepcopy(FROZEN)
    del content["answers"]["contact_title"]

    # Act
    application = read(content)

    # Assert
    assert [answer.text for answer in application.sections[-1].answers] == [
        "Bodil Clark", "", "bodil.clark@herning.dk", "96 28 28 28", "Ja"]


def test_read_gives_the_budget_lines_and_totals():
    # Act
    application = read(FROZEN)

    # Assert
    assert application.budget == [
        ReadBudgetLine("Fastholdelseskonsulenter", 2017, "Tre konsulenter, oktober–december", 200_000),
        ReadBudgetLine("Fastholdelseskonsulenter", 2018, "Tre konsulenter, hele året", 550_000),
        ReadBudgetLine("Kompetenceudvikling af medarbejdere", 2018, "Kursus i dobbeltrollen", 50_000),
    ]
    assert application.totals == BudgetTotals(per_year={2017: 200_000, 2018: 600_000}, total_kr=800_000)


def test_read_budget_year_without_lines_has_total_zero():
    # Arrange
    content = copy.deepcopy(FROZEN)
    content["budget"] = content["budget"][1:]

    # Act
    application = read(content)

    # Assert
    assert application.totals == BudgetTotals(per_year={2017: 0, 2018: 600_000}, total_kr=600_000)


def test_read_submitted_at_is_an_aware_instant():
    # Act
    application = read(FROZEN)

    # Assert
    assert application.submitted_at.utcoffset() == timedelta(0)
    assert application.submitted_at == datetime(2017, 8, 3, 10, 15, tzinfo=timezone.utc)


def test_read_keeps_who_where_and_which_pool():
    # Act
    application = read(FROZEN)

    # Assert
    assert (application.number, application.submitted_by_name, application.submitted_by_email,
            application.kommune, application.pool, application.answers) == (
        7, "Bodil Clark", "bodil.clark@herning.dk", FROZEN["kommune"], FROZEN["pool"], FROZEN["answers"])
