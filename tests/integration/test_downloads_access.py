"""Every file the portal hands out, asked for by every role with real objects of other kommuner present.

Herning and Aarhus take part (grants accepted, reports planned, Herning booked on a workshop); Vejle was
rejected and has its rejection letter. A kommune user asking for another kommune's file gets 404 and never
its bytes; files on the agency's pages are refused a kommune user (403) whoever they belong to; staff get
every file; anonymous visitors are sent to log in. Walking the identifiers around the real ones finds only
the user's own kommune's objects.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pytest
import sqlalchemy as sa

from portal.allocation.services import confirm_allocation
from portal.applications.models import Application
from portal.auth.enums import Role
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.grants.services import accept_grant, create_drafts, issue_all
from portal.outbox.models import OutboxAttachment
from portal.pulje.services import get_pool
from portal.reports.services import list_reports_of
from portal.review.enums import Decision
from portal.review.selection import confirm_selection, decide, final_decision_of, list_candidates
from portal.transaction import commit
from portal.workshops.models import WorkshopEvent
from portal.workshops.rules import Participant
from portal.workshops.services import book, generate_standard_series
from tests.support.applications import submitted_applications
from tests.support.documents import pdf_text
from tests.support.reports import grant_of, report_of, user_of
from tests.support.sessions import signed_in, staff_user

AFTER_ALLOCATION = datetime(2017, 8, 28, 10, 0, tzinfo=COPENHAGEN)
Q4 = "Aktivitetsrapport for 4. kvartal 2017"
KOMMUNER = ("Herning", "Aarhus", "Vejle")
ANON, SAGSBEHANDLER, ADMIN = "anonymous", "sagsbehandler", "admin"
ROLES = (ANON, *KOMMUNER, SAGSBEHANDLER, ADMIN)
LOGIN = "login"  # a redirect to the login page
PDF = "application/pdf"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAFF_FILE = {ANON: LOGIN, "Herning": 403, "Aarhus": 403, "Vejle": 403, SAGSBEHANDLER: 200, ADMIN: 200}


def kommune_file(owner: str) -> dict:
    """A file on the kommune's own pages: the owner gets it, other kommuner 404, staff use their pages (403)."""
    return {ANON: LOGIN, **{name: 200 if name == owner else 404 for name in KOMMUNER}, SAGSBEHANDLER: 403,
            ADMIN: 403}


@dataclass
class World:
    applications: dict[str, Application]
    report_ids: dict[str, set[int]]
    files: dict[str, bytes] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def world(app, clock, sara, mailbox) -> World:
    applications = submitted_applications(*KOMMUNER)
    clock.set(AFTER_ALLOCATION)
    pool = get_pool()
    pool.min_participants = 2
    rows = list_candidates(pool, viewer=sara)
    decide(rows, actor=sara, decisions={row.application.id: (Decision.REJECTED, "Færre point.")
                                        if row.kommune.name == "Vejle" else (Decision.SELECTED, "") for row in rows})
    confirm_selection(pool, list_candidates(pool, viewer=sara), actor=sara)
    confirm_allocation(pool, actor=sara)
    create_drafts(pool, actor=sara)
    issue_all(pool, actor=sara)
    for name in ("Herning", "Aarhus"):
        accept_grant(grant_of(name), actor=user_of(name))
    generate_standard_series(pool, actor=sara)
    event = db.session.scalar(sa.select(WorkshopEvent).where(WorkshopEvent.series_key == "opstart-40"))
    book(event, kommune=applications["Herning"].kommune, actor=user_of("Herning"),
         participants=[Participant("Anne Andersen", "Fastholdelseskonsulent", "anne@herning.test")])
    commit()
    mailbox.clear()

    herning, vejle = applications["Herning"], applications["Vejle"]
    report = report_of(grant_of("Herning"), Q4)
    invitation = db.session.scalar(sa.select(OutboxAttachment).order_by(OutboxAttachment.id).limit(1)
                                   .where(OutboxAttachment.content_type.like("text/calendar%")))
    world = World(applications=applications, report_ids={name: {item.id for item in list_reports_of(grant_of(name))}
                                                         for name in ("Herning", "Aarhus")})
    world.files = {"receipt": herning.submissions[0].receipt_pdf, "rejection": final_decision_of(vejle).letter_pdf,
                   "letter": grant_of("Herning").letters[0].pdf, "letter-aarhus": grant_of("Aarhus").letters[0].pdf,
                   "invitation": invitation.data}
    world.urls = {"herning": str(herning.id), "vejle": str(vejle.id), "grant": str(grant_of("Herning").id),
                  "report": str(report.id), "event": str(event.id),
                  "attachment": f"{invitation.message_id}/bilag/{invitation.id}"}
    return world


