"""Realistic pools in a fresh database, built through the services as the portal's users would build them.

`build_project` makes the benchmark's pool: all 98 kommuner applied, three caseworkers scored each,
14 selected by the suggestion, the allocation confirmed, grant letters issued and accepted, four quarters
of reports filed and the workshop series booked; it times the heavy operations on the way.
`build_deadline_day` makes the load test's pool: the window open on the last morning, a user with a
password in every kommune and nothing applied yet. Each answer names its kommune, so a save that lands
in the wrong application is found when the answers are read back.
"""
from __future__ import annotations

import contextlib
import io
import statistics
import time
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from portal import create_app
from portal.allocation.engine import Claim, allocate
from portal.allocation.services import confirm_allocation, current_calculation
from portal.applications import services as applications
from portal.applications.rules import BudgetLineAnswer
from portal.applications.template import SECTIONS
from portal.auth.enums import Role
from portal.auth.models import User
from portal.auth.services import create_user
from portal.clock import COPENHAGEN, FrozenClock
from portal.demo_project import file_due_reports
from portal.extensions import db
from portal.grants import services as grants
from portal.grants.letter import grant_letter_pdf
from portal.kommuner.models import Kommune
from portal.kommuner.services import seed_kommuner
from portal.pulje.services import get_pool, seed_pool
from portal.reports.services import approve_report, list_reports
from portal.reports.states import ReportStatus
from portal.review.scoring import SCORED_SECTIONS, SectionScore
from portal.review.selection import apply_suggestion, confirm_selection, list_candidates, selection_rules, \
    suggest_for
from portal.review.services import record_scores
from portal.review.suggest import Candidate, suggest_selection
from portal.transaction import commit
from portal.workshops.rules import Audience, EventKind, Participant
from portal.workshops.services import book, booking_problem, generate_standard_series, list_events

PASSWORD = "benchmark-adgangskode-2017"
KOMMUNE_USER = "bench.kommune@bench.test"
CASEWORKERS = ("sagsbehandler1@bench.star.dk", "sagsbehandler2@bench.star.dk", "sagsbehandler3@bench.star.dk")

FILLED_AT = datetime(2017, 7, 24, 9, 0, tzinfo=COPENHAGEN)
SCORED_AT = datetime(2017, 8, 9, 10, 0, tzinfo=COPENHAGEN)
SELECTED_AT = datetime(2017, 8, 18, 10, 0, tzinfo=COPENHAGEN)
ISSUED_AT = datetime(2017, 8, 28, 10, 0, tzinfo=COPENHAGEN)
SERIES_AT = datetime(2017, 9, 1, 10, 0, tzinfo=COPENHAGEN)
ACCEPTED_AT = datetime(2017, 9, 4, 10, 0, tzinfo=COPENHAGEN)
BOOKINGS_AT = (datetime(2017, 9, 5, 10, 0, tzinfo=COPENHAGEN), datetime(2018, 1, 10, 10, 0, tzinfo=COPENHAGEN),
               datetime(2018, 4, 20, 10, 0, tzinfo=COPENHAGEN))
APPROVED_AT = datetime(2018, 11, 12, 10, 0, tzinfo=COPENHAGEN)
# After four quarters of reports (the third quarter of 2018 was due on 31 October): the served pool's clock.
PROJECT_NOW = datetime(2018, 11, 15, 10, 0, tzinfo=COPENHAGEN)
# The last morning of the application window (the deadline is 4 August 2017 at 12.00).
DEADLINE_MORNING = datetime(2017, 8, 4, 8, 0, tzinfo=COPENHAGEN)


def slug(name: str) -> str:
    return name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace(" ", "-").replace(".", "")


def kommune_email(kommune: Kommune) -> str:
    return f"{slug(kommune.name)}@bench.test"


@dataclass(frozen=True)
class KommuneAnswers:
    """A kommune's whole application: answers by field name, and its budget lines."""

    answers: dict
    budget: tuple[BudgetLineAnswer, ...]


