"""Unit tests for the workshop participant list (PDF, read back) and the participants export columns."""
from __future__ import annotations

import dataclasses
import io
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from portal.documents.blocks import AGENCY
from portal.exports.tabular import to_csv
from portal.formatting import COPENHAGEN
from portal.workshops.export import ParticipantLine, participant_columns, participant_lines
from portal.workshops.participant_list import (
    ParticipantList, ParticipantRow, participant_list_filename, participant_list_pdf,
)
from portal.workshops.rules import BookingStatus, EventKind
from tests.support.documents import pdf_pages
from tests.support.timing import best_cpu_seconds

STARTS_AT = datetime(2017, 10, 3, 9, 30, tzinfo=COPENHAGEN)
ENDS_AT = datetime(2017, 10, 3, 15, 30, tzinfo=COPENHAGEN)
PRINTED_AT = datetime(2017, 10, 2, 12, 5, tzinfo=UTC)
HEADER = ["Kommune", "Navn", "Stilling", "E-mail", "Underskrift"]
CONFIRMED = BookingStatus.CONFIRMED.label
WAITING = BookingStatus.WAITING.label

# Deliberately out of order: Aarhus sorts as Århus, after Ærø; Ærø after Vordingborg.
ROWS = (
    ParticipantRow("Aarhus", "Søren Ærø", "Teamleder", "soeren@aarhus.dk", CONFIRMED),
    ParticipantRow("Ærø", "Åse Øberg", "Sagsbehandler", "aase@aeroe.dk", CONFIRMED),
    ParticipantRow("Vordingborg", "Bo Vinter", "", "bo@vordingborg.dk", CONFIRMED),
    ParticipantRow("Aarhus", "Karen Holm", "Jobkonsulent", "karen@aarhus.dk", CONFIRMED),
    ParticipantRow("Skive", "Ib Sand", "Leder", "ib@skive.dk", WAITING),
)


def day_list(**changes) -> ParticipantList:
    """The list for an opstartsworkshop in Aarhus; keyword arguments replace fields."""
    data = ParticipantList(
        event_title="Opstartsworkshop, AMK Midt-Nord",
        kind_label="Opstartsworkshop",
        starts_at=STARTS_AT,
        ends_at=ENDS_AT,
        place="Jobcenter Aarhus, Værkstedsvej 3",
        rows=ROWS,
        printed_at=PRINTED_AT,
    )
    return dataclasses.replace(data, **changes)


def pages_of(data: ParticipantList) -> list[list[str]]:
    """Each page's lines without the letterhead and footer (every table cell reads back as its own line)."""
    return [page[1:-1] for page in pdf_pages(participant_list_pdf(data))]


def lines_of(data: ParticipantList) -> list[str]:
    return [line for page in pages_of(data) for line in page]


def test_participant_list_opens_with_title_time_place_and_counts():
    # Act
    lines = lines_of(day_list())

    # Assert
    assert lines[:14] == [
        "Opstartsworkshop, AMK Midt-Nord",
        "Deltagerliste, udskrevet 2. oktober 2017 kl. 14.05",
        "Type", "Opstartsworkshop",
        "Tid", "tirsdag 3. oktober 2017 kl. 09.30–15.30",
        "Sted", "Jobcenter Aarhus, Værkstedsvej 3",
        "Tilmeldt", "3 kommuner, 4 deltagere",
        "Venteliste", "1 kommune, 1 deltager",
        *HEADER[:2],
    ]


def test_participant_list_table_in_danish_kommune_order_then_waiting_list():
    # Act
    lines = lines_of(day_list())

    # Assert: Vordingborg, Ærø, Aarhus (as Århus); Aarhus keeps its booking's order; Skive waits apart
    table = lines[lines.index("Underskrift") + 1:]
    assert table == [
        "Vordingborg", "Bo Vinter", "bo@vordingborg.dk",
        "Ærø", "Åse Øberg", "Sagsbehandler", "aase@aeroe.dk",
        "Aarhus", "Søren Ærø", "Teamleder", "soeren@aarhus.dk",
        "Aarhus", "Karen Holm", "Jobkonsulent", "karen@aarhus.dk",
        "Venteliste", *HEADER,
        "Skive", "Ib Sand", "Leder", "ib@skive.dk",
    ]


