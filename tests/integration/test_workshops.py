"""Workshops through the pages and services: the standard series, booking, waiting list, cancellation, .ics mail,
and the last place booked from two threads at once."""
from __future__ import annotations

import csv
import io
import threading
import time
from datetime import datetime

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from icalendar import Calendar

from portal.auth.enums import Role
from portal.auth.models import User
from portal.auth.services import create_user
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.kommuner.services import get_kommune_by_name
from portal.pulje.services import get_pool
from portal.transaction import commit
from portal.workshops import services
from portal.workshops.models import Booking, SparringRequest, WorkshopEvent
from portal.workshops.rules import EventKind, Participant
from tests.support.documents import pdf_text
from tests.support.grants import participating
from tests.support.html import page_structure, page_text, table_rows
from tests.support.queries import queries_for
from tests.support.sessions import signed_in

AFTER_GRANTS = datetime(2017, 8, 28, 10, 0, tzinfo=COPENHAGEN)
KOMMUNER = ("Herning", "Aarhus", "Læsø", "Vejle")


@pytest.fixture
def project(app, clock, sara, mailbox):
    """Four participating kommuner; the standard series generated; the mailbox empty."""
    participating(clock, sara, *KOMMUNER, after_deadline=AFTER_GRANTS)
    services.generate_standard_series(get_pool(), actor=sara)
    commit()
    mailbox.clear()


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _kommune_client(app, name: str):
    slug = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return signed_in(app.test_client(), _user(f"{slug}@actor.test"))


def _event(series_key: str) -> WorkshopEvent:
    db.session.expire_all()
    return db.session.scalar(sa.select(WorkshopEvent).where(WorkshopEvent.series_key == series_key))


def _people(*names: str) -> dict:
    data = {}
    for index, name in enumerate(names):
        data[f"participants-{index}-name"] = name
        data[f"participants-{index}-role"] = "Fastholdelseskonsulent"
        data[f"participants-{index}-email"] = f"{name.split()[0].lower()}@kommune.test"
    return data


def _statuses(event: WorkshopEvent) -> dict[str, str]:
    db.session.expire_all()
    return {booking.kommune.name: booking.status.value for booking in _event(event.series_key).bookings}


def test_standard_series_follows_the_timeline_once(sara_client, project):
    again = sara_client.post("/arrangementer/standardserie", follow_redirects=True)

    rows = table_rows(sara_client.get("/arrangementer"), "events-table")
    kinds = [row[1] for row in rows]
    assert (kinds.count("Opstartsworkshop"), kinds.count("Netværksmøde"), kinds.count("Inspirationsworkshop"),
            kinds.count("Afslutningsseminar")) == (3, 9, 5, 1)
    assert rows[0][:3] == ["Opstartsworkshop 1 (uge 40)", "Opstartsworkshop", "3. oktober 2017 kl. 09.30"]
    assert "Standardserien findes allerede." in page_text(again)


