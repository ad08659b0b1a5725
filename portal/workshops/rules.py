"""Who may book which workshop or meeting, and how places and the waiting list are shared; pure."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from portal.formatting import format_datetime
from portal.kommuner.enums import AMK

# The same simple check as the application form's e-mail questions, with the same message.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
INVALID_EMAIL = "Skriv en gyldig e-mailadresse, fx navn@kommune.dk."
MISSING_NAME = "Skriv deltagerens navn."
MISSING_EMAIL = "Skriv deltagerens e-mailadresse."
DUPLICATE_EMAIL = "E-mailadressen står allerede ved en anden deltager."
NO_PARTICIPANTS = "Tilmeld mindst én deltager."
PARTICIPANTS_ONLY = "Kun kommuner, der deltager i projektet, kan tilmelde sig."
NON_PARTICIPANTS_ONLY = "Kun kommuner uden for projektet kan tilmelde sig."


class EventKind(str, Enum):
    """The project's kinds of events, in the order of the timeline."""

    OPSTART = "opstart"
    NETVAERK = "netvaerk"
    SPARRING = "sparring"
    INSPIRATION = "inspiration"
    AFSLUTNING = "afslutning"

    @property
    def label(self) -> str:
        return _KIND_WORDS[self][0]

    @property
    def one_per_kommune(self) -> bool:
        """A kommune may hold at most one active booking of this kind, across all events of the kind."""
        return self in _ONE_PER_KOMMUNE


class Audience(str, Enum):
    """Which kommuner may book an event."""

    PARTICIPANTS = "participants"
    NON_PARTICIPANTS = "non_participants"
    EVERYONE = "everyone"

    @property
    def label(self) -> str:
        return {
            "participants": "Deltagende kommuner",
            "non_participants": "Kommuner uden for projektet",
            "everyone": "Alle kommuner",
        }[self.value]


class BookingStatus(str, Enum):
    """A booking is active while CONFIRMED or WAITING; CANCELLED is final."""

    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"confirmed": "Tilmeldt", "waiting": "På venteliste", "cancelled": "Afmeldt"}[self.value]

    @property
    def active(self) -> bool:
        return self is not BookingStatus.CANCELLED


# Label, indefinite ("en opstartsworkshop"), demonstrative ("denne opstartsworkshop"), definite subject.
_KIND_WORDS: dict[EventKind, tuple[str, str, str, str]] = {
    EventKind.OPSTART: ("Opstartsworkshop", "en opstartsworkshop", "denne opstartsworkshop", "Workshoppen"),
    EventKind.NETVAERK: ("Netværksmøde", "et netværksmøde", "dette netværksmøde", "Mødet"),
    EventKind.SPARRING: ("Sparringsbesøg", "et sparringsbesøg", "dette sparringsbesøg", "Besøget"),
    EventKind.INSPIRATION: ("Inspirationsworkshop", "en inspirationsworkshop", "denne inspirationsworkshop",
                            "Workshoppen"),
    EventKind.AFSLUTNING: ("Afslutningsseminar", "et afslutningsseminar", "dette afslutningsseminar", "Seminaret"),
}
# Each participating kommune gets one opstartsworkshop and one sparringsbesøg; an inspirationsworkshop
# is one kommune per date, and one date per kommune. Netværksmøder recur each quarter; the
# afslutningsseminar is a single event, so a limit there would only repeat "already booked here".
_ONE_PER_KOMMUNE = frozenset({EventKind.OPSTART, EventKind.SPARRING, EventKind.INSPIRATION})


@dataclass(frozen=True)
class EventFacts:
    """One event as staff set it up. `capacity` counts kommuner (one booking each), `seats_per_kommune`
    the participants one booking may name; `amk`, if set, limits booking to kommuner of that AMK.

    Invariants (ValueError otherwise): capacity >= 1, seats_per_kommune >= 1, both instants aware,
    booking_deadline_at <= starts_at.
    """

    kind: EventKind
    audience: Audience
    amk: AMK | None
    capacity: int
    seats_per_kommune: int
    booking_deadline_at: datetime
    starts_at: datetime

    def __post_init__(self) -> None:
        if self.capacity < 1 or self.seats_per_kommune < 1:
            raise ValueError("capacity and seats_per_kommune must be at least 1")
        if self.booking_deadline_at.tzinfo is None or self.starts_at.tzinfo is None:
            raise ValueError("event instants must be aware")
        if self.booking_deadline_at > self.starts_at:
            raise ValueError("the booking deadline cannot lie after the start")


@dataclass(frozen=True)
class KommuneFacts:
    """A kommune as booking sees it: `participating` means selected for the project (with a grant)."""

    code: int
    amk: AMK
    participating: bool


@dataclass(frozen=True)
class Participant:
    """A person a kommune books a seat for; `role` is free text and may be empty."""

    name: str
    role: str
    email: str


@dataclass(frozen=True)
class WaitingEntry:
    """A booking on an event's waiting list; a lower `position` was there first."""

    booking_id: int
    position: int


