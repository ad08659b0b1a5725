"""Change requests through the pages: a kommune asks to move money between years or categories, staff decide."""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from portal.allocation.services import confirm_allocation
from portal.audit.models import AuditEvent
from portal.auth.enums import Role
from portal.auth.models import User
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.grants.models import ChangeRequest, Grant
from portal.pulje.services import get_pool
from portal.review.enums import Decision
from portal.review.selection import confirm_selection, decide, list_candidates
from portal.transaction import commit
from tests.support.applications import submitted_applications
from tests.support.documents import pdf_text
from tests.support.html import page_structure, page_text, table_rows
from tests.support.sessions import signed_in

AFTER_ALLOCATION = datetime(2017, 8, 28, 10, 0, tzinfo=COPENHAGEN)
LATER = datetime(2017, 10, 2, 9, 0, tzinfo=COPENHAGEN)
FAST, KOMP = "fastholdelseskonsulenter", "kompetenceudvikling"
REASON = "Vi ansætter rådgiverne et kvartal tidligere end planlagt."
# Herning's split now: 200.000 kr. in 2017 and 600.000 kr. in 2018, all for fastholdelseskonsulenter.
CURRENT = {"amount_2017_fastholdelseskonsulenter": "200.000", "amount_2017_kompetenceudvikling": "0",
           "amount_2018_fastholdelseskonsulenter": "600.000", "amount_2018_kompetenceudvikling": "0"}
# 50.000 kr. moved from 2018 to 2017.
EARLIER = {**CURRENT, "amount_2017_fastholdelseskonsulenter": "250.000",
           "amount_2018_fastholdelseskonsulenter": "550.000", "reason": REASON}


def _kommune_client(app, email: str):
    return signed_in(app.test_client(), db.session.scalar(sa.select(User).where(User.email == email)))


@pytest.fixture
def accepted(app, clock, sara, sara_client, mailbox):
    """Herning, Aarhus and Læsø granted 800.000 kr. each (200.000 in 2017, 600.000 in 2018), issued; Herning has
    accepted, so its payments are planned: 200.000 kr. due 28 August 2017 and 600.000 kr. on 1 January 2018."""
    submitted_applications("Herning", "Aarhus", "Læsø")
    clock.set(AFTER_ALLOCATION)
    pool = get_pool()
    pool.min_participants = 2
    rows = list_candidates(pool, viewer=sara)
    decide(rows, actor=sara, decisions={row.application.id: (Decision.SELECTED, "") for row in rows})
    confirm_selection(pool, list_candidates(pool, viewer=sara), actor=sara)
    confirm_allocation(pool, actor=sara)
    commit()
    sara_client.post("/tilsagn/udkast")
    sara_client.post("/tilsagn/udsted-alle")
    _kommune_client(app, "herning@actor.test").post("/mit-tilsagn/accepter", data={"confirmed": "y"})
    assert _grant("Herning").status.value == "accepted"
    clock.set(LATER)
    mailbox.clear()


@pytest.fixture
def herning(app, accepted):
    return _kommune_client(app, "herning@actor.test")


def _grant(name: str) -> Grant:
    db.session.expire_all()
    return next(grant for grant in db.session.scalars(sa.select(Grant)) if grant.kommune.name == name)


def _changes() -> list[ChangeRequest]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ChangeRequest).order_by(ChangeRequest.id)))


def _mark_2017_paid() -> None:
    """What the caseworker's 'paid' marking leaves on the row, set directly."""
    payment = next(payment for payment in _grant("Herning").payments if payment.year == 2017)
    sara = db.session.scalar(sa.select(User).where(User.email == "sara@star.test"))
    payment.paid_on, payment.marked_at, payment.marked_by_id = date(2017, 9, 1), LATER, sara.id
    commit()


def _payments(grant: Grant) -> list[tuple]:
    return sorted((payment.year, payment.due_on, payment.amount_kr, payment.paid_on) for payment in grant.payments)


