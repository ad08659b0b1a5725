"""The caseworkers' side of the applications, through the pages: the list, exports, reopening, the PDF, reminders."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from portal.applications.casework import reopen_application
from portal.applications.rules import BudgetLineAnswer
from portal.applications.states import ApplicationStatus
from portal.applications.template import QUESTIONS, SECTIONS
from portal.audit.models import AuditEvent
from portal.auth.enums import Role
from portal.auth.services import create_user, set_active
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.kommuner.services import get_kommune_by_name
from portal.transaction import commit
from tests.conftest import log_in
from tests.support.applications import ANSWERS, draft_application, submitted_application
from tests.support.documents import pdf_text
from tests.support.html import page_structure
from tests.support.queries import queries_for

AFTER_DEADLINE = datetime(2017, 8, 7, 10, 0, tzinfo=COPENHAGEN)  # Monday after Friday 4 August 12:00
REOPENED_UNTIL = datetime(2017, 8, 11, 12, 0, tzinfo=COPENHAGEN)
REASON = "Kommunen har oplyst kategori 3 for hele året i stedet for pr. dato."
LABEL = {question.name: question.label for question in QUESTIONS}
SECTION = {section.key: section for section in SECTIONS}
KOMMUNER_IN_PORTAL = 98


def _budget(kr_2017: int, kr_2018: int) -> list[BudgetLineAnswer]:
    return [BudgetLineAnswer("fastholdelseskonsulenter", 2017, "Rådgivere 2017", kr_2017),
            BudgetLineAnswer("fastholdelseskonsulenter", 2018, "Rådgivere 2018", kr_2018)]


def _actor(kommune: str, email: str | None = None):
    """A kommune user who only acts through the services: no password, so nothing to hash."""
    user = create_user(email=email or f"{kommune.lower()}@actor.test".replace("æ", "ae").replace("ø", "oe"),
                       name=f"Bruger i {kommune}", role=Role.KOMMUNE, kommune=get_kommune_by_name(kommune))
    commit()
    return user


def _caseworker(client, make_user):
    user = make_user(Role.SAGSBEHANDLER, name="Sara Sagsbehandler")
    log_in(client, user.email)
    with client.session_transaction() as session:
        session.pop("_flashes", None)  # the welcome message; the tests read their own flashes
    return user


# --- reading pages ----------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Body rows of each table (by its class), dt/dd pairs of each dl (by its class), and the counts list."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.pairs: dict[str, dict[str, str]] = {}
        self.counts: list[str] = []
        self._table = self._dl = self._cell = self._term = None
        self._in_body = self._in_counts = False
        self._row: list[str] | None = None
        self._li: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        css = (dict(attrs).get("class") or "").split()
        if tag == "table":
            self._table = css[-1] if css else ""
            self.tables.setdefault(self._table, [])
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "dl":
            self._dl = css[0] if css else ""
            self.pairs.setdefault(self._dl, {})
        elif tag in ("dt", "dd") and self._dl is not None:
            self._cell = []
        elif tag == "ul" and "counts" in css:
            self._in_counts = True
        elif tag == "li" and self._in_counts:
            self._li = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "dt" and self._dl is not None:
            self._term, self._cell = " ".join("".join(self._cell).split()), None
        elif tag == "dd" and self._dl is not None:
            self.pairs[self._dl][self._term] = " ".join("".join(self._cell).split())
            self._cell = None
        elif tag == "dl":
            self._dl = None
        elif tag == "li" and self._li is not None:
            self.counts.append(" ".join("".join(self._li).split()))
            self._li = None
        elif tag == "ul":
            self._in_counts = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._li is not None:
            self._li.append(data)


def _page(response) -> _Page:
    assert response.status_code == 200, response.status_code
    page = _Page()
    page.feed(response.get_data(as_text=True))
    return page


def _listed_kommuner(response) -> list[str]:
    rows = _page(response).tables["applications-table"]
    return [] if rows == [["Ingen ansøgninger passer til filtrene."]] else [row[0] for row in rows]


def _field_errors(response) -> dict[str, str]:
    html = response.get_data(as_text=True)
    return dict(re.findall(r'<span class="form-error-message" id="([\w-]+)-error"><span class="sr-only">Fejl: '
                           r'</span>(.*?)</span>', html))


def _flashes(response, kind: str) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(rf'<div class="alert alert-{kind}"[^>]*>\s*<div class="alert-body"><p class="alert-text">'
                      r'(.*?)</p>', html)


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# --- the list -----------------------------------------------------------------------------------------------------


@pytest.fixture
def applications(app, clock):
    """Three submitted applications, at different times and of different volume and budget, and two drafts.

    Volume (category 2 + 3): Aarhus 1.200, Herning 505, Odense 400, Bornholm 80, Ærø none.
    Budget: Herning 800.000, Aarhus 700.000, Odense 450.000, Bornholm 250.000, Ærø 0.
    Submitted: Bornholm 24 July, Herning 25 July, Aarhus 26 July. The clock is left at 27 July 9:00.
    """
    def submit(name: str, **figures):
        actor = _actor(name)
        # The contact person is the submitting user: one receipt mail per application, not two.
        answers = {**figures, "contact_email": actor.email}
        return submitted_application(name, actor=actor, answers=answers, budget=budgets.get(name))

    budgets = {"Bornholm": _budget(100_000, 150_000), "Aarhus": _budget(300_000, 400_000)}
    created = {"Bornholm": submit("Bornholm", category_2_count=60, category_3_count=20)}
    clock.set(datetime(2017, 7, 25, 10, 30, tzinfo=COPENHAGEN))
    created["Herning"] = submit("Herning")
    clock.set(datetime(2017, 7, 26, 14, 0, tzinfo=COPENHAGEN))
    created["Aarhus"] = submit("Aarhus", category_2_count=900, category_3_count=300)
    clock.set(datetime(2017, 7, 27, 9, 0, tzinfo=COPENHAGEN))
    created["Odense"] = draft_application(
        "Odense", actor=_actor("Odense"), answers={"category_2_count": 300, "category_3_count": 100},
        budget=_budget(150_000, 300_000), sections=SECTIONS[:-1])
    created["Ærø"] = draft_application("Ærø", actor=_actor("Ærø"), sections=())
    return created


def test_application_list_counts_submitted_started_and_not_started(client, make_user, applications):
    _caseworker(client, make_user)

    page = _page(client.get("/ansoegninger"))

    started = len(applications)
    assert page.counts == ["3 indsendt", "2 påbegyndt, ikke indsendt",
                           f"{KOMMUNER_IN_PORTAL - started} kommuner uden ansøgning", "2 kladde"]


@pytest.mark.parametrize("name, expected", [
    ("status", {"submitted": ["Bornholm", "Herning", "Aarhus"], "draft": ["Odense", "Ærø"], "reopened": []}),
    ("region", {"Midtjylland": ["Herning", "Aarhus"], "Syddanmark": ["Odense", "Ærø"], "Hovedstaden": ["Bornholm"],
                "Nordjylland": []}),
    ("amk", {"Øst": ["Bornholm"], "Midt-Nord": ["Herning", "Aarhus"], "Syd": ["Odense", "Ærø"]}),
    ("size_class", {"stor": ["Herning", "Odense", "Aarhus"], "mellem": ["Bornholm"], "lille": ["Ærø"]}),
])
def test_application_list_filter_shows_exactly_matching_kommuner(client, make_user, applications, name, expected):
    _caseworker(client, make_user)

    listed = {value: _listed_kommuner(client.get("/ansoegninger", query_string={name: value})) for value in expected}

    assert listed == expected


def test_application_list_filters_combine(client, make_user, applications):
    _caseworker(client, make_user)

    response = client.get("/ansoegninger", query_string={"status": "submitted", "amk": "Midt-Nord", "size_class": "stor"})

    assert _listed_kommuner(response) == ["Herning", "Aarhus"]


def test_application_list_sort_orders_rows(client, make_user, applications):
    _caseworker(client, make_user)
    expected = {
        "volumen": ["Aarhus", "Herning", "Odense", "Bornholm", "Ærø"],  # category 2 + 3, largest first
        "budget": ["Herning", "Aarhus", "Odense", "Bornholm", "Ærø"],
        "kommune": ["Bornholm", "Herning", "Odense", "Ærø", "Aarhus"],  # Aarhus is Århus: after Æ and Ø
        "indsendt": ["Bornholm", "Herning", "Aarhus", "Odense", "Ærø"],  # earliest first, drafts last
        "status": ["Odense", "Ærø", "Bornholm", "Herning", "Aarhus"],
    }

    listed = {sort: _listed_kommuner(client.get("/ansoegninger", query_string={"sort": sort})) for sort in expected}

    assert listed == expected


def test_application_list_invalid_filter_value_is_ignored(client, make_user, applications):
    _caseworker(client, make_user)
    queries = [{"status": "godkendt"}, {"region": "Grønland"}, {"size_class": "kæmpe"}, {"sort": "tilfældig"}]

    responses = [client.get("/ansoegninger", query_string=query) for query in queries]

    assert [(response.status_code, _listed_kommuner(response)) for response in responses] == \
        [(200, ["Bornholm", "Herning", "Odense", "Ærø", "Aarhus"])] * len(queries)


def test_application_list_query_count_does_not_grow_with_applications(client, make_user):
    _caseworker(client, make_user)
    submitted_application("Herning", actor=_actor("Herning"))
    draft_application("Odense", actor=_actor("Odense"))
    client.get("/ansoegninger")  # anything done once per process is done now
    with_two = queries_for(client, "/ansoegninger")
    for name in ["Aarhus", "Vejle"]:
        submitted_application(name, actor=_actor(name))
    for name in ["Bornholm", "Ærø", "Læsø", "Fanø", "Samsø", "Aabenraa"]:
        draft_application(name, actor=_actor(name))

    with_ten = queries_for(client, "/ansoegninger")

    assert len(_listed_kommuner(client.get("/ansoegninger"))) == 10
    assert with_ten == with_two


# --- exports ------------------------------------------------------------------------------------------------------

FIXED_HEADER = ["Kommunekode", "Kommune", "Region", "AMK", "Størrelse", "Indbyggere", "Status", "Indsendt",
                "Udfyldte afsnit", "Kategori 2 + 3", "Budget 2017", "Budget 2018", "Budget i alt"]
EXPORT_QUERY = {"region": "Midtjylland", "sort": "budget"}


def test_csv_export_has_filtered_rows_and_herning_figures(client, make_user, applications):
    _caseworker(client, make_user)

    response = client.get("/ansoegninger/eksport.csv", query_string=EXPORT_QUERY)

    assert response.headers["Content-Disposition"] == 'attachment; filename="ansoegninger-2017-07-27.csv"'
    header, *rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert header == FIXED_HEADER + [question.label for question in QUESTIONS]
    assert [row[1] for row in rows] == ["Herning", "Aarhus"]
    herning = dict(zip(header, rows[0]))
    assert {name: herning[name] for name in FIXED_HEADER} == {
        "Kommunekode": "657", "Kommune": "Herning", "Region": "Region Midtjylland", "AMK": "AMK Midt-Nord",
        "Størrelse": "Stor", "Indbyggere": "88386", "Status": "Indsendt", "Indsendt": "2017-07-25 10:30",
        "Udfyldte afsnit": "6", "Kategori 2 + 3": "505", "Budget 2017": "200000", "Budget 2018": "600000",
        "Budget i alt": "800000"}
    assert (herning[LABEL["category_2_count"]], herning[LABEL["contact_email"]]) == ("410", "herning@actor.test")


def test_xlsx_export_has_filtered_rows_and_herning_figures(client, make_user, applications):
    _caseworker(client, make_user)

    response = client.get("/ansoegninger/eksport.xlsx", query_string=EXPORT_QUERY)

    assert response.headers["Content-Disposition"] == 'attachment; filename="ansoegninger-2017-07-27.xlsx"'
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert (sheet.title, header) == ("Ansøgninger", FIXED_HEADER + [question.label for question in QUESTIONS])
    assert [row[1] for row in rows] == ["Herning", "Aarhus"]
    herning = dict(zip(header, rows[0]))
    assert {name: herning[name] for name in FIXED_HEADER} == {
        "Kommunekode": 657, "Kommune": "Herning", "Region": "Region Midtjylland", "AMK": "AMK Midt-Nord",
        "Størrelse": "Stor", "Indbyggere": 88386, "Status": "Indsendt", "Indsendt": datetime(2017, 7, 25, 10, 30),
        "Udfyldte afsnit": 6, "Kategori 2 + 3": 505, "Budget 2017": 200_000, "Budget 2018": 600_000,
        "Budget i alt": 800_000}
    assert sheet.cell(row=2, column=FIXED_HEADER.index("Budget i alt") + 1).number_format == '#,##0 "kr."'


# --- one application: the frozen version, reopening ---------------------------------------------------------------


@pytest.fixture
def herning(app, make_user):
    """Herning's application, submitted in the window by a kommune user who can log in."""
    user = make_user(Role.KOMMUNE, kommune="Herning", name="Anne Andersen")
    return submitted_application("Herning", actor=user,
                                 answers={"contact_email": "bodil.clark@herning.dk"})


