"""The PDFs of the reporting: a kommune's report as submitted, and the pool-wide mid-term status; pure."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from portal.documents.blocks import (
    BODY, CONTENT_WIDTH, HEADING, LABEL, RULE, SHADE, SMALL, TITLE, build_pdf, facts_table, markup, money_table,
    paragraph, paragraphs,
)
from portal.formatting import file_name, format_date, format_datetime, format_kr, format_number, local
from portal.grants.letter import format_period
from portal.reports.measures import (
    EARLY_MEASURE_GOAL_POINTS, WORKPLACE_GOAL, Measures, Ratio, Timeline, format_percent, format_points,
    format_ratio, off_track_reasons,
)
from portal.reports.rules import AccountLine, Settlement
from portal.reports.states import ReportKind
from portal.reports.template import FIGURES

DRAFT = "Kladde – ikke indsendt"
MISSING = "–"
PRIVACY_NOTE = ("Rapporten indeholder kun samlede tal for kommunens forløb og ingen personoplysninger om "
                "sygemeldte borgere.")
STATUS_PRIVACY_NOTE = ("Statussen indeholder kun samlede tal for kommunernes forløb og ingen personoplysninger om "
                       "sygemeldte borgere.")
SETTLEMENT_NOTE = ("Tilskuddet dækker forbruget på hver linje op til det bevilgede beløb; forbrug ud over en linje "
                   "dækkes ikke af de andre linjer uden en godkendt ændring. Forskel er forbrug minus bevilget. "
                   "Opgørelsen er foreløbig, indtil styrelsen har godkendt regnskabet.")
STATUS_TITLE = "Midtvejsstatus"
NO_KOMMUNER = "Ingen kommuner deltager i puljen."
NONE_OFF_TRACK = "Alle kommuner er på sporet: ingen er under målene, og ingen har rapporter over fristen."
NO_MIDTERM = "Midtvejsstatus er ikke indsendt."
NO_QUARTERS = "Der er endnu ingen indsendte aktivitetsrapporter med tal."
BULLET = "–"

FIGURE_WIDTHS = (CONTENT_WIDTH - 30 * mm, 30 * mm)
SPENDING_HEADER = ("Kategori", "Forbrug i kvartalet")
SPENDING_WIDTHS = (CONTENT_WIDTH - 40 * mm, 40 * mm)
ACCOUNT_HEADER = ("Kategori", "Bevilget", "Forbrug", "Dækket", "Forskel")
ACCOUNT_WIDTHS = (CONTENT_WIDTH - 4 * 27 * mm, *(27 * mm,) * 4)   # 27 mm holds '-1.234.567 kr.' on one line
CRITERIA_HEADER = ("Succeskriterium", "Resultat", "Grundlag", "Mål")
CRITERIA_WIDTHS = (58 * mm, 30 * mm, 42 * mm, 30 * mm)
QUARTER_HEADER = ("Kvartal", "Nye modtagere", "Samtaler på arbejds\xadpladsen", "Med arbejds\xadgiver",
                  "Inden uge 8", "Indsats inden uge 13", "Job eller uddannelse", "Forbrug")
QUARTER_WIDTHS = (19 * mm, 18 * mm, 20 * mm, 20 * mm, 20 * mm, 20 * mm, 20 * mm, 23 * mm)
KOMMUNE_HEADER = ("Kommune", "Samtaler på arbejds\xadpladsen", "Med arbejds\xadgiver",
                  "Indsats inden uge 13 ift. udgangs\xadpunktet", "Job eller uddannelse", "Forbrug af tilskud",
                  "Rapporter over fristen")
KOMMUNE_WIDTHS = (32 * mm, 21 * mm, 21 * mm, 28 * mm, 21 * mm, 19 * mm, 18 * mm)
# The wide tables use a smaller type and padding so that seven or eight columns fit the text width.
_WIDE = ParagraphStyle("report-wide", parent=BODY, fontSize=8, leading=10, spaceAfter=0)
_NARROW = ParagraphStyle("report-narrow", parent=BODY, fontSize=9, leading=11.5, spaceAfter=0)
ITEM_STYLE = ParagraphStyle("report-item", parent=BODY, leftIndent=6 * mm, bulletIndent=1.5 * mm, spaceAfter=2)
DRAFT_STYLE = ParagraphStyle("report-draft", parent=BODY, fontName="Helvetica-Bold", fontSize=12, leading=15)
NOTE_STYLE = ParagraphStyle("report-note", parent=SMALL, spaceBefore=12)
KOMMUNE_HEADING = ParagraphStyle("report-kommune", parent=HEADING, fontSize=11.5, leading=14, spaceBefore=14)


@dataclass(frozen=True)
class ReportDocument:
    """One report as the kommune wrote it; text is plain text, shown literally. Instants aware; None is a draft."""
    pool_name: str
    journal_number: str
    kommune_name: str            # official name, e.g. "Herning Kommune"
    letter_number: str           # the grant letter's number, e.g. "16/17959-05"
    kind: ReportKind
    title: str                   # "Aktivitetsrapport for 4. kvartal 2017"
    period_from_on: date
    period_to_on: date
    due_on: date
    submitted_at: datetime | None   # None: a preview of a report not (yet again) submitted
    submitted_by: str
    figures: Mapping[str, int | None]        # by template.FIGURES key; quarterly reports only
    spending: Sequence[tuple[str, int]]      # (category name, kr) for the quarter; quarterly reports only
    narratives: Sequence[tuple[str, str]]    # (question label, answer)
    settlement: Settlement | None = None     # final report only
    category_names: Mapping[str, str] = field(default_factory=dict)   # code -> name, in the pool's order
    warnings: Sequence[str] = ()             # the warnings the kommune submitted despite

    def __post_init__(self) -> None:
        if self.period_to_on < self.period_from_on:
            raise ValueError("a report's period cannot end before it starts")
        if self.submitted_at is not None and self.submitted_at.utcoffset() is None:
            raise ValueError("submitted_at must be aware")


@dataclass(frozen=True)
class KommuneStatus:
    """One participating kommune in the mid-term status: its measures, its reports, its mid-term answers."""
    timeline: Timeline               # measures.kommune_timeline(...); its name is the kommune's name
    baseline_permille: int | None
    reports_submitted: int
    reports_late: int
    narratives: Sequence[tuple[str, str]]   # its submitted Midtvejsstatus answers; empty if none

    @property
    def off_track(self) -> list[str]:
        """The criteria it falls short of, and its late reports, as the progress page words them."""
        return off_track_reasons(self.timeline, late_reports=self.reports_late)


@dataclass(frozen=True)
class PoolStatus:
    pool_name: str
    journal_number: str
    made_at: datetime                    # aware
    pool: Timeline                       # measures.pool_timeline(...)
    kommuner: Sequence[KommuneStatus]    # in display order

    def __post_init__(self) -> None:
        if self.made_at.utcoffset() is None:
            raise ValueError("made_at must be aware")


# --- shared pieces ---------------------------------------------------------------------------------------------

def _cell_styles(base: ParagraphStyle) -> dict[tuple[bool, bool], ParagraphStyle]:
    """(bold, right-aligned) -> a cell style of the base's size."""
    return {(bold, right): ParagraphStyle(f"{base.name}-{int(bold)}{int(right)}", parent=base,
                                          fontName="Helvetica-Bold" if bold else base.fontName,
                                          alignment=TA_RIGHT if right else base.alignment)
            for bold in (False, True) for right in (False, True)}


