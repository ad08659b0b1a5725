"""Security: CSRF on every POST, headers on pages, errors and downloads, production without debug pages."""
import pytest
import sqlalchemy as sa
from flask import url_for

from portal import create_app
from portal.auth.enums import Role
from portal.auth.tokens import PASSWORD_RESET, make_token
from portal.extensions import db
from portal.pulje.services import get_pool
from portal.reports.services import list_reports_of
from portal.security import CONTENT_SECURITY_POLICY
from portal.transaction import commit
from portal.workshops.models import WorkshopEvent
from portal.workshops.services import generate_standard_series
from tests.support.html import page_text
from tests.support.reports import accepted, user_of
from tests.support.sessions import signed_in, staff_user


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}


def test_post_without_csrf_token_is_refused(client, make_user):
    user = make_user(Role.SAGSBEHANDLER)

    response = client.post("/log-ind", data={"email": user.email, "password": "en-god-adgangskode-2017"})

    assert response.status_code == 400


def test_every_page_has_security_headers(client):
    response = client.get("/")

    assert (response.headers["Content-Security-Policy"], response.headers["X-Frame-Options"],
            response.headers["X-Content-Type-Options"]) == (CONTENT_SECURITY_POLICY, "DENY", "nosniff")
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_pages_have_no_inline_script(client):
    html = client.get("/log-ind").get_data(as_text=True)

    assert html.count("<script") == html.count('<script src="')


@pytest.mark.parametrize("environment, missing", [
    ({}, "SECRET_KEY and DATABASE_URL"),
    ({"SECRET_KEY": "s" * 32}, "DATABASE_URL"),
    ({"DATABASE_URL": "sqlite:///x.db"}, "SECRET_KEY"),
])
def test_production_refuses_to_start_without_secret_key_and_database_url(monkeypatch, environment, missing):
    for name in ("SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_ENV", "production")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(RuntimeError, match=f"Production needs {missing}"):
        create_app()


