"""iCalendar (RFC 5545) invitations and cancellations for workshop bookings, as mail attachments."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from icalendar import Calendar, Event, vCalAddress, vText

from portal.formatting import file_name, local

PRODID = "-//STAR//Puljeportalen//DA"
ICS_CONTENT_TYPE = "text/calendar; method=REQUEST; charset=utf-8"
ICS_CANCEL_CONTENT_TYPE = "text/calendar; method=CANCEL; charset=utf-8"


@dataclass(frozen=True)
class CalendarEvent:
    """One booking as a calendar client sees it.

    `uid` stays the same for the life of a booking; `sequence` is 0 on booking and rises by one on
    every change or cancellation, since Outlook and others ignore an update whose SEQUENCE is not higher.
    """

    uid: str
    sequence: int
    summary: str
    description: str
    location: str
    starts_at: datetime
    ends_at: datetime
    organizer_name: str
    organizer_email: str
    attendees: tuple[tuple[str, str], ...]
    url: str | None = None

    def __post_init__(self) -> None:
        if not self.uid.strip():
            raise ValueError("an event needs a UID")
        if self.sequence < 0:
            raise ValueError("SEQUENCE starts at 0")
        for moment in (self.starts_at, self.ends_at):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError("event times must be timezone-aware")
        if self.ends_at <= self.starts_at:
            raise ValueError("an event must end after it starts")


def invitation(event: CalendarEvent, *, stamp: datetime) -> bytes:
    """The .ics for a booking or a change of it: METHOD:REQUEST, STATUS:CONFIRMED."""
    return _calendar(event, stamp=stamp, method="REQUEST", status="CONFIRMED")


def cancellation(event: CalendarEvent, *, stamp: datetime) -> bytes:
    """The .ics that removes a booking from the calendars: METHOD:CANCEL, STATUS:CANCELLED.

    Give it the booking's UID with a SEQUENCE higher than the last invitation sent.
    """
    return _calendar(event, stamp=stamp, method="CANCEL", status="CANCELLED")


def ics_filename(event: CalendarEvent, *, cancelled: bool = False) -> str:
    """An ASCII file name: 'opstartsworkshop-amk-midt-nord-2017-10-03.ics', prefixed 'aflyst-' when cancelled."""
    stem = file_name(event.summary, local(event.starts_at).date().isoformat())
    return f"{'aflyst-' if cancelled else ''}{stem}.ics"


def _calendar(event: CalendarEvent, *, stamp: datetime, method: str, status: str) -> bytes:
    # Times are written in UTC ('Z'): RFC 5545 allows it, every client shows them in the reader's
    # own zone, and it spares us a VTIMEZONE for Europe/Copenhagen that could go stale.
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", _utc(stamp))
    vevent.add("dtstart", _utc(event.starts_at))
    vevent.add("dtend", _utc(event.ends_at))
    vevent.add("summary", event.summary)
    vevent.add("description", event.description)
    vevent.add("location", event.location)
    vevent.add("status", status)
    vevent.add("transp", "OPAQUE")
    if event.url:
        vevent.add("url", event.url)
    vevent.add("organizer", _address(event.organizer_name, event.organizer_email), encode=False)
    for name, email in event.attendees:
        attendee = _address(name, email)
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        attendee.params["RSVP"] = "FALSE"
        vevent.add("attendee", attendee, encode=False)
    calendar.add_component(vevent)
    # icalendar escapes TEXT values, writes CRLF and folds at 75 octets without splitting a character.
    return calendar.to_ical()


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetimes have no place in the portal")
    return moment.astimezone(timezone.utc)


def _address(name: str, email: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email.strip()}")
    # A parameter value may hold neither a double quote nor a line break (RFC 5545 3.1).
    address.params["CN"] = vText(" ".join(name.replace('"', "'").split()))
    return address