def test_booking_confirms_while_there_is_room_and_mails_an_invitation(app, project, mailbox):
    herning = _kommune_client(app, "Herning")
    event = _event("opstart-40")

    response = herning.post(f"/workshops/{event.id}", data=_people("Anne Andersen", "Bo Bech"))

    assert response.headers["Location"] == f"/workshops/{event.id}"
    assert _statuses(event) == {"Herning": "confirmed"}
    assert sorted(message["To"] for message in mailbox.messages) == [
        "anne@kommune.test", "bo@kommune.test", "herning@actor.test"]
    (ics,) = [part for part in mailbox.messages[0].iter_attachments() if part.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(ics.get_content() if isinstance(ics.get_content(), bytes)
                                  else ics.get_content().encode())
    (vevent,) = calendar.walk("VEVENT")
    assert (str(calendar["METHOD"]), str(vevent["SUMMARY"]), vevent["DTSTART"].dt) == (
        "REQUEST", "Opstartsworkshop 1 (uge 40)", datetime(2017, 10, 3, 9, 30, tzinfo=COPENHAGEN))


@pytest.mark.parametrize(("data", "field", "message"), [
    ({}, "participants", "Tilmeld mindst én deltager."),
    ({"participants-0-name": "Anne", "participants-0-email": "anne"}, "participants-0-email",
     "Skriv en gyldig e-mailadresse, fx navn@kommune.dk."),
    ({"participants-0-name": "", "participants-0-email": "anne@kommune.test"}, "participants-0-name",
     "Skriv deltagerens navn."),
])
def test_booking_bad_input_is_shown_at_the_field_and_nothing_is_booked(app, project, data, field, message):
    response = _kommune_client(app, "Herning").post(f"/workshops/{_event('opstart-40').id}", data=data)

    assert message in page_text(response)
    assert f'id="{field}-error"' in response.get_data(as_text=True) or field == "participants"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0


def test_a_participant_may_book_only_one_opstartsworkshop_and_non_participants_none(app, project):
    herning = _kommune_client(app, "Herning")
    herning.post(f"/workshops/{_event('opstart-40').id}", data=_people("Anne Andersen"))

    second = herning.get(f"/workshops/{_event('opstart-41').id}")
    assert "Kommunen er allerede tilmeldt en opstartsworkshop." in page_text(second)
    bornholm = signed_in(app.test_client(), _outside_user("Bornholm"))
    assert "Kun kommuner, der deltager i projektet, kan tilmelde sig." in page_text(
        bornholm.get(f"/workshops/{_event('opstart-40').id}"))
    assert "Inspirationsworkshop" in page_text(bornholm.get("/workshops"))
    assert "Opstartsworkshop" not in page_text(bornholm.get("/workshops"))


def _outside_user(name: str) -> User:
    """A user of a kommune that is not in the project."""
    user = create_user(email=f"{name.lower()}@bruger.test", name=f"Bruger i {name}", role=Role.KOMMUNE,
                       kommune=get_kommune_by_name(name))
    commit()
    return user


def test_full_event_puts_the_next_on_the_waiting_list_and_a_cancellation_moves_it_in(app, sara, project, mailbox):
    event = _event("opstart-40")
    event.capacity = 2
    commit()
    for name, person in (("Herning", "Anne Andersen"), ("Aarhus", "Carl Clausen"), ("Læsø", "Dorte Dahl")):
        _kommune_client(app, name).post(f"/workshops/{event.id}", data=_people(person))

    assert _statuses(event) == {"Herning": "confirmed", "Aarhus": "confirmed", "Læsø": "waiting"}
    waiting_mail = mailbox.messages_to("dorte@kommune.test")[0]
    assert "står på ventelisten" in waiting_mail.get_body().get_content()
    assert not [part for part in waiting_mail.iter_attachments()]
    mailbox.clear()

    _kommune_client(app, "Herning").post(f"/workshops/{event.id}/afmeld")

    assert _statuses(event) == {"Herning": "cancelled", "Aarhus": "confirmed", "Læsø": "confirmed"}
    (cancelled,) = mailbox.messages_to("anne@kommune.test")
    (cancel_ics,) = [part for part in cancelled.iter_attachments()]
    assert b"METHOD:CANCEL" in cancel_ics.get_payload(decode=True)
    (moved_in,) = mailbox.messages_to("dorte@kommune.test")
    assert moved_in["Subject"].startswith("Du har fået en plads")
    assert [part.get_content_type() for part in moved_in.iter_attachments()] == ["text/calendar"]


def test_the_last_place_booked_from_two_threads_gives_one_booking_and_one_waiting(app, project):
    """Thread A books the last place and holds its transaction open; thread B tries the same place meanwhile.
    B must wait for A's commit and then land on the waiting list: never an overbooked event."""
    event = _event("opstart-40")
    event.capacity = 1
    commit()
    event_id = event.id
    a_booked, results = threading.Event(), {}

    def book(name: str, *, hold: bool) -> None:
        with app.app_context():
            user = _user(f"{name.lower()}@actor.test")
            fresh = db.session.get(WorkshopEvent, event_id)
            try:
                booking = services.book(fresh, kommune=user.kommune, actor=user,
                                        participants=[Participant(f"Deltager {name}", "", f"{name.lower()}@x.test")])
                if hold:
                    a_booked.set()
                    time.sleep(0.5)  # B is now blocked on the event's lock
                commit()
                results[name] = booking.status.value
            finally:
                db.session.remove()

    first = threading.Thread(target=book, args=("Herning",), kwargs={"hold": True})
    first.start()
    assert a_booked.wait(10)
    second = threading.Thread(target=book, args=("Aarhus",), kwargs={"hold": False})
    second.start()
    first.join(20)
    second.join(20)

    assert results == {"Herning": "confirmed", "Aarhus": "waiting"}
    assert _statuses(_event("opstart-40")) == {"Herning": "confirmed", "Aarhus": "waiting"}


def test_staff_see_bookings_and_flag_an_under_booked_opstartsworkshop(app, sara_client, project, clock):
    _kommune_client(app, "Herning").post(f"/workshops/{_event('opstart-40').id}", data=_people("Anne Andersen"))
    clock.set(datetime(2017, 9, 15, 9, 0, tzinfo=COPENHAGEN))  # four days before the deadline of week 40

    rows = {row[0]: row for row in table_rows(sara_client.get("/arrangementer"), "events-table")}

    assert rows["Opstartsworkshop 1 (uge 40) Under 3 kommuner"][4] == "1 af 5"
    page = sara_client.get(f"/arrangementer/{_event('opstart-40').id}")
    assert table_rows(page, "bookings-table")[0][:3] == [
        "Herning", "Tilmeldt", "Anne Andersen (Fastholdelseskonsulent)"]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"ends_at": "2017-10-03T08:00"}, "ends_at", "Arrangementet skal slutte efter, det begynder."),
    ({"booking_deadline_at": "2017-10-04T12:00"}, "booking_deadline_at",
     "Tilmeldingsfristen skal ligge før arrangementet."),
    ({"capacity": "0"}, "capacity", "Tallet skal være mindst 1."),
])
def test_event_bad_input_is_shown_at_the_field(sara_client, project, changes, field, message):
    data = {"kind": "opstart", "title": "Ekstra workshop", "starts_at": "2017-10-03T09:00",
            "ends_at": "2017-10-03T15:00", "place": "København", "amk": "", "audience": "participants",
            "capacity": "5", "seats_per_kommune": "3", "booking_deadline_at": "2017-09-26T12:00", "description": "",
            **changes}

    response = sara_client.post("/arrangementer/nyt", data=data)

    assert f'id="{field}-error"' in response.get_data(as_text=True) and message in page_text(response)