# name -> (url, answers per role, mimetype, the kept file it must be byte for byte, or None when made on request)
DOWNLOADS = {
    "kvittering (Herning)": ("/ansoegning/{herning}/kvittering/1.pdf", kommune_file("Herning"), PDF, "receipt"),
    "afslag (Vejle)": ("/ansoegning/{vejle}/afslag.pdf", kommune_file("Vejle"), PDF, "rejection"),
    "rapport (Herning)": ("/rapporter/{report}.pdf", kommune_file("Herning"), PDF, None),
    # The kommune's grant letter has no id in its address: each kommune gets its own, a rejected one none.
    "mit tilsagn": ("/mit-tilsagn/1.pdf", {**kommune_file("Herning"), "Aarhus": 200}, PDF, "letter"),
    "indsendelse (Herning)": ("/ansoegninger/{herning}/indsendelse/1.pdf", STAFF_FILE, PDF, "receipt"),
    "afslag, styrelsen (Vejle)": ("/udvaelgelse/afslag/{vejle}.pdf", STAFF_FILE, PDF, "rejection"),
    "tilsagnsbrev (Herning)": ("/tilsagn/{grant}/version/1.pdf", STAFF_FILE, PDF, "letter"),
    "rapport, styrelsen (Herning)": ("/rapportering/{report}.pdf", STAFF_FILE, PDF, None),
    "deltagerliste": ("/arrangementer/{event}/deltagerliste.pdf", STAFF_FILE, PDF, None),
    "kalenderinvitation (Herning)": ("/udbakke/{attachment}", STAFF_FILE, "text/calendar", "invitation"),
    "midtvejsstatus": ("/succeskriterier/midtvejsstatus.pdf", STAFF_FILE, PDF, None),
    **{f"{area} {kind}": (f"{path}.{kind}", STAFF_FILE, CSV if kind == "csv" else XLSX, None)
       for area, path in (("ansøgninger", "/ansoegninger/eksport"), ("point", "/bedoemmelse/eksport"),
                          ("udvælgelse", "/udvaelgelse/eksport"), ("fordeling", "/fordeling/eksport"),
                          ("tilsagn", "/tilsagn/eksport"), ("deltagere", "/arrangementer/deltagere"),
                          ("rapportering", "/rapportering/eksport"), ("succeskriterier", "/succeskriterier/maal"))
       for kind in ("csv", "xlsx")},
}


def _clients(app) -> dict:
    clients = {ANON: app.test_client(), SAGSBEHANDLER: signed_in(app.test_client(), user_of_staff(Role.SAGSBEHANDLER)),
               ADMIN: signed_in(app.test_client(), user_of_staff(Role.ADMIN))}
    return clients | {name: signed_in(app.test_client(), user_of(name)) for name in KOMMUNER}


def user_of_staff(role: Role):
    return staff_user(role, f"{role.value}@downloads.test", f"Test {role.label}")


def _answer(response) -> str | int:
    if response.status_code == 302 and response.headers["Location"].startswith("/log-ind?next="):
        return LOGIN
    return response.status_code


