"""Three kommuner fill an opstartsworkshop, a fourth lands on its waiting list and moves in when one cancels and
books another date; Bornholm, outside the project, books an inspirationsworkshop; the .ics invitations arrive."""
from datetime import datetime

from icalendar import Calendar
from playwright.sync_api import expect

from portal.auth.enums import Role
from portal.clock import COPENHAGEN
from portal.pulje.services import get_pool
from portal.transaction import commit
from portal.workshops.services import generate_standard_series
from tests.support.browser import log_in, menu, status
from tests.support.grants import participating

AFTER_GRANTS = datetime(2017, 8, 28, 10, 0, tzinfo=COPENHAGEN)
WEEK_40, WEEK_41 = "Opstartsworkshop 1 (uge 40)", "Opstartsworkshop 2 (uge 41)"
WEEK_40_START = datetime(2017, 10, 3, 9, 30, tzinfo=COPENHAGEN)
WEEK_41_START = datetime(2017, 10, 10, 9, 30, tzinfo=COPENHAGEN)
INSPIRATION = "Inspirationsworkshop 13. februar 2018"
INSPIRATION_START = datetime(2018, 2, 13, 9, 0, tzinfo=COPENHAGEN)
INSPIRATION_DATES = [f"Inspirationsworkshop 13. {month} 2018" for month in
                     ("februar", "april", "juni", "august", "oktober")]
BOOKED = "Kommunen er tilmeldt. Invitationen er sendt til deltagerne."
WAITING = "Arrangementet er fuldt. Kommunen står på ventelisten og får besked, hvis en plads bliver ledig."
# The browser users (with passwords) and the one participant each kommune names.
USERS = {"Herning": "hanne.holm@herning.dk", "Aarhus": "anders.aagaard@aarhus.dk", "Læsø": "lars.lund@laesoe.dk",
         "Vejle": "vibeke.vind@vejle.dk", "Bornholm": "birgit.bech@brk.dk", "Odsherred": "ole.olsen@odsherred.dk"}
PEOPLE = {"Herning": ("Anne Andersen", "anne.andersen@herning.dk"), "Aarhus": ("Bent Berg", "bent.berg@aarhus.dk"),
          "Læsø": ("Dorte Dahl", "dorte.dahl@laesoe.dk"), "Vejle": ("Erik Ebbesen", "erik.ebbesen@vejle.dk"),
          "Bornholm": ("Frida Friis", "frida.friis@brk.dk")}
HEADINGS = {"Bornholm": "Bornholms Regionskommune"}


def _kommune_page(new_page, kommune: str):
    page = new_page()
    log_in(page, USERS[kommune], HEADINGS.get(kommune, f"{kommune} Kommune"))
    return page


def _workshops(page) -> None:
    """The kommune's list of workshops and meetings, through the main menu."""
    menu(page, "Workshops")
    expect(page.get_by_role("heading", level=1)).to_have_text("Workshops og møder")


def _event_rows(page) -> dict[str, list[str]]:
    """The kommune's or the staff's table of events: title -> the row's cells."""
    table = page.get_by_role("table", name="Arrangementer")
    rows = [[" ".join(cell.split()) for cell in row.get_by_role("cell").all_inner_texts()]
            for row in table.locator("tbody tr").all()]
    return {row[0]: row for row in rows}


def _open(page, title: str) -> None:
    page.get_by_role("table", name="Arrangementer").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def _book(page, kommune: str, *, heading: str, outcome: str) -> None:
    """On an event's page: name the kommune's participant as Deltager 1 and click Tilmeld."""
    expect(page.get_by_role("heading", level=2)).to_have_text(heading)
    name, email = PEOPLE[kommune]
    person = page.get_by_role("group", name="Deltager 1", exact=True)
    person.get_by_label("Navn", exact=True).fill(name)
    person.get_by_label("Stilling").fill("Fastholdelseskonsulent")
    person.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_role("button", name="Tilmeld", exact=True).click()
    expect(status(page, outcome)).to_have_text(outcome)


def _calendars(message) -> list[Calendar]:
    return [Calendar.from_ical(part.get_payload(decode=True)) for part in message.iter_attachments()
            if part.get_content_type() == "text/calendar"]


