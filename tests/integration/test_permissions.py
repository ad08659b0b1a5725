"""Every route, walked by every role: who gets the page, who is sent to log in, who is refused.

A new route fails this test until it is added to ROUTES with its answers.
"""
import pytest
import sqlalchemy as sa

from portal.auth.enums import Role
from portal.auth.services import invite_user
from portal.extensions import db
from portal.kommuner.services import get_kommune_by_name
from portal.outbox.models import OutboxMessage
from portal.transaction import commit
from tests.conftest import log_in
from tests.support.applications import submitted_application

ANON, KOMMUNE, SAGSBEHANDLER, ADMIN = "anonymous", "kommune", "sagsbehandler", "admin"
ROLES = [ANON, KOMMUNE, SAGSBEHANDLER, ADMIN]
LOGIN = 302  # anonymous users are sent to the login page
STAFF_ONLY = {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 200, ADMIN: 200}
EVERYONE = {ANON: 200, KOMMUNE: 200, SAGSBEHANDLER: 200, ADMIN: 200}
LOGGED_IN = {ANON: LOGIN, KOMMUNE: 200, SAGSBEHANDLER: 200, ADMIN: 200}
LOGGED_OUT_PAGE = {ANON: 200, KOMMUNE: 302, SAGSBEHANDLER: 302, ADMIN: 302}  # logged-in users go to the dashboard
# POSTs by staff redirect back to their list after doing their work.
STAFF_POST = {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 302, ADMIN: 302}
# A kommune's own pages, asked for another kommune's application: 404 for a kommune user, 403 for staff.
KOMMUNE_SIDE = {ANON: LOGIN, KOMMUNE: 404, SAGSBEHANDLER: 403, ADMIN: 403}