def _input_value(html: str, name: str) -> str:
    """The value a text input shows (WTForms writes its attributes in alphabetical order)."""
    (value,) = re.findall(rf'<input [^>]*\bname="{name}"[^>]*\bvalue="([^"]*)"', html)
    return value


def _decide_url(change: ChangeRequest) -> str:
    return f"/tilsagn/{change.grant_id}/aendring/{change.id}"


def test_request_form_is_prefilled_with_the_split_now(herning):
    response = herning.get("/mit-tilsagn/aendring")

    html = response.get_data(as_text=True)
    assert {name: _input_value(html, name) for name in CURRENT} == CURRENT
    assert "Nu: 200.000 kr." in page_text(response)


def test_request_moving_money_to_an_earlier_year_waits_for_the_agency(herning, mailbox):
    response = herning.post("/mit-tilsagn/aendring", data=EARLIER)

    assert response.headers["Location"] == "/mit-tilsagn/aendring"
    (change,) = _changes()
    assert (change.status.value, change.reason, change.requested_at, change.requested_by.email) == (
        "pending", REASON, LATER, "herning@actor.test")
    assert change.requested_split == [[2017, FAST, 250_000], [2018, FAST, 550_000]]
    assert change.previous_split == [[2017, FAST, 200_000], [2018, FAST, 600_000]]
    assert _grant("Herning").split == change.previous_split  # nothing changes before the decision
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "grant.change_requested"))
    assert (event.actor_label, event.after["split"]) == ("herning@actor.test", change.requested_split)
    (told,) = mailbox.messages
    assert (told["To"], told["Subject"]) == (
        "fastholdelse@star.dk", "Tilsagn nr. 16/17959-01: Herning Kommune beder om at flytte penge")
    body = told.get_body().get_content()
    assert "- 2017, Fastholdelseskonsulenter: 200.000 kr. → 250.000 kr." in body
    assert f"http://portal.test/tilsagn/{change.grant_id}/aendring/{change.id}" in body


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"amount_2017_fastholdelseskonsulenter": "300.000"}, "split",
     "Ændringen skal holde tilskuddet på 800.000 kr.; den nye fordeling er på 850.000 kr."),
    ({"amount_2018_fastholdelseskonsulenter": "650.000", "amount_2018_kompetenceudvikling": "-50.000"},
     "amount_2018_kompetenceudvikling", "Beløbet til kompetenceudvikling i 2018 kan ikke være negativt (-50.000 kr.)"),
    ({"amount_2018_kompetenceudvikling": "halvtreds tusind"}, "amount_2018_kompetenceudvikling",
     "Skriv et helt tal uden decimaler, fx 800000 eller 800.000."),
    ({"amount_2017_kompetenceudvikling": ""}, "amount_2017_kompetenceudvikling",
     "Skriv et beløb i hele kroner, 0 hvis intet."),
    ({"reason": "  "}, "reason", "Skriv begrundelsen for ændringen."),
    ({"reason": REASON, **CURRENT}, "split", "Fordelingen er den samme som nu. Ret beløbene for at flytte penge."),
])
def test_request_bad_input_is_shown_at_the_field_typed_input_kept_and_nothing_stored(herning, mailbox, changes,
                                                                                      field, message):
    data = {**EARLIER, **changes}

    response = herning.post("/mit-tilsagn/aendring", data=data)

    html = response.get_data(as_text=True)
    assert (response.status_code, f'id="{field}-error"' in html, message in page_text(response)) == (200, True, True)
    typed = {name: value for name, value in data.items() if name.startswith("amount_")}
    assert {name: _input_value(html, name) for name in typed} == typed
    assert (_changes(), mailbox.messages) == ([], [])


