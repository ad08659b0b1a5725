"""Hostile input to every form: no 500, a Danish message at the refused field, nothing stored that should not be,
and whatever is shown back escaped.

Each phase of the pool (the application window, the review, the allocation, the running project) is built once
through the services; then every form of that phase is attacked, one field at a time, by hypothesis (see
tests/support/hostile.py for the values and the checks). A new POST route fails
`test_every_post_route_has_a_case_or_a_reason` until it gets a case in PHASES or a reason in SKIPPED.
"""
from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from wtforms.validators import Length

from portal.allocation.services import confirm_allocation, list_overrides
from portal.applications import services as applications
from portal.applications.content import answers_of, budget_of
from portal.applications.forms import STORAGE_LIMIT
from portal.applications.models import ParkedInput
from portal.applications.states import ApplicationStatus
from portal.applications.template import SECTIONS, Kind as QuestionKind
from portal.audit.models import AuditEvent
from portal.auth.enums import Role
from portal.auth.models import User
from portal.auth.passwords import MAX_LENGTH
from portal.auth.services import create_user
from portal.auth.tokens import INVITATION, PASSWORD_RESET, make_token
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.grants import changes
from portal.grants.models import ChangeRequest
from portal.grants.money import line_field
from portal.grants.services import accept_grant, create_drafts, issue_all
from portal.kommuner.enums import AMK, SizeClass
from portal.kommuner.models import Kommune
from portal.kommuner.services import get_kommune_by_name
from portal.outbox.models import OutboxMessage
from portal.pulje.rules import PoolParameters
from portal.pulje.services import get_pool
from portal.reports import services as report_services
from portal.reports.forms import account_field, narrative_field, spending_field
from portal.reports.models import Report
from portal.reports.states import ReportKind, ReportStatus
from portal.reports.template import FIGURES, NARRATIVES, STORED_TEXT_LIMIT
from portal.review.enums import Decision
from portal.review.models import ConflictOfInterest, Review, ReviewSettings, SelectionConfirmation, SelectionDecision
from portal.review.scoring import COMMENT_LIMIT, MAX_WEIGHT, SCORED_SECTIONS
from portal.review.selection import confirm_selection, decide, list_candidates
from portal.transaction import commit
from portal.workshops import services as workshops
from portal.workshops.forms import EventForm
from portal.workshops.models import Booking, SparringRequest, WorkshopEvent
from portal.workshops.rules import Audience, EventKind, Participant
from tests.conftest import PASSWORD
from tests.support.applications import draft_application, kommune_actor, submitted_applications
from tests.support.herning import SECTIONS as HERNING
from tests.support.hostile import (Case, Field, Kind, Mutation, NASTY_TEXT, exercise, forbidden_in_database, number,
                                   text)
from tests.support.reports import AFTER_ALLOCATION, HERNING_Q4, QUARTERLY_TEXT, SPENDING, grant_of, user_of
from tests.support.sessions import signed_in, staff_user

AFTER_DEADLINE = datetime(2017, 8, 14, 10, 0, tzinfo=COPENHAGEN)
AFTER_THE_QUARTER = datetime(2018, 1, 8, 10, 0, tzinfo=COPENHAGEN)  # the first quarterly reports can be submitted
RAW = Field(Kind.RAW)
BACKSLASH_AWAY, HEADER_SPLIT = "/\\evil.example", "/\r\nSet-Cookie: x=1"
# Bugs found before, tried in every run: 2**63 and 2**31 in a count (500 on both databases), '²' as a FieldList row
# (int('²') in WTForms), a JSON body with a boolean where text goes.
SECTION_ALWAYS = {
    "maalgruppen": (Mutation("replace", "new_per_month", "9223372036854775808"),
                    Mutation("replace", "category_2_count", "2147483648"),
                    Mutation("replace", "target_group_description", "a\x00b")),
    "organisering": (Mutation("json", "organisation_description", {"a": 1}),),
    "oekonomi": (Mutation("extra", "budget-²-description", "x"), Mutation("replace", "fjern", "²")),
}
CHECKED = Field(Kind.CHECK, required=True)


@pytest.fixture
def app_config():
    """No SMTP: a mail that cannot be sent stays in the outbox and never reaches the user (tests/integration/
    test_outbox.py); here it would only cost time."""
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "MAIL_DELIVERY": False}


def _moment(value: datetime) -> str:
    return value.astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M")


def _fresh():
    """Read the database anew in the test's own session."""
    db.session.rollback()


class World:
    """The clients and objects of a phase, and a counter for unique e-mail addresses."""

    def __init__(self, app):
        self.app = app
        self.clients = {}
        self.count = 0

    def sign_in(self, name: str, user) -> None:
        self.clients[name] = signed_in(self.app.test_client(), user)

    def client(self, name: str):
        return lambda: self.clients[name]

    def anonymous(self):
        return lambda: self.app.test_client()

    def unique(self) -> int:
        self.count += 1
        return self.count


# --- the application window ------------------------------------------------------------------------------------------

def _question_field(kind: QuestionKind) -> Field:
    """A section's question as its form takes it: anything storable; the rules judge completeness later."""
    if kind is QuestionKind.COUNT:
        return number(0)
    if kind is QuestionKind.PERCENT:
        return Field(Kind.TENTHS, minimum=0, maximum=1000)
    if kind is QuestionKind.CONFIRM:
        return Field(Kind.CHECK)
    if kind is QuestionKind.EMAIL:
        return Field(Kind.EMAIL, limit=STORAGE_LIMIT)
    return text(STORAGE_LIMIT)