def _frozen_answers(response) -> dict[str, str]:
    return _page(response).pairs["answers"]


def test_application_detail_shows_frozen_answers_and_budget(client, make_user, herning):
    _caseworker(client, make_user)

    page = _page(client.get(f"/ansoegninger/{herning.id}"))

    answers = page.pairs["answers"]
    assert {name: answers[LABEL[name]] for name in ("new_per_month", "category_2_count", "category_3_count",
                                                    "baseline_measure_permille", "contact_email")} == {
        "new_per_month": "123", "category_2_count": "410", "category_3_count": "95",
        "baseline_measure_permille": "31,5 %", "contact_email": "bodil.clark@herning.dk"}
    assert page.tables["budget-table"] == [
        ["Fastholdelseskonsulenter", "2017", "Rådgivere 2017", "200.000 kr."],
        ["Fastholdelseskonsulenter", "2018", "Rådgivere 2018", "600.000 kr."]]
    assert page.pairs["facts"]["Status"] == "Indsendt"


def test_reopen_after_deadline_sets_deadline_audits_and_mails_the_kommune(client, make_user, herning, clock,
                                                                           mailbox):
    caseworker = _caseworker(client, make_user)
    clock.set(AFTER_DEADLINE)
    mailbox.clear()

    response = client.post(f"/ansoegninger/{herning.id}/genaabn",
                           data={"reason": REASON, "deadline_at": "2017-08-11T12:00"})

    assert response.headers["Location"] == f"/ansoegninger/{herning.id}"
    db.session.expire_all()
    assert (herning.status, herning.individual_deadline_at) == (ApplicationStatus.REOPENED, REOPENED_UNTIL)
    [event] = _events("application.reopened")
    assert (event.actor_id, event.object_id, event.before, event.after) == (
        caseworker.id, str(herning.id), {"status": "submitted", "individual_deadline_at": None},
        {"status": "reopened", "individual_deadline_at": "2017-08-11T12:00:00+02:00", "reason": REASON})
    messages = sorted(mailbox.messages, key=lambda message: message["To"])
    assert [message["To"] for message in messages] == ["bodil.clark@herning.dk", "kommune.herning@test.dk"]
    assert {message["Subject"] for message in messages} == {"Ansøgningen fra Herning Kommune er genåbnet"}
    assert [[line for line in message.get_content().splitlines() if line.startswith("Begrundelse:")]
            for message in messages] == [[f"Begrundelse: {REASON}"]] * 2