_WIDE_CELLS, _NARROW_CELLS = _cell_styles(_WIDE), _cell_styles(_NARROW)
_INDENTED = ParagraphStyle("report-part", parent=_NARROW_CELLS[(False, False)], leftIndent=6 * mm)


def _grid(header: Sequence[str], rows: Sequence[Sequence[str | Flowable]], widths: Sequence[float], *,
          cells: Mapping[tuple[bool, bool], ParagraphStyle], right_from: int = 1, total_rows: int = 0,
          padding: float = 4) -> Table:
    """A table of figures in the look of blocks.money_table: a shaded header repeated on every page, ruled rows,
    and the last `total_rows` rows bold under a black rule. Columns from `right_from` on are right-aligned;
    a cell that is already a flowable is used as it is (an indented label)."""
    def row_of(values: Sequence[str | Flowable], *, bold: bool) -> list[Flowable]:
        return [value if not isinstance(value, str) else paragraph(value, cells[(bold, index >= right_from)])
                for index, value in enumerate(values)]

    data = ([row_of(header, bold=True)] + [row_of(row, bold=False) for row in rows[:len(rows) - total_rows]]
            + [row_of(row, bold=True) for row in rows[len(rows) - total_rows:]])
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
    ]
    if total_rows:
        commands.append(("LINEABOVE", (0, -total_rows), (-1, -total_rows), 0.75, colors.black))
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT", spaceBefore=4, spaceAfter=8)
    table.setStyle(TableStyle(commands))
    return table