def _section_fields(section, pool) -> dict[str, Field]:
    fields = {question.name: _question_field(question.kind) for question in section.questions}
    fields |= {"seen": RAW, "handling": RAW, "?tjek": RAW, "?parkeret": RAW}
    if section.has_budget:
        fields |= {
            "budget-0-category_code": Field(Kind.CHOICE, choices=("", *(c.code for c in pool.budget_categories))),
            "budget-0-year": Field(Kind.CHOICE, choices=("", *(str(year) for year in pool.budget_years))),
            "budget-0-description": text(STORAGE_LIMIT), "budget-0-amount_kr": number(0),
            "budget-1-amount_kr": number(0), "fjern": RAW}
    return fields


def _section_cases(world: World, application, user_client: str, label: str = "") -> list[Case]:
    pool = get_pool()

    def stored():
        return answers_of(application), budget_of(application)

    def baseline(section):
        return lambda: {**HERNING[section.key], "handling": "gem",
                        "seen": applications.section_fingerprint(application, section)}

    return [Case(f"applications.section {section.key}{label}", world.client(user_client),
                 lambda section=section: f"/ansoegning/{application.id}/{section.key}", baseline(section),
                 _section_fields(section, pool), stored, examples=10, partial=True,
                 always=SECTION_ALWAYS.get(section.key, ()))
            for section in SECTIONS]


def _submit_with_hostile_text(world: World, application) -> None:
    """Every section saved with hostile text in its free text, then submitted: the receipt PDF, the staff's
    page and the exports show that text."""
    herning = world.clients["herning"]
    for section in SECTIONS:
        payload = {**HERNING[section.key], "seen": applications.section_fingerprint(application, section)}
        for question in section.questions:
            if question.kind in (QuestionKind.TEXT,) or question.name == "contact_name":
                payload[question.name] = NASTY_TEXT
        response = herning.post(f"/ansoegning/{application.id}/{section.key}", data=payload)
        assert response.status_code == 302, section.key
        _fresh()
    assert herning.post(f"/ansoegning/{application.id}/indsend").status_code == 302
    _fresh()
    assert application.status is ApplicationStatus.SUBMITTED
    sara = world.clients["sara"]
    for url in (f"/ansoegning/{application.id}/kvittering/1.pdf", f"/ansoegning/{application.id}/kvittering"):
        assert herning.get(url).status_code == 200, url
    for url in ("/ansoegninger/eksport.xlsx", "/ansoegninger/eksport.csv", f"/ansoegninger/{application.id}",
                f"/ansoegninger/{application.id}/indsendelse/1.pdf", "/haendelseslog", "/udbakke/"):
        assert sara.get(url).status_code == 200, url


