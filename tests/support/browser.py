"""Steps every browser journey takes: log in, use the main menu, find a status message."""
from playwright.sync_api import expect

from tests.conftest import PASSWORD


def log_in(page, email: str, heading: str = "Overblik") -> None:
    """Log in through the login page and wait for the dashboard's heading."""
    page.goto("/log-ind")
    page.get_by_label("E-mailadresse").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def menu(page, item: str) -> None:
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name=item, exact=True).click()


def status(page, text: str):
    """The status message (flash) that contains `text`."""
    return page.get_by_role("status").filter(has_text=text)
