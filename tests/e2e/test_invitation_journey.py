"""A caseworker invites a kommune user; the user opens the link from the mail, sets a password, logs in."""
import re

from playwright.sync_api import expect

from portal.auth.enums import Role
from tests.conftest import PASSWORD

NEW_PASSWORD = "første samtale på arbejdspladsen"


def test_caseworker_invites_a_kommune_user_who_sets_a_password_and_logs_in(page, make_user, mailbox):
    caseworker = make_user(Role.SAGSBEHANDLER, name="Søren Sagsbehandler")

    page.goto("/log-ind")
    page.get_by_label("E-mailadresse").fill(caseworker.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overblik")

    page.get_by_role("link", name="Brugere").click()
    page.get_by_role("link", name="Invitér en bruger").click()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#name-error")).to_contain_text("Skriv brugerens navn.")

    page.get_by_label("Navn").fill("Bodil Clark")
    page.get_by_label("E-mailadresse").fill("bodil.clark@herning.dk")
    page.get_by_label("Kommunebruger").check()
    page.get_by_label("Kommune", exact=True).select_option(label="Herning")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Bodil Clark er inviteret.")
    expect(page.get_by_role("row", name=re.compile("bodil.clark@herning.dk"))).to_contain_text("Inviteret")
    page.get_by_role("button", name="Log ud").click()

    [mail] = mailbox.messages_to("bodil.clark@herning.dk")
    link = re.search(r"http://127\.0\.0\.1:\d+/invitation/\S+", mail.get_body(("plain",)).get_content()).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen til Puljeportalen, Bodil Clark")
    page.get_by_label("Ny adgangskode").fill("for kort")
    page.get_by_label("Gentag adgangskoden").fill("for kort")
    page.get_by_role("button", name="Gem adgangskode og log ind").click()
    expect(page.locator("#password-error")).to_contain_text("Adgangskoden skal være på mindst 12 tegn.")
    page.get_by_label("Ny adgangskode").fill(NEW_PASSWORD)
    page.get_by_label("Gentag adgangskoden").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Gem adgangskode og log ind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Herning Kommune")
    page.get_by_role("button", name="Log ud").click()

    page.goto("/log-ind")
    page.get_by_label("E-mailadresse").fill("bodil.clark@herning.dk")
    page.get_by_label("Adgangskode").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Herning Kommune")
    expect(page.locator("main")).to_contain_text("Midt-Nord")
    expect(page.get_by_role("link", name="Brugere")).to_have_count(0)