def test_reopened_application_is_resubmitted_while_caseworkers_read_the_frozen_version(
        app, client, make_user, herning, clock):
    caseworker = _caseworker(client, make_user)
    clock.set(AFTER_DEADLINE)
    reopen_application(herning, actor=caseworker, reason=REASON, deadline_at=REOPENED_UNTIL)
    commit()
    kommune = app.test_client()
    log_in(kommune, "kommune.herning@test.dk")
    url = f"/ansoegning/{herning.id}/maalgruppen"
    seen = re.search(r'name="seen" type="hidden" value="([^"]*)"', kommune.get(url).get_data(as_text=True)).group(1)
    values = {name: str(ANSWERS[name]) for name in SECTION["maalgruppen"].field_names}

    saved = kommune.post(url, data={**values, "baseline_measure_permille": "31,5", "category_3_count": "120",
                                    "seen": seen, "handling": "gem"})
    while_changed = _frozen_answers(client.get(f"/ansoegninger/{herning.id}"))
    submitted = kommune.post(f"/ansoegning/{herning.id}/indsend")
    after_resubmission = _frozen_answers(client.get(f"/ansoegninger/{herning.id}"))

    assert (saved.status_code, submitted.headers["Location"]) == (302, f"/ansoegning/{herning.id}/kvittering")
    assert (while_changed[LABEL["category_3_count"]], after_resubmission[LABEL["category_3_count"]]) == ("95", "120")
    db.session.expire_all()
    assert (herning.status, [item.number for item in herning.submissions]) == (ApplicationStatus.SUBMITTED, [1, 2])


