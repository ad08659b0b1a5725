"""The columns of the participants export (CSV and XLSX): one row per named participant of an active booking."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from portal.exports.tabular import Column
from portal.formatting import danish_sort_key

ATTENDANCE_WORDS = {True: "Mødt", False: "Ikke mødt", None: None}


@dataclass(frozen=True)
class ParticipantLine:
    """One participant: the event, the booking that names them, and their entry {name, role, email}."""

    event: Any          # WorkshopEvent, or anything with its attributes
    booking: Any        # Booking
    person: dict


def participant_lines(events: Iterable[Any]) -> list[ParticipantLine]:
    """Every participant of the events' active (confirmed or waiting) bookings, as export rows.

    Ordered by event start (then event id), kommune name in Danish order (then kommune code), then the
    order the booking lists its participants. Reads the loaded events, their bookings and kommuner;
    load those eagerly to avoid a query per event.
    """
    lines: list[ParticipantLine] = []
    for event in sorted(events, key=lambda event: (event.starts_at, event.id)):
        bookings = [booking for booking in event.bookings if booking.status.active]
        bookings.sort(key=lambda booking: (danish_sort_key(booking.kommune.name), booking.kommune.code))
        lines += [ParticipantLine(event, booking, person) for booking in bookings for person in booking.participants]
    return lines


def participant_columns() -> list[Column]:
    """Event, its kind and start, kommune and code, booking status, the person, and whether the kommune attended.

    Attendance is recorded per booking, so every participant of a kommune shows the same word;
    empty until staff record it.
    """
    return [
        Column("Arrangement", lambda line: line.event.title),
        Column("Type", lambda line: line.event.kind),
        Column("Tid", lambda line: line.event.starts_at),
        Column("Kommune", lambda line: line.booking.kommune.name),
        Column("Kommunekode", lambda line: line.booking.kommune.code),
        Column("Status", lambda line: line.booking.status),
        Column("Navn", lambda line: line.person.get("name", "")),
        Column("Stilling", lambda line: line.person.get("role", "")),
        Column("E-mail", lambda line: line.person.get("email", "")),
        Column("Fremmøde", lambda line: ATTENDANCE_WORDS[line.booking.attended]),
    ]