def _item(text: str) -> Flowable:
    """One list item of plain text, escaped, with a bullet and a hanging indent."""
    return Paragraph(markup(text), ITEM_STYLE, bulletText=BULLET)


def _answers(narratives: Sequence[tuple[str, str]], label_style: ParagraphStyle) -> list[Flowable]:
    """Each question as a heading and its answer, line by line; an empty answer as '–'."""
    flowables: list[Flowable] = []
    for label, answer in narratives:
        flowables += [paragraph(label, label_style), *paragraphs(answer if answer.strip() else MISSING)]
    return flowables


# --- the report ------------------------------------------------------------------------------------------------

def _report_facts(report: ReportDocument) -> list[tuple[str, str]]:
    facts = [("Kommune", report.kommune_name), ("Pulje", report.pool_name), ("J.nr.", report.journal_number),
             ("Tilsagnsnr.", report.letter_number),
             ("Periode", format_period(report.period_from_on, report.period_to_on)),
             ("Frist", format_date(report.due_on))]
    if report.submitted_at is None:
        return facts + [("Status", DRAFT)]
    return facts + [("Indsendt", format_datetime(report.submitted_at)),
                    ("Indsendt af", report.submitted_by or MISSING)]


def _figure_rows(figures: Mapping[str, int | None]) -> list[tuple[str | Flowable, str]]:
    """Every count in the template's order, each whole followed by its 'heraf' parts, indented."""
    def value(key: str) -> str:
        count = figures.get(key)
        return MISSING if count is None else format_number(count)

    rows: list[tuple[str | Flowable, str]] = []
    for whole in (figure for figure in FIGURES if figure.part_of is None):
        rows.append((whole.label, value(whole.key)))
        rows += [(paragraph(part.label, _INDENTED), value(part.key))
                 for part in FIGURES if part.part_of == whole.key]
    return rows


def _figures(report: ReportDocument) -> list[Flowable]:
    """A quarterly report's counts; one not written yet reads '–'."""
    if report.kind is not ReportKind.QUARTERLY:
        return []
    return [paragraph("Tal for kvartalet", HEADING),
            _grid(("", "Antal"), _figure_rows(report.figures), FIGURE_WIDTHS, cells=_NARROW_CELLS)]


def _spending(report: ReportDocument) -> list[Flowable]:
    if not report.spending:
        return []
    rows = [(name, format_kr(amount)) for name, amount in report.spending]
    total = sum(amount for _, amount in report.spending)
    return [paragraph("Forbrug i kvartalet", HEADING),
            money_table(SPENDING_HEADER, rows, ("I alt", format_kr(total)), widths=SPENDING_WIDTHS)]


def _signed_kr(amount: int) -> str:
    """A difference with its sign, so spending beyond the grant reads '+25.000 kr.'."""
    return f"+{format_kr(amount)}" if amount > 0 else format_kr(amount)


def _account_row(line: AccountLine, name: str) -> tuple[str, ...]:
    return (name, format_kr(line.granted_kr), format_kr(line.spent_kr), format_kr(line.covered_kr),
            _signed_kr(line.difference_kr))


