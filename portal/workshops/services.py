"""The workshops' use cases: staff create events and the standard series; kommuner book, change and cancel.

Capacity holds under concurrent booking: every change of an event's bookings first bumps the event's
`bookings_version` with an UPDATE, which locks the row (PostgreSQL) or takes the write lock (SQLite)
until commit, and only then counts the places. A second booking of the last place therefore waits and
counts again: it gets the waiting list, never an overbooked event.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import selectinload

from portal import clock, permissions
from portal.audit.services import record_event
from portal.errors import DomainError, NotPermitted, RuleViolations
from portal.extensions import db
from portal.formatting import COPENHAGEN, danish_sort_key, format_date
from portal.grants.models import Grant
from portal.grants.states import GrantStatus
from portal.kommuner.enums import AMK
from portal.kommuner.models import Kommune
from portal.links import external_url
from portal.outbox.services import Attachment, queue_message
from portal.workshops import ics, rules
from portal.pulje.models import Pool
from portal.workshops.models import Booking, SparringRequest, WorkshopEvent
from portal.workshops.rules import Audience, BookingStatus, EventKind, Participant

ORGANIZER = ("Styrelsen for Arbejdsmarked og Rekruttering", "fastholdelse@star.dk")


def list_events(pool) -> list[WorkshopEvent]:
    """Every event of the pool with its bookings and their kommuner, by start (three queries)."""
    return list(db.session.scalars(
        sa.select(WorkshopEvent).where(WorkshopEvent.pool_id == pool.id)
        .options(selectinload(WorkshopEvent.bookings).selectinload(Booking.kommune))
        .order_by(WorkshopEvent.starts_at, WorkshopEvent.id)))


def participating_kommune_ids(pool_id: int) -> set[int]:
    """Kommuner in the project: those with an issued or accepted grant letter."""
    return set(db.session.scalars(sa.select(Grant.kommune_id).where(
        Grant.pool_id == pool_id, Grant.status.in_([GrantStatus.ISSUED, GrantStatus.ACCEPTED]))))


def facts_of(event: WorkshopEvent) -> rules.EventFacts:
    return rules.EventFacts(kind=event.kind, audience=event.audience, amk=event.amk, capacity=event.capacity,
                            seats_per_kommune=event.seats_per_kommune, booking_deadline_at=event.booking_deadline_at,
                            starts_at=event.starts_at)


def confirmed_count(event: WorkshopEvent) -> int:
    return sum(1 for booking in event.bookings if booking.status is BookingStatus.CONFIRMED)


# --- staff: events -----------------------------------------------------------------------------------------------

EVENT_FIELDS = ("kind", "title", "starts_at", "ends_at", "place", "amk", "capacity", "seats_per_kommune",
                "audience", "booking_deadline_at", "description", "learning_consultant")


def _check_staff(actor) -> None:
    if not permissions.can_manage_workshops(actor):
        raise NotPermitted("Kun styrelsen kan oprette og rette arrangementer.")


def _event_problems(values: dict) -> dict[str, str]:
    problems = {}
    if values["ends_at"] <= values["starts_at"]:
        problems["ends_at"] = "Arrangementet skal slutte efter, det begynder."
    if values["booking_deadline_at"] > values["starts_at"]:
        problems["booking_deadline_at"] = "Tilmeldingsfristen skal ligge før arrangementet."
    return problems


def save_event(pool, *, actor, event: WorkshopEvent | None = None, **values) -> WorkshopEvent:
    """Create an event (event=None) or change one; the capacity may not drop below the confirmed bookings.

    Raises RuleViolations at the fields. Side effects: an audit event 'workshop.created'/'workshop.changed';
    places freed by a larger capacity go to the waiting list at once.
    """
    _check_staff(actor)
    problems = _event_problems(values)
    if event is not None and values["capacity"] < confirmed_count(event):
        problems["capacity"] = (f"{confirmed_count(event)} kommuner er allerede tilmeldt. Kapaciteten kan ikke "
                                "være mindre.")
    if problems:
        raise RuleViolations(problems)
    before = {name: getattr(event, name) for name in EVENT_FIELDS} if event else None
    if event is None:
        event = WorkshopEvent(pool_id=pool.id, created_at=clock.now(), bookings_version=0, bookings=[])
        db.session.add(event)
    for name in EVENT_FIELDS:
        setattr(event, name, values[name])
    db.session.flush()
    record_event(actor=actor, action="workshop.changed" if before else "workshop.created", obj=event,
                 object_label=event.title, before=before, after={name: values[name] for name in EVENT_FIELDS})
    if before:
        _promote(event, actor=actor)
    db.session.flush()
    return event


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=COPENHAGEN)


def _monday_of_week(year: int, week: int) -> date:
    return date.fromisocalendar(year, week, 1)


def standard_series(pool) -> list[dict]:
    """The pool's timeline as events: opstartsworkshops in weeks 40, 41 and 43 of 2017 (5 kommuner each),
    a netværksmøde per AMK in Q4 2017, Q1 and Q2 2018, inspirationsworkshop dates from January 2018
    (one kommune each) and the afslutningsseminar in Q1 2019. Sparringsbesøg are arranged per kommune."""
    series = []
    for number, week in enumerate((40, 41, 43), start=1):
        day = _monday_of_week(2017, week) + timedelta(days=1)
        series.append(dict(series_key=f"opstart-{week}", kind=EventKind.OPSTART,
                           title=f"Opstartsworkshop {number} (uge {week})", starts_at=_at(day, 9, 30),
                           ends_at=_at(day, 15, 30), place="Oplyses senere", amk=None, capacity=5,
                           seats_per_kommune=4, audience=Audience.PARTICIPANTS,
                           booking_deadline_at=_at(day - timedelta(days=14), 12),
                           description="Workshop for 3–5 deltagende kommuner med den eksterne konsulent og "
                                       "det regionale arbejdsmarkedskontor."))
    quarters = [(2017, 11, "4. kvartal 2017"), (2018, 2, "1. kvartal 2018"), (2018, 5, "2. kvartal 2018")]
    for year, month, quarter in quarters:
        for offset, amk in enumerate(AMK):
            day = date(year, month, 7 + offset)
            series.append(dict(series_key=f"netvaerk-{year}-{month}-{amk.name.lower()}", kind=EventKind.NETVAERK,
                               title=f"Netværksmøde, {amk.label}, {quarter}", starts_at=_at(day, 10),
                               ends_at=_at(day, 14), place="Oplyses senere", amk=amk, capacity=14,
                               seats_per_kommune=3, audience=Audience.PARTICIPANTS,
                               booking_deadline_at=_at(day - timedelta(days=7), 12),
                               description="Netværksmøde for fastholdelseskonsulenterne i de deltagende kommuner."))
    for month in range(2, 12, 2):
        day = date(2018, month, 13)
        series.append(dict(series_key=f"inspiration-2018-{month:02d}", kind=EventKind.INSPIRATION,
                           title=f"Inspirationsworkshop {format_date(day)}",
                           starts_at=_at(day, 9), ends_at=_at(day, 15), place="I kommunen selv", amk=None,
                           capacity=1, seats_per_kommune=10, audience=Audience.NON_PARTICIPANTS,
                           booking_deadline_at=_at(day - timedelta(days=21), 12),
                           description="En hel dag i kommunen med den eksterne konsulent og en læringskonsulent "
                                       "fra en erfaren kommune."))
    day = date(2019, 3, 12)
    series.append(dict(series_key="afslutning-2019", kind=EventKind.AFSLUTNING, title="Afslutningsseminar",
                       starts_at=_at(day, 10), ends_at=_at(day, 16), place="Oplyses senere", amk=None, capacity=14,
                       seats_per_kommune=4, audience=Audience.PARTICIPANTS,
                       booking_deadline_at=_at(day - timedelta(days=14), 12),
                       description="Afslutningsseminar for alle deltagende kommuner."))
    return series


def generate_standard_series(pool, *, actor) -> int:
    """Create the events of the standard series that do not exist yet; returns how many were made."""
    _check_staff(actor)
    existing = set(db.session.scalars(sa.select(WorkshopEvent.series_key).where(WorkshopEvent.pool_id == pool.id)))
    made = 0
    for values in standard_series(pool):
        if values["series_key"] in existing:
            continue
        event = save_event(pool, actor=actor, **{name: values.get(name, "") for name in EVENT_FIELDS})
        event.series_key = values["series_key"]
        made += 1
    db.session.flush()
    return made


# --- kommuner: bookings ------------------------------------------------------------------------------------------


def _lock(event: WorkshopEvent) -> None:
    """Take the event's row for this transaction and read its bookings fresh (see the module docstring)."""
    db.session.execute(sa.update(WorkshopEvent).where(WorkshopEvent.id == event.id)
                       .values(bookings_version=WorkshopEvent.bookings_version + 1))
    db.session.refresh(event, attribute_names=["bookings", "bookings_version"])
    for booking in event.bookings:
        db.session.refresh(booking)


