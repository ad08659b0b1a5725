"""axe-core in Chromium on every page of every role: no violations of WCAG 2.1 A and AA, and no duplicate ids.

The pages come from the app's URL map: every GET route that answers with a page (file downloads and
static files left out by their ending) is in pages() with real ids, or in SKIPPED with the reason, so a
new page fails this module until it is swept. Each role (anonymous, a kommune user, a caseworker, an
administrator) opens every page; what a role may not open (a redirect to the login page, 403 or 404)
is not its page, but every page must be opened by some role, and the error pages (400, 403, 404) are
checked once. The data is a pool in its project phase, made through the services. Pages in states
that matter are checked too: forms sent back with their errors, the kommune's report form, the success
criteria with their charts and the selection with its map, the application while it can be changed.
Everything folded into a <details> is opened first, so the forms in them are checked as well.

The module runs on SQLite only: what axe checks is the HTML the templates give, which does not depend
on the database, and the sweep is the suite's slowest browser test.
"""
from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from axe_playwright_python.base import AXE_FILE_PATH, AxeResults
from flask import url_for
from playwright.sync_api import expect

from portal.applications.template import SECTIONS
from portal.auth import tokens
from portal.auth.enums import Role
from portal.auth.services import invite_user
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.grants.changes import request_change
from portal.kommuner.services import get_kommune_by_name
from portal.outbox.models import OutboxMessage
from portal.pulje.services import get_pool
from portal.reports.services import approve_report
from portal.transaction import commit
from portal.workshops import services as workshops
from portal.workshops.models import WorkshopEvent
from portal.workshops.rules import Participant
from tests.support.applications import draft_application
from tests.support.browser import log_in
from tests.support.reports import accepted, file_report, grant_of, report_of, user_of

# One backend is enough (see the module's docstring); the id stays [sqlite] as elsewhere.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(details => { details.open = true; })"
DUPLICATE_IDS = """() => {
  const seen = {};
  document.querySelectorAll("[id]").forEach(element => { seen[element.id] = (seen[element.id] || 0) + 1; });
  return Object.keys(seen).filter(id => seen[id] > 1).sort();
}"""

AFTER_Q4 = datetime(2018, 1, 10, 9, 0, tzinfo=COPENHAGEN)
PROJECT_DAY = datetime(2018, 4, 27, 10, 0, tzinfo=COPENHAGEN)  # Q4 2017 reported, Q1 2018 being written
Q4, Q1 = "Aktivitetsrapport for 4. kvartal 2017", "Aktivitetsrapport for 1. kvartal 2018"
HANNE = "hanne.holm@herning.dk"
ROLES = {"anonymous": None, "kommune": HANNE, "sagsbehandler": "sara@star.test", "admin": "anne@star.test"}
HEADINGS = {"kommune": "Herning Kommune"}
# File downloads and static files are no pages; they are left out by their URL's ending.
DOWNLOAD = re.compile(r"(\.pdf|\.csv|\.xlsx|\.ics|\.<any\(csv, xlsx\):kind>)$")
SKIPPED = {
    "static": "the stylesheets, scripts and fonts the pages use",
    "outbox.attachment": "a mail's attachment (a PDF or .ics) as a download",
    "pulje.accessibility_short": "a redirect to the accessibility statement, which is swept",
}