def window_phase(world: World, clock) -> list[Case]:
    admin = staff_user(Role.ADMIN, "admin@star.test", "Anna Admin")
    sara = staff_user(Role.SAGSBEHANDLER, "sara@star.test", "Sara Sagsbehandler")
    herning = kommune_actor("Herning")
    application = draft_application("Herning", actor=herning)
    person = create_user(email="per@kommune.dk", name="Per Person", role=Role.KOMMUNE,
                         kommune=get_kommune_by_name("Aarhus"), password=PASSWORD)
    pool = get_pool()
    event = workshops.save_event(pool, actor=sara, **_event_values())
    commit()
    for name, user in (("admin", admin), ("sara", sara), ("herning", herning)):
        world.sign_in(name, user)
    kommune_ids = tuple(str(kommune_id) for kommune_id in db.session.scalars(sa.select(Kommune.id)))

    def invited_token():
        user = create_user(email=f"inviteret{world.unique()}@kommune.test", name="Ny Bruger", role=Role.KOMMUNE,
                           kommune=get_kommune_by_name("Aarhus"))
        commit()
        return make_token(user, INVITATION)

    password_fields = {"password": Field(Kind.PASSWORD, required=True, limit=MAX_LENGTH),
                       "confirm": Field(Kind.PASSWORD, required=True)}
    new_password = {"password": "en-ny-og-lang-adgangskode", "confirm": "en-ny-og-lang-adgangskode"}
    email = Field(Kind.EMAIL, required=True, limit=254)

    def users():
        return sorted((user.email, user.name) for user in db.session.scalars(sa.select(User)))

    def passwords():
        return sorted((user.email, user.password_hash) for user in db.session.scalars(
            sa.select(User).where(User.password_hash.is_not(None))))

    def outbox_size():
        return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))

    def pool_values():
        return {name: getattr(get_pool(), name) for name in PoolParameters.field_names()}

    def pool_form():
        pool = get_pool()
        values = {name: str(getattr(pool, name)) for name in PoolParameters.field_names()}
        values |= {name: getattr(pool, name).isoformat() for name in ("funds_from_on", "funds_to_on")}
        values |= {name: _moment(getattr(pool, name)) for name in ("applications_open_at", "application_deadline_at")}
        return {**values, "version": str(pool.version)}

    filters = {"status": "", "region": "", "amk": "", "size_class": "", "sort": "kommune"}
    return [
        *_section_cases(world, application, "herning"),
        Case("applications.section (logged out: the input is parked)", world.anonymous(),
             lambda: f"/ansoegning/{application.id}/maalgruppen", lambda: dict(HERNING["maalgruppen"]),
             {name: RAW for name in HERNING["maalgruppen"]},
             lambda: [parked.fields for parked in db.session.scalars(sa.select(ParkedInput))], examples=8),
        Case("auth.login", world.anonymous(), lambda: "/log-ind",
             lambda: {"email": person.email, "password": PASSWORD, "?next": "/overblik"},
             {"email": email, "password": Field(Kind.PASSWORD, required=True, limit=MAX_LENGTH), "?next": RAW},
             passwords, examples=8, always=(Mutation("replace", "?next", BACKSLASH_AWAY),
                                            Mutation("json", "email", True))),
        Case("auth.forgot_password", world.anonymous(), lambda: "/glemt-adgangskode",
             lambda: {"email": person.email}, {"email": email}, outbox_size, examples=8),
        Case("auth.accept_invitation", world.anonymous(), lambda: f"/invitation/{invited_token()}",
             lambda: dict(new_password), password_fields, passwords, examples=8),
        Case("auth.reset_password", world.anonymous(),
             lambda: f"/nulstil-adgangskode/{make_token(person, PASSWORD_RESET)}",
             lambda: dict(new_password), password_fields, passwords, examples=8),
        Case("auth.invite", world.client("admin"), lambda: "/brugere/inviter",
             lambda: {"name": "Ny Bruger", "email": f"ny{world.unique()}@kommune.dk", "role": "kommune",
                      "kommune_id": kommune_ids[0]},
             {"name": text(120, required=True), "email": email,
              "role": Field(Kind.CHOICE, required=True, choices=tuple(role.value for role in Role)),
              "kommune_id": Field(Kind.CHOICE, choices=("", *kommune_ids))}, users),
        Case("workshops.create", world.client("sara"), lambda: "/arrangementer/nyt", _event_form, _event_fields(),
             lambda: sorted(db.session.scalars(sa.select(WorkshopEvent.title)))),
        Case("workshops.edit", world.client("sara"), lambda: f"/arrangementer/{event.id}", _event_form,
             _event_fields(), lambda: {name: getattr(event, name) for name in workshops.EVENT_FIELDS},
             always=(Mutation("missing", "description"), Mutation("replace", "amk", "x"))),
        Case("casework.remind", world.client("sara"), lambda: "/ansoegninger/paamind",
             lambda: {"tilbage": "/ansoegninger"}, {"tilbage": RAW}, outbox_size, examples=8,
             always=(Mutation("replace", "tilbage", BACKSLASH_AWAY), Mutation("replace", "tilbage", HEADER_SPLIT))),
        Case("casework.index", world.client("sara"), lambda: "/ansoegninger", lambda: dict(filters),
             {name: RAW for name in filters}, lambda: None, method="GET", examples=10),
        Case("kommuner.index", world.client("sara"), lambda: "/kommuner",
             lambda: {"region": "", "amk": "", "size": ""}, {"region": RAW, "amk": RAW, "size": RAW},
             lambda: None, method="GET", examples=10),
        Case("pulje.edit_pool", world.client("admin"), lambda: "/puljen/rediger", pool_form, {
            "purpose": text(4000, required=True), "target_group": text(4000, required=True),
            "total_kr": number(1, required=True), "max_grant_kr": number(1, required=True),
            "min_participants": number(1, required=True), "max_participants": number(1, required=True),
            "funds_from_on": Field(Kind.DATE, required=True), "funds_to_on": Field(Kind.DATE, required=True),
            "applications_open_at": Field(Kind.MOMENT, required=True),
            "application_deadline_at": Field(Kind.MOMENT, required=True),
            "size_medium_from": number(1, required=True), "size_large_from": number(1, required=True),
            "contact_email": email, "version": RAW}, pool_values,
            always=(Mutation("replace", "version", "abc"), Mutation("replace", "total_kr", "  "),
                    Mutation("replace", "applications_open_at", "0001-01-01T00:00")),
            # Last: the submission below needs the pool's dates as they were.
            prepare=lambda: _submit_with_hostile_text(world, application)),
    ]


def _event_values() -> dict:
    return dict(kind=EventKind.INSPIRATION, title="Inspirationsworkshop i Herning",
                starts_at=datetime(2017, 11, 7, 9, 0, tzinfo=COPENHAGEN),
                ends_at=datetime(2017, 11, 7, 15, 0, tzinfo=COPENHAGEN), place="Herning Rådhus", amk=None,
                capacity=10, seats_per_kommune=2, audience=Audience.EVERYONE,
                booking_deadline_at=datetime(2017, 10, 31, 12, 0, tzinfo=COPENHAGEN),
                description="Erfaringer fra en kommune, der er i gang.", learning_consultant="Lone Lund")


def _event_form() -> dict:
    values = _event_values()
    return {"kind": values["kind"].value, "title": values["title"], "starts_at": _moment(values["starts_at"]),
            "ends_at": _moment(values["ends_at"]), "place": values["place"], "amk": "",
            "audience": values["audience"].value, "capacity": "10", "seats_per_kommune": "2",
            "booking_deadline_at": _moment(values["booking_deadline_at"]), "description": values["description"],
            "learning_consultant": values["learning_consultant"]}


