"""The columns of the applications export (CSV and XLSX): one row per application, every answer."""
from __future__ import annotations

from portal.applications.template import QUESTIONS, Kind, format_permille
from portal.exports.tabular import Column


def _answer(name: str, kind: Kind):
    if kind is Kind.PERCENT:
        return lambda row: None if getattr(row.application, name) is None \
            else format_permille(getattr(row.application, name))
    return lambda row: getattr(row.application, name)


def _year_total(year: int):
    return lambda row: sum(line.amount_kr or 0 for line in row.application.budget_lines if line.year == year)


def application_columns(pool) -> list[Column]:
    """Who applied, where it stands, the figures, the budget per year, then each answer in the template's order."""
    return [
        Column("Kommunekode", lambda row: row.kommune.code),
        Column("Kommune", lambda row: row.kommune.name),
        Column("Region", lambda row: row.kommune.region),
        Column("AMK", lambda row: row.kommune.amk),
        Column("Størrelse", lambda row: row.size_class),
        Column("Indbyggere", lambda row: row.kommune.population),
        Column("Status", lambda row: row.application.status),
        Column("Indsendt", lambda row: row.submitted_at),
        Column("Udfyldte afsnit", lambda row: row.complete_sections),
        Column("Kategori 2 + 3", lambda row: row.volume),
        *[Column(f"Budget {year}", _year_total(year), kind="kr") for year in pool.budget_years],
        Column("Budget i alt", lambda row: row.budget_total_kr, kind="kr"),
        *[Column(question.label, _answer(question.name, question.kind)) for question in QUESTIONS],
    ]
