"""Unit tests for portal.review.rejection: the rejection letter states the decision, its reason and who to ask."""
from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from pypdf import PdfReader

from portal.documents.blocks import AGENCY
from portal.review.rejection import RejectionLetter, rejection_filename, rejection_pdf
from tests.support.documents import pdf_pages, pdf_text
from tests.support.timing import best_cpu_seconds

BORNHOLM_REASON = ("Ansøgningen beskriver en god organisering, men målgruppen er lille i forhold til puljens krav "
                   "om mindst 60 nye sygedagpengeforløb om måneden.\n"
                   "Vi har desuden prioriteret en spredning på tværs af landsdelene.")


def bornholm_letter(**changes) -> RejectionLetter:
    """The letter to Bornholm after 40 applications and 14 selected; keyword arguments replace fields."""
    letter = RejectionLetter(
        kommune_name="Bornholms Regionskommune",
        recipient_lines=("Åse Mørk", "Teamleder, Jobcenter Bornholm", "Bornholms Regionskommune"),
        pool_name="Sammen om fastholdelse",
        journal_number="16/17959",
        decided_on=date(2017, 8, 18),
        decided_by="Birthe Sørensen",
        reason=BORNHOLM_REASON,
        applicants=40,
        selected=14,
        contact_email="fastholdelse@star.dk",
    )
    return dataclasses.replace(letter, **changes)


def letter_lines(**changes) -> list[str]:
    """The letter's text without the letterhead and footer of each page."""
    return [line for page in pdf_pages(rejection_pdf(bornholm_letter(**changes))) for line in page[1:-1]]


def test_rejection_letter_opens_with_date_recipient_subject_and_journal_number():
    # Act
    lines = letter_lines()

    # Assert
    assert lines[:6] == [
        "18. august 2017",
        "Åse Mørk", "Teamleder, Jobcenter Bornholm", "Bornholms Regionskommune",
        "Afslag på ansøgning om tilskud fra puljen Sammen om fastholdelse",
        "J.nr. 16/17959",
    ]


def between(text: str, start: str, end: str) -> str:
    """The text after the first start and before the next end."""
    return text.split(start, 1)[1].split(end, 1)[0]


def test_rejection_letter_states_counts_decision_and_reason():
    # Act
    text = pdf_text(rejection_pdf(bornholm_letter()))

    # Assert
    assert between(text, "J.nr. 16/17959 ", " Har I spørgsmål") == (
        "Tak for jeres ansøgning om tilskud fra puljen Sammen om fastholdelse. "
        f"{AGENCY} har modtaget 40 ansøgninger og har udvalgt 14 kommuner til at deltage i projektet. "
        "Ved udvælgelsen har vi lagt vægt på en geografisk spredning og på en blanding af store og små kommuner. "
        "Jeres ansøgning er ikke blevet udvalgt. Begrundelse: " + " ".join(BORNHOLM_REASON.split()))


def test_rejection_letter_keeps_the_reasons_lines():
    # Act
    lines = letter_lines(reason="Første grund: få borgere i målgruppen.\n\nAnden grund: ønsket om spredning.")

    # Assert
    start = lines.index("Begrundelse:")
    assert lines[start:start + 4] == [
        "Begrundelse:", "Første grund: få borgere i målgruppen.", "Anden grund: ønsket om spredning.",
        "Har I spørgsmål til afgørelsen, er I velkomne til at skrive til fastholdelse@star.dk.",
    ]


def test_rejection_letter_reason_with_markup_appears_literally():
    # Arrange
    reason = 'Se <script>alert("ø")</script> & <b>fed</b> – æ, ø og å bevares.'

    # Act
    lines = letter_lines(reason=reason)

    # Assert
    assert lines[lines.index("Begrundelse:") + 1] == reason


def test_rejection_letter_ends_with_contact_workshops_and_signature():
    # Act
    lines = letter_lines()

    # Assert
    assert lines[-6:] == [
        "Har I spørgsmål til afgørelsen, er I velkomne til at skrive til fastholdelse@star.dk.",
        "Fra januar 2018 holder vi inspirationsworkshops for de kommuner, der ikke deltager i projektet.",
        "Bornholms Regionskommune er meget velkommen til at deltage.",
        "Med venlig hilsen",
        "Birthe Sørensen",
        AGENCY,
    ]


def test_rejection_letter_singular_counts():
    # Act
    text = pdf_text(rejection_pdf(bornholm_letter(applicants=2, selected=1)))

    # Assert
    assert between(text, "har modtaget ", " i projektet.") == "2 ansøgninger og har udvalgt 1 kommune til at deltage"


def test_rejection_letter_long_reason_flows_onto_next_page_with_letterhead_and_page_numbers():
    # Arrange
    reason = "\n".join(f"Punkt {number}: målgruppen og organiseringen er vurderet." for number in range(1, 81))

    # Act
    pages = pdf_pages(rejection_pdf(bornholm_letter(reason=reason)))

    # Assert
    lines = [line for page in pages for line in page[1:-1]]
    assert len(pages) >= 2
    assert [page[0] for page in pages] == [AGENCY] * len(pages)
    assert [page[-1] for page in pages] == [f"Side {number} af {len(pages)}" for number in range(1, len(pages) + 1)]
    assert [line for line in lines if line.startswith("Punkt ")] == reason.split("\n")
    assert lines[-1] == AGENCY


def test_rejection_letter_metadata_names_kommune_and_pool():
    # Act
    reader = PdfReader(io.BytesIO(rejection_pdf(bornholm_letter())))

    # Assert
    assert (reader.metadata.title, reader.metadata.author, reader.metadata.subject) == (
        "Afslag på ansøgning: Bornholms Regionskommune", AGENCY,
        "Sammen om fastholdelse, J.nr. 16/17959: afslag til Bornholms Regionskommune")


@pytest.mark.parametrize(("applicants", "selected"), [(14, 14), (40, 41), (40, -1), (0, 0)])
def test_rejection_letter_counts_must_leave_room_for_the_rejection(applicants, selected):
    # Act / Assert
    with pytest.raises(ValueError):
        bornholm_letter(applicants=applicants, selected=selected)


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        (657, "Herning", "afslag-657-herning.pdf"),
        (400, "Bornholm", "afslag-400-bornholm.pdf"),
        (173, "Lyngby-Taarbæk", "afslag-173-lyngby-taarbaek.pdf"),
        (169, "Høje-Taastrup", "afslag-169-hoeje-taastrup.pdf"),
        (492, "Ærø", "afslag-492-aeroe.pdf"),
        (101, "København / <Indre by>", "afslag-101-koebenhavn-indre-by.pdf"),
    ],
)
def test_rejection_filename_is_ascii(code, name, expected):
    # Act
    filename = rejection_filename(code=code, name=name)

    # Assert
    assert filename == expected


def test_rejection_letter_renders_quickly():
    # Arrange: a reason of realistic length, a few paragraphs
    letter = bornholm_letter(reason="\n\n".join([BORNHOLM_REASON] * 4))

    # Act
    pdf, elapsed = best_cpu_seconds(lambda: rejection_pdf(letter))

    # Assert
    print(f"rejection_pdf: {elapsed * 1000:.1f} ms, {len(pdf)} bytes")
    assert elapsed < 0.2, f"rejection_pdf took {elapsed * 1000:.0f} ms"
