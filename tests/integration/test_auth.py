"""Logging in, invitations, password resets and deactivation, against a real database and SMTP."""
import re

import pytest
import sqlalchemy as sa

from portal.audit.models import AuditEvent
from portal.auth.enums import Role
from portal.auth.models import User
from portal.auth.services import get_user_by_email
from portal.kommuner.services import get_kommune_by_name
from portal.extensions import db
from tests.conftest import PASSWORD, log_in

NEW_PASSWORD = "sygedagpenge-på-arbejdspladsen"


def _link_in(message, path: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(rf"http://portal\.test({path}/[\w.\-]+)", body)
    assert match, body
    return match.group(1)


def test_login_with_right_password_goes_to_dashboard(client, make_user):
    user = make_user(Role.SAGSBEHANDLER)

    response = log_in(client, user.email)

    assert (response.status_code, response.headers["Location"]) == (302, "/overblik")
    assert client.get("/overblik").status_code == 200


@pytest.mark.parametrize("email, password", [("sagsbehandler.star@test.dk", "forkert-adgangskode"),
                                             ("ukendt@test.dk", PASSWORD)])
def test_login_failure_says_the_same_for_wrong_password_and_unknown_user(client, make_user, email, password):
    make_user(Role.SAGSBEHANDLER)

    response = log_in(client, email, password)

    assert response.status_code == 200
    assert "E-mailadressen eller adgangskoden er forkert." in response.get_data(as_text=True)


def test_login_is_case_insensitive_in_the_email(client, make_user):
    user = make_user(Role.SAGSBEHANDLER)

    response = log_in(client, "  " + user.email.upper())

    assert response.status_code == 302


def test_login_follows_a_local_next_but_never_another_host(client, make_user):
    user = make_user(Role.SAGSBEHANDLER)

    local = client.post("/log-ind?next=/kommuner", data={"email": user.email, "password": PASSWORD})
    client.post("/log-ud")
    foreign = client.post("/log-ind?next=//evil.example/x", data={"email": user.email, "password": PASSWORD})

    assert (local.headers["Location"], foreign.headers["Location"]) == ("/kommuner", "/overblik")


def test_login_is_rate_limited_per_account_with_a_danish_message(app, client, make_user):
    app.config.update(RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes")
    from portal.extensions import limiter

    limiter.init_app(app)
    user = make_user(Role.KOMMUNE, kommune="Herning")

    failures = [log_in(client, user.email, "forkert-forkert").status_code for _ in range(3)]
    blocked = log_in(client, user.email, PASSWORD)

    assert failures == [200, 200, 200]
    assert blocked.status_code == 429
    assert "For mange mislykkede loginforsøg" in blocked.get_data(as_text=True)


def test_login_rate_limit_per_ip_counts_failures_across_accounts(app, client, make_user):
    app.config.update(RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_IP="4 per 15 minutes")
    from portal.extensions import limiter

    limiter.init_app(app)
    user = make_user(Role.KOMMUNE, kommune="Herning")

    statuses = [log_in(client, f"person{i}@test.dk", "forkert-forkert").status_code for i in range(4)]
    blocked = log_in(client, user.email, PASSWORD)

    assert statuses == [200, 200, 200, 200]
    assert blocked.status_code == 429


def _from_address(app, address: str):
    """A browser of its own, whose requests come through the proxy with the client's address in X-Forwarded-For."""
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return client


LIMITED_PER_IP = {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_IP": "2 per 15 minutes"}


@pytest.mark.parametrize("app_config", [{**LIMITED_PER_IP, "TRUSTED_PROXIES": 1}])
def test_behind_a_trusted_proxy_each_client_address_has_its_own_login_limit(app, make_user):
    user = make_user(Role.KOMMUNE, kommune="Herning")
    guesser, colleague = _from_address(app, "192.0.2.10"), _from_address(app, "198.51.100.20")

    guesses = [log_in(guesser, f"person{i}@test.dk", "forkert-forkert").status_code for i in range(2)]

    assert guesses == [200, 200]
    assert log_in(guesser, user.email).status_code == 429
    assert log_in(colleague, user.email).status_code == 302


@pytest.mark.parametrize("app_config", [LIMITED_PER_IP])
def test_without_a_trusted_proxy_a_client_cannot_name_its_own_address_to_escape_the_limit(app, make_user):
    user = make_user(Role.KOMMUNE, kommune="Herning")
    guesses = [log_in(_from_address(app, f"192.0.2.{i}"), f"person{i}@test.dk", "forkert-forkert").status_code
               for i in range(2)]

    assert guesses == [200, 200]
    assert log_in(_from_address(app, "198.51.100.20"), user.email).status_code == 429


def test_invitation_mail_arrives_and_its_link_sets_the_password_once(client, make_user, mailbox):
    staff = make_user(Role.SAGSBEHANDLER)
    log_in(client, staff.email)

    response = client.post("/brugere/inviter", data={
        "name": "Bodil Clark", "email": "Bodil.Clark@Herning.dk", "role": "kommune",
        "kommune_id": str(get_kommune_by_name("Herning").id)})
    assert response.status_code == 302
    [message] = mailbox.messages_to("bodil.clark@herning.dk")
    assert message["Subject"] == "Invitation til Puljeportalen – Sammen om fastholdelse"
    link = _link_in(message, "/invitation")

    client.post("/log-ud")
    chosen = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = client.get(link)

    assert (chosen.status_code, chosen.headers["Location"]) == (302, "/overblik")
    assert again.status_code == 400
    assert "allerede brugt" in again.get_data(as_text=True)
    client.post("/log-ud")
    assert log_in(client, "bodil.clark@herning.dk", NEW_PASSWORD).status_code == 302


def test_invitation_with_a_short_password_keeps_the_link_and_says_why(client, make_user, mailbox):
    staff = make_user(Role.ADMIN)
    log_in(client, staff.email)
    client.post("/brugere/inviter", data={"name": "Ny Kollega", "email": "kollega@star.dk", "role": "sagsbehandler"})
    link = _link_in(mailbox.messages_to("kollega@star.dk")[0], "/invitation")
    client.post("/log-ud")

    response = client.post(link, data={"password": "kort", "confirm": "kort"})

    assert response.status_code == 200
    assert "Adgangskoden skal være på mindst 12 tegn." in response.get_data(as_text=True)
    assert client.get(link).status_code == 200


def test_invite_form_errors_are_danish_and_at_the_fields(client, make_user, mailbox):
    staff = make_user(Role.SAGSBEHANDLER)
    log_in(client, staff.email)

    response = client.post("/brugere/inviter", data={"name": "", "email": "ikke-en-adresse", "role": "kommune"})
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Skriv brugerens navn." in page
    assert "Skriv en gyldig e-mailadresse, fx navn@kommune.dk." in page
    assert "Vælg den kommune, brugeren hører til." in page
    assert mailbox.messages == []


def test_invite_of_an_existing_email_is_refused_at_the_field(client, make_user, mailbox):
    staff = make_user(Role.SAGSBEHANDLER)
    log_in(client, staff.email)

    response = client.post("/brugere/inviter", data={"name": "Igen", "email": staff.email, "role": "sagsbehandler"})

    assert "Der findes allerede en bruger med denne e-mailadresse." in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_caseworker_cannot_invite_an_administrator(client, make_user):
    staff = make_user(Role.SAGSBEHANDLER)
    log_in(client, staff.email)

    client.post("/brugere/inviter", data={"name": "Chef", "email": "chef@star.dk", "role": "admin"})

    assert get_user_by_email("chef@star.dk") is None


def test_password_reset_mails_a_single_use_link(client, make_user, mailbox):
    user = make_user(Role.KOMMUNE, kommune="Læsø")

    response = client.post("/glemt-adgangskode", data={"email": user.email})
    link = _link_in(mailbox.messages_to(user.email)[0], "/nulstil-adgangskode")
    reset = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 302
    assert reset.status_code == 302
    client.post("/log-ud")
    assert log_in(client, user.email, PASSWORD).status_code == 200
    assert log_in(client, user.email, NEW_PASSWORD).status_code == 302
    assert client.get(link).status_code == 400


def test_password_reset_for_an_unknown_address_sends_nothing_but_says_the_same(client, make_user, mailbox):
    make_user(Role.KOMMUNE, kommune="Læsø")

    response = client.post("/glemt-adgangskode", data={"email": "ingen@test.dk"}, follow_redirects=True)

    assert "Hvis adressen hører til en bruger i portalen" in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_a_tampered_link_is_refused_in_danish(client):
    response = client.get("/invitation/ikke-et-rigtigt-link")

    assert response.status_code == 400
    assert "Linket er ugyldigt" in response.get_data(as_text=True)


def test_deactivated_user_is_logged_out_and_cannot_log_in(app, make_user):
    admin = make_user(Role.ADMIN)
    kommune_user = make_user(Role.KOMMUNE, kommune="Odense")
    admin_client, kommune_client = app.test_client(), app.test_client()
    log_in(admin_client, admin.email)
    log_in(kommune_client, kommune_user.email)

    admin_client.post(f"/brugere/{kommune_user.id}/deaktiver")

    assert kommune_client.get("/overblik").status_code == 302
    response = log_in(kommune_client, kommune_user.email)
    assert "Din bruger er deaktiveret." in response.get_data(as_text=True)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.deactivated"))
    assert (event.actor_label, event.before, event.after) == (admin.email, {"active": True}, {"active": False})


def test_staff_cannot_deactivate_themselves(client, make_user):
    admin = make_user(Role.ADMIN)
    log_in(client, admin.email)

    response = client.post(f"/brugere/{admin.id}/deaktiver")

    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, admin.id).active is True