def _event_fields() -> dict[str, Field]:
    moment = Field(Kind.MOMENT, required=True)
    return {"kind": Field(Kind.CHOICE, choices=tuple(kind.value for kind in EventKind)),
            "title": text(120, required=True), "starts_at": moment, "ends_at": moment, "place": text(300),
            "amk": Field(Kind.CHOICE, choices=("", *(amk.value for amk in AMK))),
            "audience": Field(Kind.CHOICE, choices=tuple(item.value for item in Audience)),
            "capacity": number(1, required=True), "seats_per_kommune": number(1, required=True),
            "booking_deadline_at": moment, "description": text(4000), "learning_consultant": text(200)}


# --- the review: scores, settings, the selection ---------------------------------------------------------------------

def review_phase(world: World, clock) -> list[Case]:
    made = submitted_applications("Herning", "Aarhus", "Odense", "Læsø")
    clock.set(AFTER_DEADLINE)
    pool = get_pool()
    pool.min_participants, pool.max_participants = 2, 4
    admin = staff_user(Role.ADMIN, "admin@star.test", "Anna Admin")
    sara = staff_user(Role.SAGSBEHANDLER, "sara@star.test", "Sara Sagsbehandler")
    tom = staff_user(Role.SAGSBEHANDLER, "tom@star.test", "Tom Tilsynsførende")
    for name, user in (("admin", admin), ("sara", sara), ("tom", tom)):
        world.sign_in(name, user)
    herning, aarhus, odense = made["Herning"], made["Aarhus"], made["Odense"]
    chosen = {application.id: ("rejected" if name == "Læsø" else "selected") for name, application in made.items()}

    def scores():
        return sorted((score.section_key, score.score, score.comment) for review in db.session.scalars(
            sa.select(Review).where(Review.application_id == herning.id)) for score in review.scores)

    def settings():
        row = db.session.scalar(sa.select(ReviewSettings))
        return None if row is None else (row.score_weights, row.min_score_tenths, row.min_per_amk, row.min_per_size)

    def decisions():
        return sorted((row.application_id, row.decision.value, row.reason)
                      for row in db.session.scalars(sa.select(SelectionDecision)))

    def decide_as_planned():
        rows = list_candidates(get_pool(), viewer=sara)
        decide(rows, actor=sara, decisions={row.application.id: (Decision(chosen[row.application.id]), "Planlagt.")
                                            for row in rows})
        commit()

    score_fields = {f"{key}_score": Field(Kind.CHOICE, choices=("", "1", "2", "3", "4", "5"))
                    for key in SCORED_SECTIONS}
    score_fields |= {f"{key}_comment": text(COMMENT_LIMIT) for key in SCORED_SECTIONS} | {"handling": RAW}
    settings_fields = {f"weight_{key}": number(0, MAX_WEIGHT, required=True) for key in SCORED_SECTIONS}
    settings_fields |= {f"amk_{amk.name}": number(1, 14, required=True) for amk in AMK}
    settings_fields |= {f"size_{size.name}": number(0 if size is SizeClass.MELLEM else 1, 14, required=True)
                        for size in SizeClass}
    settings_fields["min_score"] = Field(Kind.TENTHS, minimum=10, maximum=50)
    decision_fields = {f"decision_{application_id}": Field(Kind.CHOICE, choices=("", "selected", "rejected"))
                       for application_id in chosen}
    decision_fields |= {f"reason_{application_id}": text(4000) for application_id in chosen} | {"?forslag": RAW}
    return [
        Case("review.score", world.client("sara"), lambda: f"/bedoemmelse/{herning.id}",
             lambda: {"handling": "kladde", **{f"{key}_score": "3" for key in SCORED_SECTIONS},
                      **{f"{key}_comment": "Vurderet efter skabelonen." for key in SCORED_SECTIONS}},
             score_fields, scores, always=(Mutation("replace", "organisering_score", "½"),)),
        Case("review.conflict", world.client("tom"), lambda: f"/bedoemmelse/{aarhus.id}/inhabil",
             lambda: {"reason": "Min søster arbejder i jobcentret."}, {"reason": text(1000, required=True)},
             lambda: sorted((c.user_id, c.reason) for c in db.session.scalars(sa.select(ConflictOfInterest))),
             examples=10),
        Case("review.settings", world.client("admin"), lambda: "/bedoemmelse/indstillinger",
             lambda: {**{f"weight_{key}": "1" for key in SCORED_SECTIONS}, **{f"amk_{amk.name}": "1" for amk in AMK},
                      **{f"size_{size.name}": "0" if size is SizeClass.MELLEM else "1" for size in SizeClass},
                      "min_score": ""}, settings_fields, settings),
        Case("selection.index", world.client("sara"), lambda: "/udvaelgelse",
             lambda: {**{f"decision_{key}": value for key, value in chosen.items()},
                      **{f"reason_{key}": "Efter pointene." for key in chosen}},
             decision_fields, decisions, examples=12),
        Case("selection.confirm", world.client("sara"), lambda: "/udvaelgelse/bekraeft", lambda: {"confirmed": "y"},
             {"confirmed": CHECKED},
             lambda: [row.selected_count for row in db.session.scalars(sa.select(SelectionConfirmation))],
             prepare=decide_as_planned, examples=8),
        Case("casework.reopen", world.client("sara"), lambda: f"/ansoegninger/{odense.id}/genaabn",
             lambda: {"reason": "Bilaget manglede.", "deadline_at": "2017-08-21T12:00"},
             {"reason": text(2000, required=True), "deadline_at": Field(Kind.MOMENT, required=True)},
             lambda: (odense.status.value, odense.individual_deadline_at, [event.after for event in db.session.scalars(
                 sa.select(AuditEvent).where(AuditEvent.action == "application.reopened"))]), examples=10),
    ]


