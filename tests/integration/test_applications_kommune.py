"""The kommune's side of the application through the pages: bad input, colleagues, lost sessions, deadline, receipt."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from portal.applications.models import Application, ParkedInput, Submission
from portal.applications.services import PARKED_LIMIT
from portal.applications.rules import BudgetLineAnswer
from portal.applications.states import ApplicationStatus
from portal.applications.template import BUDGET_SECTION, SECTIONS_BY_KEY
from portal.audit.models import AuditEvent
from portal.auth.enums import Role
from portal.auth.services import create_user
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.kommuner.services import get_kommune_by_name
from portal.transaction import commit
from tests.conftest import PASSWORD, log_in
from tests.support import herning
from tests.support.applications import draft_application, submitted_application
from tests.support.documents import pdf_text
from tests.support.html import page_structure, page_text
from tests.support.sessions import signed_in

DEADLINE = datetime(2017, 8, 4, 12, 0, tzinfo=COPENHAGEN)
MINUTE_BEFORE_DEADLINE = datetime(2017, 8, 4, 11, 59, tzinfo=COPENHAGEN)
CONTACT = "bodil.clark@herning.dk"
PARTLY_SAVED = "Afsnittet er gemt, undtagen felterne med fejl. Ret dem, og gem igen."
RESTORED = ("Du var blevet logget ud, før afsnittet blev gemt. Dine indtastninger står i felterne: "
            "tjek dem, og tryk Gem.")
SUBMITTED_NO_CHANGES = ("Ansøgningen er indsendt og kan ikke ændres. Træk den tilbage, hvis I vil ændre den "
                        "før fristen.")
AFTER_DEADLINE = ("Fristen var 4. august 2017 kl. 12.00. Ansøgningen kan ikke længere ændres. "
                  "Kontakt styrelsen, hvis der er særlige grunde.")
WHOLE_NUMBER = "Skriv et helt tal uden decimaler, fx 800000 eller 800.000."

MAALGRUPPEN, OEKONOMI = herning.SECTIONS["maalgruppen"], herning.SECTIONS["oekonomi"]
HERNING_BUDGET = [
    ("fastholdelseskonsulenter", 2017, "Fastholdelsesrådgivere oktober–december", 200_000),
    ("fastholdelseskonsulenter", 2018, "Fastholdelsesrådgivere hele året", 600_000),
]
# What Herning's form input is stored as, answer by answer.
HERNING_ANSWERS = {
    "target_group_description": MAALGRUPPEN["target_group_description"],
    "new_per_month": 123, "category_2_count": 410, "category_3_count": 95, "baseline_measure_permille": 315,
    "target_group_needs": MAALGRUPPEN["target_group_needs"],
    "organisation_description": herning.SECTIONS["organisering"]["organisation_description"],
    "double_role_staff": 22, "ready_at_start": 5,
    "competence_description": herning.SECTIONS["kompetencer"]["competence_description"],
    "management_description": herning.SECTIONS["ledelse"]["management_description"],
    "activities_description": OEKONOMI["activities_description"],
    "contact_name": "Bodil Clark", "contact_title": herning.SECTIONS["kontakt"]["contact_title"],
    "contact_email": CONTACT, "contact_phone": "96 28 28 28", "management_declaration": True,
}
TARGET_GROUP = ("target_group_description", "new_per_month", "category_2_count", "category_3_count",
                "baseline_measure_permille", "target_group_needs")
# Sections 1 and 5 after Herning saved them, as the database holds them.
HERNING_SAVED = {**{name: HERNING_ANSWERS[name] for name in (*TARGET_GROUP, "activities_description")},
                 "budget": HERNING_BUDGET}
NOTHING_SAVED = {**{name: None for name in TARGET_GROUP}, "target_group_description": "",
                 "target_group_needs": "", "activities_description": "", "budget": []}


class _FormReader(HTMLParser):
    """The values a browser would send from the application form (buttons aside)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = "application-form" in (attrs.get("class") or "")
        elif not self._in_form or "name" not in attrs and tag != "option":
            return
        elif tag == "input" and attrs.get("type") == "checkbox":
            if "checked" in attrs:
                self.values[attrs["name"]] = attrs.get("value", "y")
        elif tag == "input":
            self.values[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea:
            # A browser drops the one line break that follows <textarea>.
            self.values[self._textarea] = re.sub(r"^\r?\n", "", self.values[self._textarea])
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_values(response) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(response.get_data(as_text=True))
    return reader.values


def error_at(response, field_id: str) -> str | None:
    """The message in the field's error span, as read on the page; None when the field has none."""
    html = response.get_data(as_text=True)
    if field_id == "budget_total":
        match = re.search(r'id="budget_total"><span class="form-error-message">(.*?)</span></div>', html, re.S)
    else:
        match = re.search(rf'<span class="form-error-message" id="{field_id}-error">(.*?)</span>\s*(?:<|$)',
                          html, re.S)
    if match is None:
        return None
    return " ".join(unescape(re.sub(r"<[^>]+>", "", match.group(1))).split()).removeprefix("Fejl: ")


def alerts(response) -> list[str]:
    """The texts of the page's alerts (flashed messages included), in order."""
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", text)).split())
            for text in re.findall(r'<p class="alert-text">(.*?)</p>', response.get_data(as_text=True), re.S)]


