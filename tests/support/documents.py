"""Reading PDFs back as a person reads them: each page's lines, or all the text with whitespace folded."""
import io

from pypdf import PdfReader


def pdf_pages(pdf: bytes) -> list[list[str]]:
    """Each page's extracted text as lines without surrounding spaces."""
    return [[line.strip() for line in page.extract_text().splitlines()] for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    """All the document's text on one line, whitespace folded."""
    return " ".join(" ".join(line for page in pdf_pages(pdf) for line in page).split())
