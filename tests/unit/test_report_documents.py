"""Unit tests for portal.reports.documents: a kommune's report as PDF and the pool's mid-term status, read back."""
from __future__ import annotations

import dataclasses
import io
import time
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from portal.documents.blocks import AGENCY
from portal.reports.documents import (
    DRAFT, NO_KOMMUNER, NO_MIDTERM, NO_QUARTERS, NONE_OFF_TRACK, PRIVACY_NOTE, STATUS_PRIVACY_NOTE, KommuneStatus,
    PoolStatus, ReportDocument, midterm_status_filename, midterm_status_pdf, report_filename, report_pdf,
)
from portal.reports.measures import KommuneFigures, Quarter, QuarterFigures, kommune_timeline, pool_timeline
from portal.reports.rules import settle_account
from portal.reports.states import ReportKind
from portal.reports.template import FIGURES, NARRATIVES
from tests.support.documents import pdf_pages, pdf_text

SUBMITTED_AT = datetime(2018, 1, 29, 13, 45, tzinfo=UTC)    # 14.45 in Copenhagen
MADE_AT = datetime(2018, 8, 15, 8, 0, tzinfo=UTC)
CATEGORIES = {"fastholdelseskonsulenter": "Fastholdelseskonsulenter",
              "kompetenceudvikling": "Kompetenceudvikling af medarbejdere"}
FIGURE_VALUES = {
    "new_recipients": 52, "conversations_held": 40, "planned_at_workplace": 31, "held_at_workplace": 29,
    "with_employer": 25, "held_before_week_8": 33, "measure_before_week_13": None, "cases_ended": 1200,
    "in_work_or_education": 0, "phone_follow_ups": 4,
}
HOSTILE = 'Se <script>alert("ø")</script> & <b>fed</b> &amp; – æ, ø og å bevares.'


def quarterly(**changes) -> ReportDocument:
    """Herning's submitted report for 4th quarter 2017; keyword arguments replace fields."""
    document = ReportDocument(
        pool_name="Sammen om fastholdelse",
        journal_number="16/17959",
        kommune_name="Herning Kommune",
        letter_number="16/17959-05",
        kind=ReportKind.QUARTERLY,
        title="Aktivitetsrapport for 4. kvartal 2017",
        period_from_on=date(2017, 10, 1),
        period_to_on=date(2017, 12, 31),
        due_on=date(2018, 1, 31),
        submitted_at=SUBMITTED_AT,
        submitted_by="Bodil Clark",
        figures=FIGURE_VALUES,
        spending=[("Fastholdelseskonsulenter", 800_000), ("Kompetenceudvikling af medarbejdere", 12_500)],
        narratives=[("Hvad virker i implementeringen?", "Samtalerne på arbejdspladsen.\nArbejdsgiverne er med."),
                    ("Hvilke barrierer møder I?", "Sygemeldinger kommer sent.")],
        category_names=CATEGORIES,
    )
    return dataclasses.replace(document, **changes)


def final(*, granted: dict, spent: dict, paid_kr: int, **changes) -> ReportDocument:
    """Herning's final report with the account settled from granted, spent and paid."""
    return quarterly(kind=ReportKind.FINAL, title="Slutrapport med regnskab", period_to_on=date(2018, 12, 31),
                     due_on=date(2019, 3, 31), figures={}, spending=[],
                     narratives=[(item.label, "") for item in NARRATIVES[ReportKind.FINAL]],
                     settlement=settle_account(granted, spent, paid_kr=paid_kr), **changes)


def lines_of(pdf: bytes) -> list[str]:
    """The document's lines without the letterhead and footer of each page (each table cell is a line)."""
    return [line for page in pdf_pages(pdf) for line in page[1:-1]]


def section(lines: list[str], start: str, end: str | None = None) -> list[str]:
    """The lines from the first `start` up to the next `end` (or to the end)."""
    first = lines.index(start)
    return lines[first:lines.index(end, first) if end else None]