def test_request_cannot_take_a_year_below_what_is_paid(herning):
    _mark_2017_paid()
    data = {**EARLIER, "amount_2017_fastholdelseskonsulenter": "150.000",
            "amount_2018_fastholdelseskonsulenter": "650.000"}

    response = herning.post("/mit-tilsagn/aendring", data=data)

    html = response.get_data(as_text=True)
    assert 'id="amount_2017_fastholdelseskonsulenter-error"' in html
    assert ("Der er allerede udbetalt 200.000 kr. for 2017, så året kan ikke sættes ned til 150.000 kr."
            in page_text(response))
    assert _changes() == []


def test_a_second_request_waits_for_the_first_to_be_decided(herning):
    herning.post("/mit-tilsagn/aendring", data=EARLIER)

    page = herning.get("/mit-tilsagn/aendring")
    again = herning.post("/mit-tilsagn/aendring", data={**EARLIER, "reason": "En gang til."}, follow_redirects=True)

    assert "som styrelsen endnu ikke har svaret på" in page_text(page)
    assert 'name="reason"' not in page.get_data(as_text=True)
    assert "I har allerede en anmodning om ændring, som styrelsen ikke har svaret på." in page_text(again)
    assert [change.reason for change in _changes()] == [REASON]


def test_other_kommuner_never_see_or_touch_hernings_request(app, herning, sara_client, make_user):
    herning.post("/mit-tilsagn/aendring", data=EARLIER)
    (change,) = _changes()
    aarhus = _kommune_client(app, "aarhus@actor.test")
    odense = signed_in(app.test_client(), make_user(Role.KOMMUNE, kommune="Odense"))

    page = aarhus.get("/mit-tilsagn/aendring")  # Aarhus's own grant: issued, not yet accepted
    refused = aarhus.post("/mit-tilsagn/aendring", data=EARLIER, follow_redirects=True)

    assert "Tilsagnet er udstedt. I kan bede om at flytte penge, når I har accepteret tilsagnet." in page_text(page)
    assert REASON not in page_text(page) and "16/17959-01" not in page_text(page)
    assert "Der kan kun flyttes penge i et tilsagn, som kommunen har accepteret." in page_text(refused)
    assert [aarhus.get(_decide_url(change)).status_code, aarhus.post(_decide_url(change)).status_code] == [403, 403]
    assert [odense.get("/mit-tilsagn/aendring").status_code,
            odense.post("/mit-tilsagn/aendring", data=EARLIER).status_code] == [404, 404]
    assert sara_client.get(f"/tilsagn/{_grant('Aarhus').id}/aendring/{change.id}").status_code == 404
    assert [(item.grant.kommune.name, item.status.value) for item in _changes()] == [("Herning", "pending")]


def test_approval_moves_the_money_and_replans_only_what_is_unpaid(herning, sara_client, mailbox):
    _mark_2017_paid()
    paid_before = [(payment.id, payment.amount_kr, payment.due_on, payment.paid_on)
                   for payment in _grant("Herning").payments if payment.paid_on]
    herning.post("/mit-tilsagn/aendring", data=EARLIER)
    (change,) = _changes()
    mailbox.clear()

    response = sara_client.post(_decide_url(change), data={"note": "", "approve": "Godkend ændringen"})

    assert response.headers["Location"] == _decide_url(change)
    grant = _grant("Herning")
    assert (grant.split, grant.amounts_by_year, grant.amount_kr) == (
        [[2017, FAST, 250_000], [2018, FAST, 550_000]], {"2017": 250_000, "2018": 550_000}, 800_000)
    assert _payments(grant) == [(2017, date(2017, 8, 28), 200_000, date(2017, 9, 1)),
                                (2017, date(2017, 10, 2), 50_000, None),
                                (2018, date(2018, 1, 1), 550_000, None)]
    assert [(payment.id, payment.amount_kr, payment.due_on, payment.paid_on)
            for payment in grant.payments if payment.paid_on] == paid_before
    (change,) = _changes()
    assert (change.status.value, change.decided_at, change.decided_by.email) == ("approved", LATER, "sara@star.test")
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "grant.change_approved"))
    assert (event.before["amounts_by_year"], event.after["amounts_by_year"]) == (
        {"2017": 200_000, "2018": 600_000}, {"2017": 250_000, "2018": 550_000})
    assert sorted(message["To"] for message in mailbox.messages) == ["herning@actor.test", "kontakt@kommune.test"]
    body = mailbox.messages_to("herning@actor.test")[0].get_body().get_content()
    assert "Styrelsen har godkendt jeres anmodning af 2. oktober 2017" in body
    assert "Fordelingen på år er nu: 2017: 250.000 kr., 2018: 550.000 kr. De udbetalinger" in body