def booking_problem(event: WorkshopEvent, kommune) -> str | None:
    """Why the kommune may not book the event now (deadline, audience, AMK, one per kommune), or None."""
    return booking_problems([event], kommune)[event.id]


def booking_problems(events: list[WorkshopEvent], kommune) -> dict[int, str | None]:
    """booking_problem for each of the events, in two queries whatever their number."""
    if not events:
        return {}
    active = list(db.session.scalars(
        sa.select(Booking).join(WorkshopEvent)
        .where(Booking.kommune_id == kommune.id, Booking.status != BookingStatus.CANCELLED)
        .options(selectinload(Booking.event))))
    facts = rules.KommuneFacts(code=kommune.code, amk=kommune.amk,
                               participating=kommune.id in participating_kommune_ids(events[0].pool_id))
    now = clock.now()
    return {event.id: rules.booking_problem(
        facts_of(event), facts, now=now, has_booking_here=any(booking.event_id == event.id for booking in active),
        bookings_of_kind=sum(1 for booking in active if booking.event.kind is event.kind)) for event in events}


def _participants_of(raw: list[Participant], seats: int) -> list[dict]:
    problems = rules.participants_problems(raw, seats)
    if problems:
        raise RuleViolations(problems)
    return [{"name": item.name.strip(), "role": item.role.strip(), "email": item.email.strip().lower()}
            for item in raw]


