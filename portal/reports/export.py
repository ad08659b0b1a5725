"""The exports for the external evaluator: every report as a row, and the measures per kommune and quarter."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from portal.exports.tabular import Column
from portal.reports.measures import NO_DATA, Measures, Timeline, format_points, format_ratio
from portal.reports.template import FIGURE_BY_KEY, FIGURES

# One column per narrative question over all kinds of report (the kinds share keys such as "works");
# a unit test holds it to template.NARRATIVES.
NARRATIVE_HEADERS = {
    "works": "Tekst: hvad virker",
    "barriers": "Tekst: barrierer",
    "status": "Tekst: status på implementeringen",
    "adjustments": "Tekst: justeringer",
    "results": "Tekst: resultater og erfaringer",
    "continuation": "Tekst: forankring",
    "account_note": "Tekst: bemærkninger til regnskabet",
}


def report_columns(pool) -> list[Column]:
    """Kommune, report, plan and status, each count, spending per category, the account per year and category,
    and the narrative answers. Figures a kommune has not written are empty cells, never 0."""
    categories = list(pool.budget_categories)
    return [
        Column("Kommunekode", lambda report: report.grant.kommune.code),
        Column("Kommune", lambda report: report.grant.kommune.name),
        Column("Tilsagnsnr.", lambda report: report.grant.letter_number),
        Column("Rapport", lambda report: report.title),
        Column("Periode fra", lambda report: report.period_from_on),
        Column("Periode til", lambda report: report.period_to_on),
        Column("Frist", lambda report: report.due_on),
        Column("Status", lambda report: report.status),
        Column("Indsendt", lambda report: report.submitted_at),
        *[Column(f"{FIGURE_BY_KEY[figure.part_of].label}, {figure.label}" if figure.part_of else figure.label,
                 lambda report, key=figure.key: getattr(report, key)) for figure in FIGURES],
        *[Column(f"Forbrug: {category.name}", lambda report, code=category.code: report.spending.get(code), kind="kr")
          for category in categories],
        *[Column(f"Regnskab {year}: {category.name}",
                 lambda report, year=year, code=category.code: _account(report, year, code), kind="kr")
          for year in pool.budget_years for category in categories],
        *[Column(header, lambda report, key=key: report.narrative.get(key) or None)
          for key, header in NARRATIVE_HEADERS.items()],
        Column("Styrelsens kommentar ved tilbagesendelse", lambda report: report.return_comment or None),
    ]


def _account(report, year: int, code: str) -> int | None:
    return next((amount for line_year, line_code, amount in report.account
                 if int(line_year) == year and line_code == code), None)


@dataclass(frozen=True)
class MeasureRow:
    """One line of the measures export: whose, which quarter, in the quarter alone or cumulatively."""
    code: int | None
    name: str
    quarter: str
    span: str
    measures: Measures


def measure_rows(timelines: list[tuple[int | None, Timeline]]) -> list[MeasureRow]:
    """Each timeline's quarters, in the quarter and cumulatively, in the order given."""
    return [MeasureRow(code, timeline.name, row.quarter.label, span, measures)
            for code, timeline in timelines for row in timeline.rows
            for span, measures in (("Kvartalet", row.in_quarter), ("Akkumuleret", row.cumulative))]


def measure_columns() -> list[Column]:
    """The counts behind each share, so the evaluator can compute anew, and the shares as the portal shows them."""
    def count(name: str):
        return lambda row: getattr(row.measures.totals, name)

    return [
        Column("Kommunekode", lambda row: row.code),
        Column("Kommune", lambda row: row.name),
        Column("Kvartal", lambda row: row.quarter),
        Column("Opgørelse", lambda row: row.span),
        Column("Nye sygedagpengemodtagere", count("new_recipients")),
        Column("Første samtaler", count("conversations_held")),
        Column("Heraf på arbejdspladsen", count("held_at_workplace")),
        Column("Heraf med arbejdsgiver", count("with_employer")),
        Column("Heraf inden uge 8", count("held_before_week_8")),
        Column("Virksomhedsrettet indsats inden uge 13", count("measure_before_week_13")),
        Column("Afsluttede forløb", count("cases_ended")),
        Column("Heraf i job eller uddannelse", count("in_work_or_education")),
        Column("Forbrug", count("spent_kr"), kind="kr"),
        Column("Andel på arbejdspladsen (mål 70 %)", lambda row: format_ratio(row.measures.workplace)),
        Column("Andel med arbejdsgiver", lambda row: format_ratio(row.measures.employer)),
        Column("Andel inden uge 8", lambda row: format_ratio(row.measures.before_week_8)),
        Column("Andel med indsats inden uge 13", lambda row: format_ratio(row.measures.early_measure)),
        Column("Ændring i procentpoint mod udgangspunkt (mål 10,0 over)",
               lambda row: change_text(row.measures.early_measure_change)),
        Column("Andel i job eller uddannelse", lambda row: format_ratio(row.measures.work_or_education)),
        Column("Forbrug af tilsagnet", lambda row: format_ratio(row.measures.spending)),
    ]


def change_text(points: Fraction | None) -> str:
    """'13,0 over' / '2,0 under': no leading sign, which spreadsheets would take for a formula."""
    if points is None:
        return NO_DATA
    text = format_points(points).removesuffix(" procentpoint")
    return f"{text[1:]} {'under' if text.startswith('-') else 'over'}"