def _account_total(label: str, lines: Settlement) -> tuple[str, ...]:
    """The sums of some lines; covered is summed line by line, never the smaller of the two sums."""
    return (label, format_kr(lines.granted_kr), format_kr(lines.spent_kr), format_kr(lines.covered_kr),
            _signed_kr(lines.spent_kr - lines.granted_kr))


def _settlement(settlement: Settlement, category_names: Mapping[str, str]) -> list[Flowable]:
    """The account per year, categories in the pool's order, then what was paid and what is left to settle."""
    position = {code: index for index, code in enumerate(category_names)}
    flowables: list[Flowable] = [paragraph("Regnskab", HEADING)]
    for year in sorted({line.year for line in settlement.lines}):
        lines = sorted((line for line in settlement.lines if line.year == year),
                       key=lambda line: (position.get(line.category, len(position)), line.category))
        flowables += [paragraph(str(year), LABEL), money_table(
            ACCOUNT_HEADER, [_account_row(line, category_names.get(line.category, line.category)) for line in lines],
            _account_total(f"I alt {year}", Settlement(tuple(lines), 0)), amount_columns=(1, 2, 3, 4),
            widths=ACCOUNT_WIDTHS)]
    outcome = [("Bevilget i alt", format_kr(settlement.granted_kr)), ("Forbrug i alt", format_kr(settlement.spent_kr)),
               ("Dækket af tilskuddet", format_kr(settlement.covered_kr)), ("Udbetalt", format_kr(settlement.paid_kr))]
    if settlement.still_to_pay_kr:
        outcome.append(("Styrelsen udbetaler endnu", format_kr(settlement.still_to_pay_kr)))
    else:
        outcome.append(("Skal betales tilbage", format_kr(settlement.repay_kr)))
    return flowables + [facts_table(outcome, label_width=55 * mm), paragraph(SETTLEMENT_NOTE, SMALL)]


def report_pdf(report: ReportDocument) -> bytes:
    """The report as PDF bytes: title, facts, the warnings it was submitted despite, the quarter's counts and
    spending, the answers, the final account's settlement, and a note that it holds no personal data.

    A draft (no submitted_at) is marked as one at the top and in its title, and lists no warnings, as any it
    holds belong to an earlier submission. Reads nothing but its argument.
    """
    flowables: list[Flowable] = [paragraph(report.title, TITLE)]
    if report.submitted_at is None:
        flowables.append(paragraph(DRAFT, DRAFT_STYLE))
    flowables.append(facts_table(_report_facts(report)))
    if report.submitted_at is not None and report.warnings:
        flowables += [paragraph("Advarsler ved indsendelse", HEADING),
                      paragraph("Kommunen indsendte rapporten, selv om portalen viste disse advarsler:"),
                      *(_item(warning) for warning in report.warnings)]
    flowables += [*_figures(report), *_spending(report), *_answers(report.narratives, HEADING)]
    if report.settlement is not None:
        flowables += _settlement(report.settlement, report.category_names)
    flowables.append(paragraph(PRIVACY_NOTE, NOTE_STYLE))
    draft = f" ({DRAFT.lower()})" if report.submitted_at is None else ""
    return build_pdf(
        flowables, title=f"{report.title}: {report.kommune_name}{draft}",
        subject=(f"{report.pool_name}, J.nr. {report.journal_number}: {report.title.lower()} fra "
                 f"{report.kommune_name}, tilsagn nr. {report.letter_number}"))


def report_filename(*, code: int, name: str, title: str) -> str:
    """An ASCII name: (657, 'Herning', 'Aktivitetsrapport for 4. kvartal 2017') ->
    '657-herning-aktivitetsrapport-for-4-kvartal-2017.pdf'."""
    return f"{file_name(int(code), name, title)}.pdf"


# --- the mid-term status ---------------------------------------------------------------------------------------

