"""Unit tests for portal.documents.blocks: the PDFs are A4, Danish, numbered, and show user text literally."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak

from portal.documents.blocks import (
    AGENCY, BODY, CONTENT_WIDTH, SIDE_MARGIN, TITLE, build_pdf, facts_table, markup, money_table, paragraph,
    paragraphs,
)
from tests.support.documents import pdf_pages


def body_lines(pdf: bytes) -> list[str]:
    """The text of all pages without the letterhead (first line) and the footer (last line)."""
    return [line for lines in pdf_pages(pdf) for line in lines[1:-1]]


def baselines(pdf: bytes) -> dict[str, float]:
    """Each extracted line's baseline, in points from the bottom of the first page."""
    found: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            found[text.strip()] = round(cm[5] + tm[5], 1)

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def build(*flowables) -> bytes:
    return build_pdf(list(flowables), title="Prøvedokument", subject="Afprøvning af byggeklodserne")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Budget <b>& mere", "Budget &lt;b&gt;&amp; mere"),
        ("Første linje\nAnden linje", "Første linje<br/>Anden linje"),
        ("Windows\r\nlinje\rgammel Mac", "Windows<br/>linje<br/>gammel Mac"),
        ("Afsnit\n\nefter en tom linje", "Afsnit<br/><br/>efter en tom linje"),
        ("", ""),
    ],
)
def test_markup_user_text_is_escaped_and_keeps_line_breaks(text, expected):
    # Act
    result = markup(text)

    # Assert
    assert result == expected


def test_paragraph_danish_letters_are_extractable():
    # Arrange
    text = "Målgruppen i Ærø, Høje-Taastrup og Års – æble, øl og ål"

    # Act
    pdf = build(paragraph(text, BODY), paragraph("ÆØÅ æøå", TITLE))

    # Assert
    assert body_lines(pdf) == [text, "ÆØÅ æøå"]


def test_paragraph_markup_characters_in_user_text_appear_literally():
    # Arrange
    text = "Vi vil <b>& styrke</b> samarbejdet, hvis 5 < 6 > 4 &amp;"

    # Act
    pdf = build(paragraph(text))

    # Assert
    assert body_lines(pdf) == [text]


def test_paragraph_line_breaks_are_kept():
    # Act
    pdf = build(paragraph("Første linje\nAnden linje\r\nTredje linje"))

    # Assert
    assert body_lines(pdf) == ["Første linje", "Anden linje", "Tredje linje"]


def test_paragraphs_keep_every_line_and_show_markup_literally():
    # Act
    pdf = build(*paragraphs("Første <b>& linje</b>\r\nAnden (linje) \\\n\nFjerde &amp; sidste linje\n"))

    # Assert
    assert body_lines(pdf) == ["Første <b>& linje</b>", "Anden (linje) \\", "Fjerde &amp; sidste linje"]


@pytest.mark.parametrize("lay_out", [lambda text: [paragraph(text)], paragraphs], ids=["paragraph", "paragraphs"])
def test_blank_line_in_user_text_leaves_one_empty_line(lay_out):
    # Act
    found = baselines(build(*lay_out("Første\nAnden\n\nFjerde")))

    # Assert: one leading between lines, two across the blank line
    assert (found["Første"] - found["Anden"], found["Anden"] - found["Fjerde"]) == (BODY.leading, 2 * BODY.leading)


def test_build_pdf_two_pages_are_numbered_side_n_af_2():
    # Act
    pdf = build(paragraph("Første side"), PageBreak(), paragraph("Anden side"))

    # Assert
    assert pdf_pages(pdf) == [
        [AGENCY, "Første side", "Side 1 af 2"],
        [AGENCY, "Anden side", "Side 2 af 2"],
    ]


def test_build_pdf_long_text_gets_letterhead_and_page_count_on_every_page():
    # Arrange
    lines = [f"Linje {number} af en lang besvarelse." for number in range(1, 151)]

    # Act
    pages = pdf_pages(build(paragraph("\n".join(lines))))

    # Assert
    assert len(pages) == 4
    assert [(page[0], page[-1]) for page in pages] == [(AGENCY, f"Side {n} af 4") for n in range(1, 5)]
    assert [line for page in pages for line in page[1:-1]] == lines


def test_build_pdf_metadata_is_danish_and_names_the_agency():
    # Act
    reader = PdfReader(io.BytesIO(build(paragraph("Tekst"))))

    # Assert
    metadata = reader.metadata
    assert (metadata.title, metadata.author, metadata.subject, reader.trailer["/Root"]["/Lang"]) == (
        "Prøvedokument", AGENCY, "Afprøvning af byggeklodserne", "da-DK")


def test_build_pdf_page_is_a4():
    # Act
    page = PdfReader(io.BytesIO(build(paragraph("Tekst")))).pages[0]

    # Assert
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_facts_table_reads_label_then_value():
    # Act
    pdf = build(facts_table([("Kommune", "Herning Kommune"), ("Bemærkning", "A & B <C>")]))

    # Assert
    assert body_lines(pdf) == ["Kommune", "Herning Kommune", "Bemærkning", "A & B <C>"]


def test_money_table_rows_subtotals_and_total_read_in_order():
    # Act
    pdf = build(money_table(("Kategori", "Beløb"), [("Løn", "200.000 kr."), ("Kurser", "1.000 kr.")],
                            ("I alt", "201.000 kr."), subtotal_rows=[("I alt 2017", "201.000 kr.")]))

    # Assert
    assert body_lines(pdf) == ["Kategori", "Beløb", "Løn", "200.000 kr.", "Kurser", "1.000 kr.",
                               "I alt 2017", "201.000 kr.", "I alt", "201.000 kr."]


def test_money_table_amount_column_is_right_aligned():
    # Arrange
    pdf = build(money_table(("Kategori", "Beløb"), [("Løn", "200.000 kr."), ("Kurser", "1.000 kr.")],
                            ("I alt", "201.000 kr.")))
    fonts = {"200.000 kr.": "Helvetica", "1.000 kr.": "Helvetica", "201.000 kr.": "Helvetica-Bold"}
    right_edges: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        if text.strip() in fonts:
            left = cm[4] + tm[4]
            right_edges[text.strip()] = round(left + stringWidth(text.strip(), fonts[text.strip()], 10), 1)

    # Act
    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)

    # Assert: every amount ends at the column's right edge, inside the cell padding of 6 points
    edge = round(SIDE_MARGIN + CONTENT_WIDTH - 6, 1)
    assert right_edges == {"200.000 kr.": edge, "1.000 kr.": edge, "201.000 kr.": edge}


def test_money_table_over_two_pages_repeats_the_header():
    # Arrange
    rows = [(f"Linje {number}", "1.000 kr.") for number in range(1, 61)]

    # Act
    pages = pdf_pages(build(money_table(("Kategori", "Beløb"), rows, ("I alt", "60.000 kr."))))

    # Assert
    assert len(pages) == 2
    assert [page[1:3] for page in pages] == [["Kategori", "Beløb"], ["Kategori", "Beløb"]]