# --- the allocation and the grant letters' drafts --------------------------------------------------------------------

def allocation_phase(world: World, clock) -> list[Case]:
    made = submitted_applications("Herning", "Aarhus", "Odense", "Læsø")
    clock.set(AFTER_ALLOCATION)
    pool = get_pool()
    pool.min_participants = 2
    sara = staff_user(Role.SAGSBEHANDLER, "sara@star.test", "Sara Sagsbehandler")
    world.sign_in("sara", sara)
    rows = list_candidates(pool, viewer=sara)
    decide(rows, actor=sara, decisions={row.application.id: (
        Decision.REJECTED if row.kommune.name == "Læsø" else Decision.SELECTED, "Efter pointene.") for row in rows})
    confirm_selection(pool, list_candidates(pool, viewer=sara), actor=sara)
    commit()
    herning = made["Herning"]
    selected = [made[name].id for name in ("Herning", "Aarhus", "Odense")]

    def drafts():
        confirm_allocation(get_pool(), actor=sara)
        create_drafts(get_pool(), actor=sara)
        commit()

    def draft():
        grant = grant_of("Herning")
        return grant.current_letter.intro, grant.current_letter.conditions, grant.accept_by_on

    def draft_form():
        grant = grant_of("Herning")
        return {"intro": grant.current_letter.intro, "conditions": grant.current_letter.conditions,
                "accept_by_on": grant.accept_by_on.isoformat()}

    def letters_show_it():
        """Herning's draft (with the hostile text) previewed; Aarhus's letter written the same way and issued."""
        client = world.clients["sara"]
        assert client.get(f"/tilsagn/{grant_of('Herning').id}/version/1.pdf").status_code == 200
        aarhus = grant_of("Aarhus")
        written = client.post(f"/tilsagn/{aarhus.id}", data={
            "intro": NASTY_TEXT, "conditions": NASTY_TEXT, "accept_by_on": aarhus.accept_by_on.isoformat()})
        assert written.status_code == 302
        assert client.post(f"/tilsagn/{aarhus.id}/udsted").status_code == 302
        _fresh()
        assert grant_of("Aarhus").current_letter.pdf is not None
        for url in (f"/tilsagn/{aarhus.id}/version/1.pdf", "/tilsagn/eksport.xlsx", f"/tilsagn/{aarhus.id}",
                    "/udbakke/", "/haendelseslog"):
            assert client.get(url).status_code == 200, url

    what_if = {"pool_kr": number(1), "max_grant_kr": number(1), "beregn": RAW}
    what_if |= {f"volume_{application_id}": number(0) for application_id in selected}
    return [
        Case("allocation.index (what-if)", world.client("sara"), lambda: "/fordeling",
             lambda: {"beregn": "1", "pool_kr": "9.000.000", "max_grant_kr": "800.000",
                      **{f"volume_{application_id}": "505" for application_id in selected}},
             what_if, lambda: dict(list_overrides(get_pool())), method="GET",
             always=(Mutation("replace", f"volume_{selected[0]}", "82622258587"),)),
        Case("allocation.override", world.client("sara"), lambda: f"/fordeling/{herning.id}/ret",
             lambda: {"amount_kr": "700.000", "reason": "Budgettet er lavere end beregnet."},
             {"amount_kr": number(0, required=True), "reason": text(2000, required=True)},
             lambda: {key: (value.amount_kr, value.reason) for key, value in list_overrides(get_pool()).items()}),
        Case("grants.show (draft)", world.client("sara"), lambda: f"/tilsagn/{grant_of('Herning').id}", draft_form,
             {"intro": text(20_000, required=True), "conditions": text(20_000, required=True),
              "accept_by_on": Field(Kind.DATE, required=True)}, draft, prepare=drafts,
             downstream=letters_show_it),
    ]


# --- the project: letters answered, money moved, workshops, reports --------------------------------------------------