def section_url(application_id: int, key: str) -> str:
    return f"/ansoegning/{application_id}/{key}"


def save(client, application_id: int, key: str, changes: dict | None = None, *, base: dict | None = None):
    """Open the section as a browser does, type `changes` over `base` (Herning's input), and press Gem."""
    url = section_url(application_id, key)
    seen = form_values(client.get(url))["seen"]
    data = {**(herning.SECTIONS[key] if base is None else base), **(changes or {}), "seen": seen, "handling": "gem"}
    return client.post(url, data=data, follow_redirects=True)


def stored(application_id: int) -> dict:
    """Sections 1 and 5 as the database holds them now."""
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    return {**{name: getattr(application, name) for name in (*TARGET_GROUP, "activities_description")},
            "budget": [(line.category.code if line.category else None, line.year, line.description, line.amount_kr)
                       for line in application.budget_lines]}


def application_of(application_id: int) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application_id)


def audit_events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def kommune_user(kommune: str, email: str, name: str):
    """A kommune user without a password: nothing to hash, so the file stays fast."""
    user = create_user(email=email, name=name, role=Role.KOMMUNE, kommune=get_kommune_by_name(kommune))
    commit()
    return user


@pytest.fixture
def anne(app):
    return kommune_user("Herning", "anne.andersen@herning.dk", "Anne Andersen")


@pytest.fixture
def bo(app):
    return kommune_user("Herning", "bo.bech@herning.dk", "Bo Bech")


@pytest.fixture
def anne_client(client, anne):
    return signed_in(client, anne)


@pytest.fixture
def bo_client(app, bo):
    return signed_in(app.test_client(), bo)


@pytest.fixture
def application_id(anne_client) -> int:
    """Herning's application, started by Anne through the page, nothing answered."""
    anne_client.post("/ansoegning/start")
    return db.session.scalar(sa.select(Application.id))


@pytest.fixture
def saved_id(anne) -> int:
    """Herning's application with sections 1 and 5 saved from Herning's answers (through the services)."""
    application = draft_application(
        "Herning", actor=anne, answers=HERNING_ANSWERS, sections=(SECTIONS_BY_KEY["maalgruppen"], BUDGET_SECTION),
        budget=[BudgetLineAnswer(*line) for line in HERNING_BUDGET])
    return application.id


def _budget_with(line: int, cell: int, value) -> list[tuple]:
    lines = [list(row) for row in HERNING_BUDGET]
    lines[line][cell] = value
    return [tuple(row) for row in lines]


NEW_NEEDS = {"target_group_needs": "Tidlig dialog, og en plan fra første uge."}
NEW_ACTIVITIES = {"activities_description": "Løn til rådgivere og et kursus i dobbeltrollen.",
                  "budget-1-description": "Rådgivere hele 2018"}
NEW_BUDGET = _budget_with(1, 2, "Rådgivere hele 2018")