def book(event: WorkshopEvent, *, kommune, actor, participants: list[Participant]) -> Booking:
    """Book the event for the kommune's named participants: confirmed while there is room, else the waiting list.

    Raises DomainError when the kommune may not book (rules.booking_problem) and RuleViolations for the
    participants. Side effects: the event row is locked until commit; an audit event 'workshop.booked';
    a mail with an iCalendar invitation to each participant and to the booking user.
    """
    if not permissions.can_book_workshops(actor) or actor.kommune_id != kommune.id:
        raise NotPermitted("Kun kommunens egne brugere kan tilmelde kommunen.")
    people = _participants_of(participants, event.seats_per_kommune)
    _lock(event)
    problem = booking_problem(event, kommune)
    if problem:
        raise DomainError(problem)
    waiting = [booking for booking in event.bookings if booking.status is BookingStatus.WAITING]
    status = rules.status_for_new_booking(confirmed_count(event), event.capacity, waiting_count=len(waiting))
    now = clock.now()
    booking = next((item for item in event.bookings if item.kommune_id == kommune.id), None)
    position = max((item.position for item in event.bookings), default=0) + 1
    if booking is None:  # a cancelled booking is taken up again rather than duplicated
        booking = Booking(event=event, kommune_id=kommune.id, created_at=now, created_by_id=actor.id, sequence=0)
        db.session.add(booking)
    else:
        booking.sequence += 1
    booking.status, booking.position, booking.participants, booking.updated_at = status, position, people, now
    db.session.flush()
    record_event(actor=actor, action="workshop.booked", obj=booking, object_label=f"{event.title}: {kommune.name}",
                 after={"status": status, "participants": [person["email"] for person in people]})
    _mail_booking(booking, actor_email=actor.email, kind="booked")
    return booking


def change_participants(booking: Booking, *, actor, participants: list[Participant]) -> None:
    """Change who comes, before the deadline. Side effects: audit; an updated invitation to everyone concerned."""
    _check_own(booking, actor)
    problem = rules.can_change_booking(facts_of(booking.event), now=clock.now())
    if problem:
        raise DomainError(problem)
    people = _participants_of(participants, booking.event.seats_per_kommune)
    removed = [person for person in booking.participants if person["email"] not in {p["email"] for p in people}]
    before = [person["email"] for person in booking.participants]
    booking.participants, booking.updated_at, booking.sequence = people, clock.now(), booking.sequence + 1
    record_event(actor=actor, action="workshop.changed_participants", obj=booking,
                 object_label=f"{booking.event.title}: {booking.kommune.name}",
                 before={"participants": before}, after={"participants": [person["email"] for person in people]})
    db.session.flush()
    _mail_booking(booking, actor_email=actor.email, kind="changed")
    if removed:
        _mail_cancellation(booking, people=removed)


