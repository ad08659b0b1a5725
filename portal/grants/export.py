"""The columns of the grants export (CSV and XLSX): one row per kommune's grant."""
from __future__ import annotations

from portal.exports.tabular import Column


def grant_columns(years: list[int]) -> list[Column]:
    """Letter number, kommune, status, amount, each year, the version in force, issued and answered."""
    return [
        Column("Tilsagnsnr.", lambda grant: grant.letter_number),
        Column("Kommunekode", lambda grant: grant.kommune.code),
        Column("Kommune", lambda grant: grant.kommune.name),
        Column("Status", lambda grant: grant.status),
        Column("Tilskud", lambda grant: grant.amount_kr, kind="kr"),
        *[Column(f"Tilskud {year}", lambda grant, year=year: grant.years.get(year, 0), kind="kr") for year in years],
        Column("Udbetalt", lambda grant: grant.paid_kr, kind="kr"),
        Column("Version", lambda grant: grant.current_letter.number),
        Column("Udstedt", lambda grant: grant.letter_in_force.issued_at if grant.letter_in_force else None),
        Column("Frist for accept", lambda grant: grant.accept_by_on),
        Column("Besvaret", lambda grant: grant.answered_at),
        Column("Begrundelse for afslag", lambda grant: grant.decline_reason or None),
    ]
