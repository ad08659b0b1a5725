"""With the keyboard only: a kommune finishes its application (a section and the check page) and books a workshop.

No mouse and no filling of fields found on the page: the journeys press Tab, Shift+Tab, Enter and Space and
type where the focus is, like a person without a mouse. Every element the focus lands on must show it
(an outline or a ring, :focus-visible), and the skip link must take the focus past the menu into the page.
Like the axe sweep, this runs on SQLite only: what the keyboard meets is the HTML, whatever the database.
"""
from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import expect

from portal.applications.template import SECTIONS
from portal.auth.enums import Role
from portal.clock import COPENHAGEN
from portal.pulje.services import get_pool
from portal.transaction import commit
from portal.workshops.services import generate_standard_series
from tests.conftest import PASSWORD
from tests.support.applications import draft_application
from tests.support.grants import participating

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

HANNE = "hanne.holm@herning.dk"
AFTER_GRANTS = datetime(2017, 8, 28, 10, 0, tzinfo=COPENHAGEN)
# What has the focus: its name (its label, else its text), whether it is in <main>, and whether the focus shows:
# an outline or a ring on it or, for a check box or radio button drawn by its label, on the label's box.
FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const labels = element.labels ? Array.from(element.labels) : [];
  const name = (element.getAttribute("aria-label") || (labels.length ? labels[0].textContent : "")
                || element.textContent || element.value || "").replace(/\\s+/g, " ").trim();
  const ring = style => (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
                        || style.boxShadow !== "none";
  const drawnByLabel = ["checkbox", "radio"].includes(element.type) && labels.length > 0;
  const shown = element.matches(":focus-visible")
                && (ring(getComputedStyle(element)) || (drawnByLabel && ring(getComputedStyle(labels[0], "::before"))));
  return {name: name, id: element.id, shown: shown, inMain: element.closest("main") !== null};
}"""


def _focused(page) -> dict:
    focused = page.evaluate(FOCUSED)
    assert focused is not None, "the focus has left the page's elements"
    assert focused["shown"], f"the focus does not show on {focused}"
    return focused


def _tab_to(page, name: str, *, key: str = "Tab", limit: int = 40) -> dict:
    """Press Tab (or Shift+Tab) until the element named `name` has the focus; the focus shows at every stop."""
    for _ in range(limit):
        page.keyboard.press(key)
        focused = _focused(page)
        if focused["name"] == name or focused["name"].startswith(f"{name} "):
            return focused
    raise AssertionError(f"{name!r} not reached with {limit} presses of {key}")


def _type_into(page, label: str, text: str) -> None:
    """Tab to the field labelled `label` and type."""
    _tab_to(page, label)
    page.keyboard.type(text)


def _log_in(page, heading: str) -> None:
    """The login page with the keyboard: the skip link first, then the fields, and Enter."""
    page.goto("/log-ind")
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "Gå til sidens indhold"
    expect(page.locator(".skipnav")).to_be_in_viewport(ratio=1)  # shown on focus, hidden until then
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    assert _focused(page) == {"name": "E-mailadresse", "id": "email", "shown": True, "inMain": True}  # past the header
    page.keyboard.type(HANNE)
    _type_into(page, "Adgangskode", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_kommune_finishes_and_submits_its_application_with_the_keyboard(page, make_user):
    hanne = make_user(Role.KOMMUNE, kommune="Herning", email=HANNE, name="Hanne Holm")
    draft_application("Herning", actor=hanne, sections=SECTIONS[:5])  # all but "6. Kontakt og indsendelse"
    _log_in(page, "Herning Kommune")

    _tab_to(page, "Arbejd videre med ansøgningen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ansøgning fra Herning Kommune")
    _tab_to(page, "6. Kontakt og indsendelse")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("6. Kontakt og indsendelse")

    # The section: four fields typed, the declaration ticked with Space; a typing error fixed after Shift+Tab.
    _type_into(page, "Kontaktpersonens navn", "Hanne Holm")
    _type_into(page, "Stilling", "Jobcenterchef")
    _type_into(page, "E-mail", "hanne.holm@herning.dk")
    _type_into(page, "Telefon", "96 28 28 29")
    declaration = "Kommunens ledelse står bag ansøgningen og forpligter sig til projektets kerneelementer"
    _tab_to(page, declaration)
    page.keyboard.press("Space")
    expect(page.get_by_label(declaration)).to_be_checked()
    _tab_to(page, "Telefon", key="Shift+Tab")
    page.keyboard.press("End")  # the focus selects what the field holds; End keeps it and goes to its end
    page.keyboard.press("Backspace")
    page.keyboard.type("8")
    _tab_to(page, "Gem og fortsæt")
    page.keyboard.press("Enter")

    # The check page: nothing is missing; the submit button is reached and pressed with Enter.
    expect(page.get_by_role("heading", level=1)).to_have_text("Tjek dine svar")
    expect(page.get_by_text("96 28 28 28", exact=True)).to_be_visible()
    _tab_to(page, "Indsend ansøgningen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Ansøgningen er indsendt")).to_have_text(
        "Ansøgningen er indsendt. Kvitteringen er sendt til jer på mail.")


def test_kommune_books_a_workshop_with_the_keyboard(page, make_user, clock):
    sara = make_user(Role.SAGSBEHANDLER, email="sara@star.test", name="Sara Sagsbehandler")
    participating(clock, sara, "Herning", "Aarhus", after_deadline=AFTER_GRANTS)
    generate_standard_series(get_pool(), actor=sara)
    commit()
    make_user(Role.KOMMUNE, kommune="Herning", email=HANNE, name="Hanne Holm")
    _log_in(page, "Herning Kommune")

    # The skip link's #main-content stays in the address through the login, so the focus starts at the page's
    # content: the main menu is behind it.
    assert page.url.endswith("/overblik#main-content")
    _tab_to(page, "Workshops", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Workshops og møder")
    _tab_to(page, "Opstartsworkshop 1 (uge 40)")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opstartsworkshop 1 (uge 40)")

    # Deltager 1's fields, in the order the fieldset gives them, then the button with Space.
    _type_into(page, "Navn", "Anne Andersen")
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "Stilling (frivilligt)"
    page.keyboard.type("Fastholdelseskonsulent")
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "E-mail"
    page.keyboard.type("anne.andersen@herning.dk")
    _tab_to(page, "Tilmeld")
    page.keyboard.press("Space")

    booked = "Kommunen er tilmeldt. Invitationen er sendt til deltagerne."
    expect(page.get_by_role("status").filter(has_text=booked)).to_have_text(booked)
    expect(page.locator(".event-facts")).to_contain_text("Tilmeldt")