def cancel(booking: Booking, *, actor) -> list[Booking]:
    """Cancel before the deadline; the freed place goes to the first on the waiting list, who is told.

    Returns the bookings promoted. Side effects: the event row is locked until commit; audit events
    'workshop.cancelled' and 'workshop.promoted'; a cancellation (.ics) to the participants.
    """
    _check_own(booking, actor)
    event = booking.event
    problem = rules.can_change_booking(facts_of(event), now=clock.now())
    if problem:
        raise DomainError(problem)
    _lock(event)
    if booking.status is BookingStatus.CANCELLED:
        raise DomainError("Tilmeldingen er allerede afmeldt.")
    before = booking.status
    booking.status, booking.updated_at, booking.sequence = BookingStatus.CANCELLED, clock.now(), booking.sequence + 1
    record_event(actor=actor, action="workshop.cancelled", obj=booking,
                 object_label=f"{event.title}: {booking.kommune.name}", before={"status": before},
                 after={"status": BookingStatus.CANCELLED})
    db.session.flush()
    _mail_cancellation(booking, people=booking.participants)
    return _promote(event, actor=actor)


def _promote(event: WorkshopEvent, *, actor) -> list[Booking]:
    waiting = [booking for booking in event.bookings if booking.status is BookingStatus.WAITING]
    free = event.capacity - confirmed_count(event)
    chosen = set(rules.promote_from_waiting_list(
        [rules.WaitingEntry(booking_id=booking.id, position=booking.position) for booking in waiting], free))
    promoted = [booking for booking in waiting if booking.id in chosen]
    for booking in promoted:
        booking.status, booking.updated_at = BookingStatus.CONFIRMED, clock.now()
        booking.sequence += 1
        record_event(actor=actor, action="workshop.promoted", obj=booking,
                     object_label=f"{event.title}: {booking.kommune.name}",
                     before={"status": BookingStatus.WAITING}, after={"status": BookingStatus.CONFIRMED})
        _mail_booking(booking, actor_email=None, kind="promoted")
    db.session.flush()
    return promoted


def _check_own(booking: Booking, actor) -> None:
    if not permissions.can_book_workshops(actor) or actor.kommune_id != booking.kommune_id:
        raise NotPermitted("Kun kommunens egne brugere kan ændre kommunens tilmelding.")


# --- mail with calendar invitations -----------------------------------------------------------------------------


def _calendar_event(booking: Booking, people: list[dict]) -> ics.CalendarEvent:
    event = booking.event
    return ics.CalendarEvent(
        uid=f"booking-{booking.id}@puljeportalen.star.dk", sequence=booking.sequence, summary=event.title,
        description=event.description, location=event.place, starts_at=event.starts_at, ends_at=event.ends_at,
        organizer_name=ORGANIZER[0], organizer_email=ORGANIZER[1],
        attendees=tuple((person["name"], person["email"]) for person in people),
        url=external_url("workshops.show", event_id=event.id))


def _recipients(people: list[dict], *also: str | None) -> list[str]:
    seen: dict[str, None] = {}
    for email in [*also, *(person["email"] for person in people)]:
        if email:
            seen.setdefault(email.strip().lower(), None)
    return list(seen)


SUBJECTS = {"booked": "Tilmelding", "changed": "Ændret tilmelding", "promoted": "Du har fået en plads",
            "reminder": "Påmindelse"}


def _mail_booking(booking: Booking, *, actor_email: str | None, kind: str) -> None:
    calendar = _calendar_event(booking, booking.participants)
    waiting = booking.status is BookingStatus.WAITING
    attachments = () if waiting else (Attachment(filename=ics.ics_filename(calendar),
                                                 content_type=ics.ICS_CONTENT_TYPE,
                                                 data=ics.invitation(calendar, stamp=clock.now())),)
    context = dict(booking=booking, event=booking.event, kind=kind, waiting=waiting)
    for recipient in _recipients(booking.participants, actor_email):
        queue_message(kind=f"workshop_{kind}", recipient=recipient,
                      subject=f"{SUBJECTS[kind]}: {booking.event.title} – {booking.kommune.official_name}",
                      text_body=render_template("mail/workshop_booking.txt", **context), attachments=attachments)


