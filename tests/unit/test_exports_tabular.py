"""Unit tests for portal.exports.tabular: CSV and XLSX exports that Danish Excel opens safely."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import Enum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from portal.exports.tabular import EXPORT_MIMETYPES, Column, to_csv, to_xlsx

ANSWER = "Første afsnit om fastholdelse.\r\n\r\nAndet afsnit; med semikolon og \"citat\".\nSlut."


class Status(str, Enum):
    SUBMITTED = "submitted"

    @property
    def label(self) -> str:
        return "Indsendt"


class Region(str, Enum):
    SYD = "Syddanmark"


@dataclass(frozen=True)
class Row:
    kommune: str
    amount_kr: int | None = None
    submitted_at: datetime | None = None
    is_partner: bool | None = None
    answer: str | None = None
    status: Status | None = None


COLUMNS = [
    Column("Kommune", lambda row: row.kommune),
    Column("Ansøgt beløb", lambda row: row.amount_kr, kind="kr"),
    Column("Indsendt", lambda row: row.submitted_at),
    Column("Partnerskab", lambda row: row.is_partner),
    Column("Svar", lambda row: row.answer),
    Column("Status", lambda row: row.status),
]

ROWS = [
    Row(
        kommune="Ærø",
        amount_kr=800_000,
        submitted_at=datetime(2017, 8, 4, 10, 0, tzinfo=timezone.utc),
        is_partner=True,
        answer=ANSWER,
        status=Status.SUBMITTED,
    ),
    Row(kommune="Aabenraa", amount_kr=-1_500, is_partner=False),
]

TEXT_ONLY = [Column("Tekst", lambda text: text)]


def read_csv(data: bytes) -> list[list[str]]:
    """The cells of a CSV export, read the way a careful reader would."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def load_sheet(data: bytes):
    """The one sheet of an XLSX export."""
    return load_workbook(io.BytesIO(data)).active


def guarded(text: str) -> str:
    """A text with the apostrophe OWASP advises before anything a spreadsheet would run."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def expected_xlsx_text(text: str) -> str:
    """What an XLSX cell should hold for a text: illegal characters gone, guarded, LF line breaks."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", text).replace("\ufffe", "").replace("\uffff", "")
    return guarded(cleaned).replace("\r\n", "\n").replace("\r", "\n")


def test_to_csv_file_starts_with_bom_and_uses_semicolons_and_crlf():
    # Arrange
    rows = [Row(kommune="Ærø", amount_kr=800_000)]
    columns = COLUMNS[:2]

    # Act
    data = to_csv(rows, columns)

    # Assert
    assert data == "\ufeffKommune;Ansøgt beløb\r\nÆrø;800000\r\n".encode("utf-8")


def test_to_csv_rows_round_trip_through_csv_reader():
    # Act
    cells = read_csv(to_csv(ROWS, COLUMNS))

    # Assert
    assert cells == [
        ["Kommune", "Ansøgt beløb", "Indsendt", "Partnerskab", "Svar", "Status"],
        ["Ærø", "800000", "2017-08-04 12:00", "Ja", ANSWER, "Indsendt"],
        ["Aabenraa", "-1500", "", "Nej", "", ""],
    ]


def test_to_csv_no_rows_gives_header_only():
    # Act
    cells = read_csv(to_csv([], COLUMNS))

    # Assert
    assert cells == [["Kommune", "Ansøgt beløb", "Indsendt", "Partnerskab", "Svar", "Status"]]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Summer time (CEST, UTC+2).
        (datetime(2017, 8, 4, 10, 0, tzinfo=timezone.utc), "2017-08-04 12:00"),
        # Winter time (CET, UTC+1), across midnight and the new year.
        (datetime(2017, 12, 31, 23, 30, tzinfo=timezone.utc), "2018-01-01 00:30"),
    ],
)
def test_to_csv_datetime_gives_copenhagen_wall_clock(moment, expected):
    # Arrange
    columns = [Column("Tidspunkt", lambda row: row)]

    # Act
    cells = read_csv(to_csv([moment], columns))

    # Assert
    assert cells[1] == [expected]


