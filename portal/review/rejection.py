"""The rejection letter (afslag) to a kommune that was not selected, as PDF; reads nothing but its argument."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer

from portal.documents.blocks import AGENCY, BODY, HEADING, LABEL, build_pdf, paragraph, paragraphs
from portal.formatting import file_name, format_date, format_number

REJECTION_TITLE = "Afslag på ansøgning"
DATE_STYLE = ParagraphStyle("date", parent=BODY, alignment=TA_RIGHT)
SUBJECT_STYLE = ParagraphStyle("subject", parent=HEADING, spaceBefore=18)


@dataclass(frozen=True)
class RejectionLetter:
    """What the letter says; all text is plain text and is shown literally, never read as markup."""
    kommune_name: str                   # official name, e.g. "Bornholms Regionskommune"
    recipient_lines: tuple[str, ...]    # e.g. the contact's name, title and the kommune's official name
    pool_name: str
    journal_number: str
    decided_on: date
    decided_by: str                     # the caseworker who signs
    reason: str                         # the written reason; line breaks are kept
    applicants: int                     # how many kommuner applied
    selected: int                       # how many were selected
    contact_email: str                  # the agency's address for questions

    def __post_init__(self) -> None:
        # A rejected kommune is one of the applicants and not one of the selected.
        if not 0 <= self.selected < self.applicants:
            raise ValueError(f"{self.selected} selected of {self.applicants} applicants cannot include a rejection")


def _counted(count: int, singular: str, plural: str) -> str:
    """'1 ansøgning', '40 ansøgninger'."""
    return f"{format_number(count)} {singular if count == 1 else plural}"


def _body(letter: RejectionLetter) -> list[Flowable]:
    """The thanks, how the selection was made, the decision with its reason, questions and the workshops."""
    received = _counted(letter.applicants, "ansøgning", "ansøgninger")
    chosen = _counted(letter.selected, "kommune", "kommuner")
    return [
        paragraph(f"Tak for jeres ansøgning om tilskud fra puljen {letter.pool_name}."),
        paragraph(f"{AGENCY} har modtaget {received} og har udvalgt {chosen} til at deltage i projektet. "
                  "Ved udvælgelsen har vi lagt vægt på en geografisk spredning og på en blanding af store og "
                  "små kommuner."),
        paragraph("Jeres ansøgning er ikke blevet udvalgt."),
        paragraph("Begrundelse:", LABEL),
        *paragraphs(letter.reason),
        paragraph(f"Har I spørgsmål til afgørelsen, er I velkomne til at skrive til {letter.contact_email}."),
        paragraph("Fra januar 2018 holder vi inspirationsworkshops for de kommuner, der ikke deltager i projektet. "
                  f"{letter.kommune_name} er meget velkommen til at deltage."),
    ]


def rejection_pdf(letter: RejectionLetter) -> bytes:
    """The rejection letter as PDF bytes: date, recipient, subject, J.nr., the decision and its reason, signature."""
    subject = f"Afslag på ansøgning om tilskud fra puljen {letter.pool_name}"
    flowables: list[Flowable] = [
        paragraph(format_date(letter.decided_on), DATE_STYLE),
        *(paragraph(line) for line in letter.recipient_lines),
        paragraph(subject, SUBJECT_STYLE),
        paragraph(f"J.nr. {letter.journal_number}"),
        Spacer(1, BODY.leading),
        *_body(letter),
        Spacer(1, BODY.leading),
        paragraph("Med venlig hilsen"),
        Spacer(1, BODY.leading),
        paragraph(letter.decided_by),
        paragraph(AGENCY),
    ]
    return build_pdf(flowables, title=f"{REJECTION_TITLE}: {letter.kommune_name}",
                     subject=f"{letter.pool_name}, J.nr. {letter.journal_number}: afslag til {letter.kommune_name}")


def rejection_filename(*, code: int, name: str) -> str:
    """An ASCII file name for the letter: (657, 'Herning') -> 'afslag-657-herning.pdf'; æ, ø, å as ae, oe, aa."""
    return f"{file_name('afslag', int(code), name)}.pdf"
