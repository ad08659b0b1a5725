"""Security: CSRF on every POST, headers on every page, production refuses development defaults."""
import pytest

from portal import create_app
from portal.auth.enums import Role
from portal.security import CONTENT_SECURITY_POLICY


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