def test_production_sets_secure_cookies(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db/portal")

    app = create_app()

    assert (app.config["SESSION_COOKIE_SECURE"], app.config["SESSION_COOKIE_HTTPONLY"],
            app.config["SQLALCHEMY_DATABASE_URI"]) == (True, True, "postgresql+psycopg://portal@db/portal")


# --- CSRF on every POST -----------------------------------------------------------------------------------------------

REFUSED = (400, "Forespørgslen kunne ikke behandles")
# The application sections check their own token (input sent after the session ended is kept, not lost):
# without it the kommune's page comes back with the refusal at the top and nothing saved; staff are refused first.
OWN_TOKEN_CHECK = {"applications.section": {"kommune": (200, "Siden var udløbet. Dine indtastninger er bevaret"),
                                            "admin": (403, "Du har ikke adgang til siden")}}
# Enough form input that a POST would change something if its token were not checked first.
FORM_INPUT = {"reason": "Uden token", "confirmed": "y", "target_group_description": "Ændret uden token",
              "email": "ny@herning.dk", "name": "Ny", "role": "admin", "password": "x" * 20, "confirm": "x" * 20,
              "paid_on": "28-08-2017", "first": "2017-11-07T10:00", "participants-0-name": "Anne",
              "participants-0-email": "anne@herning.test"}


def _database_rows() -> dict[str, list[tuple]]:
    """Every row of every table, in key order: what 'nothing changed' compares."""
    db.session.rollback()  # a fresh snapshot, not the one this session's transaction started on
    return {table.name: [tuple(row) for row in db.session.execute(sa.select(table).order_by(*table.primary_key))]
            for table in db.metadata.sorted_tables}


@pytest.fixture
def project(app, clock, sara, mailbox):
    """Herning and Aarhus with accepted grants, payments and reports; the workshop series; ids of all of it."""
    grants = accepted(clock, sara, "Herning", "Aarhus")
    generate_standard_series(get_pool(), actor=sara)
    commit()
    mailbox.clear()
    herning = grants["Herning"]
    return {"application_id": herning.application.id, "section_key": "maalgruppen",
            "user_id": user_of("Aarhus").id, "token": make_token(user_of("Herning"), PASSWORD_RESET),
            "grant_id": herning.id, "payment_id": herning.payments[0].id,
            "report_id": list_reports_of(herning)[0].id,
            "event_id": db.session.scalar(sa.select(WorkshopEvent.id).order_by(WorkshopEvent.id).limit(1))}


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(app, project, mailbox):
    clients = {"kommune": signed_in(app.test_client(), user_of("Herning")),
               "admin": signed_in(app.test_client(), staff_user(Role.ADMIN, "admin@csrf.test", "Admin"))}
    with app.test_request_context():
        urls = {rule.endpoint: url_for(rule.endpoint, **{name: project.get(name, 999999) for name in rule.arguments})
                for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    before = _database_rows()

    answers, expected = {}, {}
    for endpoint, url in sorted(urls.items()):
        for role, client in clients.items():
            expected[endpoint, role] = OWN_TOKEN_CHECK.get(endpoint, {}).get(role, REFUSED)
            text = expected[endpoint, role][1]
            response = client.post(url, data=FORM_INPUT)
            answers[endpoint, role] = (response.status_code, text if text in page_text(response) else None)

    assert len(urls) >= 50  # the walk found the portal's forms, not an empty map
    assert answers == expected
    assert _database_rows() == before
    assert mailbox.messages == []


# --- headers on pages, errors and downloads ---------------------------------------------------------------------------

def _responses(client) -> dict[str, object]:
    """A page, a file, the error pages and a refused POST, as the client (signed in as staff) gets them."""
    return {"page": client.get("/"), "static": client.get("/static/css/portal.css"),
            "download": client.get("/ansoegninger/eksport.csv"), "not found": client.get("/findes-ikke"),
            "forbidden": client.get("/puljen/rediger"), "bad request": client.post("/log-ud"),
            "wrong method": client.get("/log-ud")}


def _headers(responses) -> dict[str, tuple]:
    return {name: (response.status_code, response.headers.get("Content-Security-Policy"),
                   response.headers.get("X-Frame-Options"), response.headers.get("X-Content-Type-Options"),
                   response.headers.get("Strict-Transport-Security"))
            for name, response in responses.items()}


STATUSES = {"page": 200, "static": 200, "download": 200, "not found": 404, "forbidden": 403, "bad request": 400,
            "wrong method": 405}


def test_pages_errors_and_downloads_carry_the_security_headers_and_no_hsts_outside_production(app, sara_client):
    headers = _headers(_responses(sara_client))

    assert headers == {name: (status, CONTENT_SECURITY_POLICY, "DENY", "nosniff", None)
                       for name, status in STATUSES.items()}
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY.split("; ")


@pytest.fixture
def production(app, database_url, clock, monkeypatch):
    """The portal as production runs it (PORTAL_ENV=production, no TESTING), on the test's database."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    production_app = create_app({"DATABASE_URL": database_url, "CLOCK": clock, "PUBLIC_BASE_URL": "https://portal.test"})

    def fail():
        raise RuntimeError("hemmelig detalje fra serveren")

    production_app.add_url_rule("/fejl-til-test", "fail_for_test", fail)
    yield production_app
    with production_app.app_context():
        db.engine.dispose()


def test_production_adds_hsts_to_pages_errors_and_downloads(production, sara):
    client = production.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # the session cookie is Secure in production
    with client.session_transaction(base_url="https://localhost") as session:
        session.update({"_user_id": sara.get_id(), "_fresh": True})

    headers = _headers(_responses(client))

    hsts = "max-age=31536000; includeSubDomains"
    assert headers == {name: (status, CONTENT_SECURITY_POLICY, "DENY", "nosniff", hsts)
                       for name, status in STATUSES.items()}


def test_an_error_in_production_shows_the_danish_page_without_a_traceback(production):
    response = production.test_client().get("/fejl-til-test")

    html = response.get_data(as_text=True)
    assert (response.status_code, production.debug) == (500, False)
    assert "Der skete en fejl hos os. Intet er gemt fra den handling, du lige foretog." in page_text(response)
    assert [word for word in ("Traceback", "RuntimeError", "hemmelig detalje", "Werkzeug", "File \"")
            if word in html] == []
    assert (response.headers["Content-Security-Policy"], response.headers["X-Frame-Options"]) == (
        CONTENT_SECURITY_POLICY, "DENY")


def test_production_refuses_to_start_in_debug_mode(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db/portal")
    monkeypatch.setenv("FLASK_DEBUG", "1")

    with pytest.raises(RuntimeError, match="Production cannot run in debug mode"):
        create_app()


@pytest.mark.parametrize("url", ["/rapportering/2147483648", "/tilsagn/9223372036854775808",
                                 "/ansoegninger/99999999999999999999"])
def test_an_id_beyond_the_databases_integers_is_not_found(client, make_user, url):
    signed_in(client, make_user(Role.SAGSBEHANDLER))

    assert client.get(url).status_code == 404