@pytest.mark.parametrize("data, expected", [
    ({"reason": "", "deadline_at": "2017-08-11T12:00"}, {"reason": "Skriv begrundelsen for genåbningen."}),
    ({"reason": "   ", "deadline_at": "2017-08-11T12:00"}, {"reason": "Skriv begrundelsen for genåbningen."}),
    ({"reason": REASON, "deadline_at": "2017-08-07T09:59"}, {"deadline_at": "Den nye frist skal ligge efter nu."}),
    ({"reason": REASON, "deadline_at": "11-08-2017"},
     {"deadline_at": "Skriv dato og klokkeslæt, fx 2017-08-04 kl. 12:00."}),
], ids=["missing-reason", "blank-reason", "deadline-in-past", "deadline-unreadable"])
def test_reopen_invalid_input_shows_error_at_field(client, make_user, herning, clock, mailbox, data, expected):
    _caseworker(client, make_user)
    clock.set(AFTER_DEADLINE)
    mailbox.clear()

    response = client.post(f"/ansoegninger/{herning.id}/genaabn", data=data)

    assert (response.status_code, _field_errors(response)) == (200, expected)
    db.session.expire_all()
    assert (herning.status, _events("application.reopened"), mailbox.messages) == (ApplicationStatus.SUBMITTED, [],
                                                                                   [])