def _counted(ratio: Ratio, noun: str) -> str:
    return f"{format_number(ratio.part)} af {format_number(ratio.whole)} {noun}"


def _criteria_rows(total: Measures) -> list[tuple[str, str, str, str]]:
    """The pool's success criteria over all its quarters: the share, the counts behind it, the goal."""
    goal_share = f"{WORKPLACE_GOAL.numerator * 100 // WORKPLACE_GOAL.denominator} %"
    goal_points = f"+{int(EARLY_MEASURE_GOAL_POINTS)} procentpoint"
    baseline = (f"Udgangspunkt {format_percent(total.baseline)}" if total.baseline is not None
                else "Intet udgangspunkt oplyst")
    return [
        ("Første samtaler holdt på arbejdspladsen", format_ratio(total.workplace),
         _counted(total.workplace, "samtaler"), goal_share),
        ("Første samtaler med arbejdsgiveren til stede", format_ratio(total.employer),
         _counted(total.employer, "samtaler"), MISSING),
        ("Første samtaler inden udgangen af 8. fraværsuge", format_ratio(total.before_week_8),
         _counted(total.before_week_8, "samtaler"), MISSING),
        ("Virksomhedsrettet indsats inden udgangen af 13. sygeuge", format_ratio(total.early_measure),
         _counted(total.early_measure, "nye sygedagpengemodtagere"), MISSING),
        ("Ændring i indsats inden uge 13 i forhold til udgangspunktet", format_points(total.early_measure_change),
         baseline, goal_points),
        ("I job eller uddannelse en måned efter afsluttet forløb", format_ratio(total.work_or_education),
         _counted(total.work_or_education, "afsluttede forløb"), MISSING),
        ("Forbrug af tilskuddet", format_ratio(total.spending),
         f"{format_kr(total.spending.part)} af {format_kr(total.spending.whole)}", MISSING),
    ]


def _quarter_row(label: str, measures: Measures) -> tuple[str, ...]:
    return (label, format_number(measures.totals.new_recipients), format_ratio(measures.workplace),
            format_ratio(measures.employer), format_ratio(measures.before_week_8),
            format_ratio(measures.early_measure), format_ratio(measures.work_or_education),
            format_kr(measures.totals.spent_kr))


def _pool_section(status: PoolStatus) -> list[Flowable]:
    pool = status.pool
    flowables: list[Flowable] = [
        paragraph("Succeskriterier for hele puljen", HEADING),
        paragraph("Alle indsendte aktivitetsrapporter, der ikke er sendt tilbage, lagt sammen. Andelene er "
                  "beregnet af summen af kommunernes tal, ikke som gennemsnit af kommunernes andele; udgangspunktet "
                  "er kommunernes eget, vægtet med antallet af nye sygedagpengemodtagere.", SMALL),
        _grid(CRITERIA_HEADER, _criteria_rows(pool.total), CRITERIA_WIDTHS, cells=_NARROW_CELLS, right_from=4),
        paragraph("Kvartal for kvartal", HEADING),
    ]
    if not pool.rows:
        return flowables + [paragraph(NO_QUARTERS)]
    rows = [_quarter_row(row.quarter.label, row.in_quarter) for row in pool.rows]
    return flowables + [_grid(QUARTER_HEADER, [*rows, _quarter_row("I alt", pool.total)], QUARTER_WIDTHS,
                              cells=_WIDE_CELLS, total_rows=1, padding=3)]


def _kommune_row(name: str, measures: Measures, late: int) -> tuple[str, ...]:
    return (name, format_ratio(measures.workplace), format_ratio(measures.employer),
            format_points(measures.early_measure_change), format_ratio(measures.work_or_education),
            format_ratio(measures.spending), format_number(late))