@pytest.mark.parametrize(("key", "typed", "field", "message", "flash", "kept"), [
    pytest.param("maalgruppen", {"new_per_month": "-5"}, "new_per_month", "Tallet skal være mindst 0.",
                 PARTLY_SAVED, {}, id="count-negative"),
    pytest.param("maalgruppen", {"new_per_month": "12,5"}, "new_per_month", WHOLE_NUMBER, PARTLY_SAVED, {},
                 id="count-decimal"),
    pytest.param("maalgruppen", {"new_per_month": "tolv"}, "new_per_month", WHOLE_NUMBER, PARTLY_SAVED, {},
                 id="count-words"),
    pytest.param("maalgruppen", {"baseline_measure_permille": "abc"}, "baseline_measure_permille",
                 "Skriv en andel i procent med højst én decimal, fx 23 eller 23,5.", PARTLY_SAVED, {},
                 id="percent-letters"),
    pytest.param("maalgruppen", {"baseline_measure_permille": "150"}, "baseline_measure_permille",
                 "Andelen skal være mellem 0 og 100 %.", PARTLY_SAVED, {}, id="percent-above-100"),
    pytest.param("maalgruppen", {"target_group_description": "x" * 20_001}, "target_group_description",
                 "Teksten er for lang til at blive gemt (højst 20.000 tegn).", PARTLY_SAVED, {},
                 id="text-beyond-storage"),
    pytest.param("maalgruppen", {"target_group_description": "x" * 4_001}, "target_group_description",
                 "Teksten må højst være på 4.000 tegn. Den er på 4.001 tegn.", "Afsnit 1, Målgruppen, er gemt.",
                 {"target_group_description": "x" * 4_001}, id="text-over-limit-is-stored"),
    pytest.param("maalgruppen", {"category_3_count": "1.846"}, "category_3_count",
                 "Kategori 3 (1.846) kan ikke være større end hele målgruppen i projektperioden "
                 "(15 måneder × 123 = 1.845). Tjek tallene.", "Afsnit 1, Målgruppen, er gemt.",
                 {"category_3_count": 1_846}, id="category-3-beyond-inflow-is-stored"),
    pytest.param("oekonomi", {"budget-0-amount_kr": "1.000,50"}, "budget-0-amount_kr", WHOLE_NUMBER,
                 PARTLY_SAVED, {}, id="amount-decimal"),
    pytest.param("oekonomi", {"budget-0-amount_kr": "abc"}, "budget-0-amount_kr", WHOLE_NUMBER,
                 PARTLY_SAVED, {}, id="amount-letters"),
    pytest.param("oekonomi", {"budget-0-year": "2019"}, "budget-0-year", "Vælg et år i perioden 2017–2018.",
                 PARTLY_SAVED, {}, id="year-outside-period-by-hand"),
    pytest.param("oekonomi", {"budget-0-category_code": "kaffe"}, "budget-0-category_code",
                 "Vælg en af puljens kategorier.", PARTLY_SAVED, {}, id="category-not-in-pool"),
    pytest.param("oekonomi", {"budget-1-amount_kr": "600.001"}, "budget_total",
                 "Budgettet er på 800.001 kr. Det må højst være på 800.000 kr., som er puljens største tilskud.",
                 "Afsnit 5, Økonomi, er gemt.", {"budget": _budget_with(1, 3, 600_001)}, id="total-over-maximum"),
])
def test_section_bad_input_shown_at_field_and_saved_answers_kept(anne_client, saved_id, key, typed, field,
                                                                  message, flash, kept):
    also_changed = NEW_NEEDS if key == "maalgruppen" else NEW_ACTIVITIES
    if field == "budget_total":
        also_changed = {"activities_description": NEW_ACTIVITIES["activities_description"]}

    response = save(anne_client, saved_id, key, {**also_changed, **typed})

    assert error_at(response, field) == message
    assert flash in alerts(response)
    if flash == PARTLY_SAVED and not field.endswith(("year", "category_code")):
        assert form_values(response)[field] == next(iter(typed.values()))  # the typed input waits to be fixed
    partly = ({**NEW_NEEDS} if key == "maalgruppen" else
              {"activities_description": NEW_ACTIVITIES["activities_description"],
               "budget": HERNING_BUDGET if field == "budget_total" else NEW_BUDGET})
    assert stored(saved_id) == {**HERNING_SAVED, **partly, **kept}


