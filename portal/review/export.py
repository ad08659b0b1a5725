"""The columns of the score export (CSV and XLSX): one row per submitted application."""
from __future__ import annotations

from portal.exports.tabular import Column
from portal.review.scoring import SCORED_SECTIONS, SECTION_TITLES, format_score


def _mean(key: str):
    return lambda row: format_score(row.section_means[key]) if row.section_means[key] is not None else None


def score_columns() -> list[Column]:
    """Who applied, its figures, the number of reviews, each section's mean and the weighted score (one decimal)."""
    return [
        Column("Kommunekode", lambda row: row.kommune.code),
        Column("Kommune", lambda row: row.kommune.name),
        Column("Region", lambda row: row.kommune.region),
        Column("AMK", lambda row: row.kommune.amk),
        Column("Størrelse", lambda row: row.size_class),
        Column("Kategori 2 + 3", lambda row: row.volume),
        Column("Indsendte bedømmelser", lambda row: row.review_count),
        *[Column(f"Point: {SECTION_TITLES[key]}", _mean(key)) for key in SCORED_SECTIONS],
        Column("Samlet point (vægtet)", lambda row: format_score(row.score) if row.score is not None else None),
        Column("Bedømt af", lambda row: ", ".join(review.reviewer_name for review in row.reviews)),
    ]


def selection_columns() -> list[Column]:
    """The ranking with each decision, its reason, and who decided when."""
    return [
        Column("Placering", lambda row: row.rank),
        Column("Kommunekode", lambda row: row.kommune.code),
        Column("Kommune", lambda row: row.kommune.name),
        Column("Region", lambda row: row.kommune.region),
        Column("AMK", lambda row: row.kommune.amk),
        Column("Størrelse", lambda row: row.board.size_class),
        Column("Kategori 2 + 3", lambda row: row.board.volume),
        Column("Samlet point (vægtet)", lambda row: format_score(row.board.score) if row.board.score else None),
        Column("Afgørelse", lambda row: row.decision.decision if row.decision else "Ikke afgjort"),
        Column("Begrundelse", lambda row: row.decision.reason if row.decision else None),
        Column("Endelig", lambda row: row.decision.decided_at if row.decision else None),
    ]