def test_participant_list_without_waiting_list_has_no_waiting_heading():
    # Act
    lines = lines_of(day_list(rows=ROWS[:2]))

    # Assert
    assert lines[8:11] == ["Tilmeldt", "2 kommuner, 2 deltagere", *HEADER[:1]]
    assert lines.count("Venteliste") == 0


def test_participant_list_with_nobody_confirmed_says_so():
    # Act
    lines = lines_of(day_list(rows=ROWS[4:], place=""))

    # Assert
    assert lines[6:] == [
        "Sted", "–", "Tilmeldt", "0 kommuner, 0 deltagere", "Venteliste", "1 kommune, 1 deltager",
        "Ingen kommuner er tilmeldt.",
        "Venteliste", *HEADER, "Skive", "Ib Sand", "Leder", "ib@skive.dk",
    ]


def test_participant_list_text_with_markup_appears_literally():
    # Arrange
    hostile = ParticipantRow("<b>Ø</b> & co", "<script>Å</script>", "<i>x</i>", "a&b@x.dk", CONFIRMED)

    # Act
    lines = lines_of(day_list(rows=(hostile,), event_title='Møde <script>alert("ø")</script>'))

    # Assert
    assert lines[0] == 'Møde <script>alert("ø")</script>'
    assert lines[-4:] == ["<b>Ø</b> & co", "<script>Å</script>", "<i>x</i>", "a&b@x.dk"]


def test_participant_list_event_over_two_days_names_both():
    # Act
    lines = lines_of(day_list(ends_at=datetime(2017, 10, 4, 12, 0, tzinfo=COPENHAGEN)))

    # Assert
    assert lines[5] == "tirsdag 3. oktober 2017 kl. 09.30 – onsdag 4. oktober 2017 kl. 12.00"


def test_participant_list_many_participants_flow_onto_more_pages_with_header_repeated():
    # Arrange: 20 kommuner of 4 people each
    rows = tuple(ParticipantRow(f"Kommune {kommune:02d}", f"Person {kommune:02d}-{seat}", "Rådgiver",
                                f"p{kommune}-{seat}@k.dk", CONFIRMED)
                 for kommune in range(1, 21) for seat in range(1, 5))

    # Act
    raw_pages = pdf_pages(participant_list_pdf(day_list(rows=rows)))

    # Assert
    pages = [page[1:-1] for page in raw_pages]
    assert len(pages) >= 2
    assert [page[0] for page in raw_pages] == [AGENCY] * len(pages)
    assert [page[-1] for page in raw_pages] == [f"Side {n} af {len(pages)}" for n in range(1, len(pages) + 1)]
    assert [page[:5] for page in pages[1:]] == [HEADER] * (len(pages) - 1)
    names = [line for page in pages for line in page if line.startswith("Person ")]
    assert names == [row.name for row in rows]
    assert pages[0][9] == "20 kommuner, 80 deltagere"


def test_participant_list_metadata_names_event():
    # Act
    reader = PdfReader(io.BytesIO(participant_list_pdf(day_list())))

    # Assert
    assert (reader.metadata.title, reader.metadata.subject) == (
        "Deltagerliste: Opstartsworkshop, AMK Midt-Nord", "Opstartsworkshop 3. oktober 2017: deltagerliste")


@pytest.mark.parametrize("status", ["Afmeldt", "confirmed", ""])
def test_participant_row_accepts_only_active_status_labels(status):
    # Act / Assert
    with pytest.raises(ValueError):
        ParticipantRow("Skive", "Ib Sand", "", "ib@skive.dk", status)


@pytest.mark.parametrize("changes", [
    {"ends_at": STARTS_AT},
    {"starts_at": datetime(2017, 10, 3, 9, 30)},
    {"printed_at": datetime(2017, 10, 2, 12, 5)},
])
def test_participant_list_needs_aware_ordered_instants(changes):
    # Act / Assert
    with pytest.raises(ValueError):
        day_list(**changes)