@pytest.mark.parametrize("path", ["/arrangementer", "/arrangementer/nyt"])
def test_staff_workshop_pages_have_language_skip_link_landmarks_one_h1_and_labelled_controls(sara_client, project,
                                                                                            path):
    assert page_structure(sara_client.get(path)).problems() == []


def test_kommune_workshop_page_has_language_skip_link_landmarks_one_h1_and_labelled_controls(app, project):
    page = _kommune_client(app, "Herning").get(f"/workshops/{_event('opstart-40').id}")

    assert page_structure(page).problems() == []


def test_staff_see_which_participating_kommuner_have_not_booked_their_opstartsworkshop(app, sara_client, project):
    _kommune_client(app, "Herning").post(f"/workshops/{_event('opstart-40').id}", data=_people("Anne Andersen"))

    page = page_text(sara_client.get("/arrangementer"))

    assert "Mangler tilmelding til opstartsworkshop: Læsø, Vejle, Aarhus." in page
    assert "Mangler tilmelding til afslutningsseminar: Herning, Læsø, Vejle, Aarhus." in page


def test_reminders_go_once_to_bookings_of_events_within_three_days(app, sara_client, project, clock, mailbox):
    _kommune_client(app, "Herning").post(f"/workshops/{_event('opstart-40').id}", data=_people("Anne Andersen"))
    mailbox.clear()
    clock.set(datetime(2017, 9, 30, 10, 0, tzinfo=COPENHAGEN))  # the workshop is on Tuesday 3 October

    sara_client.post("/arrangementer/paamind")
    result = CliRunner().invoke(app.cli, ["workshops", "reminders"], catch_exceptions=False)

    assert result.output == "Reminded: 0.\n"
    assert sorted(message["To"] for message in mailbox.messages) == ["anne@kommune.test"]
    (reminder,) = mailbox.messages
    assert reminder["Subject"] == "Påmindelse: Opstartsworkshop 1 (uge 40) – Herning Kommune"
    assert [part.get_content_type() for part in reminder.iter_attachments()] == ["text/calendar"]


def test_attendance_is_recorded_after_the_event_has_begun(app, sara_client, project, clock):
    event = _event("opstart-40")
    for name, person in (("Herning", "Anne Andersen"), ("Aarhus", "Carl Clausen")):
        _kommune_client(app, name).post(f"/workshops/{event.id}", data=_people(person))
    herning = next(booking for booking in _event("opstart-40").bookings if booking.kommune.name == "Herning")

    early = sara_client.post(f"/arrangementer/{event.id}/fremmoede", data={"attended": [herning.id]},
                             follow_redirects=True)
    assert "Fremmødet kan registreres, når arrangementet er begyndt." in page_text(early)
    clock.set(datetime(2017, 10, 3, 16, 0, tzinfo=COPENHAGEN))

    sara_client.post(f"/arrangementer/{event.id}/fremmoede", data={"attended": [herning.id]})

    assert {booking.kommune.name: booking.attended for booking in _event("opstart-40").bookings} == {
        "Herning": True, "Aarhus": False}


