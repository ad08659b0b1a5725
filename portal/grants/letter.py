"""The grant letter (tilsagnsbrev) to a selected kommune as PDF, and its standard texts; pure."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from portal.documents.blocks import (
    AGENCY, BODY, HEADING, build_pdf, markup, money_table, paragraph, paragraphs,
)
from portal.formatting import file_name, format_date, format_kr

GRANT_TITLE = "Tilsagn om tilskud"
AMOUNT_HEADER = ("År", "Beløb")
AMOUNT_WIDTHS = (45 * mm, 40 * mm)
DATE_STYLE = ParagraphStyle("date", parent=BODY, alignment=TA_RIGHT)
SUBJECT_STYLE = ParagraphStyle("subject", parent=HEADING, spaceBefore=18)
ITEM_STYLE = ParagraphStyle("item", parent=BODY, leftIndent=6 * mm, bulletIndent=1.5 * mm, spaceAfter=2)
BULLET = "–"


@dataclass(frozen=True)
class GrantLetter:
    """What the letter says; all text is plain text and is shown literally, never read as markup.

    Invariants (ValueError otherwise): the amounts per year add up to the grant and each year lies
    within the funding period; the period does not end before it starts; a version after the first
    states why it replaces the earlier one.
    """
    letter_number: str                  # e.g. "16/17959-07": the pool's J.nr. and a sequence
    version: int                        # 1, 2, …; a later version replaces the one before it
    replaces_reason: str                # why this version replaces the one before; "" for version 1
    kommune_name: str                   # official name, e.g. "Herning Kommune"
    recipient_lines: tuple[str, ...]    # e.g. the contact's name, title and the kommune's official name
    pool_name: str
    journal_number: str
    dated_on: date
    amount_kr: int
    amounts_by_year: dict[int, int]     # budget year -> whole kroner, e.g. {2017: 200000, 2018: 600000}
    funds_from_on: date
    funds_to_on: date
    categories: tuple[str, ...]         # what the money may be used for
    intro: str                          # the opening paragraph(s), editable; line breaks are kept
    conditions: str                     # the conditions, editable; line breaks are kept
    accept_by_on: date                  # the deadline for accepting in the portal
    contact_name: str                   # the agency's contact
    contact_email: str
    signed_by: str                      # the caseworker who signs

    def __post_init__(self) -> None:
        if self.version < 1:
            raise ValueError(f"a grant letter's version starts at 1, got {self.version}")
        if self.version > 1 and not self.replaces_reason.strip():
            raise ValueError(f"version {self.version} must say why it replaces version {self.version - 1}")
        if self.funds_to_on < self.funds_from_on:
            raise ValueError("the funding period cannot end before it starts")
        total = sum(self.amounts_by_year.values())
        if total != self.amount_kr:
            raise ValueError(f"the amounts per year add up to {total} kr., not the grant's {self.amount_kr} kr.")
        outside = sorted(year for year in self.amounts_by_year
                         if not self.funds_from_on.year <= year <= self.funds_to_on.year)
        if outside:
            raise ValueError(f"budget years {outside} lie outside the funding period")


def format_period(from_on: date, to_on: date) -> str:
    """'1. oktober 2017 – 31. december 2018'."""
    return f"{format_date(from_on)} – {format_date(to_on)}"


def default_intro(*, kommune_name: str, pool_name: str, amount_kr: int, applied_on: date | None = None) -> str:
    """The standard opening a draft letter starts with: the grant, its amount and what the project tests."""
    application = f"jeres ansøgning af {format_date(applied_on)}" if applied_on else "jeres ansøgning"
    return (
        f"{AGENCY} giver hermed {kommune_name} tilsagn om et tilskud på {format_kr(amount_kr)} fra puljen "
        f"{pool_name} på baggrund af {application}.\n"
        "Tilskuddet gives til at afprøve en model, hvor den første opfølgningssamtale med sygedagpengemodtagere "
        "fra beskæftigelse holdes på den sygemeldtes arbejdsplads med deltagelse af den sygemeldte, arbejdsgiveren "
        "og kommunen. Tilsagnet gives på de vilkår, der fremgår af dette brev."
    )


def default_conditions(*, funds_from_on: date, funds_to_on: date, reports: Sequence[tuple[str, date]],
                       activities: Sequence[str]) -> str:
    """The standard conditions a draft letter starts with, one paragraph per line, '- ' before list items.

    reports are (title, due date) pairs, e.g. ("Midtvejsstatus", date(2018, 6, 30)); activities are the
    workshop and network-meeting lines as the pool's timeline words them, e.g. "Opstartsworkshop, uge 40–43 2017".
    Covers the core elements, monitoring, reports, the shared activities and paying back unused funds.
    """
    lines = [
        "Kerneelementer",
        "Kommunen forpligter sig til i projektperioden at afprøve indsatsmodellen med disse kerneelementer:",
        "- Den første opfølgningssamtale holdes på den sygemeldtes arbejdsplads inden udgangen af 8. fraværsuge "
        "med deltagelse af den sygemeldte, arbejdsgiveren og fastholdelseskonsulenten.",
        "- Opgaverne på sygedagpengeområdet lægges om, så den sygemeldte kun har én sagsbehandler, der både "
        "varetager myndighedsopgaven og er fastholdelseskonsulent.",
        "- Fastholdelseskonsulenten har som udgangspunkt ansvaret for hele sagen, indtil den sygemeldte "
        "raskmeldes eller opsiges.",
        "- Foreligger der en fast plan for fuld raskmelding inden for 4 uger, følges der op pr. telefon i stedet "
        "for på arbejdspladsen.",
        "Målgruppen er nye sygedagpengemodtagere fra beskæftigelse i visitationskategori 2 og 3. Alvorligt syge "
        "og sygemeldte, hvor arbejdspladsen selv vurderes at være årsag til sygemeldingen, kan undtages.",
        "",
        "Monitorering",
        "Kommunen registrerer i sit sagsbehandlingssystem ved hver første opfølgningssamtale, om arbejdsgiveren "
        "har deltaget, og hvor samtalen er holdt. Ved indkaldelsen registreres det, hvor samtalen forventes "
        "holdt: på virksomheden eller i jobcentret.",
        "Styrelsen følger desuden andelen, der får en virksomhedsrettet indsats inden udgangen af "
        "13. sygefraværsuge, og afgangen til job og uddannelse en måned efter afsluttet forløb.",
    ]
    if reports:
        lines += ["", "Afrapportering", "Kommunen indsender følgende i Puljeportalen:",
                  *(f"- {title}: senest {format_date(due_on)}" for title, due_on in reports)]
    lines += ["", "Deltagelse i projektets aktiviteter"]
    if activities:
        lines += ["Kommunen deltager i projektets fælles aktiviteter:", *(f"- {activity}" for activity in activities)]
    lines += [
        "Den ansvarlige leder på sygedagpengeområdet deltager i projektets styregruppe og i de individuelle "
        "sparringsbesøg. Kommunen bidrager til evalueringen og til at formidle erfaringer og resultater fra "
        "projektet til andre kommuner.",
        "",
        "Anvendelse og tilbagebetaling af midlerne",
        f"Tilskuddet må kun bruges til de formål, der er nævnt i dette brev, og kun i perioden "
        f"{format_period(funds_from_on, funds_to_on)}. Midler, der ikke er brugt ved periodens udløb, eller som er "
        "brugt til andre formål, skal betales tilbage til styrelsen.",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class TextBlock:
    """A piece of a letter's editable text as a page shows it."""

    kind: str                 # "heading", "paragraph" or "list"
    lines: tuple[str, ...]    # the one line, or the list's items without their '- '