def test_section_save_by_colleague_after_opening_is_refused_then_replaces_on_second_save(
        anne_client, bo_client, saved_id):
    url = section_url(saved_id, "maalgruppen")
    annes_form, bos_form = form_values(anne_client.get(url)), form_values(bo_client.get(url))
    anne_client.post(url, data={**annes_form, "new_per_month": "130", "handling": "gem"})
    bos_typing = {"new_per_month": "140", "target_group_needs": "Bos beskrivelse af behovet."}

    refused = bo_client.post(url, data={**bos_form, **bos_typing, "handling": "gem"})

    assert ("Anne Andersen har gemt afsnittet, efter du åbnede det. Se hvad der er gemt nu, og gem dine "
            "ændringer igen, hvis de skal erstatte det.") in alerts(refused)
    assert stored(saved_id) == {**HERNING_SAVED, "new_per_month": 130}
    shown = form_values(refused)
    assert {name: shown[name] for name in bos_typing} == bos_typing
    assert shown["seen"] != bos_form["seen"]

    replaced = bo_client.post(url, data={**shown, "handling": "gem"})

    assert replaced.status_code == 302
    assert stored(saved_id) == {**HERNING_SAVED, "new_per_month": 140,
                                "target_group_needs": "Bos beskrivelse af behovet."}
    assert application_of(saved_id).last_saved["maalgruppen"]["by"] == "Bo Bech"


def test_section_saves_of_different_sections_from_same_start_both_succeed(anne_client, bo_client, application_id):
    target_url, budget_url = section_url(application_id, "maalgruppen"), section_url(application_id, "oekonomi")
    annes_form, bos_form = form_values(anne_client.get(target_url)), form_values(bo_client.get(budget_url))

    annes = anne_client.post(target_url, data={**annes_form, **MAALGRUPPEN, "handling": "gem"})
    bos = bo_client.post(budget_url, data={**bos_form, **OEKONOMI, "handling": "gem"})

    assert (annes.status_code, bos.status_code) == (302, 302)
    assert stored(application_id) == HERNING_SAVED
    assert {key: mark["by"] for key, mark in application_of(application_id).last_saved.items()} == {
        "maalgruppen": "Anne Andersen", "oekonomi": "Bo Bech"}


@pytest.fixture
def carl(make_user):
    """Herning's colleague with a password, who logs in through the page."""
    return make_user(Role.KOMMUNE, kommune="Herning", email="carl.christensen@herning.dk", name="Carl Christensen")


def _post_after_session_ended(app, user, application_id: int, key: str):
    """The user logs in and opens the section, the session ends, and Gem is pressed: a browser without cookies."""
    url = section_url(application_id, key)
    first = app.test_client()
    log_in(first, user.email)
    seen = form_values(first.get(url))["seen"]
    browser = app.test_client()
    response = browser.post(url, data={**herning.SECTIONS[key], "seen": seen, "handling": "gem"})
    return browser, response


def test_section_post_after_session_ended_is_parked_and_restored_after_login(app, carl, application_id):
    url = section_url(application_id, "maalgruppen")
    browser, parked = _post_after_session_ended(app, carl, application_id, "maalgruppen")

    location = urlsplit(parked.headers["Location"])
    back = parse_qs(location.query)["next"][0]
    assert (location.path, urlsplit(back).path, list(parse_qs(urlsplit(back).query))) == (
        "/log-ind", url, ["parkeret"])
    assert stored(application_id) == NOTHING_SAVED

    logged_in = browser.post(parked.headers["Location"], data={"email": carl.email, "password": PASSWORD})
    assert logged_in.headers["Location"] == back
    restored = browser.get(back)

    assert RESTORED in alerts(restored)
    shown = form_values(restored)
    assert {name: shown[name] for name in MAALGRUPPEN} == MAALGRUPPEN
    assert stored(application_id) == NOTHING_SAVED

    saved = browser.post(back, data={**shown, "handling": "gem"})

    assert saved.status_code == 302
    assert stored(application_id) == {**NOTHING_SAVED, **{name: HERNING_SAVED[name] for name in TARGET_GROUP}}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ParkedInput)) == 0