def test_participant_list_pdf_and_export_name_everyone_booked(app, sara_client, project):
    event = _event("opstart-40")
    _kommune_client(app, "Herning").post(f"/workshops/{event.id}", data=_people("Anne Andersen", "Bo Bech"))
    _kommune_client(app, "Læsø").post(f"/workshops/{event.id}", data=_people("Dorte Dahl"))

    pdf = sara_client.get(f"/arrangementer/{event.id}/deltagerliste.pdf")
    csv_file = sara_client.get("/arrangementer/deltagere.csv")

    text = pdf_text(pdf.data)
    assert ["Anne Andersen" in text, "Dorte Dahl" in text, "Læsø" in text, "tirsdag 3. oktober 2017" in text] == \
        [True] * 4
    header, *rows = list(csv.reader(io.StringIO(csv_file.data.decode("utf-8-sig")), delimiter=";"))
    assert [(row[header.index("Kommune")], row[header.index("Navn")]) for row in rows] == [
        ("Herning", "Anne Andersen"), ("Herning", "Bo Bech"), ("Læsø", "Dorte Dahl")]


# --- sparringsbesøg -------------------------------------------------------------------------------------------------

SPARRING = {"first": "2017-11-07T10:00", "second": "2017-11-14T13:00", "third": "",
            "manager_name": "Mette Madsen", "manager_email": "mette.madsen@herning.dk", "note": "Helst om formiddagen."}


def test_kommune_proposes_sparring_times_and_the_agency_confirms_one(app, sara_client, project, mailbox):
    herning = _kommune_client(app, "Herning")

    response = herning.post("/workshops/sparring", data=SPARRING)

    assert response.headers["Location"] == "/workshops/sparring"
    (told,) = mailbox.messages
    assert (told["To"], told["Subject"]) == ("fastholdelse@star.dk", "Forslag til sparringsbesøg: Herning Kommune")
    assert "tirsdag 14. november 2017 kl. 13.00" in told.get_body().get_content()
    mailbox.clear()
    (proposal,) = db.session.scalars(sa.select(SparringRequest))

    sara_client.post(f"/arrangementer/sparring/{proposal.id}", data={"chosen": "1", "place": "Jobcenter Herning"})

    event = db.session.scalar(sa.select(WorkshopEvent).where(WorkshopEvent.kind == EventKind.SPARRING))
    assert (event.title, event.starts_at, event.place) == (
        "Sparringsbesøg i Herning", datetime(2017, 11, 14, 13, 0, tzinfo=COPENHAGEN), "Jobcenter Herning")
    assert [(booking.kommune.name, booking.status.value, booking.participants[0]["email"])
            for booking in event.bookings] == [("Herning", "confirmed", "mette.madsen@herning.dk")]
    (invitation,) = mailbox.messages_to("mette.madsen@herning.dk")
    assert [part.get_content_type() for part in invitation.iter_attachments()] == ["text/calendar"]
    assert "Besøget er bekræftet: tirsdag 14. november 2017 kl. 13.00" in page_text(herning.get("/workshops/sparring"))
    again = herning.post("/workshops/sparring", data=SPARRING)
    assert "Styrelsen har allerede bekræftet en tid for sparringsbesøget." in page_text(again)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"first": "2018-05-01T10:00"}, "dates", None),
    ({"manager_name": ""}, "manager_name", "Skriv navnet på den ansvarlige leder."),
    ({"manager_email": "mette"}, "manager_email", "Skriv en gyldig e-mailadresse, fx navn@kommune.dk."),
])
def test_sparring_proposal_bad_input_is_shown_and_nothing_is_stored(app, project, changes, field, message):
    response = _kommune_client(app, "Herning").post("/workshops/sparring", data={**SPARRING, **changes})

    text = page_text(response)
    assert (message or "Tiderne skal ligge i fremtiden og mellem 1. oktober 2017 og 31. marts 2018.") in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SparringRequest)) == 0


def test_sparring_is_for_participating_kommuner_only(app, project):
    bornholm = signed_in(app.test_client(), _outside_user("Bornholm"))

    assert "Sparringsbesøg er for kommuner, der deltager i projektet." in page_text(bornholm.get("/workshops/sparring"))


def test_sparring_pages_have_language_skip_link_landmarks_one_h1_and_labelled_controls(app, sara_client, project):
    herning = _kommune_client(app, "Herning")
    herning.post("/workshops/sparring", data=SPARRING)
    (proposal,) = db.session.scalars(sa.select(SparringRequest))

    problems = [page_structure(herning.get("/workshops/sparring")).problems(),
                page_structure(sara_client.get(f"/arrangementer/sparring/{proposal.id}")).problems()]

    assert problems == [[], []]


def test_kommune_workshop_list_query_count_does_not_grow_with_events(app, sara, project):
    herning = _kommune_client(app, "Herning")
    herning.get("/workshops")
    with_all = queries_for(herning, "/workshops")
    for event in services.list_events(get_pool())[3:]:
        db.session.delete(event)
    commit()

    with_three = queries_for(herning, "/workshops")

    assert with_three == with_all
