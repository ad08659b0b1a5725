"""iCalendar invitations for workshop bookings, read back with the icalendar parser."""
from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timezone

import pytest
from icalendar import Calendar

from portal.formatting import COPENHAGEN
from portal.workshops.ics import (
    ICS_CANCEL_CONTENT_TYPE,
    ICS_CONTENT_TYPE,
    CalendarEvent,
    cancellation,
    ics_filename,
    invitation,
)

STAMP = datetime(2017, 9, 1, 12, 30, tzinfo=timezone.utc)
DESCRIPTION = "Velkommen til opstart, kaffe; frugt\nMødested: kantinen på 2. sal\n\nHilsen STAR, Puljer\\team"


def make_event(**changes) -> CalendarEvent:
    event = CalendarEvent(
        uid="booking-42@puljeportalen.star.dk",
        sequence=0,
        summary="Opstartsworkshop, AMK Midt-Nord",
        description=DESCRIPTION,
        location="Jobcenter Aarhus; Værkstedsvej 3, lokale Ø",
        starts_at=datetime(2017, 10, 3, 9, 0, tzinfo=COPENHAGEN),
        ends_at=datetime(2017, 10, 3, 15, 30, tzinfo=COPENHAGEN),
        organizer_name="STAR, Puljer",
        organizer_email="puljer@star.dk",
        attendees=(("Søren Ærø", "soeren@aarhus.dk"), ("Åse Øberg", "aase@skive.dk")),
        url="https://puljeportalen.star.dk/workshops/7",
    )
    return dataclasses.replace(event, **changes)


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    (vevent,) = calendar.walk("VEVENT")
    return calendar, vevent


def attendees_of(vevent) -> list:
    found = vevent.get("attendee", [])
    return found if isinstance(found, list) else [found]


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def unfolded_lines(data: bytes) -> list[str]:
    return re.sub(rb"\r\n[ \t]", b"", data).decode("utf-8").split("\r\n")


def test_invitation_round_trips_every_field():
    calendar, vevent = parse(invitation(make_event(), stamp=STAMP))

    assert str(calendar["prodid"]) == "-//STAR//Puljeportalen//DA"
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["method"]) == "REQUEST"
    assert str(vevent["uid"]) == "booking-42@puljeportalen.star.dk"
    assert vevent.decoded("sequence") == 0
    assert str(vevent["summary"]) == "Opstartsworkshop, AMK Midt-Nord"
    assert str(vevent["description"]) == DESCRIPTION
    assert str(vevent["location"]) == "Jobcenter Aarhus; Værkstedsvej 3, lokale Ø"
    assert str(vevent["status"]) == "CONFIRMED"
    assert str(vevent["url"]) == "https://puljeportalen.star.dk/workshops/7"
    assert vevent.decoded("dtstamp") == STAMP
    assert vevent.decoded("dtstart") == datetime(2017, 10, 3, 7, 0, tzinfo=timezone.utc)
    assert vevent.decoded("dtend") == datetime(2017, 10, 3, 13, 30, tzinfo=timezone.utc)
    organizer = vevent["organizer"]
    assert (str(organizer), str(organizer.params["CN"])) == ("mailto:puljer@star.dk", "STAR, Puljer")
    assert [
        (str(a), str(a.params["CN"]), a.params["ROLE"], a.params["PARTSTAT"], a.params["RSVP"])
        for a in attendees_of(vevent)
    ] == [
        ("mailto:soeren@aarhus.dk", "Søren Ærø", "REQ-PARTICIPANT", "NEEDS-ACTION", "FALSE"),
        ("mailto:aase@skive.dk", "Åse Øberg", "REQ-PARTICIPANT", "NEEDS-ACTION", "FALSE"),
    ]


def test_invitation_without_url_has_no_url_line():
    _, vevent = parse(invitation(make_event(url=None), stamp=STAMP))

    assert "URL" not in vevent


def test_invitation_uses_crlf_and_utc_times():
    data = invitation(make_event(), stamp=STAMP)
    lines = unfolded_lines(data)

    assert data.count(b"\n") == data.count(b"\r\n")
    assert (lines[0], lines[-2]) == ("BEGIN:VCALENDAR", "END:VCALENDAR")
    assert [line for line in lines if line.startswith(("DTSTART", "DTEND", "DTSTAMP"))] == [
        "DTSTART:20171003T070000Z",
        "DTEND:20171003T133000Z",
        "DTSTAMP:20170901T123000Z",
    ]


@pytest.mark.parametrize(
    ("local_start", "utc_line"),
    [
        (datetime(2017, 10, 3, 9, 0, tzinfo=COPENHAGEN), "DTSTART:20171003T070000Z"),  # summer time, +02:00
        (datetime(2017, 11, 7, 9, 0, tzinfo=COPENHAGEN), "DTSTART:20171107T080000Z"),  # winter time, +01:00
    ],
)
def test_invitation_copenhagen_start_is_written_in_utc(local_start, utc_line):
    event = make_event(starts_at=local_start, ends_at=local_start.replace(hour=15))

    lines = unfolded_lines(invitation(event, stamp=STAMP))

    assert [line for line in lines if line.startswith("DTSTART")] == [utc_line]