def _download_answers(app, world: World) -> tuple[dict, dict, list]:
    """Each download asked for by each role: the answers, files that came out wrong, refusals that held a file."""
    clients = _clients(app)
    kept = list(world.files.values())
    answers, wrong_files, leaks = {}, {}, []
    for name, (url, _, mimetype, kept_as) in DOWNLOADS.items():
        for role in ROLES:
            response = clients[role].get(url.format(**world.urls))
            answers[name, role] = _answer(response)
            if response.status_code == 200:
                own = "letter-aarhus" if (name, role) == ("mit tilsagn", "Aarhus") else kept_as
                if response.mimetype != mimetype or (own is not None and response.data != world.files[own]) or \
                        "attachment" not in response.headers.get("Content-Disposition", ""):
                    wrong_files[name, role] = (response.content_type, len(response.data))
            elif any(item in response.data for item in kept) or \
                    response.data.startswith((b"%PDF", b"PK", b"BEGIN:VCALENDAR")):
                leaks.append((name, role))
    return answers, wrong_files, leaks


# Kommune-side addresses with an identifier in them (each kommune page of an application is in test_permissions).
APPLICATION_URLS = ("/ansoegning/{id}", "/ansoegning/{id}/kvittering/1.pdf", "/ansoegning/{id}/afslag.pdf")
REPORT_URLS = ("/rapporter/{id}", "/rapporter/{id}.pdf")
LETTER_URLS = ("/mit-tilsagn/{id}.pdf",)
# A participant among another participant's and a rejected kommune's objects, and the rejected kommune among theirs.
WALKERS = ("Herning", "Vejle")


def _around(ids) -> range:
    """Every identifier from a little below the lowest real one to a little above the highest."""
    return range(max(1, min(ids) - 3), max(ids) + 4)


def _walk(app, world: World) -> dict[tuple[str, str], set[int]]:
    """(kommune, address) -> the identifiers around the real ones that answer anything but 404."""
    application_ids = {application.id for application in world.applications.values()}
    report_ids = set().union(*world.report_ids.values())
    ranges = {APPLICATION_URLS: _around(application_ids), REPORT_URLS: _around(report_ids), LETTER_URLS: range(0, 5)}
    found = {}
    for name in WALKERS:
        client = signed_in(app.test_client(), user_of(name))
        for urls, ids in ranges.items():
            for url in urls:
                found[name, url] = {number for number in ids if client.get(url.format(id=number)).status_code != 404}
    return found


# One test for both, as both need the whole project built: the files by role, then the guessed identifiers.
def test_files_and_guessed_identifiers_reach_only_their_own_kommune_and_the_agency(app, world):
    answers, wrong_files, leaks = _download_answers(app, world)
    found = _walk(app, world)

    assert answers == {(name, role): expected[role] for name, (_, expected, _, _) in DOWNLOADS.items()
                       for role in ROLES}
    assert (wrong_files, leaks) == ({}, [])
    report = pdf_text(signed_in(app.test_client(), user_of("Herning")).get(
        "/rapporter/{report}.pdf".format(**world.urls)).data)
    assert ("Herning" in report, "Aarhus" in report, Q4 in report) == (True, False, True)
    own = {name: {world.applications[name].id} for name in WALKERS}
    assert found == {
        ("Herning", "/ansoegning/{id}"): own["Herning"], ("Vejle", "/ansoegning/{id}"): own["Vejle"],
        ("Herning", "/ansoegning/{id}/kvittering/1.pdf"): own["Herning"],
        ("Vejle", "/ansoegning/{id}/kvittering/1.pdf"): own["Vejle"],
        ("Herning", "/ansoegning/{id}/afslag.pdf"): set(), ("Vejle", "/ansoegning/{id}/afslag.pdf"): own["Vejle"],
        ("Herning", "/rapporter/{id}"): world.report_ids["Herning"], ("Vejle", "/rapporter/{id}"): set(),
        ("Herning", "/rapporter/{id}.pdf"): world.report_ids["Herning"], ("Vejle", "/rapporter/{id}.pdf"): set(),
        ("Herning", "/mit-tilsagn/{id}.pdf"): {1}, ("Vejle", "/mit-tilsagn/{id}.pdf"): set(),
    }
