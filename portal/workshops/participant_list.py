"""The printable participant list for an event's day, with a signature column, as PDF; pure."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from portal.documents.blocks import (
    BODY, CONTENT_WIDTH, HEADING, RULE, SHADE, SMALL, TITLE, build_pdf, facts_table, paragraph,
)
from portal.formatting import (
    danish_sort_key, file_name, format_date, format_datetime, format_number, format_time, format_weekday_date, local,
)
from portal.workshops.rules import BookingStatus

LIST_TITLE = "Deltagerliste"
WAITING_HEADING = "Venteliste"
NO_CONFIRMED = "Ingen kommuner er tilmeldt."
HEADER = ("Kommune", "Navn", "Stilling", "E-mail", "Underskrift")
# Kommune, name, role, e-mail, signature: the signature gets room for a hand, the e-mail for an address.
_TEXT_WIDTHS = (30 * mm, 34 * mm, 30 * mm, 36 * mm)
WIDTHS = (*_TEXT_WIDTHS, CONTENT_WIDTH - sum(_TEXT_WIDTHS))   # the signature takes the rest, 30 mm
# Extra padding gives each row the height of a signature.
ROW_PADDING = 6

CONFIRMED_LABEL = BookingStatus.CONFIRMED.label
WAITING_LABEL = BookingStatus.WAITING.label

_CELL = ParagraphStyle("participant-cell", parent=BODY, fontSize=9, leading=11, spaceAfter=0)
_HEADER_CELL = ParagraphStyle("participant-header", parent=_CELL, fontName="Helvetica-Bold")


@dataclass(frozen=True)
class ParticipantRow:
    """One named participant of an active booking; all text is plain text, shown literally.

    `status` is the booking's label: "Tilmeldt" or "På venteliste" (ValueError otherwise, as a
    cancelled booking has no place on the list).
    """

    kommune: str
    name: str
    role: str
    email: str
    status: str

    def __post_init__(self) -> None:
        if self.status not in (CONFIRMED_LABEL, WAITING_LABEL):
            raise ValueError(f"a participant list holds {CONFIRMED_LABEL!r} and {WAITING_LABEL!r}, "
                             f"not {self.status!r}")


@dataclass(frozen=True)
class ParticipantList:
    """An event and the participants of its active bookings, in any order; instants aware, starts before ends."""

    event_title: str
    kind_label: str            # e.g. "Opstartsworkshop"
    starts_at: datetime
    ends_at: datetime
    place: str                 # may be empty
    rows: tuple[ParticipantRow, ...]
    printed_at: datetime

    def __post_init__(self) -> None:
        for moment in (self.starts_at, self.ends_at, self.printed_at):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError("the list's instants must be aware")
        if self.ends_at <= self.starts_at:
            raise ValueError("an event must end after it starts")


def format_period(starts_at: datetime, ends_at: datetime) -> str:
    """'tirsdag 3. oktober 2017 kl. 09.30–15.30'; both days are named when the event ends on another day."""
    if local(starts_at).date() == local(ends_at).date():
        return f"{format_weekday_date(starts_at)} kl. {format_time(starts_at)}–{format_time(ends_at)}"
    return (f"{format_weekday_date(starts_at)} kl. {format_time(starts_at)} – "
            f"{format_weekday_date(ends_at)} kl. {format_time(ends_at)}")


def _counted(count: int, singular: str, plural: str) -> str:
    """'1 kommune', '12 deltagere'."""
    return f"{format_number(count)} {singular if count == 1 else plural}"


def _counts(rows: Sequence[ParticipantRow]) -> str:
    """'3 kommuner, 7 deltagere': distinct kommuner and named people."""
    kommuner = len({row.kommune for row in rows})
    return f"{_counted(kommuner, 'kommune', 'kommuner')}, {_counted(len(rows), 'deltager', 'deltagere')}"


def _in_kommune_order(rows: Sequence[ParticipantRow]) -> list[ParticipantRow]:
    """Rows by kommune in Danish order (æ, ø, å last); within a kommune, the booking's own order (a stable sort)."""
    return sorted(rows, key=lambda row: (danish_sort_key(row.kommune), row.kommune))


def _table(rows: Sequence[ParticipantRow]) -> Table:
    """The rows under a header that repeats on every page; a darker rule where a new kommune begins."""
    header = [paragraph(text, _HEADER_CELL) for text in HEADER]
    body = [[paragraph(row.kommune, _CELL), paragraph(row.name, _CELL), paragraph(row.role, _CELL),
             paragraph(row.email, _CELL), ""] for row in rows]
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("BOX", (-1, 1), (-1, -1), 0.25, RULE),        # the signature boxes
        ("TOPPADDING", (0, 1), (-1, -1), ROW_PADDING),
        ("BOTTOMPADDING", (0, 1), (-1, -1), ROW_PADDING),
    ]
    for index in range(1, len(rows)):
        if rows[index].kommune != rows[index - 1].kommune:
            commands.append(("LINEABOVE", (0, index + 1), (-1, index + 1), 0.75, colors.black))
    table = Table([header, *body], colWidths=list(WIDTHS), repeatRows=1, hAlign="LEFT", spaceBefore=4, spaceAfter=8)
    table.setStyle(TableStyle(commands))
    return table


def participant_list_pdf(data: ParticipantList) -> bytes:
    """The list as PDF bytes: title, facts (type, time, place, counts), the confirmed, then the waiting list.

    The waiting list is printed, under its own heading after the confirmed kommuner, so staff can
    seat a waiting kommune that turns up when a place was freed late; it is left out when empty.
    Both tables list kommuner in Danish order.
    """
    rows = _in_kommune_order(data.rows)
    confirmed = [row for row in rows if row.status == CONFIRMED_LABEL]
    waiting = [row for row in rows if row.status == WAITING_LABEL]
    facts = [("Type", data.kind_label), ("Tid", format_period(data.starts_at, data.ends_at)),
             ("Sted", data.place or "–"), ("Tilmeldt", _counts(confirmed))]
    if waiting:
        facts.append(("Venteliste", _counts(waiting)))

    flowables: list[Flowable] = [
        paragraph(data.event_title, TITLE),
        paragraph(f"{LIST_TITLE}, udskrevet {format_datetime(data.printed_at)}", SMALL),
        facts_table(facts, label_width=30 * mm),
        _table(confirmed) if confirmed else paragraph(NO_CONFIRMED),
    ]
    if waiting:
        flowables += [paragraph(WAITING_HEADING, HEADING), _table(waiting)]
    return build_pdf(flowables, title=f"{LIST_TITLE}: {data.event_title}",
                     subject=f"{data.kind_label} {format_date(data.starts_at)}: {LIST_TITLE.lower()}")


def participant_list_filename(event_title: str, starts_at: datetime) -> str:
    """An ASCII name: ('Opstart, AMK Syd', 3 Oct 2017) -> 'deltagerliste-opstart-amk-syd-2017-10-03.pdf'."""
    return f"{file_name('deltagerliste', event_title, local(starts_at).date().isoformat())}.pdf"