def test_reopen_before_pool_deadline_is_refused(client, make_user, herning, mailbox):
    _caseworker(client, make_user)
    mailbox.clear()

    response = client.post(f"/ansoegninger/{herning.id}/genaabn",
                           data={"reason": REASON, "deadline_at": "2017-08-11T12:00"})

    assert _flashes(response, "error") == ["Før ansøgningsfristen kan kommunen selv ændre eller trække ansøgningen "
                                           "tilbage."]
    db.session.expire_all()
    assert (herning.status, _events("application.reopened"), mailbox.messages) == (ApplicationStatus.SUBMITTED, [],
                                                                                   [])


def test_reopen_by_kommune_user_is_forbidden(client, herning, clock):
    log_in(client, "kommune.herning@test.dk")
    clock.set(AFTER_DEADLINE)

    response = client.post(f"/ansoegninger/{herning.id}/genaabn",
                           data={"reason": REASON, "deadline_at": "2017-08-11T12:00"})

    db.session.expire_all()
    assert (response.status_code, herning.status) == (403, ApplicationStatus.SUBMITTED)


def test_submission_pdf_for_caseworkers_has_kommune_and_total(client, make_user, herning):
    _caseworker(client, make_user)

    response = client.get(f"/ansoegninger/{herning.id}/indsendelse/1.pdf")

    assert (response.mimetype, response.headers["Content-Disposition"]) == (
        "application/pdf", 'attachment; filename="kvittering-ansoegning-657-herning-1.pdf"')
    text = pdf_text(response.data)
    assert ("Herning Kommune" in text, "800.000 kr." in text) == (True, True)


def test_submission_pdf_unknown_number_or_application_is_not_found(client, make_user, herning):
    _caseworker(client, make_user)

    responses = [client.get(f"/ansoegninger/{herning.id}/indsendelse/2.pdf"),
                 client.get(f"/ansoegninger/{herning.id + 1000}/indsendelse/1.pdf")]

    assert [response.status_code for response in responses] == [404, 404]


# --- reminders ----------------------------------------------------------------------------------------------------