def without_headers(lines: list[str], first: str = "Kommune", last: str = "over fristen") -> list[str]:
    """The lines with every (repeated) table header from `first` to `last` taken out."""
    kept, in_header = [], False
    for line in lines:
        in_header = in_header or line == first
        if not in_header:
            kept.append(line)
        in_header = in_header and line != last
    return kept


def left_edges(pdf: bytes) -> dict[str, float]:
    """Where on the page (points from the left) each piece of text first starts."""
    found: dict[str, float] = {}

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            found.setdefault(text.strip(), tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return found


# --- the report ------------------------------------------------------------------------------------------------

def test_report_opens_with_title_and_facts():
    # Act
    lines = lines_of(report_pdf(quarterly()))

    # Assert
    assert lines[:lines.index("Tal for kvartalet")] == [
        "Aktivitetsrapport for 4. kvartal 2017",
        "Kommune", "Herning Kommune",
        "Pulje", "Sammen om fastholdelse",
        "J.nr.", "16/17959",
        "Tilsagnsnr.", "16/17959-05",
        "Periode", "1. oktober 2017 – 31. december 2017",
        "Frist", "31. januar 2018",
        "Indsendt", "29. januar 2018 kl. 14.45",
        "Indsendt af", "Bodil Clark",
    ]


def test_report_draft_is_marked_and_names_no_submission():
    # Arrange
    document = quarterly(submitted_at=None, submitted_by="", warnings=["Ingen nye sygedagpengemodtagere."])

    # Act
    pdf = report_pdf(document)

    # Assert: the warnings of an earlier submission are left out too
    lines = lines_of(pdf)
    assert lines[:2] == ["Aktivitetsrapport for 4. kvartal 2017", DRAFT]
    assert section(lines, "Frist", "Tal for kvartalet") == ["Frist", "31. januar 2018", "Status", DRAFT]
    assert PdfReader(io.BytesIO(pdf)).metadata.title == (
        "Aktivitetsrapport for 4. kvartal 2017: Herning Kommune (kladde – ikke indsendt)")


def test_report_submitted_is_not_marked_as_draft():
    # Act
    text = pdf_text(report_pdf(quarterly()))

    # Assert
    assert text.count(DRAFT) == 0


def test_report_lists_the_warnings_it_was_submitted_with():
    # Arrange
    warnings = ["Ingen første samtaler i kvartalet. Er det rigtigt?", "Mere end dobbelt så mange som forventet."]

    # Act
    lines = lines_of(report_pdf(quarterly(warnings=warnings)))

    # Assert
    assert section(lines, "Advarsler ved indsendelse", "Tal for kvartalet") == [
        "Advarsler ved indsendelse",
        "Kommunen indsendte rapporten, selv om portalen viste disse advarsler:",
        *(f"– {warning}" for warning in warnings),
    ]


def test_report_figures_in_template_order_with_parts_under_their_whole():
    # Act
    lines = lines_of(report_pdf(quarterly()))

    # Assert: a missing count reads '–', a thousand gets its separator, 0 stays 0
    assert section(lines, "Tal for kvartalet", "Forbrug i kvartalet") == [
        "Tal for kvartalet", "Antal",
        "Nye sygedagpengemodtagere fra beskæftigelse i kategori 2 og 3", "52",
        "Første opfølgningssamtaler holdt", "40",
        "heraf planlagt på arbejdspladsen", "31",
        "heraf holdt på arbejdspladsen", "29",
        "heraf med arbejdsgiveren til stede", "25",
        "heraf holdt inden udgangen af 8. fraværsuge", "33",
        "Personer med en virksomhedsrettet indsats inden udgangen af 13. sygeuge", "–",
        "Afsluttede forløb", "1.200",
        "heraf i job eller uddannelse en måned efter", "0",
        "Forløb fulgt op telefonisk", "4",
    ]


def test_report_figure_parts_are_indented_under_their_whole():
    # Act
    edges = left_edges(report_pdf(quarterly()))

    # Assert: every 'heraf' starts the same distance (6 mm = 17 pt) right of the counts that are wholes
    wholes = {round(edges[figure.label], 1) for figure in FIGURES if figure.part_of is None}
    parts = {round(edges[figure.label], 1) for figure in FIGURES if figure.part_of is not None}
    assert (len(wholes), len(parts)) == (1, 1)
    assert round(parts.pop() - wholes.pop()) == 17


def test_report_spending_per_category_with_total():
    # Act
    lines = lines_of(report_pdf(quarterly()))

    # Assert
    assert section(lines, "Forbrug i kvartalet", "Hvad virker i implementeringen?") == [
        "Forbrug i kvartalet", "Kategori", "Forbrug i kvartalet",
        "Fastholdelseskonsulenter", "800.000 kr.",
        "Kompetenceudvikling af medarbejdere", "12.500 kr.",
        "I alt", "812.500 kr.",
    ]


def test_report_narratives_are_headed_and_end_with_privacy_note():
    # Act
    lines = lines_of(report_pdf(quarterly()))

    # Assert
    assert section(lines, "Hvad virker i implementeringen?") == [
        "Hvad virker i implementeringen?", "Samtalerne på arbejdspladsen.", "Arbejdsgiverne er med.",
        "Hvilke barrierer møder I?", "Sygemeldinger kommer sent.",
        PRIVACY_NOTE,
    ]


def test_report_midterm_has_no_figures_or_spending_and_dashes_an_empty_answer():
    # Arrange
    narratives = [(item.label, "Godt i gang." if index else "") for index, item in
                  enumerate(NARRATIVES[ReportKind.MIDTERM])]

    # Act
    lines = lines_of(report_pdf(quarterly(kind=ReportKind.MIDTERM, title="Midtvejsstatus", figures={}, spending=[],
                                          narratives=narratives)))

    # Assert
    assert section(lines, "Indsendt af") == [
        "Indsendt af", "Bodil Clark",
        "Status på implementeringen af kernelementerne", "–",
        "Hvad er lykkedes, og hvad kan andre lære af det?", "Godt i gang.",
        "Hvilke barrierer har I mødt?", "Godt i gang.",
        "Hvad justerer I i resten af projektperioden?", "Godt i gang.",
        PRIVACY_NOTE,
    ]


def test_report_long_answer_flows_over_pages_with_every_paragraph_kept():
    # Arrange: 4.000 characters in 40 paragraphs with blank lines between them
    paragraphs = [f"Afsnit {number:02d}: " + "samtalen på arbejdspladsen virker " * 2 + "x" * 18
                  for number in range(1, 41)]
    answer = "\r\n\r\n".join(paragraphs)

    # Act
    pages = pdf_pages(report_pdf(quarterly(narratives=[("Hvad virker i implementeringen?", answer)])))

    # Assert
    lines = [line for page in pages for line in page[1:-1]]
    assert 2 <= len(pages) <= 4
    assert [page[-1] for page in pages] == [f"Side {number} af {len(pages)}" for number in range(1, len(pages) + 1)]
    assert [line for line in lines if line.startswith("Afsnit ")] == paragraphs


@pytest.mark.parametrize("field", ["kommune_name", "submitted_by", "title", "narrative-label", "narrative-answer",
                                   "warning", "spending-category"])
def test_report_text_with_markup_appears_literally(field):
    # Arrange
    changes = {
        "narrative-label": dict(narratives=[(HOSTILE, "Svar.")]),
        "narrative-answer": dict(narratives=[("Spørgsmål", HOSTILE)]),
        "warning": dict(warnings=[HOSTILE]),
        "spending-category": dict(spending=[(HOSTILE, 1)]),
    }.get(field, {field: HOSTILE})

    # Act
    text = pdf_text(report_pdf(quarterly(**changes)))

    # Assert
    assert text.count(HOSTILE) == 1


def test_final_report_repays_what_a_line_overspent_cannot_cover():
    # Arrange: 2018's consultants overspent by 25.000 kr., which the 20.000 kr. left on training cannot cover
    granted = {(2017, "fastholdelseskonsulenter"): 200_000, (2018, "fastholdelseskonsulenter"): 500_000,
               (2018, "kompetenceudvikling"): 100_000}
    spent = {(2017, "fastholdelseskonsulenter"): 200_000, (2018, "fastholdelseskonsulenter"): 525_000,
             (2018, "kompetenceudvikling"): 80_000}

    # Act
    lines = lines_of(report_pdf(final(granted=granted, spent=spent, paid_kr=800_000)))

    # Assert: covered 200.000 + 500.000 + 80.000 = 780.000 kr. of the 800.000 kr. paid
    assert section(lines, "Regnskab", "Tilskuddet dækker forbruget på hver linje op til det bevilgede beløb;"
                                      " forbrug ud over en linje dækkes ikke af de andre") == [
        "Regnskab",
        "2017",
        "Kategori", "Bevilget", "Forbrug", "Dækket", "Forskel",
        "Fastholdelseskonsulenter", "200.000 kr.", "200.000 kr.", "200.000 kr.", "0 kr.",
        "I alt 2017", "200.000 kr.", "200.000 kr.", "200.000 kr.", "0 kr.",
        "2018",
        "Kategori", "Bevilget", "Forbrug", "Dækket", "Forskel",
        "Fastholdelseskonsulenter", "500.000 kr.", "525.000 kr.", "500.000 kr.", "+25.000 kr.",
        "Kompetenceudvikling af", "medarbejdere", "100.000 kr.", "80.000 kr.", "80.000 kr.", "-20.000 kr.",
        "I alt 2018", "600.000 kr.", "605.000 kr.", "580.000 kr.", "+5.000 kr.",
        "Bevilget i alt", "800.000 kr.",
        "Forbrug i alt", "805.000 kr.",
        "Dækket af tilskuddet", "780.000 kr.",
        "Udbetalt", "800.000 kr.",
        "Skal betales tilbage", "20.000 kr.",
    ]


@pytest.mark.parametrize(
    ("paid_kr", "expected"),
    [
        pytest.param(600_000, ["Udbetalt", "600.000 kr.", "Styrelsen udbetaler endnu", "150.000 kr."], id="owed"),
        pytest.param(750_000, ["Udbetalt", "750.000 kr.", "Skal betales tilbage", "0 kr."], id="settled"),
        pytest.param(800_000, ["Udbetalt", "800.000 kr.", "Skal betales tilbage", "50.000 kr."], id="repay"),
    ],
)
def test_final_report_settles_what_was_paid_against_what_is_covered(paid_kr, expected):
    # Arrange
    granted = {(2018, "fastholdelseskonsulenter"): 800_000}
    spent = {(2018, "fastholdelseskonsulenter"): 750_000}

    # Act
    lines = lines_of(report_pdf(final(granted=granted, spent=spent, paid_kr=paid_kr)))

    # Assert
    assert section(lines, "Udbetalt")[:4] == expected


def test_final_report_orders_categories_as_the_pool_and_names_an_unknown_one_by_code():
    # Arrange
    granted = {(2018, "kompetenceudvikling"): 100, (2018, "fastholdelseskonsulenter"): 100, (2018, "andet"): 0}
    spent = {(2018, "andet"): 5}

    # Act
    lines = lines_of(report_pdf(final(granted=granted, spent=spent, paid_kr=0)))

    # Assert
    assert [line for line in section(lines, "2018", "I alt 2018") if not line.endswith(" kr.")] == [
        "2018", "Kategori", "Bevilget", "Forbrug", "Dækket", "Forskel",
        "Fastholdelseskonsulenter", "Kompetenceudvikling af", "medarbejdere", "andet",
    ]


def test_report_metadata_names_report_kommune_and_grant():
    # Act
    metadata = PdfReader(io.BytesIO(report_pdf(quarterly()))).metadata

    # Assert
    assert (metadata.title, metadata.author, metadata.subject) == (
        "Aktivitetsrapport for 4. kvartal 2017: Herning Kommune", AGENCY,
        "Sammen om fastholdelse, J.nr. 16/17959: aktivitetsrapport for 4. kvartal 2017 fra Herning Kommune, "
        "tilsagn nr. 16/17959-05")


@pytest.mark.parametrize("changes", [
    pytest.param(dict(period_to_on=date(2017, 9, 30)), id="period-reversed"),
    pytest.param(dict(submitted_at=datetime(2018, 1, 29, 13, 45)), id="naive-instant"),
])
def test_report_document_rejects_inconsistent_input(changes):
    # Act / Assert
    with pytest.raises(ValueError):
        quarterly(**changes)


@pytest.mark.parametrize(
    ("code", "name", "title", "expected"),
    [
        (657, "Herning", "Aktivitetsrapport for 4. kvartal 2017",
         "657-herning-aktivitetsrapport-for-4-kvartal-2017.pdf"),
        (169, "Høje-Taastrup", "Midtvejsstatus", "169-hoeje-taastrup-midtvejsstatus.pdf"),
        (492, "Ærø", "Slutrapport med regnskab", "492-aeroe-slutrapport-med-regnskab.pdf"),
    ],
)
def test_report_filename_is_ascii(code, name, title, expected):
    # Act
    filename = report_filename(code=code, name=name, title=title)

    # Assert
    assert filename == expected


# --- the mid-term status ---------------------------------------------------------------------------------------

def figures(quarter: tuple[int, int], **counts) -> QuarterFigures:
    return QuarterFigures(Quarter(*quarter), **counts)


# Herning: 29 of 40 conversations at the workplace (72,5 %); 423 of 1.000 new recipients with an early measure,
# 42,3 % against a baseline of 30,0 %: +12,3 percentage points.
HERNING = KommuneFigures(657, "Herning", 300, 600_000, (
    figures((2017, 4), new_recipients=600, conversations_held=20, held_at_workplace=15, with_employer=10,
            held_before_week_8=12, measure_before_week_13=250, cases_ended=10, in_work_or_education=6,
            spent_kr=100_000),
    figures((2018, 1), new_recipients=400, conversations_held=20, held_at_workplace=14, with_employer=8,
            held_before_week_8=14, measure_before_week_13=173, cases_ended=10, in_work_or_education=7,
            spent_kr=150_000),
))
# Ærø has not reported yet, has given no baseline and is a report late.
AEROE = KommuneFigures(492, "Ærø", None, 200_000, ())
# Høje-Taastrup: 5 of 10 at the workplace; 45 of 100 against 40,0 %: +5,0 percentage points.
HOEJE_TAASTRUP = KommuneFigures(169, "Høje-Taastrup", 400, 300_000, (
    figures((2018, 1), new_recipients=100, conversations_held=10, held_at_workplace=5, measure_before_week_13=45,
            spent_kr=30_000),
))
MIDTERM_ANSWERS = [(item.label, f"Svar på: {item.label}") for item in NARRATIVES[ReportKind.MIDTERM]]


def kommune_status(kommune: KommuneFigures, *, late: int = 0, narratives=()) -> KommuneStatus:
    return KommuneStatus(timeline=kommune_timeline(kommune), baseline_permille=kommune.baseline_permille,
                         reports_submitted=len(kommune.quarters), reports_late=late, narratives=list(narratives))


def pool_status(*kommuner: KommuneFigures, late: dict[str, int] | None = None,
                narratives: dict[str, list] | None = None) -> PoolStatus:
    """The status of the given kommuner, in that order; late reports and answers by kommune name."""
    late, narratives = late or {}, narratives or {}
    return PoolStatus(
        pool_name="Sammen om fastholdelse", journal_number="16/17959", made_at=MADE_AT,
        pool=pool_timeline(list(kommuner)),
        kommuner=[kommune_status(kommune, late=late.get(kommune.name, 0), narratives=narratives.get(kommune.name, ()))
                  for kommune in kommuner])


def test_status_opens_with_title_and_facts():
    # Act
    lines = lines_of(midterm_status_pdf(pool_status(HERNING, AEROE, late={"Ærø": 1})))

    # Assert
    assert lines[:lines.index("Succeskriterier for hele puljen")] == [
        "Midtvejsstatus for puljen Sammen om fastholdelse",
        "Pulje", "Sammen om fastholdelse",
        "J.nr.", "16/17959",
        "Udarbejdet", "15. august 2018 kl. 10.00",
        "Kommuner", "2",
        "Kvartaler med tal", "4. kvt. 2017 – 1. kvt. 2018",
        "Indsendte rapporter", "2",
        "Rapporter over fristen", "1",
    ]


def test_status_success_criteria_for_the_whole_pool():
    # Act
    lines = lines_of(midterm_status_pdf(pool_status(HERNING, AEROE)))

    # Assert: Ærø adds its grant but no counts and, without a baseline, no weight to the baseline
    criteria = " ".join(section(lines, "Succeskriterium", "Kvartal for kvartal"))   # a long cell wraps
    assert criteria == " ".join([
        "Succeskriterium Resultat Grundlag Mål",
        "Første samtaler holdt på arbejdspladsen", "72,5 %", "29 af 40 samtaler", "70 %",
        "Første samtaler med arbejdsgiveren til stede", "45,0 %", "18 af 40 samtaler", "–",
        "Første samtaler inden udgangen af 8. fraværsuge", "65,0 %", "26 af 40 samtaler", "–",
        "Virksomhedsrettet indsats inden udgangen af 13. sygeuge", "42,3 %", "423 af 1.000 nye sygedagpengemodtagere",
        "–",
        "Ændring i indsats inden uge 13 i forhold til udgangspunktet", "+12,3 procentpoint", "Udgangspunkt 30,0 %",
        "+10 procentpoint",
        "I job eller uddannelse en måned efter afsluttet forløb", "65,0 %", "13 af 20 afsluttede forløb", "–",
        "Forbrug af tilskuddet", "31,3 %", "250.000 kr. af 800.000 kr.", "–",
    ])


def test_status_pool_per_quarter_with_total():
    # Act
    lines = lines_of(midterm_status_pdf(pool_status(HERNING, AEROE)))

    # Assert
    table = section(lines, "Kvartal for kvartal", "Kommunerne")
    assert table[table.index("Forbrug") + 1:] == [
        "4. kvt. 2017", "600", "75,0 %", "50,0 %", "60,0 %", "41,7 %", "60,0 %", "100.000 kr.",
        "1. kvt. 2018", "400", "70,0 %", "40,0 %", "70,0 %", "43,3 %", "70,0 %", "150.000 kr.",
        "I alt", "1.000", "72,5 %", "45,0 %", "65,0 %", "42,3 %", "65,0 %", "250.000 kr.",
    ]


def test_status_kommune_table_shows_no_data_where_nothing_is_counted():
    # Act
    lines = lines_of(midterm_status_pdf(pool_status(HERNING, AEROE, HOEJE_TAASTRUP, late={"Ærø": 1})))

    # Assert: the pool's baseline is (30,0 % x 1.000 + 40,0 % x 100) / 1.100 = 30,9 %; 468 of 1.100 is 42,5 %
    table = without_headers(section(lines, "Kommunerne", "Kommuner, der ikke er på sporet"))
    assert table[table.index("Herning"):] == [
        "Herning", "72,5 %", "45,0 %", "+12,3 procentpoint", "65,0 %", "41,7 %", "0",
        "Ærø", "Ingen data", "Ingen data", "Ingen data", "Ingen data", "0,0 %", "1",
        "Høje-Taastrup", "50,0 %", "0,0 %", "+5,0 procentpoint", "Ingen data", "10,0 %", "0",
        "Hele puljen", "68,0 %", "36,0 %", "+11,6 procentpoint", "65,0 %", "25,5 %", "1",
    ]


def test_status_lists_kommuner_off_track_with_their_reasons():
    # Act
    lines = lines_of(midterm_status_pdf(pool_status(HERNING, AEROE, HOEJE_TAASTRUP, late={"Ærø": 1, "Herning": 2})))

    # Assert: Herning is above both goals, but late
    assert " ".join(section(lines, "Kommuner, der ikke er på sporet", "Kommunernes midtvejsstatus")) == (
        "Kommuner, der ikke er på sporet "
        "– Herning: 2 rapporter over fristen. "
        "– Ærø: 1 rapport over fristen. "
        "– Høje-Taastrup: 50,0 % af de første samtaler på arbejdspladsen (mål 70 %); virksomhedsrettet indsats "
        "inden uge 13 +5,0 procentpoint i forhold til udgangspunktet (mål +10 procentpoint).")


def test_status_says_so_when_every_kommune_is_on_track():
    # Act
    lines = lines_of(midterm_status_pdf(pool_status(HERNING, AEROE)))

    # Assert
    assert section(lines, "Kommuner, der ikke er på sporet", "Kommunernes midtvejsstatus") == [
        "Kommuner, der ikke er på sporet", NONE_OFF_TRACK]


def test_status_gives_each_kommune_its_midterm_answers_or_says_they_are_missing():
    # Act
    lines = lines_of(midterm_status_pdf(pool_status(HERNING, AEROE, late={"Ærø": 1},
                                                    narratives={"Herning": MIDTERM_ANSWERS})))

    # Assert
    assert section(lines, "Kommunernes midtvejsstatus") == [
        "Kommunernes midtvejsstatus",
        "Herning",
        "Indsendte rapporter: 2. Over fristen: 0. Udgangspunkt for virksomhedsrettet indsats inden uge 13: 30,0 %.",
        *(line for label, answer in MIDTERM_ANSWERS for line in (label, answer)),
        "Ærø",
        "Indsendte rapporter: 0. Over fristen: 1. Udgangspunkt for virksomhedsrettet indsats inden uge 13: "
        "ikke oplyst.",
        NO_MIDTERM,
        STATUS_PRIVACY_NOTE,
    ]


def test_status_without_kommuner_says_so_on_one_page():
    # Act
    pages = pdf_pages(midterm_status_pdf(pool_status()))

    # Assert
    lines = [line for page in pages for line in page[1:-1]]
    assert len(pages) == 1
    assert lines[lines.index("Kommuner"):lines.index("Succeskriterier for hele puljen")] == [
        "Kommuner", "0", "Kvartaler med tal", "Ingen endnu", "Indsendte rapporter", "0",
        "Rapporter over fristen", "0"]
    assert section(lines, "Kvartal for kvartal") == [
        "Kvartal for kvartal", NO_QUARTERS, "Kommunerne", NO_KOMMUNER, STATUS_PRIVACY_NOTE]
    assert [line for line in section(lines, "Succeskriterium", "Kvartal for kvartal")
            if "%" in line or "procentpoint" in line] == ["70 %", "+10 procentpoint"]


def many_kommuner(count: int) -> list[KommuneFigures]:
    """Generated kommuner with Danish and hostile names; every fifth has not reported, every seventh has no baseline."""
    names = ["Høje-Taastrup", "Lyngby-Taarbæk", "<b>&amp;", "Ærø", "Ringkøbing-Skjern"]
    names += [f"Kommune {number:03d}" for number in range(count - len(names))]
    kommuner = []
    for index, name in enumerate(names[:count]):
        quarters = () if index % 5 == 4 else tuple(
            figures((2017 + (number + 3) // 4, (number + 3) % 4 + 1), new_recipients=40 + index,
                    conversations_held=20 + index % 9, held_at_workplace=10 + index % 11, with_employer=5,
                    held_before_week_8=9, measure_before_week_13=15 + index % 13, cases_ended=8,
                    in_work_or_education=4, spent_kr=50_000 + 1_000 * index)
            for number in range(1, 4))
        kommuner.append(KommuneFigures(100 + index, name, None if index % 7 == 6 else 250 + index, 800_000,
                                       quarters))
    return kommuner


def test_status_with_98_kommuner_lists_every_kommune_over_several_pages():
    # Arrange
    kommuner = many_kommuner(98)
    narratives = {kommune.name: MIDTERM_ANSWERS for kommune in kommuner[::3]}

    # Act
    pages = pdf_pages(midterm_status_pdf(pool_status(*kommuner, late={"<b>&amp;": 1}, narratives=narratives)))

    # Assert
    lines = [line for page in pages for line in page[1:-1]]
    names = [kommune.name for kommune in kommuner]
    assert 8 <= len(pages) <= 30
    assert [page[-1] for page in pages] == [f"Side {number} af {len(pages)}" for number in range(1, len(pages) + 1)]
    assert [line for line in section(lines, "Kommunerne", "Kommuner, der ikke er på sporet") if line in names] == names
    first, last = (next(number for number, page in enumerate(pages) if heading in page)
                   for heading in ("Kommunerne", "Kommuner, der ikke er på sporet"))
    assert last - first >= 2
    assert [page[1] for page in pages[first + 1:last + 1]] == ["Kommune"] * (last - first)   # the header repeats
    assert [line for line in section(lines, "Kommunernes midtvejsstatus") if line in names] == names
    assert lines.count(NO_MIDTERM) == 98 - len(narratives)
    hostile = [line for line in section(lines, "Kommuner, der ikke er på sporet") if line.startswith("– <b>&amp;:")]
    assert hostile == ["– <b>&amp;: 54,5 % af de første samtaler på arbejdspladsen (mål 70 %); 1 rapport over fristen."]


def test_status_metadata_and_timing_for_14_kommuner():
    # Arrange: a pool of 14 kommuner, each with its mid-term answers
    kommuner = many_kommuner(14)
    status = pool_status(*kommuner, narratives={kommune.name: MIDTERM_ANSWERS for kommune in kommuner})
    midterm_status_pdf(status)   # reportlab's fonts and caches are loaded once per process

    # Act
    started = time.perf_counter()
    pdf = midterm_status_pdf(status)
    elapsed = time.perf_counter() - started

    # Assert: the time is reported, not asserted
    print(f"midterm_status_pdf, 14 kommuner: {elapsed * 1000:.1f} ms, {len(pdf)} bytes, {len(pdf_pages(pdf))} pages")
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert (metadata.title, metadata.subject) == (
        "Midtvejsstatus: Sammen om fastholdelse",
        "Sammen om fastholdelse, J.nr. 16/17959: midtvejsstatus for puljen, 15. august 2018")


def test_status_rejects_a_naive_instant():
    # Act / Assert
    with pytest.raises(ValueError):
        dataclasses.replace(pool_status(), made_at=datetime(2018, 8, 15, 10, 0))


@pytest.mark.parametrize(
    ("made_at", "expected"),
    [
        (MADE_AT, "midtvejsstatus-sammen-om-fastholdelse-2018-08-15.pdf"),
        # 22.30 UTC is already the next day in Copenhagen
        (datetime(2018, 8, 15, 22, 30, tzinfo=UTC), "midtvejsstatus-sammen-om-fastholdelse-2018-08-16.pdf"),
    ],
)
def test_midterm_status_filename_is_ascii(made_at, expected):
    # Act
    filename = midterm_status_filename(pool_name="Sammen om fastholdelse", made_at=made_at)

    # Assert
    assert filename == expected