def test_to_csv_date_gives_iso_date():
    # Arrange
    columns = [Column("Dato", lambda row: row)]

    # Act
    cells = read_csv(to_csv([date(2017, 8, 4)], columns))

    # Assert
    assert cells[1] == ["2017-08-04"]


def test_to_csv_naive_datetime_raises_value_error():
    # Arrange
    columns = [Column("Tidspunkt", lambda row: row)]

    # Act / Assert
    with pytest.raises(ValueError):
        to_csv([datetime(2017, 8, 4, 12, 0)], columns)


def test_to_csv_enum_without_label_gives_its_value():
    # Arrange
    columns = [Column("Region", lambda row: row)]

    # Act
    cells = read_csv(to_csv([Region.SYD], columns))

    # Assert
    assert cells[1] == ["Syddanmark"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+45 12 34 56 78", "'+45 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("1-2", "1-2"),
        ("Ærø = ø", "Ærø = ø"),
    ],
)
def test_to_csv_formula_text_gets_leading_apostrophe(text, expected):
    # Act
    cells = read_csv(to_csv([text], TEXT_ONLY))

    # Assert
    assert cells[1] == [expected]


def test_to_csv_formula_header_gets_leading_apostrophe():
    # Arrange
    columns = [Column("=Beløb", lambda row: row)]

    # Act
    cells = read_csv(to_csv([], columns))

    # Assert
    assert cells == [["'=Beløb"]]


@pytest.mark.parametrize("value", [800_000.0, "800.000 kr.", True])
def test_column_kr_not_an_int_raises_type_error(value):
    # Arrange
    columns = [Column("Beløb", lambda row: row, kind="kr")]

    # Act / Assert
    with pytest.raises(TypeError):
        to_csv([value], columns)


@given(st.text(), st.text())
@settings(max_examples=300, database=None)
def test_to_csv_any_text_round_trips_apart_from_guard(first, second):
    # Arrange
    columns = [Column("Første", lambda row: row[0]), Column("Anden", lambda row: row[1])]

    # Act
    cells = read_csv(to_csv([(first, second)], columns))

    # Assert
    assert cells == [["Første", "Anden"], [guarded(first), guarded(second)]]


def test_to_xlsx_header_is_bold_frozen_and_filtered():
    # Act
    sheet = load_sheet(to_xlsx(ROWS, COLUMNS, sheet_title="Ansøgninger"))

    # Assert
    assert sheet.title == "Ansøgninger"
    assert [cell.value for cell in sheet[1]] == [
        "Kommune", "Ansøgt beløb", "Indsendt", "Partnerskab", "Svar", "Status",
    ]
    assert [cell.font.bold for cell in sheet[1]] == [True] * 6
    assert [cell.font.bold for cell in sheet[2]] == [False] * 6
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F3"


def test_to_xlsx_rows_keep_their_types():
    # Act
    sheet = load_sheet(to_xlsx(ROWS, COLUMNS, sheet_title="Ansøgninger"))

    # Assert
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("Ærø", 800_000, datetime(2017, 8, 4, 12, 0), "Ja", ANSWER.replace("\r\n", "\n"), "Indsendt"),
        ("Aabenraa", -1_500, None, "Nej", None, None),
    ]
    assert [sheet["B2"].data_type, sheet["B3"].data_type, sheet["C2"].data_type] == ["n", "n", "d"]


def test_to_xlsx_numbers_and_instants_get_danish_formats():
    # Act
    sheet = load_sheet(to_xlsx(ROWS, COLUMNS, sheet_title="Ansøgninger"))

    # Assert
    assert sheet["B2"].number_format == '#,##0 "kr."'
    assert sheet["C2"].number_format == "dd-mm-yyyy hh:mm"


def test_to_xlsx_winter_instant_gives_naive_copenhagen_time():
    # Arrange
    columns = [Column("Tidspunkt", lambda row: row)]
    new_years_eve = datetime(2017, 12, 31, 23, 30, tzinfo=timezone.utc)

    # Act
    sheet = load_sheet(to_xlsx([new_years_eve], columns, sheet_title="Tidspunkter"))

    # Assert
    assert sheet["A2"].value == datetime(2018, 1, 1, 0, 30)


