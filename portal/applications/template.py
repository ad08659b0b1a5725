"""The agency's application template: its sections and questions, and how an answer reads; pure.

Forms, the rules, the review page, the receipt PDF and the exports all walk this one definition,
so a question is added or reworded here and nowhere else.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from portal.formatting import format_number


class Kind(str, Enum):
    TEXT = "text"            # several paragraphs
    LINE = "line"            # one line of text
    EMAIL = "email"
    PHONE = "phone"
    COUNT = "count"          # a whole number, 0 or more
    PERCENT = "percent"      # a share, stored in tenths of a percent (23,5 % -> 235)
    CONFIRM = "confirm"      # a declaration that is ticked


@dataclass(frozen=True)
class Question:
    name: str                # the attribute on Application that holds the answer
    label: str
    kind: Kind
    hint: str = ""
    limit: int = 0           # the most characters a text answer may have

    @property
    def is_text(self) -> bool:
        return self.kind in (Kind.TEXT, Kind.LINE, Kind.EMAIL, Kind.PHONE)


@dataclass(frozen=True)
class Section:
    key: str                 # the section's address: /ansoegning/<id>/<key>
    number: int
    title: str
    intro: str
    questions: tuple[Question, ...]
    has_budget: bool = False

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(question.name for question in self.questions)


LONG_TEXT = 4000
SHORT_TEXT = 200

SECTIONS: tuple[Section, ...] = (
    Section(
        key="maalgruppen", number=1, title="Målgruppen",
        intro="Beskriv målgruppen for projektet: sygedagpengemodtagere fra beskæftigelse i visitationskategori 2 og 3, "
              "herunder målgruppens størrelse og behov for indsats. Tallene for kategori 2 og 3 bruges til at fastsætte "
              "kommunens ramme.",
        questions=(
            Question("target_group_description", "Beskrivelse af målgruppen", Kind.TEXT,
                     "Hvem er i målgruppen i jeres kommune, og hvem undtages?", LONG_TEXT),
            Question("new_per_month", "Forventet antal nye personer i målgruppen pr. måned", Kind.COUNT,
                     "Et gennemsnit. Fx 123."),
            Question("category_2_count", "Nuværende sygedagpengemodtagere fra beskæftigelse i visitationskategori 2",
                     Kind.COUNT, "Antal personer i dag. Fuld raskmelding forventes senere end 8 uger fra første fraværsdag."),
            Question("category_3_count", "Nuværende sygedagpengemodtagere fra beskæftigelse i visitationskategori 3",
                     Kind.COUNT, "Antal personer i dag. Som kategori 2, og der er behov for en tværfaglig indsats."),
            Question("baseline_measure_permille",
                     "Andel der i dag får en virksomhedsrettet indsats inden udgangen af 13. sygeuge", Kind.PERCENT,
                     "I procent, fx 23 eller 23,5. Det er udgangspunktet for succeskriteriet om 10 procentpoint mere."),
            Question("target_group_needs", "Målgruppens behov for indsats", Kind.TEXT, "", LONG_TEXT),
        ),
    ),
    Section(
        key="organisering", number=2, title="Organisering af indsatsen",
        intro="Beskriv, hvordan kommunen organiserer projektet, så opfølgningen for beskæftigede sygemeldte i "
              "kategori 2 og 3 foregår på den sygemeldtes arbejdsplads.",
        questions=(
            Question("organisation_description", "Sådan organiserer vi opfølgningen på arbejdspladsen", Kind.TEXT,
                     "Hvem holder samtalerne, hvordan inviteres arbejdsgiveren, og hvordan sikres samtalen før udgangen "
                     "af 8. fraværsuge?", LONG_TEXT),
            Question("double_role_staff", "Antal medarbejdere, der skal varetage dobbeltrollen", Kind.COUNT,
                     "Både myndighedssagsbehandler og fastholdelseskonsulent."),
            Question("ready_at_start", "Heraf klar ved projektstart", Kind.COUNT,
                     "Antal medarbejdere, der kan varetage rollen 1. oktober 2017."),
        ),
    ),
    Section(
        key="kompetencer", number=3, title="Medarbejderkompetencer",
        intro="Beskriv, hvordan kommunen sikrer, at medarbejderne har de rette kompetencer til at være både "
              "myndighedssagsbehandler og fastholdelseskonsulent.",
        questions=(
            Question("competence_description", "Sådan klæder vi medarbejderne på til dobbeltrollen", Kind.TEXT,
                     "Fx kompetenceudvikling, sparring og tidsplan for overgangen.", LONG_TEXT),
        ),
    ),
    Section(
        key="ledelse", number=4, title="Ledelse",
        intro="Angiv, hvordan det ledelsesmæssigt understøttes, at opfølgningssamtaler holdes på arbejdspladsen, og "
              "hvordan ledelsen følger op på, at modellen implementeres og forankres.",
        questions=(
            Question("management_description", "Sådan understøtter og følger ledelsen op", Kind.TEXT, "", LONG_TEXT),
        ),
    ),
    Section(
        key="oekonomi", number=5, title="Økonomi",
        intro="Beskriv de aktiviteter, I søger midler til, og opstil budgettet. Midlerne kan kun bruges til "
              "fastholdelseskonsulenter og kompetenceudvikling af medarbejdere i perioden 1. oktober 2017 – "
              "31. december 2018.",
        questions=(
            Question("activities_description", "Aktiviteter, der søges midler til", Kind.TEXT, "", LONG_TEXT),
        ),
        has_budget=True,
    ),
    Section(
        key="kontakt", number=6, title="Kontakt og indsendelse",
        intro="Hvem kan styrelsen kontakte om ansøgningen? Kontaktpersonen får også kvitteringen.",
        questions=(
            Question("contact_name", "Kontaktpersonens navn", Kind.LINE, "", SHORT_TEXT),
            Question("contact_title", "Stilling", Kind.LINE, "Fx jobcenterchef eller teamleder.", SHORT_TEXT),
            Question("contact_email", "E-mail", Kind.EMAIL, "", 254),
            Question("contact_phone", "Telefon", Kind.PHONE, "8 cifre, fx 96 28 28 28.", 20),
            Question("management_declaration",
                     "Kommunens ledelse står bag ansøgningen og forpligter sig til projektets kerneelementer",
                     Kind.CONFIRM),
        ),
    ),
)

SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}
QUESTIONS: tuple[Question, ...] = tuple(question for section in SECTIONS for question in section.questions)
QUESTIONS_BY_NAME = {question.name: question for question in QUESTIONS}
BUDGET_SECTION = next(section for section in SECTIONS if section.has_budget)


def section_of(field_name: str) -> Section:
    """The section a field belongs to; budget fields ('budget-0-amount_kr', 'budget_total') are in Økonomi."""
    if field_name.startswith("budget"):
        return BUDGET_SECTION
    return next(section for section in SECTIONS if field_name in section.field_names)


def format_permille(value: int) -> str:
    """Tenths of a percent as Danes write a share: 235 -> '23,5 %', 230 -> '23 %'."""
    whole, tenth = divmod(value, 10)
    return f"{whole} %" if tenth == 0 else f"{whole},{tenth} %"


def display_answer(question: Question, value) -> str:
    """An answer as the review page, the receipt and the caseworker read it; '' when unanswered."""
    if value is None or value == "":
        return ""
    if question.kind is Kind.COUNT:
        return format_number(value)
    if question.kind is Kind.PERCENT:
        return format_permille(value)
    if question.kind is Kind.CONFIRM:
        return "Ja" if value else ""
    return str(value)


BUDGET_CELLS = {"category_code": "kategori", "year": "år", "description": "beskrivelse", "amount_kr": "beløb"}


def label_of(field_name: str) -> str:
    """What a problem's field is called where it is listed: the question, or 'Budget, linje 2: beløb'."""
    if field_name == "budget_total":
        return "Budget i alt"
    if field_name.startswith("budget-"):
        _, index, cell = field_name.split("-", 2)
        return f"Budget, linje {int(index) + 1}: {BUDGET_CELLS.get(cell, cell)}"
    return QUESTIONS_BY_NAME[field_name].label
