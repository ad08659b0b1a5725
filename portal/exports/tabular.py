"""Tables as CSV or XLSX files that Danish Excel opens correctly; pure apart from csv and openpyxl."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.formatting import local

EXPORT_MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

ColumnKind = Literal["auto", "kr"]

# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32_767
TRUNCATION_NOTE = " […]"
KR_FORMAT = '#,##0 "kr."'
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
DATE_FORMAT = "dd-mm-yyyy"
MIN_WIDTH = 8
MAX_WIDTH = 60
# XML 1.0 has no place for U+FFFE/U+FFFF; openpyxl writes them and the file will not open again.
XML_NONCHARACTERS_RE = re.compile("[\ufffe\uffff]")
SHEET_TITLE_FORBIDDEN_RE = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_LIMIT = 31

Plain = None | bool | int | datetime | date | str


@dataclass(frozen=True)
class Column:
    """One column of an export: its Danish header and how to get the cell value from a row.

    `kind="kr"` marks whole kroner: the values must be int (or None), and XLSX shows them as
    '800.000 kr.' while they stay numbers. Any other column writes each value by its own type.
    """

    header: str
    value: Callable[[Any], object]
    kind: ColumnKind = "auto"


def to_csv(rows: Iterable[Any], columns: Sequence[Column]) -> bytes:
    """A semicolon-separated UTF-8 file with BOM and CRLF line ends, header row first."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_guard_formula(column.header) for column in columns])
    for row in rows:
        writer.writerow([_csv_cell(_cell_value(row, column)) for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Iterable[Any], columns: Sequence[Column], *, sheet_title: str) -> bytes:
    """An Excel workbook of one sheet: bold frozen header with auto-filter, typed cells, fitted widths."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    widths = [_text_width(column.header) for column in columns]

    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        _set_xlsx_cell(cell, column.header, column)
        cell.font = Font(bold=True)

    row_number = 1
    for row_number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            value = _cell_value(row, column)
            _set_xlsx_cell(sheet.cell(row=row_number, column=index), value, column)
            widths[index - 1] = max(widths[index - 1], _display_width(value, column))

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{row_number}"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_value(row: Any, column: Column) -> Plain:
    """The column's value for a row, reduced to the handful of types both formats know."""
    value = _plain(column.value(row))
    if column.kind == "kr" and not (value is None or (isinstance(value, int) and not isinstance(value, bool))):
        raise TypeError(f"column {column.header!r} holds whole kroner (int), got {value!r}")
    return value


def _plain(value: object) -> Plain:
    """None, bool, int, datetime, date or str; an Enum becomes its label (or its value)."""
    # Enum first: str- and int-based enums would otherwise pass as their raw value.
    if isinstance(value, Enum):
        label = getattr(value, "label", None)
        return label if isinstance(label, str) else _plain(value.value)
    if value is None or isinstance(value, (bool, int, datetime, date, str)):
        return value
    return str(value)


def _guard_formula(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _csv_cell(value: Plain) -> str:
    """A value as CSV text: ints as plain digits, instants in Copenhagen time, bools as Ja/Nej."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return f"{local(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return _guard_formula(value)


def _set_xlsx_cell(cell: Any, value: Plain, column: Column) -> None:
    """Write a value into a cell with the type and number format Excel should see."""
    if value is None:
        return
    if isinstance(value, bool):
        _set_xlsx_text(cell, "Ja" if value else "Nej")
    elif isinstance(value, int):
        cell.value = value
        if column.kind == "kr":
            cell.number_format = KR_FORMAT
    elif isinstance(value, datetime):
        # Excel has no time zones: the sheet shows the Copenhagen wall-clock time.
        cell.value = local(value).replace(tzinfo=None)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        _set_xlsx_text(cell, value)


def _set_xlsx_text(cell: Any, text: str) -> None:
    """Text as a string cell, never a formula or an error value like '#N/A'."""
    cell.value = _xlsx_text(text)
    cell.data_type = "s"


def _xlsx_text(text: str) -> str:
    """Text as XLSX stores it: illegal characters gone, guarded, LF line breaks, within Excel's limit."""
    text = XML_NONCHARACTERS_RE.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))
    # Guard before normalising line breaks so a leading CR is guarded exactly as in CSV.
    text = _guard_formula(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _truncate_for_excel(text)


def _truncate_for_excel(text: str) -> str:
    """Cut text to Excel's cell limit, ending in a note; Excel counts UTF-16 code units."""
    encoded = text.encode("utf-16-le")
    if len(encoded) <= 2 * EXCEL_CELL_LIMIT:
        return text
    keep = 2 * (EXCEL_CELL_LIMIT - len(TRUNCATION_NOTE))
    # errors="ignore" drops half of a surrogate pair cut at the end.
    return encoded[:keep].decode("utf-16-le", errors="ignore") + TRUNCATION_NOTE


def _sheet_title(title: str) -> str:
    """A title Excel accepts: no []:*?/\\ and at most 31 characters."""
    cleaned = SHEET_TITLE_FORBIDDEN_RE.sub("", title).strip("'")[:SHEET_TITLE_LIMIT]
    return cleaned or "Ark1"


def _display_width(value: Plain, column: Column) -> int:
    """About how many characters wide Excel will show a value."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return 3
    if isinstance(value, int):
        return len(f"{value:,}") + (4 if column.kind == "kr" else 0)
    if isinstance(value, datetime):
        return len("dd-mm-yyyy hh:mm")
    if isinstance(value, date):
        return len("dd-mm-yyyy")
    return _text_width(value)


def _text_width(text: str) -> int:
    """The longest line of a text, capped so long answers do not give absurd widths."""
    return min(max((len(line) for line in text.splitlines()), default=0), MAX_WIDTH)