HEADING_LIMIT = 80            # the most characters a line can have and still head a part
_CLOSING_PUNCTUATION = (".", ":", ";", ",", "!", "?")


def text_blocks(text: str) -> tuple[TextBlock, ...]:
    """The letter's editable text (one paragraph per line, '- ' before list items, a blank line between parts)
    as headings, paragraphs and lists, for the page that shows the letter.

    A part's first line heads it when more follows, it is short, and it does not end as a sentence does:
    "Kerneelementer" heads the conditions' first part. Consecutive '- ' lines make one list.
    """
    lines = [line.strip() for line in text.splitlines()]
    blocks: list[TextBlock] = []
    items: list[str] = []
    for index, line in enumerate(lines):
        if line.startswith("- "):
            items.append(line[2:].strip())
            continue
        if items:
            blocks.append(TextBlock("list", tuple(items)))
            items = []
        if not line:
            continue
        starts_part = index == 0 or not lines[index - 1]
        followed = index + 1 < len(lines) and bool(lines[index + 1])
        heads = (starts_part and followed and len(line) <= HEADING_LIMIT
                 and not line.endswith(_CLOSING_PUNCTUATION))
        blocks.append(TextBlock("heading" if heads else "paragraph", (line,)))
    if items:
        blocks.append(TextBlock("list", tuple(items)))
    return tuple(blocks)