def pages(ids: dict) -> dict[str, list[dict]]:
    """endpoint -> the url_for arguments of each of its pages (more than one where a state matters)."""
    return {
        "pulje.front_page": [{}],
        "pulje.dashboard": [{}],
        "pulje.edit_pool": [{}],
        "pulje.accessibility": [{}],
        "auth.login": [{}],
        "auth.forgot_password": [{}],
        "auth.accept_invitation": [{"token": ids["invitation"]}, {"token": "ugyldigt"}],  # and the 400 page
        "auth.reset_password": [{"token": ids["reset"]}],
        "auth.users": [{}],
        "auth.invite": [{}],
        "kommuner.index": [{}],
        "outbox.index": [{}],
        "outbox.show": [{"message_id": ids["message"]}],
        "audit.index": [{}],
        "applications.overview": [{"application_id": ids["application"]}],
        "applications.section": [{"application_id": ids["application"], "section_key": section.key}
                                 for section in SECTIONS],
        "applications.review": [{"application_id": ids["application"]}],
        "applications.receipt": [{"application_id": ids["application"]}],
        "casework.index": [{}],
        "casework.show": [{"application_id": ids["application"]}],
        "casework.reopen": [{"application_id": ids["application"]}],
        "review.index": [{}],
        "review.score": [{"application_id": ids["application"]}],
        "review.settings": [{}],
        "selection.index": [{}, {"forslag": "1"}],
        "selection.confirm": [{}],
        "allocation.index": [{}],
        "allocation.override": [{"application_id": ids["application"]}],
        "grants.index": [{}],
        "grants.show": [{"grant_id": ids["grant"]}],
        "grants.mine": [{}],
        "grant_changes.request_change": [{}],
        "grant_changes.decide_change": [{"grant_id": ids["grant"], "change_id": ids["change"]}],
        "workshops.index": [{}],
        "workshops.create": [{}],
        "workshops.edit": [{"event_id": ids["past_event"]}, {"event_id": ids["open_event"]}],
        "workshops.mine": [{}],
        "workshops.show": [{"event_id": ids["past_event"]}, {"event_id": ids["open_event"]}],
        "workshops.sparring": [{}],
        "workshops.confirm_sparring": [{"request_id": ids["sparring"]}],
        "reports.mine": [{}],
        "reports.edit": [{"report_id": ids["report_submitted"]}, {"report_id": ids["report_draft"]}],
        "report_casework.index": [{}],
        "report_casework.show": [{"report_id": ids["report_submitted"]}, {"report_id": ids["report_draft"]}],
        "success.dashboard": [{}, {"kommune": ids["kommune_code"]}],
        "success.mine": [{}],
    }


def page_endpoints(app) -> set[str]:
    """The endpoints that answer GET with a page: every GET route but the downloads and SKIPPED."""
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not DOWNLOAD.search(rule.rule) and rule.endpoint not in SKIPPED}


class Sweep:
    """Opens pages in a browser tab, checks each, and remembers what it found, who opened what, and the charts."""

    def __init__(self):
        self.violations: dict[str, list[str]] = {}
        self.opened: dict[str, set[str]] = {}  # endpoint -> the roles that opened it
        self.with_svg: set[str] = set()         # the pages that showed a chart or the map
        self.error_pages: set[int] = set()

    def check(self, page, what: str) -> None:
        """axe on the page with every <details> opened (the forms folded into them count too), and unique ids."""
        page.evaluate(OPEN_DETAILS)
        results = AxeResults(page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)).response
        found = [f"{violation['id']} ({violation['impact']}): {violation['help']} at "
                 + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
                 for violation in results["violations"]]
        duplicates = page.evaluate(DUPLICATE_IDS)
        if duplicates:
            found.append(f"duplicate ids (WCAG 4.1.1; a label or aria reference finds only the first): {duplicates}")
        if found:
            self.violations[what] = found
        if page.locator('svg[role="img"]').count():
            address = urlsplit(page.url)
            self.with_svg.add(f"{address.path}?{address.query}" if address.query else address.path)

    def visit(self, page, role: str, endpoint: str | None, url: str) -> None:
        """Open the page and check it if the role may see it; an error page is checked once per status.

        A request without the browser comes first, so the pages a role may not open are not rendered."""
        status = page.request.get(url, max_redirects=0).status
        if status in (301, 302, 303) or (status != 200 and status in self.error_pages):
            return  # to the login page (anonymous), or from the login page to the dashboard
        page.goto(url)
        if status == 200:
            self.opened.setdefault(endpoint, set()).add(role)
            self.check(page, f"{role} {url}")
        else:
            self.error_pages.add(status)
            self.check(page, f"{role} {url} ({status})")

    def report(self) -> str:
        return "\n".join(f"{what}:\n    " + "\n    ".join(found) for what, found in sorted(self.violations.items()))


