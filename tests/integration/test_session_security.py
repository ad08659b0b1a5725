"""Sessions and links: a fresh session at login, none left after logout, reset links that expire and work once.

CSRF is on here, as in production: every POST carries the token the page gave, like a browser's.
Login throttling has its tests in test_auth.py (per account and per IP).
"""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.audit.models import AuditEvent
from portal.auth.enums import Role
from portal.auth.tokens import INVITATION, PASSWORD_RESET, make_token
from portal.extensions import db
from tests.conftest import PASSWORD
from tests.support.html import input_values, page_text

NEW_PASSWORD = "en-ny-adgangskode-til-puljen"
OTHER_PASSWORD = "endnu-en-adgangskode-2017"


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}


@pytest.fixture
def kommune_user(make_user):
    return make_user(Role.KOMMUNE, kommune="Herning")


def _token(client, url: str = "/log-ind") -> str:
    """The CSRF token the page at `url` gives this client's session."""
    return input_values(client.get(url))["csrf_token"]


def _log_in(client, email: str, password: str = PASSWORD):
    return client.post("/log-ind", data={"email": email, "password": password, "csrf_token": _token(client)})


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def _replayed(app, cookie: str):
    """A second browser that sends a copied session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def _is_logged_in(client) -> bool:
    response = client.get("/overblik")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_login_starts_a_new_session_and_nothing_from_before_login_carries_the_identity(app, client, kommune_user):
    planted = _token(client)  # what a page seen before login carries, or what someone planted in the browser
    before = _session_cookie(client)

    response = _log_in(client, kommune_user.email)

    assert (response.status_code, response.headers["Location"]) == (302, "/overblik")
    assert _session_cookie(client) != before
    assert (_is_logged_in(client), _is_logged_in(_replayed(app, before))) == (True, False)
    assert client.post("/log-ud", data={"csrf_token": planted}).status_code == 400
    assert _is_logged_in(client) is True


def test_logout_ends_every_session_of_the_user_also_copies_of_its_cookie(app, client, kommune_user):
    other_browser = app.test_client()
    _log_in(client, kommune_user.email)
    _log_in(other_browser, kommune_user.email)
    captured = _session_cookie(client)

    response = client.post("/log-ud", data={"csrf_token": _token(client, "/overblik")})

    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert [_is_logged_in(browser) for browser in (client, _replayed(app, captured), other_browser)] == [False] * 3
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.logged_out"))
    assert (event.actor_label, event.object_label) == (kommune_user.email, kommune_user.email)
    assert _log_in(other_browser, kommune_user.email).status_code == 302
    assert _is_logged_in(other_browser) is True


def _reset_link(client, mailbox, user) -> str:
    client.post("/glemt-adgangskode", data={"email": user.email, "csrf_token": _token(client, "/glemt-adgangskode")})
    (message,) = mailbox.messages_to(user.email)
    body = message.get_body(preferencelist=("plain",)).get_content()
    (link,) = [word for word in body.split() if word.startswith("http://portal.test/nulstil-adgangskode/")]
    return link.removeprefix("http://portal.test")


def _choose(client, link: str, password: str):
    token = _token(client, "/glemt-adgangskode")  # the link's own page has no form once the link is dead
    return client.post(link, data={"password": password, "confirm": password, "csrf_token": token})


def _password_works(app, user, password: str) -> bool:
    return _log_in(app.test_client(), user.email, password).status_code == 302


def test_password_reset_link_works_until_two_hours_have_passed(app, client, kommune_user, mailbox, clock):
    link = _reset_link(client, mailbox, kommune_user)

    clock.advance(timedelta(hours=2, minutes=-1))
    almost = client.get(link)
    clock.advance(timedelta(minutes=2))
    expired = client.get(link)
    chosen = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                     "csrf_token": input_values(almost)["csrf_token"]})

    assert (almost.status_code, expired.status_code, chosen.status_code) == (200, 400, 400)
    assert "Linket er udløbet. Bed om et nyt." in page_text(expired)
    assert (_password_works(app, kommune_user, NEW_PASSWORD), _password_works(app, kommune_user, PASSWORD)) == (
        False, True)


def test_password_reset_link_works_once_and_ends_older_links(app, client, kommune_user, mailbox):
    older = _reset_link(client, mailbox, kommune_user)
    mailbox.clear()
    link = _reset_link(client, mailbox, kommune_user)
    assert _choose(client, link, NEW_PASSWORD).status_code == 302
    stranger = app.test_client()  # someone who finds the mails afterwards

    again, old = _choose(stranger, link, OTHER_PASSWORD), _choose(stranger, older, OTHER_PASSWORD)

    assert (again.status_code, old.status_code) == (400, 400)
    assert "Linket er allerede brugt eller ikke længere gyldigt. Bed om et nyt." in page_text(again)
    assert (_password_works(app, kommune_user, NEW_PASSWORD), _password_works(app, kommune_user, OTHER_PASSWORD)) \
        == (True, False)


def test_a_link_made_for_one_purpose_is_refused_for_the_other(client, kommune_user):
    responses = [client.get(used_as + make_token(kommune_user, purpose))
                 for purpose, used_as in ((INVITATION, "/nulstil-adgangskode/"), (PASSWORD_RESET, "/invitation/"))]

    assert [(response.status_code, "Linket er ugyldigt" in page_text(response)) for response in responses] == [
        (400, True), (400, True)]