def _item(text: str) -> Flowable:
    """One list item of plain text, escaped, with a bullet and a hanging indent."""
    return Paragraph(markup(text), ITEM_STYLE, bulletText=BULLET)


def _heading(text: str) -> Flowable:
    """A section heading that stays with the text after it."""
    return paragraph(text, HEADING)


def _opening(letter: GrantLetter) -> list[Flowable]:
    """Date, recipient, subject, the letter's number and J.nr., and for a new version what it replaces and why."""
    number = letter.letter_number if letter.version == 1 else f"{letter.letter_number}, version {letter.version}"
    flowables: list[Flowable] = [
        paragraph(format_date(letter.dated_on), DATE_STYLE),
        *(paragraph(line) for line in letter.recipient_lines),
        paragraph(f"Tilsagn om tilskud fra puljen {letter.pool_name}", SUBJECT_STYLE),
        paragraph(f"Tilsagnsnr. {number}"),
        paragraph(f"J.nr. {letter.journal_number}"),
    ]
    if letter.version > 1:
        flowables.append(paragraph(
            f"Dette tilsagn erstatter tilsagn nr. {letter.letter_number} version {letter.version - 1}. "
            f"Begrundelse: {letter.replaces_reason.strip()}"))
    return flowables


def _money(letter: GrantLetter) -> list[Flowable]:
    """The grant per budget year and in total, the period the funds may be used in, and what for."""
    rows = [(str(year), format_kr(amount)) for year, amount in sorted(letter.amounts_by_year.items())]
    return [
        _heading("Tilskuddets størrelse"),
        paragraph(f"Tilskuddet er på i alt {format_kr(letter.amount_kr)} fordelt på år således:"),
        money_table(AMOUNT_HEADER, rows, ("I alt", format_kr(letter.amount_kr)), widths=AMOUNT_WIDTHS),
        _heading("Periode"),
        paragraph(f"Midlerne kan bruges i perioden {format_period(letter.funds_from_on, letter.funds_to_on)}."),
        _heading("Hvad midlerne må bruges til"),
        paragraph("Midlerne må kun bruges til:"),
        *(_item(category) for category in letter.categories),
    ]


def _acceptance(letter: GrantLetter) -> list[Flowable]:
    """The deadline for accepting in the portal, what happens otherwise, and whom to ask."""
    return [
        _heading("Accept af tilsagnet"),
        paragraph(f"{letter.kommune_name} skal acceptere tilsagnet i Puljeportalen senest "
                  f"{format_date(letter.accept_by_on)}. Accepterer kommunen ikke tilsagnet inden fristen, "
                  "bortfalder tilsagnet, og midlerne kan blive fordelt til andre kommuner."),
        _heading("Kontakt"),
        paragraph(f"Har I spørgsmål til tilsagnet, er I velkomne til at kontakte {letter.contact_name} "
                  f"på {letter.contact_email}."),
    ]


def _signature(letter: GrantLetter) -> Flowable:
    """'Med venlig hilsen', the caseworker and the agency, kept on one page."""
    return KeepTogether([
        Spacer(1, BODY.leading),
        paragraph("Med venlig hilsen"),
        Spacer(1, BODY.leading),
        paragraph(letter.signed_by),
        paragraph(AGENCY),
    ])


def grant_letter_pdf(letter: GrantLetter) -> bytes:
    """The grant letter as PDF bytes: opening, intro, amounts, period, purposes, conditions, acceptance, signature."""
    flowables: list[Flowable] = [
        *_opening(letter),
        Spacer(1, BODY.leading),
        *paragraphs(letter.intro),
        *_money(letter),
        _heading("Vilkår"),
        *paragraphs(letter.conditions),
        *_acceptance(letter),
        _signature(letter),
    ]
    return build_pdf(
        flowables, title=f"{GRANT_TITLE}: {letter.kommune_name}",
        subject=(f"{letter.pool_name}, J.nr. {letter.journal_number}: tilsagn nr. {letter.letter_number} "
                 f"version {letter.version} til {letter.kommune_name}"))


def grant_letter_filename(*, code: int, name: str, version: int) -> str:
    """An ASCII file name: (657, 'Herning', 1) -> 'tilsagn-657-herning-v1.pdf'; æ, ø, å as ae, oe, aa."""
    return f"{file_name('tilsagn', int(code), name, f'v{int(version)}')}.pdf"