def _mail_cancellation(booking: Booking, *, people: list[dict]) -> None:
    calendar = _calendar_event(booking, people)
    attachment = Attachment(filename=ics.ics_filename(calendar, cancelled=True),
                            content_type=ics.ICS_CANCEL_CONTENT_TYPE,
                            data=ics.cancellation(calendar, stamp=clock.now()))
    for recipient in _recipients(people):
        queue_message(kind="workshop_cancelled", recipient=recipient,
                      subject=f"Afmeldt: {booking.event.title} – {booking.kommune.official_name}",
                      text_body=render_template("mail/workshop_cancelled.txt", booking=booking, event=booking.event),
                      attachments=(attachment,))


# --- staff: who is missing, reminders, attendance -----------------------------------------------------------------

MUST_BOOK = (EventKind.OPSTART, EventKind.AFSLUTNING)


def missing_bookings(pool, events: list[WorkshopEvent]) -> dict[EventKind, list]:
    """Participating kommuner without an active booking of each kind they must attend (opstart, afslutning),
    by kommune name; a kind with no events yet is left out."""
    participants = participating_kommune_ids(pool.id)
    kommuner = list(db.session.scalars(sa.select(Kommune).where(Kommune.id.in_(participants))))
    missing = {}
    for kind in MUST_BOOK:
        of_kind = [event for event in events if event.kind is kind]
        if not of_kind:
            continue
        booked = {booking.kommune_id for event in of_kind for booking in event.bookings
                  if booking.status is not BookingStatus.CANCELLED}
        missing[kind] = sorted((kommune for kommune in kommuner if kommune.id not in booked),
                               key=lambda kommune: danish_sort_key(kommune.name))
    return missing


REMIND_BEFORE = timedelta(days=3)


def send_reminders(pool, *, actor) -> int:
    """A reminder with the invitation to each confirmed booking of an event starting within three days (once).

    Side effects: reminder mails with the .ics; the booking's reminded_at. Returns how many bookings
    were reminded. `actor` None is the daily job.
    """
    if actor is not None:
        _check_staff(actor)
    now = clock.now()
    reminded = 0
    for event in list_events(pool):
        if not now < event.starts_at <= now + REMIND_BEFORE:
            continue
        for booking in event.bookings:
            if booking.status is BookingStatus.CONFIRMED and booking.reminded_at is None:
                booking.reminded_at = now
                _mail_booking(booking, actor_email=None, kind="reminder")
                reminded += 1
    db.session.flush()
    return reminded


def record_attendance(event: WorkshopEvent, *, actor, attended_booking_ids: set[int]) -> None:
    """After the event has begun: which confirmed kommuner came. Side effects: an audit event."""
    _check_staff(actor)
    if clock.now() < event.starts_at:
        raise DomainError("Fremmødet kan registreres, når arrangementet er begyndt.")
    confirmed = [booking for booking in event.bookings if booking.status is BookingStatus.CONFIRMED]
    for booking in confirmed:
        booking.attended = booking.id in attended_booking_ids
    record_event(actor=actor, action="workshop.attendance", obj=event, object_label=event.title,
                 after={booking.kommune.name: booking.attended for booking in confirmed})
    db.session.flush()


# --- sparringsbesøg: the kommune proposes dates, the agency confirms one --------------------------------------------

SPARRING_FROM, SPARRING_TO = date(2017, 10, 1), date(2018, 3, 31)  # Q4 2017 and Q1 2018
SPARRING_HOURS = timedelta(hours=3)


def get_sparring_request(pool, kommune) -> SparringRequest | None:
    return db.session.scalar(sa.select(SparringRequest).where(SparringRequest.pool_id == pool.id,
                                                              SparringRequest.kommune_id == kommune.id))


def list_sparring_requests(pool) -> list[SparringRequest]:
    return sorted(db.session.scalars(sa.select(SparringRequest).where(SparringRequest.pool_id == pool.id)
                                     .options(selectinload(SparringRequest.kommune))),
                  key=lambda request: danish_sort_key(request.kommune.name))