def test_approval_checks_again_what_has_been_paid_since(herning, sara_client):
    herning.post("/mit-tilsagn/aendring", data={**EARLIER, "amount_2017_fastholdelseskonsulenter": "150.000",
                                                "amount_2018_fastholdelseskonsulenter": "650.000"})
    (change,) = _changes()
    _mark_2017_paid()

    response = sara_client.post(_decide_url(change), data={"approve": "Godkend ændringen"})

    assert ("Der er allerede udbetalt 200.000 kr. for 2017, så året kan ikke sættes ned til 150.000 kr."
            in page_text(response))
    assert (_changes()[0].status.value, _grant("Herning").split) == (
        "pending", [[2017, FAST, 200_000], [2018, FAST, 600_000]])


def test_rejection_needs_a_note_which_the_kommune_gets(herning, sara_client, mailbox):
    herning.post("/mit-tilsagn/aendring", data=EARLIER)
    (change,) = _changes()
    mailbox.clear()

    missing = sara_client.post(_decide_url(change), data={"note": " ", "reject": "Afvis ændringen"})
    assert 'id="note-error"' in missing.get_data(as_text=True)
    assert "Skriv en begrundelse for at afvise ændringen." in page_text(missing)
    assert (_changes()[0].status.value, mailbox.messages) == ("pending", [])

    sara_client.post(_decide_url(change), data={"note": "Rådgiverne kan først ansættes i 2018.",
                                                "reject": "Afvis ændringen"})

    (change,) = _changes()
    assert (change.status.value, change.decision_note, change.decided_by.email) == (
        "rejected", "Rådgiverne kan først ansættes i 2018.", "sara@star.test")
    assert _grant("Herning").split == [[2017, FAST, 200_000], [2018, FAST, 600_000]]
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "grant.change_rejected"))
    assert event.after == {"change_id": change.id, "note": "Rådgiverne kan først ansættes i 2018."}
    body = mailbox.messages_to("herning@actor.test")[0].get_body().get_content()
    assert "Styrelsens bemærkning: Rådgiverne kan først ansættes i 2018." in body
    again = sara_client.post(_decide_url(change), data={"approve": "Godkend ændringen"}, follow_redirects=True)
    assert "Anmodningen er allerede afvist." in page_text(again)


def test_the_history_lists_each_request_with_who_what_why_and_the_decision(herning, sara_client):
    herning.post("/mit-tilsagn/aendring", data=EARLIER)
    sara_client.post(_decide_url(_changes()[0]), data={"note": "For sent.", "reject": "Afvis ændringen"})
    herning.post("/mit-tilsagn/aendring", data={**EARLIER, "amount_2017_fastholdelseskonsulenter": "200.000",
                                                "amount_2017_kompetenceudvikling": "50.000", "reason": "Kurser."})

    rows = table_rows(herning.get("/mit-tilsagn/aendring"), "change-requests")

    herning_name = _changes()[0].requested_by.name
    assert rows == [
        [f"2. oktober 2017 kl. 09.00 af {herning_name}",
         "2017, Kompetenceudvikling af medarbejdere: 0 kr. → 50.000 kr. "
         "2018, Fastholdelseskonsulenter: 600.000 kr. → 550.000 kr.", "Kurser.", "Afventer"],
        [f"2. oktober 2017 kl. 09.00 af {herning_name}",
         "2017, Fastholdelseskonsulenter: 200.000 kr. → 250.000 kr. "
         "2018, Fastholdelseskonsulenter: 600.000 kr. → 550.000 kr.", REASON,
         "Afvist 2. oktober 2017 kl. 09.00 af Sara Sagsbehandler. For sent."],
    ]


