"""Unit tests for portal.applications.receipt: the receipt PDF shows the submission exactly as it was sent."""
from __future__ import annotations

import io

from pypdf import PdfReader

from portal.applications import content
from portal.applications.receipt import receipt_pdf
from portal.applications.template import SECTIONS
from portal.documents.blocks import AGENCY
from tests.support.documents import pdf_pages
from tests.support.timing import best_cpu_seconds


def herning_content(**answers) -> dict:
    """Herning's first submission as content.freeze() stores it; keyword arguments replace answers."""
    return {
        "number": 1,
        "submitted_at": "2017-08-03T13:05:00+00:00",
        "submitted_by": {"name": "Bodil Clark", "email": "bodil.clark@herning.dk"},
        "kommune": {"code": 657, "name": "Herning", "official_name": "Herning Kommune",
                    "region": "Region Midtjylland", "amk": "AMK Midt-Nord"},
        "pool": {"name": "Sammen om fastholdelse", "journal_number": "16/17959"},
        "answers": {
            "target_group_description": "Sygedagpengemodtagere fra beskæftigelse i kategori 2 og 3.",
            "new_per_month": 123,
            "category_2_count": 310,
            "category_3_count": 95,
            "baseline_measure_permille": 235,
            "target_group_needs": "Tidlig kontakt med arbejdspladsen.",
            "organisation_description": "Samtalen holdes på arbejdspladsen inden udgangen af 8. fraværsuge.",
            "double_role_staff": 8,
            "ready_at_start": 6,
            "competence_description": "Kursus i dobbeltrollen og sparring hver 14. dag.",
            "management_description": "Jobcenterchefen følger op hvert kvartal.",
            "activities_description": "Løn til fastholdelseskonsulenter og kompetenceudvikling.",
            "contact_name": "Bodil Clark",
            "contact_title": "Teamleder",
            "contact_email": "bodil.clark@herning.dk",
            "contact_phone": "96 28 28 28",
            "management_declaration": True,
        } | answers,
        "budget": [
            {"category": "Fastholdelseskonsulenter", "category_code": "fastholdelseskonsulenter", "year": 2017,
             "description": "Løn, 4. kvartal", "amount_kr": 200_000},
            {"category": "Fastholdelseskonsulenter", "category_code": "fastholdelseskonsulenter", "year": 2018,
             "description": "Løn, hele året", "amount_kr": 450_000},
            {"category": "Kompetenceudvikling af medarbejdere", "category_code": "kompetenceudvikling",
             "year": 2018, "description": "Kursus i dobbeltrollen", "amount_kr": 150_000},
        ],
        "budget_years": [2017, 2018],
    }


def receipt_pages(**answers) -> list[list[str]]:
    """The receipt of Herning's submission, each page's text as stripped lines."""
    pdf = receipt_pdf(content.read(herning_content(**answers)))
    return pdf_pages(pdf)


def receipt_lines(**answers) -> list[str]:
    """The receipt's text without the letterhead and footer of each page."""
    return [line for page in receipt_pages(**answers) for line in page[1:-1]]


def after(lines: list[str], label: str, count: int = 1) -> list[str]:
    """The lines that follow the first line equal to label."""
    start = lines.index(label) + 1
    return lines[start:start + count]


def test_receipt_opens_with_title_number_and_facts_of_the_submission():
    # Act
    lines = receipt_lines()

    # Assert
    assert lines[:18] == [
        "Kvittering for ansøgning",
        "Indsendelse nr. 1",
        "Pulje", "Sammen om fastholdelse",
        "J.nr.", "16/17959",
        "Kommune", "Herning Kommune",
        "Kommunekode", "657",
        "Region", "Region Midtjylland",
        "AMK", "AMK Midt-Nord",
        "Indsendt", "3. august 2017 kl. 15.05",
        "Indsendt af", "Bodil Clark (bodil.clark@herning.dk)",
    ]


def test_receipt_submission_time_in_winter_is_copenhagen_standard_time():
    # Arrange
    winter = herning_content() | {"submitted_at": "2017-12-31T23:30:00+00:00", "number": 2}

    # Act
    pdf = receipt_pdf(content.read(winter))

    # Assert
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
    assert after([line.strip() for line in text], "Indsendt") == ["1. januar 2018 kl. 00.30"]