def test_staff_dashboard_lists_unsubmitted_applications_only(client, make_user):
    _caseworker(client, make_user)
    submitted_application("Herning", actor=_actor("Herning"))
    draft_application("Odense", actor=_actor("Odense"), sections=SECTIONS[:2])

    page = _page(client.get("/overblik"))

    assert [row[:3] for row in page.tables["unsubmitted-table"]] == [["Odense", "Kladde", "2 af 6 afsnit"]]


def test_reminders_mail_each_recipient_of_unsubmitted_applications(client, make_user, clock, mailbox):
    caseworker = _caseworker(client, make_user)
    submitted_application("Herning", actor=_actor("Herning"))
    odense = draft_application("Odense", actor=_actor("Odense"), answers={"contact_email": "Fastholdelse@Odense.dk"})
    _actor("Odense", email="lone.petersen@odense.dk")
    set_active(_actor("Odense", email="tidligere@odense.dk"), active=False, actor=caseworker)
    commit()
    vejle = draft_application("Vejle", actor=_actor("Vejle"), sections=())
    mailbox.clear()

    response = client.post("/ansoegninger/paamind", data={"tilbage": "/overblik"})

    assert response.headers["Location"] == "/overblik"
    assert _flashes(client.get("/overblik"), "success") == ["Påmindelsen til 2 kommuner er sendt."]
    assert sorted(message["To"] for message in mailbox.messages) == [
        "fastholdelse@odense.dk", "lone.petersen@odense.dk", "odense@actor.test", "vejle@actor.test"]
    db.session.expire_all()
    assert [application.reminded_at for application in (odense, vejle)] == [clock.now()] * 2
    assert sorted(event.object_id for event in _events("application.reminded")) == sorted([str(odense.id),
                                                                                           str(vejle.id)])


def test_reminders_after_deadline_skip_expired_drafts_but_reach_reopened(client, make_user, clock, mailbox):
    caseworker = _caseworker(client, make_user)
    herning = submitted_application("Herning", actor=_actor("Herning"))
    odense = draft_application("Odense", actor=_actor("Odense"))
    clock.set(AFTER_DEADLINE)
    reopen_application(herning, actor=caseworker, reason=REASON, deadline_at=REOPENED_UNTIL)
    commit()
    mailbox.clear()

    response = client.post("/ansoegninger/paamind", data={"tilbage": "/overblik"}, follow_redirects=True)

    assert _flashes(response, "success") == ["Påmindelsen til 1 kommune er sendt."]
    assert sorted(message["To"] for message in mailbox.messages) == ["herning@actor.test", "kontakt@kommune.test"]
    db.session.expire_all()
    assert (herning.reminded_at, odense.reminded_at) == (clock.now(), None)


@pytest.mark.parametrize("expired_draft", [False, True], ids=["all-submitted", "draft-past-deadline"])
def test_reminders_with_nobody_to_remind_flash_and_send_nothing(client, make_user, clock, mailbox, expired_draft):
    _caseworker(client, make_user)
    submitted_application("Herning", actor=_actor("Herning"))
    if expired_draft:
        draft_application("Odense", actor=_actor("Odense"))
        clock.set(AFTER_DEADLINE)
    mailbox.clear()

    response = client.post("/ansoegninger/paamind", data={"tilbage": "/overblik"}, follow_redirects=True)

    assert _flashes(response, "error") == ["Der er ingen kommuner at minde om: alle påbegyndte ansøgninger er "
                                           "indsendt, eller deres frist er overskredet."]
    assert (mailbox.messages, _events("application.reminded")) == ([], [])


# --- accessibility of the pages that need an application ----------------------------------------------------------


@pytest.mark.parametrize("path", ["/ansoegninger/{id}", "/ansoegninger/{id}/genaabn"])
def test_casework_page_has_language_skip_link_landmarks_one_h1_and_labelled_controls(client, make_user, herning,
                                                                                      clock, path):
    _caseworker(client, make_user)
    clock.set(AFTER_DEADLINE)  # the reopen form is only shown after the pool's deadline

    page = page_structure(client.get(path.format(id=herning.id)))

    assert page.problems() == []
    assert len(page.controls) == (2 if path.endswith("genaabn") else 0)
