"""What each kind of report asks for: the quarter's figures, and the narrative questions; pure.

Only aggregated numbers are asked for. No field holds personal data about a citizen, and the hints say so.
"""
from __future__ import annotations

from dataclasses import dataclass

from portal.reports.states import ReportKind

TEXT_LIMIT = 4000     # characters a narrative answer may have when it is submitted
STORED_TEXT_LIMIT = 20000


@dataclass(frozen=True)
class Figure:
    """A count for the quarter; `part_of` names the count it is a part of, which it can never exceed."""
    key: str
    label: str
    hint: str
    part_of: str | None = None


@dataclass(frozen=True)
class Narrative:
    key: str
    label: str
    hint: str


FIGURES: tuple[Figure, ...] = (
    Figure("new_recipients", "Nye sygedagpengemodtagere fra beskæftigelse i kategori 2 og 3",
           "Antal personer visiteret til kategori 2 eller 3 i kvartalet."),
    Figure("conversations_held", "Første opfølgningssamtaler holdt",
           "Antal første opfølgningssamtaler med personer i kategori 2 og 3 i kvartalet."),
    Figure("planned_at_workplace", "heraf planlagt på arbejdspladsen",
           "Stedet, der stod i indkaldelsen.", part_of="conversations_held"),
    Figure("held_at_workplace", "heraf holdt på arbejdspladsen",
           "Stedet, hvor samtalen faktisk blev holdt.", part_of="conversations_held"),
    Figure("with_employer", "heraf med arbejdsgiveren til stede", "", part_of="conversations_held"),
    Figure("held_before_week_8", "heraf holdt inden udgangen af 8. fraværsuge", "", part_of="conversations_held"),
    Figure("measure_before_week_13", "Personer med en virksomhedsrettet indsats inden udgangen af 13. sygeuge",
           "Blandt kvartalets nye sygedagpengemodtagere i kategori 2 og 3."),
    Figure("cases_ended", "Afsluttede forløb", "Forløb i kategori 2 og 3, der sluttede i kvartalet."),
    Figure("in_work_or_education", "heraf i job eller uddannelse en måned efter", "", part_of="cases_ended"),
    Figure("phone_follow_ups", "Forløb fulgt op telefonisk",
           "Fordi der var en fast plan for fuld raskmelding inden 4 uger."),
)
FIGURE_KEYS = tuple(figure.key for figure in FIGURES)
FIGURE_BY_KEY = {figure.key: figure for figure in FIGURES}

NARRATIVES: dict[ReportKind, tuple[Narrative, ...]] = {
    ReportKind.QUARTERLY: (
        Narrative("works", "Hvad virker i implementeringen?", "Kort. Skriv ikke navne eller andre personoplysninger."),
        Narrative("barriers", "Hvilke barrierer møder I?", "Kort. Og hvad gør I ved dem?"),
    ),
    ReportKind.MIDTERM: (
        Narrative("status", "Status på implementeringen af kernelementerne",
                  "Første samtale på arbejdspladsen inden 8. fraværsuge, én sagsbehandler i den dobbelte rolle, "
                  "sagen følges til raskmelding eller opsigelse."),
        Narrative("works", "Hvad er lykkedes, og hvad kan andre lære af det?", ""),
        Narrative("barriers", "Hvilke barrierer har I mødt?", ""),
        Narrative("adjustments", "Hvad justerer I i resten af projektperioden?", ""),
    ),
    ReportKind.FINAL: (
        Narrative("results", "Resultater og erfaringer", "Hvad har projektet betydet for de sygemeldte, "
                  "virksomhederne og jobcentret?"),
        Narrative("continuation", "Forankring efter projektet", "Hvordan fortsætter I arbejdet?"),
        Narrative("account_note", "Bemærkninger til regnskabet", "Fx forklaring på afvigelser fra budgettet."),
    ),
}

# A final report's notes on the account may be left empty; every other question must be answered.
OPTIONAL_NARRATIVES = frozenset({"account_note"})