def propose_sparring(pool, *, kommune, actor, dates: list[datetime], manager_name: str, manager_email: str,
                     note: str) -> SparringRequest:
    """A participating kommune proposes one to three times for its sparringsbesøg; its responsible manager
    takes part. Proposals can be changed until the agency has confirmed one.

    Raises RuleViolations at the fields ('dates', 'manager_name', 'manager_email'). Side effects: an
    audit event and a mail to the agency's contact address.
    """
    if not permissions.can_book_workshops(actor) or actor.kommune_id != kommune.id:
        raise NotPermitted("Kun kommunens egne brugere kan foreslå tider for kommunens sparringsbesøg.")
    if kommune.id not in participating_kommune_ids(pool.id):
        raise DomainError(rules.PARTICIPANTS_ONLY)
    existing = get_sparring_request(pool, kommune)
    if existing is not None and existing.event_id is not None:
        raise DomainError("Styrelsen har allerede bekræftet en tid for sparringsbesøget.")
    problems = {}
    now = clock.now()
    if not 1 <= len(dates) <= 3:
        problems["dates"] = "Foreslå mellem én og tre tider."
    elif any(not (SPARRING_FROM <= moment.astimezone(COPENHAGEN).date() <= SPARRING_TO) or moment <= now
             for moment in dates):
        problems["dates"] = (f"Tiderne skal ligge i fremtiden og mellem {format_date(SPARRING_FROM)} og "
                             f"{format_date(SPARRING_TO)}.")
    person = rules.participants_problems([Participant(manager_name, "", manager_email)], 1)
    if "participants-0-name" in person:
        problems["manager_name"] = "Skriv navnet på den ansvarlige leder."
    if "participants-0-email" in person:
        problems["manager_email"] = person["participants-0-email"]
    if problems:
        raise RuleViolations(problems)
    request = existing or SparringRequest(pool_id=pool.id, kommune_id=kommune.id)
    request.proposed = [moment.isoformat() for moment in dates]
    request.manager_name, request.manager_email = manager_name.strip(), manager_email.strip().lower()
    request.note, request.requested_at, request.requested_by_id = note.strip(), now, actor.id
    db.session.add(request)
    db.session.flush()
    record_event(actor=actor, action="workshop.sparring_proposed", obj=request, object_label=kommune.name,
                 after={"proposed": request.proposed, "manager": request.manager_email})
    queue_message(kind="sparring_proposed", recipient=pool.contact_email,
                  subject=f"Forslag til sparringsbesøg: {kommune.official_name}",
                  text_body=render_template("mail/sparring_proposed.txt", request=request, kommune=kommune))
    return request


def confirm_sparring(request: SparringRequest, *, actor, chosen: int, place: str) -> WorkshopEvent:
    """The agency confirms one of the proposed times: the visit becomes an event with the kommune booked and
    its manager as participant, who gets the calendar invitation.

    Side effects: a WorkshopEvent (kind sparring, one kommune) and its confirmed Booking, audit events,
    and the invitation mail (as for any booking).
    """
    _check_staff(actor)
    if request.event_id is not None:
        raise DomainError("Sparringsbesøget er allerede bekræftet.")
    if not 0 <= chosen < len(request.proposed):
        raise DomainError("Vælg en af kommunens foreslåede tider.", field="chosen")
    starts_at = request.proposed_at[chosen]
    kommune = request.kommune
    event = save_event(
        db.session.get(Pool, request.pool_id), actor=actor,
        kind=EventKind.SPARRING, title=f"Sparringsbesøg i {kommune.name}", starts_at=starts_at,
        ends_at=starts_at + SPARRING_HOURS, place=place.strip() or kommune.official_name, amk=None, capacity=1,
        seats_per_kommune=5, audience=Audience.PARTICIPANTS, booking_deadline_at=starts_at,
        description="Individuelt sparringsbesøg. Kommunens ansvarlige leder deltager.", learning_consultant="")
    now = clock.now()
    booking = Booking(event=event, kommune_id=kommune.id, status=BookingStatus.CONFIRMED, position=1,
                      participants=[{"name": request.manager_name, "role": "Ansvarlig leder",
                                     "email": request.manager_email}],
                      created_at=now, created_by_id=actor.id, updated_at=now, sequence=0)
    db.session.add(booking)
    request.event = event
    db.session.flush()
    record_event(actor=actor, action="workshop.sparring_confirmed", obj=request, object_label=kommune.name,
                 after={"starts_at": starts_at})
    _mail_booking(booking, actor_email=None, kind="booked")
    return event