def test_parked_input_only_for_its_own_page_and_only_once(app, carl, application_id):
    browser, parked = _post_after_session_ended(app, carl, application_id, "maalgruppen")
    back = parse_qs(urlsplit(parked.headers["Location"]).query)["next"][0]
    token = parse_qs(urlsplit(back).query)["parkeret"][0]
    log_in(browser, carl.email)

    elsewhere = browser.get(f"{section_url(application_id, 'organisering')}?parkeret={token}")
    first, second = browser.get(back), browser.get(back)

    assert [RESTORED in alerts(page) for page in (elsewhere, first, second)] == [False, True, False]
    assert (form_values(first)["new_per_month"], form_values(second)["new_per_month"]) == ("123", "")


def test_parked_input_over_the_limit_is_refused_and_the_user_sent_to_log_in(app, carl, application_id):
    url = section_url(application_id, "maalgruppen")
    browser = app.test_client()

    response = browser.post(url, data={"target_group_description": "x" * (PARKED_LIMIT + 1), "handling": "gem"})
    back = parse_qs(urlsplit(response.headers["Location"]).query)["next"][0]

    assert (response.status_code, back) == (302, url)
    assert "for langt til at blive gemt" in alerts(browser.get(response.headers["Location"]))[0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ParkedInput)) == 0


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True}])
def test_parking_deletes_expired_input_and_is_limited_per_address(app, carl, application_id, clock):
    url = section_url(application_id, "maalgruppen")
    browser = app.test_client()
    browser.post(url, data={"new_per_month": "1", "handling": "gem"})
    clock.advance(timedelta(hours=25))

    statuses = [browser.post(url, data={"new_per_month": "2", "handling": "gem"}).status_code for _ in range(20)]

    assert statuses == [302] * 19 + [429]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ParkedInput)) == 19


def test_a_save_larger_than_the_portal_takes_gets_the_danish_413_page_and_keeps_what_was_saved(app, anne_client,
                                                                                                saved_id):
    app.config.update(MAX_CONTENT_LENGTH=1024 * 1024)

    response = save(anne_client, saved_id, "maalgruppen", {"target_group_needs": "æ" * (1024 * 1024)})

    assert response.status_code == 413
    assert "Portalen tager højst imod 1 MB ad gangen, og intet er gemt" in page_text(response)
    assert stored(saved_id) == HERNING_SAVED


def test_section_save_at_deadline_is_refused(anne_client, clock, saved_id):
    clock.set(DEADLINE)

    response = save(anne_client, saved_id, "maalgruppen", {"new_per_month": "130"})

    assert AFTER_DEADLINE in alerts(response)
    assert stored(saved_id) == HERNING_SAVED


@pytest.mark.parametrize(("moment", "status", "submissions"), [
    pytest.param(MINUTE_BEFORE_DEADLINE, ApplicationStatus.SUBMITTED, [1], id="11.59"),
    pytest.param(DEADLINE, ApplicationStatus.DRAFT, [], id="12.00"),
])
def test_submit_around_deadline(anne, anne_client, clock, moment, status, submissions):
    application = draft_application("Herning", actor=anne)
    clock.set(moment)

    response = anne_client.post(f"/ansoegning/{application.id}/indsend", follow_redirects=True)

    refreshed = application_of(application.id)
    assert (refreshed.status, [submission.number for submission in refreshed.submissions]) == (status, submissions)
    assert (AFTER_DEADLINE in alerts(response)) is (status is ApplicationStatus.DRAFT)