def _project(clock, make_user) -> dict:
    """Herning, Aarhus and Læsø in the project as of 27 April 2018, through the services; the ids the pages need.

    Herning (whose user Hanne Holm browses) is booked on an opstartsworkshop that has been held, has
    proposed sparring times, asks to move money, and has filed its report on Q4 2017 (approved) while
    Q1 2018 is a draft; Aarhus has filed Q4 (waiting for the agency); Læsø's Q4 report is late.
    """
    admin = make_user(Role.ADMIN, email=ROLES["admin"], name="Anne Administrator")
    sara = make_user(Role.SAGSBEHANDLER, email=ROLES["sagsbehandler"], name="Sara Sagsbehandler")
    hanne = make_user(Role.KOMMUNE, kommune="Herning", email=HANNE, name="Hanne Holm")
    grants = accepted(clock, sara, "Herning", "Aarhus", "Læsø")
    pool, herning = get_pool(), get_kommune_by_name("Herning")
    workshops.generate_standard_series(pool, actor=sara)
    events = {event.title: event for event in db.session.scalars(sa.select(WorkshopEvent))}
    past_event = events["Opstartsworkshop 1 (uge 40)"]
    workshops.book(past_event, kommune=herning, actor=hanne,
                   participants=[Participant("Anne Andersen", "Fastholdelseskonsulent", "anne.andersen@herning.dk")])
    sparring = workshops.propose_sparring(
        pool, kommune=herning, actor=hanne, manager_name="Mette Madsen", manager_email="mette.madsen@herning.dk",
        note="Gerne om formiddagen.", dates=[datetime(2017, 11, 7, 10, 0, tzinfo=COPENHAGEN),
                                              datetime(2017, 11, 14, 13, 0, tzinfo=COPENHAGEN)])
    change = request_change(grants["Herning"], actor=hanne, reason="Rådgiverne ansættes et kvartal tidligere.",
                            split={(2017, "fastholdelseskonsulenter"): 250_000,
                                   (2018, "fastholdelseskonsulenter"): 550_000})
    invited = invite_user(email="ny.kollega@star.test", name="Ny Kollega", role=Role.SAGSBEHANDLER, actor=admin)
    commit()
    clock.set(AFTER_Q4)
    herning_q4 = file_report(report_of(grants["Herning"], Q4), actor=user_of("Herning"))
    approve_report(herning_q4, actor=sara)
    file_report(report_of(grants["Aarhus"], Q4), actor=user_of("Aarhus"),
                figures={"new_recipients": 520, "conversations_held": 410, "planned_at_workplace": 350,
                         "held_at_workplace": 301, "with_employer": 280, "held_before_week_8": 300,
                         "measure_before_week_13": 200, "cases_ended": 40, "in_work_or_education": 25,
                         "phone_follow_ups": 30})
    clock.set(PROJECT_DAY)
    open_event = next(event for event in events.values() if workshops.booking_problem(event, herning) is None)
    ids = {"application": grant_of("Herning").application_id, "grant": grant_of("Herning").id,
           "change": change.id, "past_event": past_event.id, "open_event": open_event.id, "sparring": sparring.id,
           "report_submitted": herning_q4.id, "report_draft": report_of(grant_of("Herning"), Q1).id,
           "kommune_code": herning.code, "message": db.session.scalar(sa.select(sa.func.min(OutboxMessage.id))),
           "invitation": tokens.make_token(invited, tokens.INVITATION),
           "reset": tokens.make_token(hanne, tokens.PASSWORD_RESET)}
    commit()
    return ids


@pytest.fixture
def app_config():
    """As in every browser test, with the stylesheets and scripts cached: a page does not fetch them again."""
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False, "SEND_FILE_MAX_AGE_DEFAULT": 3600}


def _browser_of(new_page, role: str):
    """A browser of its own for the role, signed in; axe-core (bundled with axe-playwright-python) in every page."""
    page = new_page()
    page.context.add_init_script(path=AXE_FILE_PATH)
    if ROLES[role]:
        log_in(page, ROLES[role], HEADINGS.get(role, "Overblik"))
    return page