def project_phase(world: World, clock) -> list[Case]:
    names = ("Herning", "Aarhus", "Odense", "Vejle", "Læsø")
    made = submitted_applications(*names)
    clock.set(AFTER_ALLOCATION)
    pool = get_pool()
    pool.min_participants = 2
    sara = staff_user(Role.SAGSBEHANDLER, "sara@star.test", "Sara Sagsbehandler")
    rows = list_candidates(pool, viewer=sara)
    decide(rows, actor=sara, decisions={row.application.id: (
        Decision.REJECTED if row.kommune.name == "Læsø" else Decision.SELECTED, "Efter pointene.") for row in rows})
    confirm_selection(pool, list_candidates(pool, viewer=sara), actor=sara)
    confirm_allocation(pool, actor=sara)
    create_drafts(pool, actor=sara)
    issue_all(pool, actor=sara)
    commit()
    for name in ("Herning", "Aarhus"):
        accept_grant(grant_of(name), actor=user_of(name))
    workshops.generate_standard_series(pool, actor=sara)
    commit()
    world.sign_in("sara", sara)
    for name in names:
        world.sign_in(name, user_of(name))
    herning_grant, aarhus_grant = grant_of("Herning"), grant_of("Aarhus")
    opstart = db.session.scalar(sa.select(WorkshopEvent).where(WorkshopEvent.series_key == "opstart-40"))
    aarhus_opstart = db.session.scalar(sa.select(WorkshopEvent).where(WorkshopEvent.series_key == "opstart-41"))
    booked = workshops.book(aarhus_opstart, kommune=get_kommune_by_name("Aarhus"), actor=user_of("Aarhus"),
                            participants=[Participant("Anne Andersen", "Konsulent", "anne@aarhus.test")])
    proposal = workshops.propose_sparring(
        pool, kommune=get_kommune_by_name("Aarhus"), actor=user_of("Aarhus"),
        dates=[datetime(2017, 11, 14, 13, 0, tzinfo=COPENHAGEN), datetime(2017, 11, 21, 9, 0, tzinfo=COPENHAGEN)],
        manager_name="Mette Madsen", manager_email="mette@aarhus.test", note="")
    commit()
    reports = {grant.kommune.name: report_services.list_reports_of(grant) for grant in (herning_grant, aarhus_grant)}
    quarterly = next(report for report in reports["Herning"] if report.kind is ReportKind.QUARTERLY)
    final = next(report for report in reports["Herning"] if report.kind is ReportKind.FINAL)
    moved, waived = [report for report in reports["Herning"] if report not in (quarterly, final)][:2]
    submitted = next(report for report in reports["Aarhus"] if report.kind is ReportKind.QUARTERLY)
    lines = changes.form_lines(pool)
    categories = [category.code for category in pool.budget_categories]

    def decisions():
        return sorted((row.application.kommune.name, row.decision.value, row.reason)
                      for row in db.session.scalars(sa.select(SelectionDecision)))

    def grant_state(name):
        return lambda: (grant_of(name).status.value, grant_of(name).decline_reason, [
            (letter.number, letter.status.value, letter.replaces_reason) for letter in grant_of(name).letters])

    def change_form():
        split = dict(grant_of("Herning").split_lines)
        form = {line_field(year, code): str(split.get((year, code), 0)) for year, code, _ in lines}
        form[line_field(2018, categories[0])] = str(split.get((2018, categories[0]), 0) - 50_000)
        form[line_field(2018, categories[1])] = str(split.get((2018, categories[1]), 0) + 50_000)
        return {**form, "reason": "Mere kompetenceudvikling i 2018."}

    def change_requests():
        return sorted((change.status.value, change.reason, change.decision_note)
                      for change in db.session.scalars(sa.select(ChangeRequest)))

    def pending_change():
        change = changes.pending_change(grant_of("Herning"))
        if change is None:
            split = dict(grant_of("Herning").split_lines)
            split[(2018, categories[0])] -= 10_000
            split[(2018, categories[1])] = split.get((2018, categories[1]), 0) + 10_000
            change = changes.request_change(grant_of("Herning"), actor=user_of("Herning"), split=split,
                                            reason="Lidt mere kompetenceudvikling.")
            commit()
        return change

    def booking():
        return [(row.status.value, row.participants) for row in db.session.scalars(
            sa.select(Booking).where(Booking.event_id == opstart.id))]

    def sparring_of(name):
        return lambda: [(row.proposed, row.manager_name, row.manager_email, row.note,
                         row.event.place if row.event is not None else None)
                        for row in db.session.scalars(sa.select(SparringRequest)) if row.kommune.name == name]

    def after_the_quarter():
        clock.set(AFTER_THE_QUARTER)

    def submit_aarhus_report():
        if submitted.status is ReportStatus.DRAFT:
            report_services.save_report(submitted, actor=user_of("Aarhus"), version=submitted.version,
                                        figures=HERNING_Q4, spending=SPENDING, narrative=QUARTERLY_TEXT)
            report_services.submit_report(submitted, actor=user_of("Aarhus"))
            commit()

    def report_state(report):
        def state():
            row = db.session.get(Report, report.id)
            return (row.status.value, row.figures, row.spending, row.account, row.narrative, row.due_on,
                    row.plan_note, row.return_comment)
        return state

    def report_form(report):
        def form():
            current = db.session.get(Report, report.id)
            values = {"version": str(current.version), "save": "Gem kladde"}
            values |= {narrative_field(item.key): f"Om {item.key}." for item in NARRATIVES[current.kind]}
            if current.kind is ReportKind.QUARTERLY:
                values |= {key: str(value) for key, value in HERNING_Q4.items()}
                values |= {spending_field(code): str(SPENDING.get(code, 0)) for code in categories}
            else:
                values |= {account_field(year, code): "1000" for year in pool.budget_years for code in categories}
            return values
        return form

    def report_fields(kind):
        fields = {narrative_field(item.key): text(STORED_TEXT_LIMIT) for item in NARRATIVES[kind]}
        fields |= {"version": RAW, "save": RAW}
        if kind is ReportKind.QUARTERLY:
            fields |= {figure.key: number(0) for figure in FIGURES}
            fields |= {spending_field(code): number(0) for code in categories}
        else:
            fields |= {account_field(year, code): number(0) for year in pool.budget_years for code in categories}
        return fields

    def report_pages(report, who):
        def show():
            for url in (f"/rapporter/{report.id}.pdf", f"/rapporter/{report.id}", "/rapporter", "/mine-resultater"):
                assert world.clients[who].get(url).status_code in (200, 404), url
            for url in (f"/rapportering/{report.id}", f"/rapportering/{report.id}.pdf", "/rapportering/eksport.xlsx",
                        "/rapportering", "/succeskriterier", "/succeskriterier/maal.xlsx"):
                assert world.clients["sara"].get(url).status_code == 200, url
        return show

    def workshop_pages():
        for url in (f"/arrangementer/{opstart.id}/deltagerliste.pdf", "/arrangementer/deltagere.xlsx",
                    "/arrangementer/deltagere.csv", f"/arrangementer/{opstart.id}", "/arrangementer"):
            assert world.clients["sara"].get(url).status_code == 200, url

    seats = opstart.seats_per_kommune
    people = {}
    for index in range(seats):
        people |= {f"participants-{index}-name": f"Deltager {index}", f"participants-{index}-role": "Konsulent",
                   f"participants-{index}-email": f"deltager{index}@herning.test"}
    people_fields = {}
    for index in range(seats):
        people_fields |= {f"participants-{index}-name": text(200), f"participants-{index}-role": text(200),
                          f"participants-{index}-email": Field(Kind.EMAIL, limit=254)}
    moment = Field(Kind.MOMENT)
    sparring = {"first": "2017-11-14T13:00", "second": "2017-11-21T09:00", "third": "", "manager_name": "Mette Madsen",
                "manager_email": "mette@herning.test", "note": "Helst om formiddagen."}
    send_back = {"comment": "Tallene for fjerde kvartal mangler.", "due_on": "15-2-2018"}
    return [
        Case("grants.accept", world.client("Odense"), lambda: "/mit-tilsagn/accepter", lambda: {"confirmed": "y"},
             {"confirmed": CHECKED}, grant_state("Odense"), examples=8),
        Case("grants.decline", world.client("Vejle"), lambda: "/mit-tilsagn/afslaa",
             lambda: {"reason": "Byrådet har sagt nej."}, {"reason": text(2000, required=True)},
             grant_state("Vejle"), examples=10),
        Case("grants.select_reserve", world.client("sara"), lambda: "/tilsagn/reserve",
             lambda: {"application_id": str(made["Læsø"].id), "reason": "Vejle afslog."},
             {"application_id": Field(Kind.CHOICE, required=True, choices=(str(made["Læsø"].id),)),
              "reason": text(2000, required=True)}, decisions, refusal="flash", examples=10),
        Case("grants.mark_paid", world.client("sara"),
             lambda: f"/tilsagn/{herning_grant.id}/udbetaling/{min(p.id for p in grant_of('Herning').payments)}",
             lambda: {"paid_on": "28-8-2017"}, {"paid_on": Field(Kind.DATE, required=True)},
             lambda: sorted((p.year, p.paid_on) for p in grant_of("Herning").payments), refusal="flash",
             examples=10),
        Case("grant_changes.request_change", world.client("Herning"), lambda: "/mit-tilsagn/aendring", change_form,
             {**{line_field(year, code): number(required=True) for year, code, _ in lines},
              "reason": text(2000, required=True)}, change_requests),
        Case("grant_changes.decide_change", world.client("sara"),
             lambda: f"/tilsagn/{herning_grant.id}/aendring/{pending_change().id}",
             lambda: {"note": "I orden.", "approve": "Godkend ændringen"},
             {"note": text(2000), "approve": RAW, "reject": RAW}, change_requests, examples=10),
        Case("grants.new_version", world.client("sara"), lambda: f"/tilsagn/{aarhus_grant.id}/ny-version",
             lambda: {"reason": "Beløbet for 2018 er rettet."}, {"reason": text(2000, required=True)},
             grant_state("Aarhus"), examples=10),
        Case("workshops.show (booking)", world.client("Herning"), lambda: f"/workshops/{opstart.id}",
             lambda: dict(people), people_fields, booking, downstream=workshop_pages,
             always=(Mutation("extra", "participants-²-name", "x"),)),
        Case("workshops.sparring", world.client("Herning"), lambda: "/workshops/sparring", lambda: dict(sparring),
             {"first": Field(Kind.MOMENT, required=True), "second": moment, "third": moment,
              "manager_name": text(200), "manager_email": Field(Kind.EMAIL, limit=254), "note": text(2000)},
             sparring_of("Herning"), always=(Mutation("replace", "first", "0001-01-01T00:00"),)),
        Case("workshops.confirm_sparring", world.client("sara"), lambda: f"/arrangementer/sparring/{proposal.id}",
             lambda: {"chosen": "0", "place": "Jobcenter Aarhus"},
             {"chosen": Field(Kind.CHOICE, required=True, choices=("0", "1")), "place": text(300)},
             sparring_of("Aarhus"), examples=10),
        Case("reports.edit (quarterly)", world.client("Herning"), lambda: f"/rapporter/{quarterly.id}",
             report_form(quarterly), report_fields(ReportKind.QUARTERLY), report_state(quarterly),
             prepare=after_the_quarter, downstream=report_pages(quarterly, "Herning")),
        Case("workshops.attendance", world.client("sara"), lambda: f"/arrangementer/{aarhus_opstart.id}/fremmoede",
             lambda: {"attended": str(booked.id)},
             {"attended": Field(Kind.CHOICE, choices=("", str(booked.id)))},
             lambda: [(row.id, row.attended) for row in db.session.scalars(sa.select(Booking))],
             refusal="flash", examples=10, always=(Mutation("replace", "attended", "x"),)),
        Case("reports.edit (final)", world.client("Herning"), lambda: f"/rapporter/{final.id}",
             report_form(final), report_fields(ReportKind.FINAL), report_state(final), examples=10,
             downstream=report_pages(final, "Herning")),
        Case("report_casework.send_back", world.client("sara"), lambda: f"/rapportering/{submitted.id}/send-tilbage",
             lambda: dict(send_back), {"comment": text(4000, required=True), "due_on": Field(Kind.DATE, required=True)},
             report_state(submitted), examples=10, prepare=submit_aarhus_report,
             offered=lambda: submitted.status is ReportStatus.SUBMITTED, downstream=report_pages(submitted, "Aarhus")),
        Case("report_casework.move_due_date", world.client("sara"), lambda: f"/rapportering/{moved.id}/frist",
             lambda: {"due_on": "30-4-2018", "note": "Aftalt i telefonen."},
             {"due_on": Field(Kind.DATE, required=True), "note": text(2000, required=True)}, report_state(moved),
             examples=12),
        Case("report_casework.waive", world.client("sara"), lambda: f"/rapportering/{waived.id}/udgaar",
             lambda: {"note": "Indgår i slutrapporten."}, {"note": text(2000, required=True)}, report_state(waived),
             examples=10),
        Case("report_casework.index", world.client("sara"), lambda: "/rapportering", lambda: {"vis": ""},
             {"vis": RAW}, lambda: None, method="GET", examples=8),
    ]