# endpoint -> (method, url, expected status per role); {user} is a kommune user of another kommune.
ROUTES = {
    "pulje.front_page": ("GET", "/", EVERYONE),
    "pulje.accessibility": ("GET", "/tilgaengelighed", EVERYONE),
    "pulje.accessibility_short": ("GET", "/was", {role: 301 for role in ROLES}),
    "pulje.dashboard": ("GET", "/overblik", LOGGED_IN),
    "pulje.edit_pool": ("GET", "/puljen/rediger", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 403, ADMIN: 200}),
    "auth.login": ("GET", "/log-ind", LOGGED_OUT_PAGE),
    "auth.logout": ("POST", "/log-ud", {ANON: 302, KOMMUNE: 302, SAGSBEHANDLER: 302, ADMIN: 302}),
    "auth.forgot_password": ("GET", "/glemt-adgangskode", EVERYONE),
    "auth.accept_invitation": ("GET", "/invitation/ugyldigt", {role: 400 for role in ROLES}),
    "auth.reset_password": ("GET", "/nulstil-adgangskode/ugyldigt", {role: 400 for role in ROLES}),
    "auth.users": ("GET", "/brugere", STAFF_ONLY),
    "auth.invite": ("GET", "/brugere/inviter", STAFF_ONLY),
    "auth.deactivate": ("POST", "/brugere/{other}/deaktiver", STAFF_POST),
    "auth.reactivate": ("POST", "/brugere/{other}/aktiver", STAFF_POST),
    "auth.resend_invitation": ("POST", "/brugere/{other}/send-invitation", STAFF_POST),
    "kommuner.index": ("GET", "/kommuner", STAFF_ONLY),
    "outbox.index": ("GET", "/udbakke/", STAFF_ONLY),
    "outbox.show": ("GET", "/udbakke/{message}", STAFF_ONLY),
    "outbox.attachment": ("GET", "/udbakke/{message}/bilag/999999", {ANON: LOGIN, KOMMUNE: 403,
                                                                     SAGSBEHANDLER: 404, ADMIN: 404}),
    "outbox.send": ("POST", "/udbakke/send", STAFF_POST),
    "audit.index": ("GET", "/haendelseslog", STAFF_ONLY),
    # The kommune side, on another kommune's application: it does not exist for Herning, staff use their own pages.
    "applications.start": ("POST", "/ansoegning/start", {ANON: LOGIN, KOMMUNE: 302, SAGSBEHANDLER: 403, ADMIN: 403}),
    "applications.overview": ("GET", "/ansoegning/{theirs}", KOMMUNE_SIDE),
    "applications.section": ("GET", "/ansoegning/{theirs}/maalgruppen", KOMMUNE_SIDE),
    "applications.review": ("GET", "/ansoegning/{theirs}/tjek", KOMMUNE_SIDE),
    "applications.submit": ("POST", "/ansoegning/{theirs}/indsend", KOMMUNE_SIDE),
    "applications.receipt": ("GET", "/ansoegning/{theirs}/kvittering", KOMMUNE_SIDE),
    "applications.receipt_pdf": ("GET", "/ansoegning/{theirs}/kvittering/1.pdf", KOMMUNE_SIDE),
    "applications.withdraw": ("POST", "/ansoegning/{theirs}/tilbagetraek", KOMMUNE_SIDE),
    "applications.rejection_letter": ("GET", "/ansoegning/{theirs}/afslag.pdf", KOMMUNE_SIDE),
    "casework.index": ("GET", "/ansoegninger", STAFF_ONLY),
    "casework.export": ("GET", "/ansoegninger/eksport.xlsx", STAFF_ONLY),
    "casework.show": ("GET", "/ansoegninger/{theirs}", STAFF_ONLY),
    "casework.pdf": ("GET", "/ansoegninger/{theirs}/indsendelse/1.pdf", STAFF_ONLY),
    "casework.reopen": ("GET", "/ansoegninger/{theirs}/genaabn", STAFF_ONLY),
    "casework.remind": ("POST", "/ansoegninger/paamind", STAFF_POST),
    "review.index": ("GET", "/bedoemmelse", STAFF_ONLY),
    "review.export": ("GET", "/bedoemmelse/eksport.csv", STAFF_ONLY),
    "review.score": ("GET", "/bedoemmelse/{theirs}", STAFF_ONLY),
    "review.conflict": ("POST", "/bedoemmelse/{theirs}/inhabil", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 200,
                                                                 ADMIN: 200}),  # no reason given: the form again
    "review.settings": ("GET", "/bedoemmelse/indstillinger", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 403,
                                                             ADMIN: 200}),
    "selection.index": ("GET", "/udvaelgelse", STAFF_ONLY),
    "selection.apply_suggestion": ("POST", "/udvaelgelse/forslag", STAFF_POST),
    "selection.confirm": ("GET", "/udvaelgelse/bekraeft", STAFF_ONLY),
    "selection.rejection_letter": ("GET", "/udvaelgelse/afslag/{theirs}.pdf", {ANON: LOGIN, KOMMUNE: 403,
                                                                              SAGSBEHANDLER: 404, ADMIN: 404}),
    "selection.export": ("GET", "/udvaelgelse/eksport.xlsx", STAFF_ONLY),
    "allocation.index": ("GET", "/fordeling", STAFF_ONLY),
    "allocation.override": ("GET", "/fordeling/{theirs}/ret", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 404,
                                                              ADMIN: 404}),  # not selected
    "allocation.remove_override": ("POST", "/fordeling/{theirs}/fjern-aendring", {ANON: LOGIN, KOMMUNE: 403,
                                                                                 SAGSBEHANDLER: 404, ADMIN: 404}),
    "allocation.confirm": ("POST", "/fordeling/bekraeft", STAFF_POST),
    "allocation.export": ("GET", "/fordeling/eksport.csv", STAFF_ONLY),
    "grants.index": ("GET", "/tilsagn", STAFF_ONLY),
    "grants.create_drafts": ("POST", "/tilsagn/udkast", STAFF_POST),
    "grants.issue_all": ("POST", "/tilsagn/udsted-alle", STAFF_POST),
    "grants.show": ("GET", "/tilsagn/999999", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 404, ADMIN: 404}),
    "grants.issue": ("POST", "/tilsagn/999999/udsted", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 404, ADMIN: 404}),
    "grants.new_version": ("POST", "/tilsagn/999999/ny-version", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 404,
                                                                  ADMIN: 404}),
    "grants.letter_pdf": ("GET", "/tilsagn/999999/version/1.pdf", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 404,
                                                                   ADMIN: 404}),
    "grants.export": ("GET", "/tilsagn/eksport.xlsx", STAFF_ONLY),
    "grants.deadlines": ("POST", "/tilsagn/frister", STAFF_POST),
    "grants.select_reserve": ("POST", "/tilsagn/reserve", STAFF_POST),  # nothing chosen: back with a message
    "grants.mark_paid": ("POST", "/tilsagn/999999/udbetaling/1", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 404,
                                                                  ADMIN: 404}),
    # The kommune's own tilsagn: none has been issued to Herning here.
    "grants.mine": ("GET", "/mit-tilsagn", {ANON: LOGIN, KOMMUNE: 404, SAGSBEHANDLER: 403, ADMIN: 403}),
    "grants.my_letter_pdf": ("GET", "/mit-tilsagn/1.pdf", {ANON: LOGIN, KOMMUNE: 404, SAGSBEHANDLER: 403,
                                                         ADMIN: 403}),
    "grants.accept": ("POST", "/mit-tilsagn/accepter", {ANON: LOGIN, KOMMUNE: 404, SAGSBEHANDLER: 403, ADMIN: 403}),
    "grants.decline": ("POST", "/mit-tilsagn/afslaa", {ANON: LOGIN, KOMMUNE: 404, SAGSBEHANDLER: 403, ADMIN: 403}),
    "grant_changes.request_change": ("GET", "/mit-tilsagn/aendring", {ANON: LOGIN, KOMMUNE: 404, SAGSBEHANDLER: 403,
                                                                     ADMIN: 403}),
    "grant_changes.decide_change": ("GET", "/tilsagn/999999/aendring/999999", {ANON: LOGIN, KOMMUNE: 403,
                                                                              SAGSBEHANDLER: 404, ADMIN: 404}),
    "workshops.index": ("GET", "/arrangementer", STAFF_ONLY),
    "workshops.generate_series": ("POST", "/arrangementer/standardserie", STAFF_POST),
    "workshops.create": ("GET", "/arrangementer/nyt", STAFF_ONLY),
    "workshops.participant_list": ("GET", "/arrangementer/999999/deltagerliste.pdf", {ANON: LOGIN, KOMMUNE: 403,
                                                                                     SAGSBEHANDLER: 404, ADMIN: 404}),
    "workshops.export": ("GET", "/arrangementer/deltagere.xlsx", STAFF_ONLY),
    "workshops.sparring": ("GET", "/workshops/sparring", {ANON: LOGIN, KOMMUNE: 200, SAGSBEHANDLER: 403, ADMIN: 403}),
    "workshops.confirm_sparring": ("GET", "/arrangementer/sparring/999999", {ANON: LOGIN, KOMMUNE: 403,
                                                                            SAGSBEHANDLER: 404, ADMIN: 404}),
    "workshops.remind": ("POST", "/arrangementer/paamind", STAFF_POST),
    "workshops.attendance": ("POST", "/arrangementer/999999/fremmoede", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 404,
                                                                        ADMIN: 404}),
    "workshops.edit": ("GET", "/arrangementer/999999", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 404, ADMIN: 404}),
    "workshops.mine": ("GET", "/workshops", {ANON: LOGIN, KOMMUNE: 200, SAGSBEHANDLER: 403, ADMIN: 403}),
    "workshops.show": ("GET", "/workshops/999999", {ANON: LOGIN, KOMMUNE: 404, SAGSBEHANDLER: 403, ADMIN: 403}),
    "workshops.cancel": ("POST", "/workshops/999999/afmeld", {ANON: LOGIN, KOMMUNE: 404, SAGSBEHANDLER: 403,
                                                              ADMIN: 403}),
    # Reports: none exists here (no grant is accepted), so staff meet 404 on a report and kommune users 404 too.
    "reports.mine": ("GET", "/rapporter", {ANON: LOGIN, KOMMUNE: 404, SAGSBEHANDLER: 403, ADMIN: 403}),
    "reports.edit": ("GET", "/rapporter/999999", {ANON: LOGIN, KOMMUNE: 404, SAGSBEHANDLER: 403, ADMIN: 403}),
    "reports.pdf": ("GET", "/rapporter/999999.pdf", {ANON: LOGIN, KOMMUNE: 404, SAGSBEHANDLER: 403, ADMIN: 403}),
    "report_casework.index": ("GET", "/rapportering", STAFF_ONLY),
    "report_casework.remind": ("POST", "/rapportering/paamindelser", STAFF_POST),
    "report_casework.show": ("GET", "/rapportering/999999", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 404,
                                                            ADMIN: 404}),
    "report_casework.pdf": ("GET", "/rapportering/999999.pdf", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 404,
                                                               ADMIN: 404}),
    "report_casework.approve": ("POST", "/rapportering/999999/godkend", {ANON: LOGIN, KOMMUNE: 403,
                                                                        SAGSBEHANDLER: 404, ADMIN: 404}),
    "report_casework.send_back": ("POST", "/rapportering/999999/send-tilbage", {ANON: LOGIN, KOMMUNE: 403,
                                                                               SAGSBEHANDLER: 404, ADMIN: 404}),
    "report_casework.move_due_date": ("POST", "/rapportering/999999/frist", {ANON: LOGIN, KOMMUNE: 403,
                                                                            SAGSBEHANDLER: 404, ADMIN: 404}),
    "report_casework.waive": ("POST", "/rapportering/999999/udgaar", {ANON: LOGIN, KOMMUNE: 403, SAGSBEHANDLER: 404,
                                                                     ADMIN: 404}),
    "report_casework.reinstate": ("POST", "/rapportering/999999/genindsaet", {ANON: LOGIN, KOMMUNE: 403,
                                                                             SAGSBEHANDLER: 404, ADMIN: 404}),
    "report_casework.export": ("GET", "/rapportering/eksport.xlsx", STAFF_ONLY),
    "success.dashboard": ("GET", "/succeskriterier", STAFF_ONLY),
    "success.mine": ("GET", "/mine-resultater", {ANON: LOGIN, KOMMUNE: 404, SAGSBEHANDLER: 403, ADMIN: 403}),
    "success.export": ("GET", "/succeskriterier/maal.xlsx", STAFF_ONLY),
    "success.midterm_status": ("GET", "/succeskriterier/midtvejsstatus.pdf", STAFF_ONLY),
    "static": ("GET", "/static/css/portal.css", EVERYONE),
}


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}

    assert endpoints == set(ROUTES)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_it_should(app, make_user, role):
    admin = make_user(Role.ADMIN, email="walker-admin@star.dk")
    other = invite_user(email="aarhus-bruger@test.dk", name="Aarhus", role=Role.KOMMUNE,
                        kommune=get_kommune_by_name("Aarhus"), actor=admin)
    commit()
    theirs = submitted_application("Aarhus", actor=other)
    message_id = db.session.scalar(sa.select(OutboxMessage.id))
    client = app.test_client()
    if role != ANON:
        user = make_user(Role(role), kommune="Herning" if role == KOMMUNE else None)
        assert log_in(client, user.email).status_code == 302

    answers = {}
    for endpoint, (method, url, expected) in ROUTES.items():
        url = url.format(other=other.id, message=message_id, theirs=theirs.id)
        response = client.open(url, method=method)
        answers[endpoint] = response.status_code
        if role != ANON and endpoint == "auth.logout":
            log_in(client, user.email)

    assert answers == {endpoint: expected[role] for endpoint, (_, _, expected) in ROUTES.items()}


def test_kommune_user_never_sees_another_kommunes_users_or_mail(client, make_user, mailbox):
    make_user(Role.KOMMUNE, kommune="Aarhus", email="aarhus@test.dk")
    herning = make_user(Role.KOMMUNE, kommune="Herning", email="herning@test.dk")
    log_in(client, herning.email)

    pages = [client.get(url) for url in ("/overblik", "/brugere", "/udbakke/", "/haendelseslog", "/kommuner")]

    assert [page.status_code for page in pages] == [200, 403, 403, 403, 403]
    assert "aarhus@test.dk" not in pages[0].get_data(as_text=True)
    assert "Herning Kommune" in pages[0].get_data(as_text=True)