def test_decision_page_shows_the_request_beside_the_split_now(herning, sara_client):
    herning.post("/mit-tilsagn/aendring", data=EARLIER)

    response = sara_client.get(_decide_url(_changes()[0]))

    assert table_rows(response, "change-lines") == [
        ["2017", "Fastholdelseskonsulenter", "200.000 kr.", "250.000 kr.", "+50.000 kr."],
        ["2017", "Kompetenceudvikling af medarbejdere", "0 kr.", "0 kr.", "–"],
        ["2018", "Fastholdelseskonsulenter", "600.000 kr.", "550.000 kr.", "-50.000 kr."],
        ["2018", "Kompetenceudvikling af medarbejdere", "0 kr.", "0 kr.", "–"],
    ]
    assert table_rows(response, "change-years") == [["2017", "200.000 kr.", "250.000 kr.", "0 kr."],
                                                    ["2018", "600.000 kr.", "550.000 kr.", "0 kr."]]
    assert REASON in page_text(response)


@pytest.mark.parametrize("who", ["staff", "kommune"])
def test_change_pages_have_language_skip_link_landmarks_one_h1_and_labelled_controls(herning, sara_client, who):
    herning.post("/mit-tilsagn/aendring", data=EARLIER)
    sara_client.post(_decide_url(_changes()[0]), data={"note": "Nej.", "reject": "Afvis ændringen"})
    herning.post("/mit-tilsagn/aendring", data={**EARLIER, "reason": "Igen."})
    pending = _changes()[-1]

    structure = page_structure(sara_client.get(_decide_url(pending)) if who == "staff"
                               else herning.get("/mit-tilsagn/aendring"))

    assert structure.problems() == []


def test_kommune_form_page_has_language_skip_link_landmarks_one_h1_and_labelled_controls(herning):
    structure = page_structure(herning.get("/mit-tilsagn/aendring"))

    assert structure.problems() == []


def test_approval_is_refused_when_the_split_changed_after_the_request(herning, sara_client):
    herning.post("/mit-tilsagn/aendring", data=EARLIER)
    (change,) = _changes()
    grant = _grant("Herning")
    grant.split = [[2017, FAST, 200_000], [2018, FAST, 500_000], [2018, KOMP, 100_000]]  # as another change left it
    commit()

    page = sara_client.get(_decide_url(change))
    response = sara_client.post(_decide_url(change), data={"approve": "Godkend ændringen"})

    assert "Tilsagnets fordeling er ændret, siden kommunen sendte anmodningen." in page_text(page)
    assert "Afvis den med en begrundelse, så kommunen kan sende en ny." in page_text(response)
    assert (_changes()[0].status.value, _grant("Herning").split) == (
        "pending", [[2017, FAST, 200_000], [2018, FAST, 500_000], [2018, KOMP, 100_000]])


def test_a_new_letter_version_keeps_the_approved_change(herning, sara_client):
    herning.post("/mit-tilsagn/aendring", data=EARLIER)
    (change,) = _changes()
    sara_client.post(_decide_url(change), data={"note": "", "approve": "Godkend ændringen"})
    grant = _grant("Herning")

    sara_client.post(f"/tilsagn/{grant.id}/ny-version", data={"reason": "Ændret fordeling på år."})
    sara_client.post(f"/tilsagn/{grant.id}/udsted")

    grant = _grant("Herning")
    assert (grant.current_letter.number, grant.years, grant.split) == (
        2, {2017: 250_000, 2018: 550_000}, [[2017, FAST, 250_000], [2018, FAST, 550_000]])
    assert "250.000 kr." in pdf_text(grant.current_letter.pdf)
