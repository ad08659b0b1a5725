"""Rules for the pool's parameters, as a pure check that names the field of each problem."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime


@dataclass(frozen=True)
class PoolParameters:
    """The parameters an administrator can change; amounts in whole kroner, instants aware."""

    purpose: str
    target_group: str
    total_kr: int
    max_grant_kr: int
    min_participants: int
    max_participants: int
    funds_from_on: date
    funds_to_on: date
    applications_open_at: datetime
    application_deadline_at: datetime
    size_medium_from: int
    size_large_from: int
    contact_email: str

    @classmethod
    def field_names(cls) -> list[str]:
        return [field.name for field in fields(cls)]

    @classmethod
    def of(cls, pool) -> PoolParameters:
        return cls(**{name: getattr(pool, name) for name in cls.field_names()})


def parameter_problems(p: PoolParameters) -> dict[str, str]:
    """Every broken rule, as field name -> Danish message; empty when the parameters hold."""
    problems: dict[str, str] = {}
    if not p.purpose.strip():
        problems["purpose"] = "Skriv puljens formål."
    if not p.target_group.strip():
        problems["target_group"] = "Beskriv målgruppen."
    if p.total_kr <= 0:
        problems["total_kr"] = "Puljens samlede beløb skal være større end 0 kr."
    if p.max_grant_kr <= 0:
        problems["max_grant_kr"] = "Det højeste tilskud skal være større end 0 kr."
    elif p.max_grant_kr > p.total_kr:
        problems["max_grant_kr"] = "Det højeste tilskud til én kommune kan ikke være større end hele puljen."
    if p.min_participants < 1:
        problems["min_participants"] = "Der skal mindst være én deltagende kommune."
    elif p.min_participants > p.max_participants:
        problems["max_participants"] = "Det højeste antal kommuner kan ikke være mindre end det laveste."
    if p.max_participants > 98:
        problems["max_participants"] = "Der er kun 98 kommuner."
    if p.funds_from_on >= p.funds_to_on:
        problems["funds_to_on"] = "Perioden for brug af midlerne skal slutte efter, at den begynder."
    if p.applications_open_at >= p.application_deadline_at:
        problems["application_deadline_at"] = "Ansøgningsfristen skal ligge efter, at der åbnes for ansøgninger."
    if p.size_medium_from <= 0:
        problems["size_medium_from"] = "Grænsen skal være større end 0 indbyggere."
    elif p.size_medium_from >= p.size_large_from:
        problems["size_large_from"] = "Grænsen for store kommuner skal være højere end grænsen for mellemstore."
    return problems