def booking_problem(
    event: EventFacts,
    kommune: KommuneFacts,
    *,
    now: datetime,
    has_booking_here: bool,
    bookings_of_kind: int,
) -> str | None:
    """Why `kommune` may not book `event` at `now`, in Danish; None when it may.

    `has_booking_here`: the kommune has an active (confirmed or waiting) booking on this event.
    `bookings_of_kind`: the kommune's active bookings on any event of the same kind (this one may be
    included: it is only read when there is none here). A waiting-list booking counts, so a kommune
    that wants another date of a one-per-kommune kind cancels its waiting booking first; otherwise a
    later promotion could confirm two.

    Checks, first failure wins: the deadline (booking is open while now < booking_deadline_at), the
    audience, the event's AMK, a booking here, the one-per-kommune kinds (OPSTART, SPARRING,
    INSPIRATION). Capacity is not a problem: a full event offers its waiting list instead.
    """
    if now >= event.booking_deadline_at:
        return f"Tilmeldingsfristen var {format_datetime(event.booking_deadline_at)}."
    if event.audience is Audience.PARTICIPANTS and not kommune.participating:
        return PARTICIPANTS_ONLY
    if event.audience is Audience.NON_PARTICIPANTS and kommune.participating:
        return NON_PARTICIPANTS_ONLY
    _, indefinite, this, subject = _KIND_WORDS[event.kind]
    if event.amk is not None and kommune.amk is not event.amk:
        return f"{subject} er for kommuner i {event.amk.label}."
    if has_booking_here:
        return f"Kommunen er allerede tilmeldt {this}."
    if event.kind.one_per_kommune and bookings_of_kind > 0:
        return f"Kommunen er allerede tilmeldt {indefinite}."
    return None


def participants_problems(participants: Sequence[Participant], seats_per_kommune: int) -> dict[str, str]:
    """Problems with the named participants of one booking, keyed by form field; empty when none.

    Keys follow WTForms' FieldList: `participants-<i>-name` / `-email` (i from 0) for one person,
    `participants` for the list. The list needs 1..seats_per_kommune people. Name and e-mail are
    required (blank after stripping counts as missing); the e-mail must look like `x@y.z` with no
    spaces; an e-mail already given by an earlier participant (ignoring case and surrounding spaces)
    is flagged on the later one. The role is optional and never a problem. At most one problem per field.
    """
    problems: dict[str, str] = {}
    if not participants:
        problems["participants"] = NO_PARTICIPANTS
    elif len(participants) > seats_per_kommune:
        noun = "deltager" if seats_per_kommune == 1 else "deltagere"
        problems["participants"] = f"Kommunen kan højst tilmelde {seats_per_kommune} {noun}."
    seen: set[str] = set()
    for index, participant in enumerate(participants):
        prefix = f"participants-{index}"
        if not participant.name.strip():
            problems[f"{prefix}-name"] = MISSING_NAME
        email = participant.email.strip()
        if not email:
            problems[f"{prefix}-email"] = MISSING_EMAIL
        elif not EMAIL_PATTERN.fullmatch(email):
            problems[f"{prefix}-email"] = INVALID_EMAIL
        elif email.casefold() in seen:
            problems[f"{prefix}-email"] = DUPLICATE_EMAIL
        seen.add(email.casefold())
    return problems


def status_for_new_booking(confirmed_count: int, capacity: int, *, waiting_count: int = 0) -> BookingStatus:
    """CONFIRMED while fewer than `capacity` kommuner are confirmed and no one is waiting, else WAITING.

    A waiting list only exists while the event is full, because freed places are promoted at once
    (`promote_from_waiting_list`); `waiting_count` keeps a newcomer from passing the queue should a
    caller raise the capacity without promoting first.
    """
    if confirmed_count < capacity and waiting_count == 0:
        return BookingStatus.CONFIRMED
    return BookingStatus.WAITING


def next_waiting_position(waiting: Sequence[WaitingEntry]) -> int:
    """The position a new waiting-list booking gets: after everyone on the list, 1 for an empty list."""
    return max((entry.position for entry in waiting), default=0) + 1


def promote_from_waiting_list(waiting: Sequence[WaitingEntry], free_places: int) -> list[int]:
    """The booking ids to confirm now that `free_places` are free: first come, first served.

    Ordered by position, then booking id; min(free_places, len(waiting)) ids, none when free_places
    <= 0 (an event over capacity after staff lowered it stays as it is). Not bound to the deadline:
    a place freed late still goes to the first waiting. Raises ValueError on a repeated booking id.
    """
    if len({entry.booking_id for entry in waiting}) != len(waiting):
        raise ValueError("a booking can stand on the waiting list only once")
    queue = sorted(waiting, key=lambda entry: (entry.position, entry.booking_id))
    return [entry.booking_id for entry in queue[: max(free_places, 0)]]


def under_booked(
    event: EventFacts,
    confirmed_count: int,
    *,
    now: datetime,
    warn_within: timedelta = timedelta(days=7),
    minimum: int = 3,
) -> bool:
    """Whether an opstartsworkshop should be flagged for having too few kommuner.

    True exactly when the event is an OPSTART, fewer than `minimum` kommuner are confirmed (waiting
    ones do not count), and booking_deadline_at - warn_within <= now < starts_at: from the start of the
    warning window, through the deadline, until the workshop begins. Other kinds are never flagged.
    """
    return (
        event.kind is EventKind.OPSTART
        and confirmed_count < minimum
        and event.booking_deadline_at - warn_within <= now < event.starts_at
    )


def can_change_booking(event: EventFacts, *, now: datetime) -> str | None:
    """Why a kommune may no longer change or cancel its booking (Danish); None before the deadline.

    Open while now < booking_deadline_at, like booking itself. The rule is for kommune users; whether
    staff may change a booking later is the services' decision.
    """
    if now >= event.booking_deadline_at:
        return (f"Tilmeldingsfristen var {format_datetime(event.booking_deadline_at)}, "
                "så tilmeldingen kan ikke længere ændres eller afmeldes.")
    return None