def test_receipt_has_every_section_title_in_order():
    # Arrange
    titles = [f"{section.number}. {section.title}" for section in SECTIONS]

    # Act
    lines = receipt_lines()

    # Assert
    assert [line for line in lines if line in titles] == titles == [
        "1. Målgruppen", "2. Organisering af indsatsen", "3. Medarbejderkompetencer", "4. Ledelse",
        "5. Økonomi", "6. Kontakt og indsendelse"]


def test_receipt_shows_each_answer_under_its_question_label():
    # Act
    lines = receipt_lines()

    # Assert
    assert [after(lines, label)[0] for label in (
        "Forventet antal nye personer i målgruppen pr. måned",
        "Andel der i dag får en virksomhedsrettet indsats inden udgangen af 13. sygeuge",
        "Antal medarbejdere, der skal varetage dobbeltrollen",
        "Telefon",
        "Kommunens ledelse står bag ansøgningen og forpligter sig til projektets kerneelementer",
    )] == ["123", "23,5 %", "8", "96 28 28 28", "Ja"]


def test_receipt_unanswered_question_shows_dash():
    # Act
    lines = receipt_lines(target_group_needs="", ready_at_start=None, management_declaration=False)

    # Assert
    assert [after(lines, label)[0] for label in (
        "Målgruppens behov for indsats",
        "Heraf klar ved projektstart",
        "Kommunens ledelse står bag ansøgningen og forpligter sig til projektets kerneelementer",
    )] == ["–", "–", "–"]


def test_receipt_user_text_with_markup_characters_appears_literally():
    # Act
    lines = receipt_lines(management_description="Ledelsen <b>& MED-udvalget</b>\nfølger op hver måned.")

    # Assert
    assert after(lines, "Sådan understøtter og følger ledelsen op", 2) == [
        "Ledelsen <b>& MED-udvalget</b>", "følger op hver måned."]


def test_receipt_long_answer_runs_over_several_pages():
    # Arrange
    paragraphs = [f"Afsnit {number}: sådan holder vi samtalen på arbejdspladsen." for number in range(1, 121)]

    # Act
    pages = receipt_pages(organisation_description="\n".join(paragraphs))

    # Assert
    lines = [line for page in pages for line in page[1:-1]]
    answer_pages = [number for number, page in enumerate(pages, start=1)
                    if any(line.startswith("Afsnit ") for line in page)]
    assert len(answer_pages) >= 3
    assert [page[-1] for page in pages] == [f"Side {number} af {len(pages)}" for number in range(1, len(pages) + 1)]
    assert after(lines, "Sådan organiserer vi opfølgningen på arbejdspladsen", 120) == paragraphs


def test_receipt_budget_lines_year_totals_and_total():
    # Act
    lines = receipt_lines()

    # Assert
    assert after(lines, "Budget", 28) == [
        "Kategori", "År", "Beskrivelse", "Beløb",
        "Fastholdelseskonsulenter", "2017", "Løn, 4. kvartal", "200.000 kr.",
        "Fastholdelseskonsulenter", "2018", "Løn, hele året", "450.000 kr.",
        "Kompetenceudvikling af medarbejdere", "2018", "Kursus i dobbeltrollen", "150.000 kr.",
        "I alt 2017", "200.000 kr.",
        "I alt 2018", "600.000 kr.",
        "I alt", "800.000 kr.",
        "6. Kontakt og indsendelse", "Kontaktpersonens navn", "Bodil Clark", "Stilling", "Teamleder", "E-mail",
    ]


def test_receipt_metadata_names_kommune_and_pool():
    # Act
    reader = PdfReader(io.BytesIO(receipt_pdf(content.read(herning_content()))))

    # Assert
    assert (reader.metadata.title, reader.metadata.author, reader.metadata.subject) == (
        "Kvittering for ansøgning: Herning Kommune", AGENCY,
        "Sammen om fastholdelse, J.nr. 16/17959: ansøgning fra Herning Kommune, indsendelse nr. 1")


def test_receipt_full_application_renders_under_half_a_second():
    # Arrange: every text answer at its longest
    full = {name: ("Vi følger op på arbejdspladsen & dokumenterer <alt>.\n" * 80)[:4000] for name in (
        "target_group_description", "target_group_needs", "organisation_description",
        "competence_description", "management_description", "activities_description")}
    application = content.read(herning_content(**full))

    # Act
    pdf, elapsed = best_cpu_seconds(lambda: receipt_pdf(application))

    # Assert
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 5
    assert elapsed < 0.5, f"receipt_pdf took {elapsed * 1000:.0f} ms"
