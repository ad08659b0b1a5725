"""Grant letters through the pages: drafts from the allocation, editing, issuing, accepting, declining, versions."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from html import escape, unescape

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from portal.allocation.services import confirm_allocation
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.grants.letter import text_blocks
from portal.grants.models import Grant
from portal.pulje.services import get_pool
from portal.review.enums import Decision
from portal.review.selection import confirm_selection, decide, list_candidates
from portal.transaction import commit
from tests.support.applications import submitted_applications
from tests.support.documents import pdf_text
from tests.support.html import page_structure, page_text, table_rows
from tests.support.sessions import signed_in

AFTER_ALLOCATION = datetime(2017, 8, 28, 10, 0, tzinfo=COPENHAGEN)


def _kommune_client(app, email: str):
    return signed_in(app.test_client(), db.session.scalar(sa.select(User).where(User.email == email)))


@pytest.fixture
def allocated(app, clock, sara):
    """Herning, Aarhus and Læsø selected and allocated 800.000 kr. each (200.000 in 2017, 600.000 in 2018)."""
    applications = submitted_applications("Herning", "Aarhus", "Læsø")
    clock.set(AFTER_ALLOCATION)
    pool = get_pool()
    pool.min_participants = 2
    rows = list_candidates(pool, viewer=sara)
    decide(rows, actor=sara, decisions={row.application.id: (Decision.SELECTED, "") for row in rows})
    confirm_selection(pool, list_candidates(pool, viewer=sara), actor=sara)
    confirm_allocation(pool, actor=sara)
    commit()
    return applications


def _grant(name: str) -> Grant:
    db.session.expire_all()
    return next(grant for grant in db.session.scalars(sa.select(Grant)) if grant.kommune.name == name)


@pytest.fixture
def drafted(sara_client, allocated, mailbox):
    sara_client.post("/tilsagn/udkast")
    mailbox.clear()  # the receipts and the selection's notices
    return allocated


@pytest.fixture
def issued(sara_client, drafted, mailbox):
    sara_client.post("/tilsagn/udsted-alle")
    mailbox.clear()
    return drafted


def test_drafts_before_the_allocation_is_confirmed_are_refused(sara_client):
    response = sara_client.post("/tilsagn/udkast", follow_redirects=True)

    assert "Fordelingen skal bekræftes, før der kan laves tilsagn." in page_text(response)


def test_drafts_get_numbers_by_kommunekode_amounts_and_standard_texts(sara_client, allocated):
    sara_client.post("/tilsagn/udkast")
    sara_client.post("/tilsagn/udkast")  # a second time makes nothing new

    rows = table_rows(sara_client.get("/tilsagn"), "grants-table")
    same = ["Udkast", "800.000 kr.", "200.000 kr.", "600.000 kr.", "0 kr.", "1 (udkast)", "18. september 2017"]
    assert rows == [["16/17959-01", "Herning", *same], ["16/17959-02", "Aarhus", *same],
                    ["16/17959-03", "Læsø", *same]]
    draft = _grant("Herning").current_letter
    assert "Aktivitetsrapport for 4. kvartal 2017: senest 31. januar 2018" in draft.conditions
    assert "Herning Kommune tilsagn om et tilskud på 800.000 kr." in draft.intro


def test_draft_preview_pdf_shows_kommune_number_amounts_and_period(sara_client, drafted):
    grant = _grant("Herning")

    response = sara_client.get(f"/tilsagn/{grant.id}/version/1.pdf")

    text = pdf_text(response.data)
    assert response.headers["Content-Disposition"] == 'attachment; filename="tilsagn-657-herning-v1-udkast.pdf"'
    for fact in ("Herning Kommune", "16/17959-01", "200.000 kr.", "600.000 kr.", "800.000 kr.",
                 "1. oktober 2017 – 31. december 2018", "18. september 2017", "Sara Sagsbehandler"):
        assert fact in text


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"conditions": "  "}, "conditions", "Skriv vilkårene."),
    ({"accept_by_on": "28-08-2017"}, "accept_by_on", "Fristen for at acceptere skal ligge efter i dag."),
    ({"accept_by_on": "31-02-2017"}, "accept_by_on", None),
])
def test_draft_bad_input_is_shown_at_the_field_and_nothing_changes(sara_client, drafted, changes, field, message):
    grant = _grant("Herning")
    data = {"intro": "Ny indledning.", "conditions": "Nye vilkår.", "accept_by_on": "2017-09-30", **changes}

    response = sara_client.post(f"/tilsagn/{grant.id}", data=data)

    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    if message:
        assert message in page_text(response)
    assert _grant("Herning").current_letter.intro != "Ny indledning."


def test_draft_edit_is_saved_and_audited(sara_client, drafted):
    grant = _grant("Herning")

    sara_client.post(f"/tilsagn/{grant.id}", data={"intro": "Ny indledning.", "conditions": "Nye vilkår.",
                                                   "accept_by_on": "30-09-2017"})

    grant = _grant("Herning")
    assert (grant.current_letter.intro, grant.current_letter.conditions, grant.accept_by_on) == (
        "Ny indledning.", "Nye vilkår.", date(2017, 9, 30))
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "grant.draft_edited"))
    assert event.after["accept_by_on"] == "2017-09-30"


def test_issuing_freezes_the_letter_and_mails_the_pdf_to_the_kommune(sara_client, drafted, mailbox):
    grant = _grant("Herning")

    sara_client.post(f"/tilsagn/{grant.id}/udsted")

    grant = _grant("Herning")
    letter = grant.current_letter
    assert (grant.status.value, letter.status.value, letter.issued_at) == ("issued", "issued", AFTER_ALLOCATION)
    assert sorted(message["To"] for message in mailbox.messages) == ["herning@actor.test", "kontakt@kommune.test"]
    (pdf,) = [part for part in mailbox.messages[0].iter_attachments() if part.get_content_type() == "application/pdf"]
    assert pdf.get_content() == letter.pdf
    assert sara_client.get(f"/tilsagn/{grant.id}/version/1.pdf").data == letter.pdf
    edited = sara_client.post(f"/tilsagn/{grant.id}",
                              data={"intro": "X", "conditions": "Y", "accept_by_on": "30-09-2017"})
    assert _grant("Herning").current_letter.intro != "X" and edited.status_code == 200


def test_issue_all_issues_every_draft_once(sara_client, drafted, mailbox):
    sara_client.post("/tilsagn/udsted-alle")
    again = sara_client.post("/tilsagn/udsted-alle", follow_redirects=True)

    assert {row[2] for row in table_rows(sara_client.get("/tilsagn"), "grants-table")} == {"Udstedt"}
    assert len(mailbox.messages) == 6  # each kommune's user and contact
    assert "Der er ingen udkast at udstede." in page_text(again)


def test_kommune_accepts_on_behalf_of_the_kommune_and_the_agency_is_told(app, issued, mailbox):
    herning = _kommune_client(app, "herning@actor.test")

    unticked = herning.post("/mit-tilsagn/accepter", data={})
    assert "Sæt kryds for at acceptere tilsagnet." in page_text(unticked)
    assert _grant("Herning").status.value == "issued"

    response = herning.post("/mit-tilsagn/accepter", data={"confirmed": "y"})

    assert response.headers["Location"] == "/mit-tilsagn"
    grant = _grant("Herning")
    assert (grant.status.value, grant.answered_at, grant.answered_by.email) == (
        "accepted", AFTER_ALLOCATION, "herning@actor.test")
    (told,) = mailbox.messages
    assert (told["To"], told["Subject"]) == ("fastholdelse@star.dk",
                                            "Tilsagn nr. 16/17959-01 er accepteret af Herning Kommune")
    again = herning.post("/mit-tilsagn/accepter", data={"confirmed": "y"}, follow_redirects=True)
    assert "Tilsagnet er accepteret og kan ikke besvares." in page_text(again)


def test_kommune_declines_with_a_reason(app, issued):
    laeso = _kommune_client(app, "laesoe@actor.test")

    missing = laeso.post("/mit-tilsagn/afslaa", data={"reason": " "})
    assert 'id="reason-error"' in missing.get_data(as_text=True)

    laeso.post("/mit-tilsagn/afslaa", data={"reason": "Vi kan ikke bemande projektet."})

    grant = _grant("Læsø")
    assert (grant.status.value, grant.decline_reason) == ("declined", "Vi kan ikke bemande projektet.")


def test_answer_after_the_deadline_is_refused(app, issued, clock):
    clock.set(datetime(2017, 9, 19, 9, 0, tzinfo=COPENHAGEN))
    herning = _kommune_client(app, "herning@actor.test")

    response = herning.post("/mit-tilsagn/accepter", data={"confirmed": "y"}, follow_redirects=True)

    assert "Fristen for at svare var 18.09.2017. Kontakt styrelsen." in page_text(response)
    assert _grant("Herning").status.value == "issued"


def test_a_new_version_replaces_the_old_one_and_both_stay_visible(app, sara_client, issued, mailbox):
    herning = _kommune_client(app, "herning@actor.test")
    herning.post("/mit-tilsagn/accepter", data={"confirmed": "y"})
    grant = _grant("Herning")

    missing = sara_client.post(f"/tilsagn/{grant.id}/ny-version", data={"reason": ""})
    assert "Skriv begrundelsen for den nye version." in page_text(missing)
    sara_client.post(f"/tilsagn/{grant.id}/ny-version", data={"reason": "Rettet kontaktperson."})
    sara_client.post(f"/tilsagn/{grant.id}/udsted")

    grant = _grant("Herning")
    assert [(letter.number, letter.status.value) for letter in grant.letters] == [(1, "replaced"), (2, "issued")]
    assert grant.status.value == "issued"  # to be accepted again
    text = pdf_text(grant.letters[1].pdf)
    assert "Dette tilsagn erstatter tilsagn nr. 16/17959-01 version 1. Begrundelse: Rettet kontaktperson." in text
    mine = page_text(herning.get("/mit-tilsagn"))
    assert "16/17959-01 (version 2)" in mine and "version 1" in mine
    assert herning.get("/mit-tilsagn/1.pdf").data == grant.letters[0].pdf
    assert "erstatter den tidligere version" in mailbox.messages_to("herning@actor.test")[-1].get_body().get_content()


def test_kommune_sees_only_its_own_grant(app, issued):
    aarhus = _kommune_client(app, "aarhus@actor.test")

    page = page_text(aarhus.get("/mit-tilsagn"))

    assert "Tilsagn til Aarhus Kommune" in page and "Herning" not in page
    assert "Tilsagn: 800.000 kr." in page_text(aarhus.get("/overblik"))


def test_kommune_reads_the_letters_text_and_conditions_on_the_page_as_the_pdf_says_them(app, issued):
    letter = _grant("Herning").letter_in_force
    html = _kommune_client(app, "herning@actor.test").get("/mit-tilsagn").get_data(as_text=True)
    shown = " ".join(re.sub(r"<[^>]+>", " ", unescape(html.split('class="letter-text"')[1].split("</details>")[0]))
                     .split())

    conditions = text_blocks(letter.conditions)
    assert [block.lines[0] for block in conditions if block.kind == "heading"] == [
        "Kerneelementer", "Monitorering", "Afrapportering", "Deltagelse i projektets aktiviteter",
        "Anvendelse og tilbagebetaling af midlerne"]
    for block in conditions:
        tag = {"heading": "h4", "paragraph": "p", "list": "li"}[block.kind]
        assert all(f"<{tag}>{escape(line)}</{tag}>" in html for line in block.lines), block
    lines = [line.removeprefix("- ") for line in (letter.intro + "\n" + letter.conditions).splitlines() if line]
    pdf = pdf_text(letter.pdf)
    assert [line for line in lines if " ".join(line.split()) not in shown or " ".join(line.split()) not in pdf] == []
    assert "Midlerne kan bruges i perioden 1. oktober 2017 – 31. december 2018." in shown


def test_grants_export_lists_every_grant(sara_client, issued):
    response = sara_client.get("/tilsagn/eksport.csv")

    header, *rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    herning = dict(zip(header, rows[0]))
    assert {key: herning[key] for key in ("Tilsagnsnr.", "Kommune", "Status", "Tilskud", "Tilskud 2017",
                                          "Tilskud 2018", "Version", "Frist for accept")} == {
        "Tilsagnsnr.": "16/17959-01", "Kommune": "Herning", "Status": "Udstedt", "Tilskud": "800000",
        "Tilskud 2017": "200000", "Tilskud 2018": "600000", "Version": "1", "Frist for accept": "2017-09-18"}


@pytest.mark.parametrize("path", ["/tilsagn", "/tilsagn/{id}"])
def test_grant_pages_have_language_skip_link_landmarks_one_h1_and_labelled_controls(sara_client, drafted, path):
    structure = page_structure(sara_client.get(path.format(id=_grant("Herning").id)))

    assert structure.problems() == []


def test_kommune_grant_page_has_language_skip_link_landmarks_one_h1_and_labelled_controls(app, issued):
    structure = page_structure(_kommune_client(app, "herning@actor.test").get("/mit-tilsagn"))

    assert structure.problems() == []


# --- payments, deadlines and freed money ----------------------------------------------------------------------------


def _accept(app, email: str) -> None:
    _kommune_client(app, email).post("/mit-tilsagn/accepter", data={"confirmed": "y"})


def _summary(client) -> dict[str, str]:
    return dict(table_rows(client.get("/tilsagn"), "money-table"))


def test_acceptance_plans_the_payments_and_the_caseworker_marks_them_paid(app, sara_client, issued):
    _accept(app, "herning@actor.test")
    grant = _grant("Herning")

    assert [(payment.year, payment.due_on, payment.amount_kr, payment.paid_on) for payment in grant.payments] == [
        (2017, date(2017, 8, 28), 200_000, None), (2018, date(2018, 1, 1), 600_000, None)]

    future = sara_client.post(f"/tilsagn/{grant.id}/udbetaling/{grant.payments[0].id}",
                              data={"paid_on": "2017-09-01"}, follow_redirects=True)
    assert "Betalingsdatoen kan ikke ligge i fremtiden." in page_text(future)
    sara_client.post(f"/tilsagn/{grant.id}/udbetaling/{grant.payments[0].id}", data={"paid_on": "28-08-2017"})

    assert _grant("Herning").payments[0].paid_on == date(2017, 8, 28)
    assert _summary(sara_client) == {
        "Puljen": "9.000.000 kr.", "Udstedt i tilsagn": "2.400.000 kr.", "– heraf accepteret": "800.000 kr.",
        "– – heraf udbetalt": "200.000 kr.", "– – heraf mangler at blive udbetalt": "600.000 kr.",
        "– heraf endnu ikke accepteret": "1.600.000 kr.", "Ikke udstedt": "6.600.000 kr.", "– heraf i udkast": "0 kr."}
    again = sara_client.post(f"/tilsagn/{grant.id}/udbetaling/{grant.payments[0].id}", data={"paid_on": "28-08-2017"},
                             follow_redirects=True)
    assert "Udbetalingen er allerede markeret som betalt 28.08.2017." in page_text(again)


def test_payments_of_an_issued_grant_cannot_be_marked(sara_client, issued):
    grant = _grant("Herning")

    assert grant.payments == []
    assert sara_client.post(f"/tilsagn/{grant.id}/udbetaling/999999", data={"paid_on": "28-08-2017"}).status_code \
        == 404


def test_deadline_round_reminds_once_within_a_week_then_lets_unanswered_grants_lapse(app, sara_client, issued,
                                                                                    clock, mailbox):
    _accept(app, "herning@actor.test")
    mailbox.clear()
    clock.set(datetime(2017, 9, 12, 8, 0, tzinfo=COPENHAGEN))  # six days before 18 September

    sara_client.post("/tilsagn/frister")
    sara_client.post("/tilsagn/frister")

    reminded = sorted(message["To"] for message in mailbox.messages)
    assert reminded == ["aarhus@actor.test", "kontakt@kommune.test", "kontakt@kommune.test", "laesoe@actor.test"]
    assert mailbox.messages[0]["Subject"].startswith("Påmindelse: svar på tilsagnet nr. 16/17959-0")
    mailbox.clear()
    clock.set(datetime(2017, 9, 19, 8, 0, tzinfo=COPENHAGEN))

    result = CliRunner().invoke(app.cli, ["grants", "deadlines"], catch_exceptions=False)

    assert result.output == "Reminded: 0. Expired: 2.\n"
    assert {name: _grant(name).status.value for name in ("Herning", "Aarhus", "Læsø")} == {
        "Herning": "accepted", "Aarhus": "expired", "Læsø": "expired"}
    assert len(mailbox.messages) == 4
    (event, _) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "grant.expired"))
    assert event.actor_label == "system"


@pytest.fixture
def smaller_pool(app, clock, sara, mailbox):
    """As `allocated`, but the pool has 1.500.000 kr., so each of the three gets 500.000 kr.; letters issued."""
    submitted_applications("Herning", "Aarhus", "Læsø")
    clock.set(AFTER_ALLOCATION)
    pool = get_pool()
    pool.min_participants, pool.total_kr = 2, 1_500_000
    rows = list_candidates(pool, viewer=sara)
    decide(rows, actor=sara, decisions={row.application.id: (Decision.SELECTED, "") for row in rows})
    confirm_selection(pool, list_candidates(pool, viewer=sara), actor=sara)
    confirm_allocation(pool, actor=sara)
    commit()
    signed_in(app.test_client(), sara).post("/tilsagn/udkast")
    signed_in(app.test_client(), sara).post("/tilsagn/udsted-alle")
    mailbox.clear()


def test_freed_money_is_allocated_again_and_new_versions_follow(app, sara_client, smaller_pool, mailbox):
    _accept(app, "herning@actor.test")
    _kommune_client(app, "laesoe@actor.test").post("/mit-tilsagn/afslaa", data={"reason": "Ingen medarbejdere."})

    allocation_page = sara_client.get("/fordeling")
    assert "Læsø har afslået sit tilsagn på 500.000 kr." in page_text(allocation_page)
    assert [row[0] for row in table_rows(allocation_page, "allocation-table")] == ["Herning", "Aarhus"]
    sara_client.post("/fordeling/bekraeft")
    sara_client.post("/tilsagn/udkast")
    sara_client.post("/tilsagn/udsted-alle")

    herning, aarhus, laeso = _grant("Herning"), _grant("Aarhus"), _grant("Læsø")
    assert [(grant.status.value, grant.amount_kr, grant.current_letter.number) for grant in (herning, aarhus, laeso)] \
        == [("issued", 750_000, 2), ("issued", 750_000, 2), ("declined", 500_000, 1)]
    assert herning.years == {2017: 187_500, 2018: 562_500}
    assert herning.current_letter.replaces_reason.startswith("Puljens midler er fordelt igen")
    letters = [message for message in mailbox.messages if any(True for _ in message.iter_attachments())]
    assert sorted(message["To"] for message in letters) == [
        "aarhus@actor.test", "herning@actor.test", "kontakt@kommune.test", "kontakt@kommune.test"]
    _accept(app, "herning@actor.test")
    assert [(payment.year, payment.amount_kr) for payment in _grant("Herning").payments] == [
        (2017, 187_500), (2018, 562_500)]


def test_staff_dashboard_shows_the_pools_money_once_letters_are_out(app, sara_client, issued):
    _accept(app, "herning@actor.test")

    page = page_text(sara_client.get("/overblik"))

    assert ("Tilsagn og udbetalinger 2.400.000 kr. udstedt 800.000 kr. accepteret 0 kr. udbetalt 800.000 kr. "
            "mangler at blive udbetalt 6.600.000 kr. ikke udstedt") in page


def test_a_reserve_steps_in_for_a_declined_grant_and_gets_a_letter(app, sara_client, clock, sara, mailbox):
    """Vejle was rejected; when Læsø declines, the caseworker selects Vejle as reserve and allocates again."""
    applications = submitted_applications("Herning", "Læsø", "Vejle")
    clock.set(AFTER_ALLOCATION)
    pool = get_pool()
    pool.min_participants, pool.total_kr = 2, 1_500_000
    rows = list_candidates(pool, viewer=sara)
    decide(rows, actor=sara, decisions={row.application.id: (Decision.REJECTED, "Færre point.")
                                        if row.kommune.name == "Vejle" else (Decision.SELECTED, "") for row in rows})
    confirm_selection(pool, list_candidates(pool, viewer=sara), actor=sara)
    confirm_allocation(pool, actor=sara)
    commit()
    sara_client.post("/tilsagn/udkast")
    sara_client.post("/tilsagn/udsted-alle")
    _kommune_client(app, "laesoe@actor.test").post("/mit-tilsagn/afslaa", data={"reason": "Ingen medarbejdere."})
    mailbox.clear()

    missing = sara_client.post("/tilsagn/reserve", data={"application_id": applications["Vejle"].id, "reason": ""},
                               follow_redirects=True)
    assert "Skriv begrundelsen for at vælge reservekommunen." in page_text(missing)
    sara_client.post("/tilsagn/reserve", data={"application_id": applications["Vejle"].id,
                                               "reason": "Næste på listen efter Læsøs afslag."})
    sara_client.post("/fordeling/bekraeft")
    sara_client.post("/tilsagn/udkast")

    # Vejle takes Læsø's place and its 750.000 kr.; Herning's grant does not change, so it gets no new version.
    rows = {row[1]: [row[2], row[3], row[-2]] for row in table_rows(sara_client.get("/tilsagn"), "grants-table")}
    assert rows == {"Herning": ["Udstedt", "750.000 kr.", "1 (udstedt)"],
                    "Læsø": ["Afslået", "750.000 kr.", "1 (udstedt)"], "Vejle": ["Udkast", "750.000 kr.", "1 (udkast)"]}
    assert _grant("Vejle").letter_number == "16/17959-03"
    assert "Kommunen er udvalgt" in page_text(_kommune_client(app, "vejle@actor.test").get("/overblik"))
    assert [message["Subject"] for message in mailbox.messages_to("vejle@actor.test")] == [
        "I er udvalgt: Sammen om fastholdelse – Vejle Kommune"]
