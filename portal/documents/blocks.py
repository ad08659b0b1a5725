"""Shared reportlab building blocks for the portal's PDFs: page layout, styles, escaped text, tables.

Every PDF gets the agency's letterhead on each page and "Side N af M" in the footer. The fonts are
reportlab's built-in Helvetica family, whose WinAnsi encoding covers æ, ø, å and the dashes Danes
write, so the text renders and can be extracted without embedding a font file.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

AGENCY = "Styrelsen for Arbejdsmarked og Rekruttering"
CREATOR = "Puljeportalen"

PAGE_WIDTH, PAGE_HEIGHT = A4
SIDE_MARGIN = 25 * mm
TOP_MARGIN = 35 * mm           # leaves room for the letterhead above the text
BOTTOM_MARGIN = 22 * mm        # leaves room for the footer below the text
CONTENT_WIDTH = PAGE_WIDTH - 2 * SIDE_MARGIN

MUTED = colors.HexColor("#595959")   # grey that still has 7:1 contrast on white
RULE = colors.HexColor("#b0b0b0")
SHADE = colors.HexColor("#eeeeee")

TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=18, leading=22, spaceAfter=4)
HEADING = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=13, leading=16,
                         spaceBefore=12, spaceAfter=4, keepWithNext=1)
LABEL = ParagraphStyle("label", fontName="Helvetica-Bold", fontSize=10, leading=13,
                       spaceBefore=6, spaceAfter=1, keepWithNext=1)
BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=14, spaceAfter=4)
SMALL = ParagraphStyle("small", fontName="Helvetica", fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=4)

_CELL = ParagraphStyle("cell", parent=BODY, spaceAfter=0)
_CELL_STYLES = {
    (False, False): _CELL,
    (False, True): ParagraphStyle("cell-right", parent=_CELL, alignment=TA_RIGHT),
    (True, False): ParagraphStyle("cell-bold", parent=_CELL, fontName="Helvetica-Bold"),
    (True, True): ParagraphStyle("cell-bold-right", parent=_CELL, fontName="Helvetica-Bold", alignment=TA_RIGHT),
}


def _lines(text: str) -> list[str]:
    """The text's lines, whichever line ending the browser sent."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def markup(text: str) -> str:
    """User text as Paragraph markup: &, < and > escaped, every line break kept as <br/>."""
    return "<br/>".join(escape(line) for line in _lines(text))


def paragraph(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain (user) text, never interpreted as markup; long answers go through paragraphs()."""
    return Paragraph(markup(text), style)


def paragraphs(text: str, style: ParagraphStyle = BODY) -> list[Flowable]:
    """Long user text as one paragraph per line, a blank line as a line of space, the style's space after the last.

    A full application has hundreds of lines, so each line skips reportlab's markup parser: it becomes
    the paragraph's one text fragment as it is, which needs no escaping and takes reportlab's fast
    path for wrapping. One paragraph per line also keeps page breaks cheap, as reportlab wraps a
    paragraph again each time it splits one over a page.
    """
    line_style = ParagraphStyle(f"{style.name}-line", parent=style, spaceBefore=0, spaceAfter=0)
    fragment = Paragraph("x", line_style).frags[0]   # the style's font, size and colour, parsed once
    flowables: list[Flowable] = [
        Paragraph(line, line_style, frags=[fragment.clone(text=line)]) if line.strip() else Spacer(1, style.leading)
        for line in _lines(text.strip("\r\n"))
    ]
    return flowables + [Spacer(1, style.spaceAfter)]


def _cell(text: str, *, bold: bool = False, right: bool = False) -> Paragraph:
    """A table cell's text, which wraps within its column."""
    return paragraph(text, _CELL_STYLES[(bold, right)])


def facts_table(rows: Sequence[tuple[str, str]], *, label_width: float = 45 * mm) -> Table:
    """Label/value pairs in two columns, labels in bold; values wrap."""
    table = Table([[_cell(label, bold=True), _cell(value)] for label, value in rows],
                  colWidths=[label_width, CONTENT_WIDTH - label_width], hAlign="LEFT",
                  spaceBefore=4, spaceAfter=8)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def money_table(header: Sequence[str], rows: Sequence[Sequence[str]], total_row: Sequence[str], *,
                subtotal_rows: Sequence[Sequence[str]] = (), amount_columns: Sequence[int] = (-1,),
                widths: Sequence[float] | None = None) -> Table:
    """A table of amounts: a header repeated on every page, the rows, bold subtotals, and a ruled bold total.

    Cells are already-formatted text (format_kr); the amount columns (negative indexes allowed) are
    right-aligned so the kroner line up. Without widths the columns share the text width equally.
    """
    count = len(header)
    right = {index % count for index in amount_columns}

    def cells(row: Sequence[str], *, bold: bool) -> list[Paragraph]:
        """One row's cells, the amount columns right-aligned."""
        return [_cell(text, bold=bold, right=index in right) for index, text in enumerate(row)]

    data = ([cells(header, bold=True)] + [cells(row, bold=False) for row in rows]
            + [cells(row, bold=True) for row in subtotal_rows] + [cells(total_row, bold=True)])
    table = Table(data, colWidths=list(widths or [CONTENT_WIDTH / count] * count), repeatRows=1, hAlign="LEFT",
                  spaceBefore=4, spaceAfter=8)
    first_sum = 1 + len(rows)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
        ("LINEABOVE", (0, first_sum), (-1, first_sum), 0.75, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 0.75, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _draw_letterhead(canvas: Canvas, document: BaseDocTemplate) -> None:
    """The agency's name with a rule under it, at the top of every page."""
    canvas.saveState()
    baseline = PAGE_HEIGHT - 18 * mm
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(SIDE_MARGIN, baseline, AGENCY)
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.75)
    canvas.line(SIDE_MARGIN, baseline - 3 * mm, PAGE_WIDTH - SIDE_MARGIN, baseline - 3 * mm)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, page: int, pages: int) -> None:
    """'Side N af M' at the bottom right, above a thin rule."""
    canvas.saveState()
    baseline = 12 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.25)
    canvas.line(SIDE_MARGIN, baseline + 4 * mm, PAGE_WIDTH - SIDE_MARGIN, baseline + 4 * mm)
    canvas.setFont("Helvetica", 8.5)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(PAGE_WIDTH - SIDE_MARGIN, baseline, f"Side {page} af {pages}")
    canvas.restoreState()


class _CountingCanvas(Canvas):
    """A canvas that holds its pages back until the document ends, so each footer knows the page count."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            _draw_footer(self, number, pages)
            super().showPage()
        super().save()


def build_pdf(flowables: Sequence[Flowable], *, title: str, subject: str) -> bytes:
    """An A4 PDF of the flowables with letterhead, 'Side N af M' and Danish metadata; returns its bytes."""
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer, pagesize=A4,
        leftMargin=SIDE_MARGIN, rightMargin=SIDE_MARGIN, topMargin=TOP_MARGIN, bottomMargin=BOTTOM_MARGIN,
        title=title, author=AGENCY, subject=subject, creator=CREATOR, lang="da-DK", displayDocTitle=True,
    )
    # No frame padding: the text then lines up with the letterhead and CONTENT_WIDTH is the real width.
    frame = Frame(SIDE_MARGIN, BOTTOM_MARGIN, CONTENT_WIDTH, PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
    document.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_draw_letterhead)])
    document.build(list(flowables), canvasmaker=_CountingCanvas)
    return buffer.getvalue()