def _kommuner_section(status: PoolStatus) -> list[Flowable]:
    flowables: list[Flowable] = [paragraph("Kommunerne", HEADING)]
    if not status.kommuner:
        return flowables + [paragraph(NO_KOMMUNER)]
    rows = [_kommune_row(kommune.timeline.name, kommune.timeline.total, kommune.reports_late)
            for kommune in status.kommuner]
    rows.append(_kommune_row(status.pool.name, status.pool.total,
                             sum(kommune.reports_late for kommune in status.kommuner)))
    off_track = [(kommune.timeline.name, kommune.off_track) for kommune in status.kommuner if kommune.off_track]
    return flowables + [
        paragraph("Hver kommunes tal over alle dens indsendte kvartaler. »Ingen data«: der er endnu intet at regne "
                  "andelen af, fx ingen samtaler eller intet udgangspunkt.", SMALL),
        _grid(KOMMUNE_HEADER, rows, KOMMUNE_WIDTHS, cells=_WIDE_CELLS, total_rows=1, padding=3),
        paragraph("Kommuner, der ikke er på sporet", HEADING),
        *([_item(f"{name}: {'; '.join(reasons)}.") for name, reasons in off_track]
          or [paragraph(NONE_OFF_TRACK)]),
    ]


def _baseline_text(permille: int | None) -> str:
    return "ikke oplyst" if permille is None else format_percent(Fraction(permille, 1000))


def _narratives_section(kommuner: Sequence[KommuneStatus]) -> list[Flowable]:
    """Per kommune: its reports, its baseline, and its mid-term answers (or that they are missing)."""
    if not kommuner:
        return []
    flowables: list[Flowable] = [paragraph("Kommunernes midtvejsstatus", HEADING)]
    for kommune in kommuner:
        flowables += [
            paragraph(kommune.timeline.name, KOMMUNE_HEADING),
            paragraph(f"Indsendte rapporter: {format_number(kommune.reports_submitted)}. Over fristen: "
                      f"{format_number(kommune.reports_late)}. Udgangspunkt for virksomhedsrettet indsats inden "
                      f"uge 13: {_baseline_text(kommune.baseline_permille)}.", SMALL),
            *(_answers(kommune.narratives, LABEL) if kommune.narratives else [paragraph(NO_MIDTERM)]),
        ]
    return flowables


def midterm_status_pdf(status: PoolStatus) -> bytes:
    """The pool's mid-term status as PDF bytes, for the evaluator and management: the success criteria for the
    whole pool and per quarter, every kommune's cumulative measures, the kommuner off track and why, and each
    kommune's mid-term answers. Only aggregated numbers; reads nothing but its argument."""
    first, last = (status.pool.rows[0].quarter.label, status.pool.rows[-1].quarter.label) if status.pool.rows \
        else (None, None)
    facts = [("Pulje", status.pool_name), ("J.nr.", status.journal_number),
             ("Udarbejdet", format_datetime(status.made_at)),
             ("Kommuner", format_number(len(status.kommuner))),
             ("Kvartaler med tal", f"{first} – {last}" if first != last else first or "Ingen endnu"),
             ("Indsendte rapporter", format_number(sum(kommune.reports_submitted for kommune in status.kommuner))),
             ("Rapporter over fristen", format_number(sum(kommune.reports_late for kommune in status.kommuner)))]
    flowables: list[Flowable] = [
        paragraph(f"{STATUS_TITLE} for puljen {status.pool_name}", TITLE),
        facts_table(facts),
        *_pool_section(status),
        *_kommuner_section(status),
        *_narratives_section(status.kommuner),
        paragraph(STATUS_PRIVACY_NOTE, NOTE_STYLE),
    ]
    return build_pdf(flowables, title=f"{STATUS_TITLE}: {status.pool_name}",
                     subject=f"{status.pool_name}, J.nr. {status.journal_number}: midtvejsstatus for puljen, "
                             f"{format_date(status.made_at)}")


def midterm_status_filename(*, pool_name: str, made_at: datetime) -> str:
    """An ASCII name: ('Sammen om fastholdelse', 15 Aug 2018) -> 'midtvejsstatus-sammen-om-fastholdelse-2018-08-15.pdf'.

    The date is the Copenhagen date of made_at."""
    return f"{file_name('midtvejsstatus', pool_name, local(made_at).date().isoformat())}.pdf"