@pytest.mark.parametrize(
    ("title", "starts_at", "expected"),
    [
        ("Opstartsworkshop, AMK Midt-Nord", STARTS_AT, "deltagerliste-opstartsworkshop-amk-midt-nord-2017-10-03.pdf"),
        ("Netværksmøde i Ærø / <Øst>", STARTS_AT, "deltagerliste-netvaerksmoede-i-aeroe-oest-2017-10-03.pdf"),
        # 23.30 UTC is already the next day in Copenhagen
        ("Sparring", datetime(2017, 10, 3, 23, 30, tzinfo=UTC), "deltagerliste-sparring-2017-10-04.pdf"),
    ],
)
def test_participant_list_filename_is_ascii(title, starts_at, expected):
    # Act
    filename = participant_list_filename(title, starts_at)

    # Assert
    assert filename == expected


def test_participant_list_renders_quickly():
    # Arrange: a full afslutningsseminar, 40 kommuner of 3 people
    rows = tuple(ParticipantRow(f"Kommune {k}", f"Person {k}-{s}", "Teamleder", f"p{k}-{s}@k.dk", CONFIRMED)
                 for k in range(40) for s in range(3))

    # Act
    _, elapsed = best_cpu_seconds(lambda: participant_list_pdf(day_list(rows=rows)))

    # Assert
    assert elapsed < 0.5, f"participant_list_pdf took {elapsed * 1000:.0f} ms"


# --- the participants export ---------------------------------------------------------------------------------

def kommune(code: int, name: str) -> SimpleNamespace:
    return SimpleNamespace(code=code, name=name)


def booking(place, status=BookingStatus.CONFIRMED, attended=None, people=("Åse",)) -> SimpleNamespace:
    participants = [{"name": name, "role": "Leder", "email": f"{name.lower()}@k.dk"} for name in people]
    return SimpleNamespace(kommune=place, status=status, attended=attended, participants=participants)


def event(event_id: int, starts_at: datetime, bookings: list, title: str = "Opstart") -> SimpleNamespace:
    return SimpleNamespace(id=event_id, title=title, kind=EventKind.OPSTART, starts_at=starts_at, bookings=bookings)


def csv_lines(lines: list) -> list[str]:
    return to_csv(lines, participant_columns()).decode("utf-8-sig").split("\r\n")


def test_participant_export_header_and_row():
    # Arrange
    line = ParticipantLine(
        event=event(1, STARTS_AT, [], title="Opstartsworkshop, AMK Midt-Nord"),
        booking=booking(kommune(751, "Aarhus"), attended=True),
        person={"name": "Søren Ærø", "role": "Teamleder", "email": "soeren@aarhus.dk"},
    )

    # Act
    lines = csv_lines([line])

    # Assert
    assert lines == [
        "Arrangement;Type;Tid;Kommune;Kommunekode;Status;Navn;Stilling;E-mail;Fremmøde",
        ("Opstartsworkshop, AMK Midt-Nord;Opstartsworkshop;2017-10-03 09:30;Aarhus;751;Tilmeldt;"
         "Søren Ærø;Teamleder;soeren@aarhus.dk;Mødt"),
        "",
    ]


@pytest.mark.parametrize(("attended", "word"), [(True, "Mødt"), (False, "Ikke mødt"), (None, "")])
def test_participant_export_attendance_words(attended, word):
    # Arrange
    line = ParticipantLine(event(1, STARTS_AT, []), booking(kommune(779, "Skive"), attended=attended), {})

    # Act
    row = csv_lines([line])[1].split(";")

    # Assert
    assert (row[6:9], row[-1]) == (["", "", ""], word)


def test_participant_lines_keep_active_bookings_in_event_kommune_and_participant_order():
    # Arrange
    later = event(2, datetime(2017, 11, 1, 9, 0, tzinfo=COPENHAGEN), [booking(kommune(779, "Skive"), people=("Ib",))])
    first = event(3, STARTS_AT, [
        booking(kommune(751, "Aarhus"), people=("Søren", "Karen")),
        booking(kommune(492, "Ærø"), status=BookingStatus.WAITING, people=("Åse",)),
        booking(kommune(390, "Vordingborg"), status=BookingStatus.CANCELLED, people=("Bo",)),
        booking(kommune(787, "Thisted"), people=("Tove",)),
    ])

    # Act
    lines = participant_lines([later, first])

    # Assert
    assert [(line.event.id, line.booking.kommune.name, line.person["name"]) for line in lines] == [
        (3, "Thisted", "Tove"), (3, "Ærø", "Åse"), (3, "Aarhus", "Søren"), (3, "Aarhus", "Karen"),
        (2, "Skive", "Ib"),
    ]