def test_every_page_is_swept_or_skipped_with_a_reason(app):
    ids = {key: 1 for key in ("invitation", "reset", "message", "application", "grant", "change", "past_event",
                              "open_event", "sparring", "report_submitted", "report_draft", "kommune_code")}

    assert set(pages(ids)) == page_endpoints(app)


def test_every_page_of_every_role_has_no_accessibility_violations(app, new_page, make_user, clock):
    ids = _project(clock, make_user)
    with app.test_request_context():
        urls = {endpoint: [url_for(endpoint, **arguments) for arguments in variants]
                for endpoint, variants in pages(ids).items()}
    sweep = Sweep()

    for role in ROLES:
        page = _browser_of(new_page, role)
        for endpoint, variants in urls.items():
            for url in variants:
                sweep.visit(page, role, endpoint, url)
        if role == "anonymous":  # the 404 page, and the login form sent empty
            sweep.visit(page, role, None, "/findes-ikke")
            page.goto(urls["auth.login"][0])
            page.get_by_role("button", name="Log ind").click()
            expect(page.locator(".error-summary")).to_be_visible()
            sweep.check(page, "anonymous: the login form with its errors")
        elif role == "kommune":  # the quarter's report with a part larger than its whole
            page.goto(urls["reports.edit"][1])
            page.get_by_label("heraf holdt på arbejdspladsen", exact=True).fill("9999")
            page.get_by_role("button", name="Gem og indsend").click()
            expect(page.locator(".error-summary")).to_be_visible()
            sweep.check(page, "kommune: the report with its errors")
        elif role == "sagsbehandler":  # a new event sent empty
            page.goto(urls["workshops.create"][0])
            page.get_by_role("button", name="Gem", exact=True).click()
            expect(page.locator(".error-summary")).to_be_visible()
            sweep.check(page, "sagsbehandler: a new event with its errors")
        page.context.close()

    assert [endpoint for endpoint in urls if endpoint not in sweep.opened] == []  # every page is someone's
    assert sweep.error_pages == {400, 403, 404}
    assert {"/succeskriterier", f"/succeskriterier?kommune={ids['kommune_code']}", "/mine-resultater",
            "/udvaelgelse"} <= sweep.with_svg  # the charts and the map were there to check
    assert sweep.violations == {}, sweep.report()


def test_application_while_it_can_be_changed_has_no_accessibility_violations(new_page, make_user):
    hanne = make_user(Role.KOMMUNE, kommune="Herning", email=HANNE, name="Hanne Holm")
    application = draft_application("Herning", actor=hanne, sections=SECTIONS[:2])
    page = _browser_of(new_page, "anonymous")
    sweep = Sweep()

    sweep.visit(page, "anonymous", "pulje.front_page", "/")  # with the days left to the deadline
    log_in(page, HANNE, HEADINGS["kommune"])
    sweep.check(page, "kommune: the dashboard while the application is a draft")
    for endpoint, url in [("applications.overview", f"/ansoegning/{application.id}"),
                          *[("applications.section", f"/ansoegning/{application.id}/{section.key}")
                            for section in SECTIONS],
                          ("applications.review", f"/ansoegning/{application.id}/tjek")]:
        sweep.visit(page, "kommune", endpoint, url)
    page.goto(f"/ansoegning/{application.id}/maalgruppen")  # a decimal where a whole number belongs
    page.get_by_label("Forventet antal nye personer i målgruppen pr. måned").fill("12,5")
    page.get_by_role("button", name="Gem", exact=True).click()
    expect(page.locator("#new_per_month-error")).to_be_visible()
    sweep.check(page, "kommune: a section with its errors")
    page.goto(f"/ansoegning/{application.id}/oekonomi?tjek=1")  # what is missing, at the fields
    sweep.check(page, "kommune: the budget with what is missing")

    assert sweep.violations == {}, sweep.report()