# --- the phases, and the routes no case needs -------------------------------------------------------------------------

PHASES = {"application window": window_phase, "review": review_phase, "allocation": allocation_phase,
          "project": project_phase}

BUTTON = "a ButtonForm: it has no fields, so there is nothing hostile to send but extra fields, which WTForms ignores"
SKIPPED = {endpoint: BUTTON for endpoint in (
    "auth.logout", "auth.deactivate", "auth.reactivate", "auth.resend_invitation", "outbox.send",
    "applications.start", "applications.submit", "applications.withdraw", "allocation.confirm",
    "allocation.remove_override", "grants.create_drafts", "grants.issue_all", "grants.issue", "grants.deadlines",
    "workshops.generate_series", "workshops.remind", "workshops.cancel", "selection.apply_suggestion",
    "report_casework.approve", "report_casework.reinstate", "report_casework.remind")}


def _endpoint(case: Case) -> str:
    return case.name.split(" ")[0]


# The endpoints each phase has cases for: together with SKIPPED, every POST route of the app.
COVERED = {
    "application window": {"applications.section", "auth.login", "auth.forgot_password", "auth.accept_invitation",
                           "auth.reset_password", "auth.invite", "workshops.create", "workshops.edit",
                           "casework.remind", "casework.index", "kommuner.index", "pulje.edit_pool"},
    "review": {"review.score", "review.conflict", "review.settings", "selection.index", "selection.confirm",
               "casework.reopen"},
    "allocation": {"allocation.index", "allocation.override", "grants.show"},
    "project": {"grants.accept", "grants.decline", "grants.select_reserve", "grants.mark_paid",
                "grant_changes.request_change", "grant_changes.decide_change", "grants.new_version",
                "workshops.show", "workshops.attendance", "workshops.sparring", "workshops.confirm_sparring",
                "reports.edit", "report_casework.send_back", "report_casework.move_due_date",
                "report_casework.waive", "report_casework.index"},
}


