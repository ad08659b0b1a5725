"""Reads the packaged reference file of the 98 kommuner (portal/data/kommuner.csv); pure."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from portal.kommuner.enums import AMK, Region

# DAGI's short names are used everywhere but for these two, whose official names differ.
OFFICIAL_NAMES = {101: "Københavns Kommune", 400: "Bornholms Regionskommune"}


@dataclass(frozen=True)
class KommuneFact:
    code: int
    name: str
    official_name: str
    region: Region
    amk: AMK
    population: int
    population_year: int
    lat: float
    lon: float


def parse_rows(rows) -> list[KommuneFact]:
    """Turn CSV dict rows into facts; raises ValueError on any malformed row."""
    facts = []
    for row in rows:
        code = int(row["kode"])
        facts.append(
            KommuneFact(
                code=code,
                name=row["navn"].strip(),
                official_name=OFFICIAL_NAMES.get(code, f"{row['navn'].strip()} Kommune"),
                region=Region(row["region"]),
                amk=AMK(row["amk"]),
                population=int(row["indbyggere"]),
                population_year=int(row["indbyggere_aar"]),
                lat=float(row["lat"]),
                lon=float(row["lon"]),
            )
        )
    return facts


def load_kommune_facts() -> list[KommuneFact]:
    """The 98 kommuner as shipped inside the package."""
    with resources.files("portal").joinpath("data/kommuner.csv").open(encoding="utf-8") as handle:
        return parse_rows(csv.DictReader(handle))
