"""The receipt PDF a kommune gets for a submission: the facts of the submission, every answer, the budget."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from portal.applications.content import ReadApplication, ReadSection
from portal.documents.blocks import (
    AGENCY, BODY, HEADING, LABEL, SMALL, TITLE, build_pdf, facts_table, money_table, paragraph,
    paragraphs,
)
from portal.formatting import format_datetime, format_kr

RECEIPT_TITLE = "Kvittering for ansøgning"
UNANSWERED = "–"
BUDGET_HEADER = ("Kategori", "År", "Beskrivelse", "Beløb")
BUDGET_WIDTHS = (66 * mm, 13 * mm, 51 * mm, 30 * mm)   # the longest category fits on one line


def _facts(application: ReadApplication) -> list[tuple[str, str]]:
    """Who submitted what to which pool, and when."""
    kommune, pool = application.kommune, application.pool
    return [
        ("Pulje", pool["name"]),
        ("J.nr.", pool["journal_number"]),
        ("Kommune", kommune["official_name"]),
        ("Kommunekode", str(kommune["code"])),
        ("Region", kommune["region"]),
        ("AMK", kommune["amk"]),
        ("Indsendt", format_datetime(application.submitted_at)),
        ("Indsendt af", f"{application.submitted_by_name} ({application.submitted_by_email})"),
    ]


def _budget_table(application: ReadApplication) -> Flowable:
    """The budget lines, then the total of each budget year, then the overall total."""
    rows = [
        (line.category or UNANSWERED, str(line.year) if line.year is not None else UNANSWERED,
         line.description or UNANSWERED, format_kr(line.amount_kr) if line.amount_kr is not None else UNANSWERED)
        for line in application.budget
    ]
    year_totals = [(f"I alt {year}", "", "", format_kr(amount))
                   for year, amount in application.totals.per_year.items()]
    return money_table(BUDGET_HEADER, rows, ("I alt", "", "", format_kr(application.totals.total_kr)),
                       subtotal_rows=year_totals, widths=BUDGET_WIDTHS)


def _section(read_section: ReadSection, application: ReadApplication) -> list[Flowable]:
    """A section's number and title, each question's label and answer, and the budget where it belongs."""
    section = read_section.section
    flowables: list[Flowable] = [paragraph(f"{section.number}. {section.title}", HEADING)]
    for answer in read_section.answers:
        flowables += [paragraph(answer.question.label, LABEL), *paragraphs(answer.text or UNANSWERED, BODY)]
    if section.has_budget:
        flowables += [paragraph("Budget", LABEL), _budget_table(application)]
    return flowables


def receipt_pdf(application: ReadApplication) -> bytes:
    """The receipt for one submission, exactly as submitted, as PDF bytes; reads nothing but its argument."""
    kommune, pool = application.kommune, application.pool
    flowables: list[Flowable] = [
        paragraph(RECEIPT_TITLE, TITLE),
        paragraph(f"Indsendelse nr. {application.number}", BODY),
        facts_table(_facts(application)),
        paragraph(f"{AGENCY} har modtaget ansøgningen. Kvitteringen gengiver ansøgningen, "
                  "som den blev indsendt.", SMALL),
    ]
    for read_section in application.sections:
        flowables += _section(read_section, application)
    subject = (f"{pool['name']}, J.nr. {pool['journal_number']}: ansøgning fra {kommune['official_name']}, "
               f"indsendelse nr. {application.number}")
    return build_pdf(flowables, title=f"{RECEIPT_TITLE}: {kommune['official_name']}", subject=subject)