def test_to_xlsx_date_gives_excel_date():
    # Arrange
    columns = [Column("Dato", lambda row: row)]

    # Act
    sheet = load_sheet(to_xlsx([date(2017, 8, 4)], columns, sheet_title="Datoer"))

    # Assert
    assert (sheet["A2"].value, sheet["A2"].number_format) == (datetime(2017, 8, 4, 0, 0), "dd-mm-yyyy")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+45 12 34 56 78", "'+45 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\n=1"),
        # A control character openpyxl refuses is stripped first, so it cannot hide a formula.
        ("\x01=1", "'=1"),
        ("1-2", "1-2"),
    ],
)
def test_to_xlsx_formula_text_stays_guarded_text(text, expected):
    # Act
    sheet = load_sheet(to_xlsx([text], TEXT_ONLY, sheet_title="Tekst"))

    # Assert
    assert (sheet["A2"].value, sheet["A2"].data_type) == (expected, "s")


def test_to_xlsx_error_code_text_stays_text():
    # Act
    sheet = load_sheet(to_xlsx(["#N/A"], TEXT_ONLY, sheet_title="Tekst"))

    # Assert
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("#N/A", "s")


def test_to_xlsx_illegal_control_characters_are_stripped():
    # Arrange
    text = "a\x00b\x08c\x0bd\x1fe\tf\ng"

    # Act
    sheet = load_sheet(to_xlsx([text], TEXT_ONLY, sheet_title="Tekst"))

    # Assert
    assert sheet["A2"].value == "abcde\tf\ng"


def test_to_xlsx_long_answer_below_limit_is_stored_whole():
    # Arrange
    answer = "\n\n".join([f"Afsnit {number}: " + "æøå " * 500 for number in range(15)])

    # Act
    sheet = load_sheet(to_xlsx([answer], TEXT_ONLY, sheet_title="Svar"))

    # Assert
    assert sheet["A2"].value == answer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x" * 32_767, "x" * 32_767),
        ("x" * 40_000, "x" * 32_763 + " […]"),
        # Excel counts UTF-16 units: an emoji is two, and a pair is never cut in half.
        ("😀" * 20_000, "😀" * 16_381 + " […]"),
    ],
)
def test_to_xlsx_text_over_excel_limit_is_truncated_with_note(text, expected):
    # Act
    sheet = load_sheet(to_xlsx([text], TEXT_ONLY, sheet_title="Svar"))

    # Assert
    assert sheet["A2"].value == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Ansøgninger", "Ansøgninger"),
        ("Ansøgninger [2017]: A/B", "Ansøgninger 2017 AB"),
        ("Ansøgninger til puljen Sammen om fastholdelse", "Ansøgninger til puljen Sammen o"),
        ("???", "Ark1"),
    ],
)
def test_to_xlsx_sheet_title_is_made_valid(title, expected):
    # Act
    sheet = load_sheet(to_xlsx([], TEXT_ONLY, sheet_title=title))

    # Assert
    assert sheet.title == expected


def test_to_xlsx_column_widths_fit_contents_within_bounds():
    # Act
    sheet = load_sheet(to_xlsx(ROWS, COLUMNS, sheet_title="Ansøgninger"))

    # Assert
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEF"]
    # Kommune: 'Aabenraa'; beløb: '800,000 kr.'; instant: 'dd-mm-yyyy hh:mm'; svar: longest line.
    assert widths == [10, 14, 18, 13, 41, 10]


@given(st.text())
@settings(max_examples=200, database=None, deadline=None)
def test_to_xlsx_any_text_round_trips_cleaned(text):
    # Act
    sheet = load_sheet(to_xlsx([text], TEXT_ONLY, sheet_title="Tekst"))

    # Assert: an empty text leaves the cell empty, which reads back as None.
    assert (sheet["A2"].value or "") == expected_xlsx_text(text)


def test_export_mimetypes_name_csv_and_xlsx():
    # Assert
    assert EXPORT_MIMETYPES == {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