def test_invitation_escapes_text_values():
    lines = unfolded_lines(invitation(make_event(), stamp=STAMP))

    assert [line for line in lines if line.startswith(("DESCRIPTION", "LOCATION", "SUMMARY"))] == [
        "SUMMARY:Opstartsworkshop\\, AMK Midt-Nord",
        "DESCRIPTION:Velkommen til opstart\\, kaffe\\; frugt\\nMødested: kantinen på 2. sal\\n\\n"
        "Hilsen STAR\\, Puljer\\\\team",
        "LOCATION:Jobcenter Aarhus\\; Værkstedsvej 3\\, lokale Ø",
    ]


@pytest.mark.parametrize("shift", [0, 1, 2, 3])
def test_invitation_folds_long_lines_at_75_octets_without_splitting_characters(shift):
    description = "x" * shift + "Æblegrød, økologisk kaffe og småkager på 1. sal. " * 12
    data = invitation(make_event(description=description), stamp=STAMP)

    lines = physical_lines(data)

    assert max(len(line) for line in lines) <= 75
    assert [line.decode("utf-8") for line in lines]  # a split multi-byte character would raise here
    assert sum(line.startswith(b" ") for line in lines) >= 10
    expected = "DESCRIPTION:" + "x" * shift + "Æblegrød\\, økologisk kaffe og småkager på 1. sal. " * 12
    assert [line for line in unfolded_lines(data) if line.startswith("DESCRIPTION")] == [expected]
    assert str(parse(data)[1]["description"]) == description


def test_invitation_names_with_quotes_and_line_breaks_stay_valid_parameters():
    event = make_event(attendees=(('Karen "Kalle"\nÅgesen', "karen@odder.dk"),))

    (attendee,) = attendees_of(parse(invitation(event, stamp=STAMP))[1])

    assert str(attendee.params["CN"]) == "Karen 'Kalle' Ågesen"


def test_cancellation_keeps_uid_with_higher_sequence():
    booked = make_event()
    cancelled = dataclasses.replace(booked, sequence=booked.sequence + 1)

    _, booked_vevent = parse(invitation(booked, stamp=STAMP))
    calendar, cancelled_vevent = parse(cancellation(cancelled, stamp=STAMP))

    assert str(calendar["method"]) == "CANCEL"
    assert str(cancelled_vevent["status"]) == "CANCELLED"
    assert str(cancelled_vevent["uid"]) == str(booked_vevent["uid"])
    assert (booked_vevent.decoded("sequence"), cancelled_vevent.decoded("sequence")) == (0, 1)
    assert [str(a) for a in attendees_of(cancelled_vevent)] == ["mailto:soeren@aarhus.dk", "mailto:aase@skive.dk"]


def test_content_types_name_their_method():
    assert (ICS_CONTENT_TYPE, ICS_CANCEL_CONTENT_TYPE) == (
        "text/calendar; method=REQUEST; charset=utf-8",
        "text/calendar; method=CANCEL; charset=utf-8",
    )


@pytest.mark.parametrize(
    ("summary", "cancelled", "expected"),
    [
        ("Opstartsworkshop, AMK Midt-Nord", False, "opstartsworkshop-amk-midt-nord-2017-10-03.ics"),
        ("Møde i Høje-Taastrup – Å/Ø", True, "aflyst-moede-i-hoeje-taastrup-aa-oe-2017-10-03.ics"),
        ("", False, "2017-10-03.ics"),
    ],
)
def test_ics_filename_is_ascii(summary, cancelled, expected):
    name = ics_filename(make_event(summary=summary), cancelled=cancelled)

    assert (name, name.isascii()) == (expected, True)


def test_ics_filename_uses_the_copenhagen_date():
    late = datetime(2017, 10, 3, 23, 30, tzinfo=timezone.utc)  # 01.30 on 4 October in Copenhagen
    event = make_event(summary="Netværksmøde", starts_at=late, ends_at=late.replace(minute=45))

    assert ics_filename(event) == "netvaerksmoede-2017-10-04.ics"


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": datetime(2017, 10, 3, 9, 0)},
        {"ends_at": datetime(2017, 10, 3, 8, 0, tzinfo=COPENHAGEN)},
        {"sequence": -1},
        {"uid": " "},
    ],
)
def test_calendar_event_rejects_invalid_values(changes):
    with pytest.raises(ValueError):
        make_event(**changes)


def test_invitation_rejects_naive_stamp():
    with pytest.raises(ValueError):
        invitation(make_event(), stamp=datetime(2017, 9, 1, 12, 30))