def test_every_post_route_has_a_case_or_a_reason(app):
    posted = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    covered = set().union(*COVERED.values())

    assert {endpoint: "no case and no reason" for endpoint in sorted(posted - covered - set(SKIPPED))} == {}
    assert sorted(set(SKIPPED) - posted) == []
    assert sorted(covered & set(SKIPPED)) == []


def test_an_event_title_at_its_limit_still_fits_the_booking_mail(app, clock):
    sara = staff_user(Role.SAGSBEHANDLER, "sara@star.test", "Sara Sagsbehandler")
    limit = next(validator.max for validator in EventForm.title.kwargs["validators"] if isinstance(validator, Length))
    made = signed_in(app.test_client(), sara).post("/arrangementer/nyt", data={**_event_form(), "title": "T" * limit})
    event = db.session.scalar(sa.select(WorkshopEvent))
    kommune = signed_in(app.test_client(), kommune_actor("Ringkøbing-Skjern"))

    booked = kommune.post(f"/workshops/{event.id}", data={"participants-0-name": "Anne Andersen",
                                                          "participants-0-email": "anne@rksk.dk"})

    assert (made.status_code, booked.status_code, booked.headers["Location"]) == (
        302, 302, f"/workshops/{event.id}")
    # To the participant and to the booking user; the column holds 200 characters.
    assert [len(subject) > 200 for subject in db.session.scalars(sa.select(OutboxMessage.subject))] == [False, False]


@pytest.mark.parametrize("phase", list(PHASES))
def test_hostile_input_to_every_form(app, clock, phase):
    world = World(app)
    cases = PHASES[phase](world, clock)
    assert {_endpoint(case) for case in cases} == COVERED[phase]

    problems = [problem for case in cases for problem in exercise(case)]

    _fresh()
    problems += [f"stored: {found}" for found in forbidden_in_database()]
    assert problems == [], "\n".join(problems)