def _invitation(message) -> tuple[str, str, datetime, str, int]:
    """The one calendar attachment's METHOD, SUMMARY, DTSTART, UID and SEQUENCE."""
    [calendar] = _calendars(message)
    [event] = calendar.walk("VEVENT")
    return (str(calendar["METHOD"]), str(event["SUMMARY"]), event["DTSTART"].dt, str(event["UID"]),
            int(event["SEQUENCE"]))


def test_opstart_fills_waiting_list_moves_in_bornholm_books_inspiration_and_ics_arrive(
        page, new_page, make_user, mailbox, clock):
    # Four kommuner in the project (grant letters issued), the standard series made, through the services.
    sara = make_user(Role.SAGSBEHANDLER, email="sara@star.test", name="Sara Sagsbehandler")
    participating(clock, sara, "Herning", "Aarhus", "Læsø", "Vejle", after_deadline=AFTER_GRANTS)
    generate_standard_series(get_pool(), actor=sara)
    commit()
    for kommune, email in USERS.items():
        make_user(Role.KOMMUNE, kommune=kommune, email=email, name=f"Bruger i {kommune}")
    mailbox.clear()  # the receipts and the grant letters

    # Sara lowers week 40 to three kommuner, so a fourth will wait.
    log_in(page, sara.email, "Overblik")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Arrangementer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workshops og møder")
    assert _event_rows(page)[WEEK_40][4] == "0 af 5"
    _open(page, WEEK_40)
    page.get_by_label("Antal kommuner").fill("3")
    page.get_by_role("button", name="Gem", exact=True).click()
    expect(status(page, "er gemt")).to_have_text(f"Arrangementet \u201d{WEEK_40}\u201d er gemt.")
    expect(page.get_by_label("Antal kommuner")).to_have_value("3")

    # Herning, Aarhus and Læsø each book week 40 for one participant.
    kommune_pages = {}
    for kommune in ("Herning", "Aarhus", "Læsø"):
        kommune_pages[kommune] = booker = _kommune_page(new_page, kommune)
        _workshops(booker)
        _open(booker, WEEK_40)
        _book(booker, kommune, heading="Tilmeld kommunen", outcome=BOOKED)
        expect(booker.locator(".event-facts")).to_contain_text("Tilmeldt")
    expect(booker.locator(".event-facts")).to_contain_text("0 ledige af 3")

    # Vejle finds week 40 full and goes on the waiting list.
    vejle = _kommune_page(new_page, "Vejle")
    _workshops(vejle)
    assert _event_rows(vejle)[WEEK_40][2:] == ["0 ledige af 3", "Ikke tilmeldt"]
    _open(vejle, WEEK_40)
    _book(vejle, "Vejle", heading="Skriv kommunen på ventelisten", outcome=WAITING)
    expect(vejle.locator(".event-facts")).to_contain_text("På venteliste")
    # While it waits for week 40, Vejle cannot take another opstartsworkshop.
    _workshops(vejle)
    assert [title for title in _event_rows(vejle) if title.startswith("Opstart")] == [WEEK_40]
    assert _event_rows(vejle)[WEEK_40][3] == "På venteliste"
    page.get_by_role("link", name="Alle arrangementer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workshops og møder")
    assert _event_rows(page)[WEEK_40][4:6] == ["3 af 3", "1"]

    # Læsø cancels week 40: Vejle moves in. Læsø books week 41 instead.
    laesoe = kommune_pages["Læsø"]
    laesoe.get_by_role("button", name="Afmeld kommunen").click()
    expect(status(laesoe, "Kommunen er afmeldt")).to_have_text("Kommunen er afmeldt. Deltagerne har fået besked.")
    _workshops(laesoe)
    assert _event_rows(laesoe)[WEEK_41][2:] == ["5 ledige af 5", "Ikke tilmeldt"]
    _open(laesoe, WEEK_41)
    _book(laesoe, "Læsø", heading="Tilmeld kommunen", outcome=BOOKED)
    _workshops(laesoe)
    assert [(title, row[3]) for title, row in _event_rows(laesoe).items() if title.startswith("Opstart")] == [
        (WEEK_41, "Tilmeldt")]
    vejle.reload()
    assert _event_rows(vejle)[WEEK_40][2:] == ["0 ledige af 3", "Tilmeldt"]

    # The staff see three kommuner on week 40, Vejle among them, none waiting; Læsø on week 41.
    page.reload()
    rows = _event_rows(page)
    assert [rows[WEEK_40][4:6], rows[WEEK_41][4:6]] == [["3 af 3", "0"], ["1 af 5", "0"]]
    _open(page, WEEK_40)
    bookings = page.get_by_role("table", name="Tilmeldinger").locator("tbody tr")
    expect(bookings.locator("td:nth-child(1)")).to_have_text(["Herning", "Aarhus", "Vejle"])
    expect(bookings.locator("td:nth-child(2)")).to_have_text(["Tilmeldt"] * 3)

    # Bornholm, outside the project, is offered the inspirationsworkshops only, and books one date.
    bornholm = _kommune_page(new_page, "Bornholm")
    _workshops(bornholm)
    assert list(_event_rows(bornholm)) == INSPIRATION_DATES
    assert _event_rows(bornholm)[INSPIRATION][2] == "1 ledige af 1"
    _open(bornholm, INSPIRATION)
    _book(bornholm, "Bornholm", heading="Tilmeld kommunen", outcome=BOOKED)
    _workshops(bornholm)
    assert [row[2:] for row in _event_rows(bornholm).values()] == [["0 ledige af 1", "Tilmeldt"]]

    # Odsherred, outside the project too, finds that date taken.
    odsherred = _kommune_page(new_page, "Odsherred")
    _workshops(odsherred)
    assert _event_rows(odsherred)[INSPIRATION][2:] == ["0 ledige af 1", "Ikke tilmeldt"]
    _open(odsherred, INSPIRATION)
    expect(odsherred.get_by_role("heading", level=2)).to_have_text("Skriv kommunen på ventelisten")

    # The mail: each participant and each booking user got the invitation as an .ics.
    for kommune in ("Herning", "Aarhus"):
        for recipient in (PEOPLE[kommune][1], USERS[kommune]):
            [mail] = mailbox.messages_to(recipient)
            assert mail["Subject"] == f"Tilmelding: {WEEK_40} – {kommune} Kommune"
            assert _invitation(mail)[:3] == ("REQUEST", WEEK_40, WEEK_40_START)
    # Læsø's participant: the invitation to week 40, its cancellation (same UID, higher SEQUENCE), week 41's.
    booked_40, cancelled_40, booked_41 = mailbox.messages_to(PEOPLE["Læsø"][1])
    assert [booked_40["Subject"], cancelled_40["Subject"], booked_41["Subject"]] == [
        f"Tilmelding: {WEEK_40} – Læsø Kommune", f"Afmeldt: {WEEK_40} – Læsø Kommune",
        f"Tilmelding: {WEEK_41} – Læsø Kommune"]
    method, summary, start, uid, sequence = _invitation(booked_40)
    assert (method, summary, start) == ("REQUEST", WEEK_40, WEEK_40_START)
    assert _invitation(cancelled_40) == ("CANCEL", WEEK_40, WEEK_40_START, uid, sequence + 1)
    assert _invitation(booked_41)[:3] == ("REQUEST", WEEK_41, WEEK_41_START)
    # Vejle's participant: the waiting-list notice without a calendar, then the place with the invitation.
    waiting, moved_in = mailbox.messages_to(PEOPLE["Vejle"][1])
    assert waiting["Subject"] == f"Tilmelding: {WEEK_40} – Vejle Kommune"
    assert "står på ventelisten" in waiting.get_body().get_content() and _calendars(waiting) == []
    assert moved_in["Subject"] == f"Du har fået en plads: {WEEK_40} – Vejle Kommune"
    assert "er nu tilmeldt" in moved_in.get_body().get_content()
    assert _invitation(moved_in)[:3] == ("REQUEST", WEEK_40, WEEK_40_START)
    # Bornholm's participant: the inspirationsworkshop.
    [inspiration] = mailbox.messages_to(PEOPLE["Bornholm"][1])
    assert inspiration["Subject"] == f"Tilmelding: {INSPIRATION} – Bornholms Regionskommune"
    assert _invitation(inspiration)[:3] == ("REQUEST", INSPIRATION, INSPIRATION_START)
    assert mailbox.messages_to(USERS["Odsherred"]) == []