def answers_for(kommune) -> KommuneAnswers:
    """Plausible answers that scale with the kommune's population and name the kommune in every text.

    `kommune` is a Kommune or anything with its code, name and population.
    """
    people = kommune.population
    new_per_month = max(2, people // 2500)
    total = min(800_000, max(60_000, people // 1000 * 8_000 // 1000 * 1000))
    first_year = total // 4 // 1000 * 1000
    training = total // 10 // 1000 * 1000
    name = kommune.name
    phone = f"{70_000_000 + kommune.code * 1000:08d}"
    answers = {
        "target_group_description": f"Nye sygedagpengemodtagere fra beskæftigelse i {name} med mere end 8 ugers "
                                    "forventet fravær. Alvorligt syge undtages. " * 3,
        "new_per_month": new_per_month,
        "category_2_count": max(4, people // 700),
        "category_3_count": max(2, people // 3000),
        "baseline_measure_permille": 200 + kommune.code % 150,
        "target_group_needs": f"Tidlig dialog med arbejdsgiveren i {name} og en fælles plan for tilbagevenden.",
        "organisation_description": f"I {name} holder fastholdelsesrådgiveren første samtale på arbejdspladsen "
                                    "med borger og arbejdsgiver, før udgangen af 8. fraværsuge. " * 2,
        "double_role_staff": max(2, new_per_month // 10),
        "ready_at_start": max(1, new_per_month // 40),
        "competence_description": f"{name}: et forløb i virksomhedsdialog og sparring hver anden uge.",
        "management_description": f"Ledelsen i {name} følger hver måned op på andelen af samtaler på arbejdspladsen.",
        "activities_description": f"Løn til fastholdelsesrådgivere og kompetenceudvikling i {name}.",
        "contact_name": f"Kontaktperson {name}",
        "contact_title": "Teamleder, Sygedagpenge",
        "contact_email": f"kontakt.{slug(name)}@bench.test",
        "contact_phone": " ".join(phone[i:i + 2] for i in range(0, 8, 2)),
        "management_declaration": True,
    }
    budget = (
        BudgetLineAnswer("fastholdelseskonsulenter", 2017, f"Rådgivere i {name} 2017", first_year - training // 2),
        BudgetLineAnswer("fastholdelseskonsulenter", 2018, f"Rådgivere i {name} 2018",
                         total - first_year - training // 2),
        BudgetLineAnswer("kompetenceudvikling", 2017, f"Uddannelse i {name}", training // 2),
        BudgetLineAnswer("kompetenceudvikling", 2018, f"Sparring i {name}", training - training // 2),
    )
    return KommuneAnswers(answers, budget)


def fresh_app(database_url: str, clock: FrozenClock, **config):
    """The app on `database_url`, migrated to the newest revision and seeded; mail waits in the outbox."""
    app = create_app({"DATABASE_URL": database_url, "CLOCK": clock, "MAIL_DELIVERY": False,
                      "PUBLIC_BASE_URL": "http://127.0.0.1", **config})
    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()):  # alembic's log of each revision
            upgrade()
        seed_kommuner()
        seed_pool()
        commit()
    return app


def list_kommuner() -> list[Kommune]:
    return list(db.session.scalars(sa.select(Kommune).order_by(Kommune.code)))


def _timed(action, repeat: int = 1) -> tuple[object, float]:
    """The action's result and its median wall time in milliseconds over `repeat` runs."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - started) * 1000)
    return result, statistics.median(times)


def _points(code: int, reviewer: int, section: int) -> int:
    """A deterministic score 1–5 that differs between kommuner, sections and caseworkers."""
    return 1 + (code * (section + 3) + 7 * reviewer + section * reviewer + code // 7) % 5


def _apply_all(kommuner: list[Kommune]) -> None:
    pool = get_pool()
    for kommune in kommuner:
        user = create_user(email=kommune_email(kommune), name=f"Bruger i {kommune.name}", role=Role.KOMMUNE,
                           kommune=kommune)
        given = answers_for(kommune)
        application = applications.start_application(pool, kommune=kommune, actor=user)
        for section in SECTIONS:
            applications.save_section(application, actor=user, section=section,
                                      answers={name: given.answers[name] for name in section.field_names},
                                      budget=list(given.budget),
                                      seen=applications.section_fingerprint(application, section))
        applications.submit_application(application, actor=user)
        commit()


def _score_all(caseworkers) -> None:
    pool = get_pool()
    for number, caseworker in enumerate(caseworkers):
        for row in list_candidates(pool, viewer=caseworker):
            record_scores(row.application, reviewer=caseworker, submit=True, sections={
                key: SectionScore(_points(row.kommune.code, number, index), f"Vurderet af sagsbehandler {number + 1}.")
                for index, key in enumerate(SCORED_SECTIONS)})
        commit()


def _allocation_of_all(pool, rows) -> float:
    """The engine sharing the pool among all 98 applicants (a what-if far beyond 14): median ms of 5 runs."""
    claims = []
    for row in rows:
        answers = row.application.latest_submission.content["answers"]
        claims.append(Claim(code=row.kommune.code, volume=answers["category_2_count"] + answers["category_3_count"],
                            requested_kr=row.application.budget_total_kr))
    _, elapsed = _timed(lambda: allocate(pool_kr=pool.total_kr, max_grant_kr=pool.max_grant_kr, claims=claims), 5)
    return elapsed


def _book_workshops(clock: FrozenClock, kommuner: list[Kommune]) -> int:
    """Participants book an opstartsworkshop and each open netværksmøde of their AMK (the rules refuse the rest);
    a few kommuner outside the project book an inspiration day, or its waiting list."""
    pool = get_pool()
    users = _kommune_users()
    participating = {grant.kommune_id for grant in grants.list_grants(pool)}
    booked = 0
    for moment in BOOKINGS_AT:
        clock.set(moment)
        events = list_events(pool)
        for kommune in kommuner:
            wanted = _wanted_events(events, kommune, kommune.id in participating)
            for event in wanted:
                if booking_problem(event, kommune) is not None:
                    continue
                people = [Participant(f"Deltager {n} fra {kommune.name}", "Fastholdelsesrådgiver",
                                      f"deltager{n}.{slug(kommune.name)}@bench.test") for n in (1, 2)]
                book(event, kommune=kommune, actor=users[kommune.id], participants=people)
                booked += 1
        commit()
    return booked


def _wanted_events(events, kommune: Kommune, participating: bool) -> list:
    if participating:
        return [event for event in events if event.kind in (EventKind.OPSTART, EventKind.NETVAERK)
                and event.audience is Audience.PARTICIPANTS]
    if kommune.code % 9 == 0:  # a few kommuner outside the project want an inspirationsworkshop
        return [event for event in events if event.kind is EventKind.INSPIRATION]
    return []


def _kommune_users() -> dict[int, User]:
    """Each kommune's own bench user (not the benchmark's login), by kommune id."""
    return {user.kommune_id: user for user in db.session.scalars(
        sa.select(User).where(User.role == Role.KOMMUNE, User.email.like("%@bench.test")).order_by(User.id))
        if user.email != KOMMUNE_USER}


def build_project(database_url: str, *, every: int = 1) -> dict:
    """Build the benchmark's pool at `database_url` (empty); returns the timings and the ids the pages need.

    `every` n-th kommune applies (1: all 98); a smaller pool lets a test compare the pages' query counts."""
    clock = FrozenClock(FILLED_AT)
    app = fresh_app(database_url, clock)
    facts: dict = {"timings_ms": {}}
    timings = facts["timings_ms"]
    with app.app_context():
        started = time.perf_counter()
        caseworkers = [create_user(email=email, name=f"Sagsbehandler {number}", role=Role.SAGSBEHANDLER,
                                   password=PASSWORD if number == 1 else None)
                       for number, email in enumerate(CASEWORKERS, start=1)]
        commit()
        kommuner = list_kommuner()[::every]
        _, timings["applications_98_submitted"] = _timed(lambda: _apply_all(kommuner))

        clock.set(SCORED_AT)
        _, timings["reviews_294_recorded"] = _timed(lambda: _score_all(caseworkers))

        clock.set(SELECTED_AT)
        pool, staff = get_pool(), caseworkers[0]
        rows = list_candidates(pool, viewer=staff)
        suggestion, timings["suggestion_98"] = _timed(lambda: suggest_for(pool, rows), 5)
        candidates = [Candidate(code=row.kommune.code, name=row.kommune.name, amk=row.kommune.amk,
                                size_class=row.board.size_class, score=row.board.score) for row in rows]
        rules = selection_rules(pool)
        _, timings["suggestion_98_pure"] = _timed(lambda: suggest_selection(candidates, rules), 5)
        timings["allocation_98"] = _allocation_of_all(pool, rows)
        apply_suggestion(rows, suggestion, actor=staff)
        _, timings["selection_confirmed_with_84_letters"] = _timed(
            lambda: (confirm_selection(pool, list_candidates(pool, viewer=staff), actor=staff), commit()))
        _, timings["allocation_14_calculated"] = _timed(lambda: current_calculation(pool), 5)
        confirm_allocation(pool, actor=staff)
        commit()

        clock.set(ISSUED_AT)
        grants.create_drafts(pool, actor=staff)
        commit()
        first = grants.list_grants(pool)[0]
        letter = grants.letter_of(first, first.current_letter, dated_on=ISSUED_AT.date(), signed_by=staff.name)
        _, timings["grant_letter_pdf"] = _timed(lambda: grant_letter_pdf(letter), 10)
        issued, timings["grant_letters_issued_all"] = _timed(
            lambda: (grants.issue_all(pool, actor=staff), commit())[0])
        facts["grant_letters_issued"] = len(issued)

        clock.set(SERIES_AT)
        generate_standard_series(pool, actor=staff)
        commit()
        clock.set(ACCEPTED_AT)
        users = _kommune_users()
        for grant in grants.list_grants(pool):
            grants.accept_grant(grant, actor=users[grant.kommune_id])
        commit()
        facts["bookings"] = _book_workshops(clock, kommuner)

        clock.set(PROJECT_NOW)
        filed = sum(file_due_reports(grant, PROJECT_NOW) for grant in grants.list_grants(pool))
        commit()
        clock.set(APPROVED_AT)
        for report in list_reports(pool):
            if report.status is ReportStatus.SUBMITTED and report.period_to_on < date(2018, 7, 1):
                approve_report(report, actor=caseworkers[1])
        commit()
        facts["reports_filed"] = filed
        timings["build_total"] = (time.perf_counter() - started) * 1000

        selected = grants.list_grants(pool)
        own = selected[0].application
        create_user(email=KOMMUNE_USER, name=f"Benchmark-bruger i {own.kommune.name}", role=Role.KOMMUNE,
                    kommune=own.kommune, password=PASSWORD)
        commit()
        facts.update(selected=len(selected), own_application_id=own.id, own_kommune=own.kommune.name,
                     scored_application_id=rows[len(rows) // 2].application.id, kommune_user=KOMMUNE_USER,
                     caseworker=CASEWORKERS[0], password=PASSWORD, clock=PROJECT_NOW.isoformat())
        db.session.remove()
        db.engine.dispose()
    return facts


@dataclass(frozen=True)
class KommuneRef:
    """What the load test needs of a kommune outside the database session."""

    id: int
    code: int
    name: str
    population: int


def build_deadline_day(database_url: str, *, caseworkers: int = 3, colleagues: int = 10) -> dict:
    """The load test's pool: a user with a password in every kommune (two in `colleagues` of them, every
    ninth by code) and for each caseworker; nothing applied yet. Returns each kommune with its users."""
    clock = FrozenClock(DEADLINE_MORNING)
    app = fresh_app(database_url, clock)
    teams: list[tuple[KommuneRef, list[str]]] = []
    with app.app_context():
        for position, kommune in enumerate(list_kommuner()):
            emails = [kommune_email(kommune)]
            if position % 9 == 0 and position // 9 < colleagues:
                emails.append(f"kollega.{slug(kommune.name)}@bench.test")
            for number, email in enumerate(emails):
                create_user(email=email, name=f"{'Kollega' if number else 'Bruger'} i {kommune.name}",
                            role=Role.KOMMUNE, kommune=kommune, password=PASSWORD)
            teams.append((KommuneRef(kommune.id, kommune.code, kommune.name, kommune.population), emails))
        staff = [f"sagsbehandler{number}@bench.star.dk" for number in range(1, caseworkers + 1)]
        for email in staff:
            create_user(email=email, name=email.split("@")[0].title(), role=Role.SAGSBEHANDLER, password=PASSWORD)
        commit()
        db.session.remove()
        db.engine.dispose()
    return {"teams": teams, "caseworkers": staff, "clock": DEADLINE_MORNING.isoformat()}