def test_start_before_window_opens_is_refused(anne_client, clock):
    clock.set(datetime(2017, 5, 1, 9, 0, tzinfo=COPENHAGEN))

    response = anne_client.post("/ansoegning/start", follow_redirects=True)

    assert "Der kan kun startes en ansøgning, mens der er åbent for ansøgninger." in alerts(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0


def test_start_by_colleague_when_one_exists_leads_to_it(bo_client, application_id):
    response = bo_client.post("/ansoegning/start")

    assert response.headers["Location"] == f"/ansoegning/{application_id}"
    assert ("Herning Kommune har allerede en ansøgning til puljen. Der kan kun være én."
            in alerts(bo_client.get(response.headers["Location"])))
    assert db.session.scalars(sa.select(Application.id)).all() == [application_id]


def test_submit_incomplete_lists_each_missing_field_with_link(anne_client, application_id):
    save(anne_client, application_id, "maalgruppen")

    response = anne_client.post(f"/ansoegning/{application_id}/indsend", follow_redirects=True)

    html = response.get_data(as_text=True)
    summary = re.search(r'class="alert alert-error problem-summary".*?</ul>', html, re.S).group(0)
    missing = [("organisering", "organisation_description"), ("organisering", "double_role_staff"),
               ("organisering", "ready_at_start"), ("kompetencer", "competence_description"),
               ("ledelse", "management_description"), ("oekonomi", "activities_description"),
               ("oekonomi", "budget_total"), ("kontakt", "contact_name"), ("kontakt", "contact_title"),
               ("kontakt", "contact_email"), ("kontakt", "contact_phone"), ("kontakt", "management_declaration")]
    assert [unescape(href) for href in re.findall(r'href="([^"]*)"', summary)] == [
        f"/ansoegning/{application_id}/{key}?tjek=1#{name}" for key, name in missing]
    assert "Ansøgningen er ikke indsendt: 12 felter mangler eller skal rettes." in alerts(response)
    assert (application_of(application_id).status, application_of(application_id).submissions) == (
        ApplicationStatus.DRAFT, [])
    followed = anne_client.get(f"/ansoegning/{application_id}/organisering?tjek=1")
    assert error_at(followed, "organisation_description") == "Udfyld feltet."


def test_submit_complete_freezes_answers_and_mails_receipt_with_pdf(anne, bo, anne_client, application_id,
                                                                   mailbox):
    for key in herning.SECTIONS:
        save(anne_client, application_id, key)

    response = anne_client.post(f"/ansoegning/{application_id}/indsend")

    assert response.headers["Location"] == f"/ansoegning/{application_id}/kvittering"
    submission = db.session.scalar(sa.select(Submission))
    assert (submission.number, submission.content["answers"]) == (1, HERNING_ANSWERS)
    assert [(line["category_code"], line["year"], line["description"], line["amount_kr"])
            for line in submission.content["budget"]] == HERNING_BUDGET
    assert sorted(message["To"] for message in mailbox.messages) == sorted([anne.email, bo.email, CONTACT])
    for message in mailbox.messages:
        (pdf,) = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
        text = pdf_text(pdf.get_content())
        assert [fact in text for fact in ("Herning Kommune", "800.000 kr.", "24. juli 2017 kl. 09.00")] == [True] * 3
        assert pdf.get_content() == submission.receipt_pdf
    assert anne_client.get(f"/ansoegning/{application_id}/kvittering/1.pdf").data == submission.receipt_pdf
    (submitted,) = audit_events("application.submitted")
    assert (submitted.before, submitted.after, submitted.actor_id) == (
        {"status": "draft"}, {"status": "submitted", "submission": 1}, anne.id)

    refused = save(anne_client, application_id, "maalgruppen", {"new_per_month": "130"})

    assert SUBMITTED_NO_CHANGES in alerts(refused)
    assert application_of(application_id).new_per_month == 123


def test_withdraw_before_deadline_mails_and_lets_kommune_submit_again(anne, bo, anne_client, clock, mailbox):
    application = submitted_application("Herning", actor=anne)
    mailbox.clear()
    clock.set(MINUTE_BEFORE_DEADLINE)

    response = anne_client.post(f"/ansoegning/{application.id}/tilbagetraek")

    assert response.headers["Location"] == f"/ansoegning/{application.id}"
    withdrawn = application_of(application.id)
    assert (withdrawn.status, withdrawn.latest_submission.withdrawn_at) == (ApplicationStatus.WITHDRAWN,
                                                                             MINUTE_BEFORE_DEADLINE)
    assert sorted((message["To"], message["Subject"]) for message in mailbox.messages) == sorted(
        (recipient, "Ansøgningen fra Herning Kommune er trukket tilbage")
        for recipient in (anne.email, bo.email, "kontakt@kommune.test"))

    edited = save(anne_client, application.id, "maalgruppen", {"new_per_month": "130"})
    resubmitted = anne_client.post(f"/ansoegning/{application.id}/indsend")

    assert "Afsnit 1, Målgruppen, er gemt." in alerts(edited)
    assert resubmitted.headers["Location"] == f"/ansoegning/{application.id}/kvittering"
    again = application_of(application.id)
    assert (again.status, [(s.number, s.content["answers"]["new_per_month"]) for s in again.submissions]) == (
        ApplicationStatus.SUBMITTED, [(1, 123), (2, 130)])


def test_withdraw_at_deadline_is_refused(anne, anne_client, clock):
    application = submitted_application("Herning", actor=anne)
    clock.set(DEADLINE)

    response = anne_client.post(f"/ansoegning/{application.id}/tilbagetraek", follow_redirects=True)

    assert "Fristen er overskredet, så ansøgningen kan ikke længere trækkes tilbage." in alerts(response)
    refreshed = application_of(application.id)
    assert (refreshed.status, refreshed.latest_submission.withdrawn_at) == (ApplicationStatus.SUBMITTED, None)


def test_kommune_user_gets_404_for_every_page_of_another_kommunes_application(anne_client, application_id):
    aarhus_user = kommune_user("Aarhus", "anna@aarhus.dk", "Anna Aarhus")
    aarhus = submitted_application("Aarhus", actor=aarhus_user)
    base = f"/ansoegning/{aarhus.id}"
    requests = [("GET", base), ("GET", f"{base}/tjek"), ("GET", f"{base}/kvittering"),
                ("GET", f"{base}/kvittering/1.pdf"), ("POST", f"{base}/indsend"), ("POST", f"{base}/tilbagetraek"),
                *[(method, section_url(aarhus.id, key)) for key in herning.SECTIONS for method in ("GET", "POST")]]

    answers = {(method, path): anne_client.open(path, method=method, data={**MAALGRUPPEN, "handling": "gem"}
                                                if method == "POST" else None).status_code
               for method, path in requests}

    assert answers == {request: 404 for request in requests}
    untouched = application_of(aarhus.id)
    assert (untouched.status, len(untouched.submissions), untouched.new_per_month) == (
        ApplicationStatus.SUBMITTED, 1, 123)
    assert "Aarhus" not in page_text(anne_client.get("/overblik"))


def test_audit_log_has_only_the_changed_fields_of_each_save(anne, anne_client, saved_id):
    save(anne_client, saved_id, "maalgruppen", {"new_per_month": "130"})
    save(anne_client, saved_id, "maalgruppen", {"new_per_month": "130"})  # nothing changed: no event
    save(anne_client, saved_id, "oekonomi", {"budget-1-amount_kr": "550.000"})

    events = audit_events("application.section_saved")

    assert [sorted(event.after) for event in events] == [sorted(TARGET_GROUP), ["activities_description", "budget"],
                                                         ["new_per_month"], ["budget"]]
    assert [(event.before, event.after, event.actor_id) for event in events[2:]] == [
        ({"new_per_month": 123}, {"new_per_month": 130}, anne.id),
        ({"budget": ["fastholdelseskonsulenter · 2017 · Fastholdelsesrådgivere oktober–december · 200000",
                     "fastholdelseskonsulenter · 2018 · Fastholdelsesrådgivere hele året · 600000"]},
         {"budget": ["fastholdelseskonsulenter · 2017 · Fastholdelsesrådgivere oktober–december · 200000",
                     "fastholdelseskonsulenter · 2018 · Fastholdelsesrådgivere hele året · 550000"]}, anne.id)]


@pytest.mark.parametrize("page", ["", "/tjek", *(f"/{key}" for key in SECTIONS_BY_KEY)])
def test_application_page_has_language_skip_link_landmarks_one_h1_and_labelled_controls(anne_client, saved_id,
                                                                                         page):
    structure = page_structure(anne_client.get(f"/ansoegning/{saved_id}{page}"))

    assert structure.problems() == []


def test_receipt_page_has_language_skip_link_landmarks_one_h1_and_labelled_controls(anne, anne_client):
    application = submitted_application("Herning", actor=anne)

    structure = page_structure(anne_client.get(f"/ansoegning/{application.id}/kvittering"))

    assert structure.problems() == []
