"""The columns of the allocation export (CSV and XLSX): one row per selected kommune."""
from __future__ import annotations

from portal.exports.tabular import Column
from portal.formatting import format_share


def allocation_columns(calculation) -> list[Column]:
    """Kommune, volume and share, cap, the engine's grant, the grant, each year, and any override's reason."""
    years = list(calculation.year_totals)
    return [
        Column("Kommunekode", lambda line: line.kommune.code),
        Column("Kommune", lambda line: line.kommune.name),
        Column("Kategori 2 + 3", lambda line: line.volume),
        Column("Andel", lambda line: format_share(line.volume, calculation.total_volume)),
        Column("Budget", lambda line: line.selected.requested_kr, kind="kr"),
        Column("Loft", lambda line: min(calculation.max_grant_kr, line.selected.requested_kr), kind="kr"),
        Column("Beregnet", lambda line: line.grant.amount_kr if line.grant else None, kind="kr"),
        Column("Tilskud", lambda line: line.amount_kr, kind="kr"),
        *[Column(f"Tilskud {year}", lambda line, year=year: line.years.get(year, 0), kind="kr") for year in years],
        Column("Ændret med begrundelse", lambda line: line.override.reason if line.override else None),
    ]
