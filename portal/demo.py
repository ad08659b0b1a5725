"""Demo accounts and applications, so that a newcomer can log in as every kind of user; idempotent."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from portal import clock
from portal.applications import services as applications
from portal.applications.rules import BudgetLineAnswer
from portal.applications.template import SECTIONS
from portal.auth.enums import Role
from portal.auth.services import create_user, get_user_by_email
from portal.errors import DomainError
from portal.kommuner.services import get_kommune_by_name
from portal.pulje.services import get_pool
from portal.review.scoring import SCORED_SECTIONS, SectionScore
from portal.review.services import get_review, is_reviewable, list_score_board, record_scores

# The demo's published password (README), not a secret.
DEMO_PASSWORD = "fastholdelse2017"  # nosec B105
DEMO_CASEWORKER = "sagsbehandler@demo.star.dk"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    kommune: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("admin@demo.star.dk", "Anne Administrator", Role.ADMIN),
    DemoAccount(DEMO_CASEWORKER, "Søren Sagsbehandler", Role.SAGSBEHANDLER),
    DemoAccount("herning@demo.kommune.dk", "Bodil Clark", Role.KOMMUNE, "Herning"),
    DemoAccount("aarhus@demo.kommune.dk", "Jens Møller", Role.KOMMUNE, "Aarhus"),
    DemoAccount("odense@demo.kommune.dk", "Lone Petersen", Role.KOMMUNE, "Odense"),
    DemoAccount("kobenhavn@demo.kommune.dk", "Ahmed Rasmussen", Role.KOMMUNE, "København"),
    DemoAccount("laeso@demo.kommune.dk", "Birthe Jørgensen", Role.KOMMUNE, "Læsø"),
    DemoAccount("bornholm@demo.kommune.dk", "Mikkel Kofoed", Role.KOMMUNE, "Bornholm"),
]


def load_demo_accounts() -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet (password DEMO_PASSWORD); returns all of them."""
    for account in DEMO_ACCOUNTS:
        if get_user_by_email(account.email) is not None:
            continue
        kommune = get_kommune_by_name(account.kommune) if account.kommune else None
        if account.kommune and kommune is None:
            raise LookupError(f"Kommune {account.kommune!r} is missing: run `flask --app portal seed` first.")
        create_user(email=account.email, name=account.name, role=account.role, kommune=kommune,
                    password=DEMO_PASSWORD)
    return DEMO_ACCOUNTS


@dataclass(frozen=True)
class DemoApplication:
    """A kommune's application in the demo: its figures, its budget per year, how far it has come."""

    account: str
    category_2: int
    category_3: int
    new_per_month: int
    budget: tuple[int, int]
    sections_done: int
    submit: bool


# Herning has not started, so the demo can walk through its application from the beginning.
DEMO_APPLICATIONS = [
    DemoApplication("aarhus@demo.kommune.dk", 1180, 260, 310, (250_000, 550_000), 6, True),
    DemoApplication("odense@demo.kommune.dk", 860, 190, 240, (200_000, 600_000), 6, True),
    DemoApplication("laeso@demo.kommune.dk", 6, 2, 2, (40_000, 110_000), 6, True),
    DemoApplication("bornholm@demo.kommune.dk", 140, 35, 38, (90_000, 260_000), 3, False),
    DemoApplication("kobenhavn@demo.kommune.dk", 2400, 610, 650, (200_000, 600_000), 1, False),
]


# More applicants, so that the review phase has a selection to make: (kommune, category 2, category 3,
# new a month, budget per year). Their users only act in the demo data and cannot log in.
DEMO_APPLICANTS = [
    ("Vejle", 330, 80, 45, (150_000, 450_000)),
    ("Esbjerg", 360, 95, 50, (200_000, 600_000)),
    ("Ærø", 14, 4, 3, (30_000, 70_000)),
    ("Fanø", 8, 2, 2, (20_000, 60_000)),
    ("Horsens", 240, 60, 35, (150_000, 500_000)),
    ("Skive", 110, 30, 16, (100_000, 300_000)),
    ("Samsø", 9, 3, 2, (25_000, 75_000)),
    ("Roskilde", 250, 55, 35, (200_000, 450_000)),
    ("Dragør", 30, 8, 5, (50_000, 150_000)),
    ("Holbæk", 190, 45, 27, (150_000, 400_000)),
    ("Silkeborg", 260, 70, 38, (200_000, 600_000)),
    ("Viborg", 270, 65, 38, (200_000, 550_000)),
    ("Kolding", 250, 60, 36, (150_000, 500_000)),
    ("Næstved", 230, 60, 33, (150_000, 450_000)),
    ("Gentofte", 180, 40, 25, (100_000, 400_000)),
    ("Lolland", 160, 50, 24, (100_000, 300_000)),
]


def _applicant_accounts() -> list[DemoApplication]:
    """A kommune user without a password for each extra applicant, and its demo application."""
    found = []
    for name, category_2, category_3, new_per_month, budget in DEMO_APPLICANTS:
        slug = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
        email = f"ansoeger.{slug}@demo.kommune.dk"
        if get_user_by_email(email) is None:
            create_user(email=email, name=f"Kontaktperson i {name}", role=Role.KOMMUNE,
                        kommune=get_kommune_by_name(name))
        found.append(DemoApplication(email, new_per_month, category_2, category_3, budget, 6, True))
    return found


@contextmanager
def clock_at(moment):
    """Run the block with the portal's clock standing still at `moment`, then give the running clock back."""
    running = current_app.extensions["portal_clock"]
    current_app.extensions["portal_clock"] = clock.FrozenClock(moment)
    try:
        yield
    finally:
        current_app.extensions["portal_clock"] = running


def _demo_answers(demo: DemoApplication, user) -> dict:
    kommune = user.kommune
    return {
        "target_group_description": f"Nye sygedagpengemodtagere fra beskæftigelse i {kommune.name} med et forventet "
                                    "fravær på mere end 8 uger. Alvorligt syge undtages.",
        "new_per_month": demo.new_per_month,
        "category_2_count": demo.category_2,
        "category_3_count": demo.category_3,
        "baseline_measure_permille": 280,
        "target_group_needs": "En tidlig, fælles plan med arbejdsgiveren.",
        "organisation_description": "Første opfølgningssamtale holdes på arbejdspladsen af én rådgiver, der har "
                                    "begge roller og følger sagen til raskmelding.",
        "double_role_staff": max(2, demo.new_per_month // 10),
        "ready_at_start": max(1, demo.new_per_month // 40),
        "competence_description": "Et forløb i virksomhedsdialog og sparring hver anden uge.",
        "management_description": "Ledelsen følger hver måned op på andelen af samtaler på arbejdspladsen.",
        "activities_description": "Løn til fastholdelsesrådgivere og kompetenceudvikling.",
        "contact_name": user.name,
        "contact_title": "Teamleder, Sygedagpenge",
        "contact_email": user.email,
        "contact_phone": "70 10 20 30",
        "management_declaration": True,
    }


def load_demo_applications() -> list[str]:
    """Start, fill in and submit the demo kommuner's applications that do not exist yet; returns what was done.

    They are made as of a moment inside the application window (now, or 11 days before the
    deadline when the demo's clock stands outside the window), so the demo works at any date.
    """
    pool = get_pool()
    now = clock.now()
    window_open = pool.applications_open_at <= now < pool.application_deadline_at
    filled_at = now if window_open else pool.application_deadline_at - timedelta(days=11, hours=3)
    done = []
    with clock_at(filled_at):
        for demo in [*DEMO_APPLICATIONS, *_applicant_accounts()]:
            user = get_user_by_email(demo.account)
            if applications.get_application(pool, user.kommune) is not None:
                continue
            try:
                application = applications.start_application(pool, kommune=user.kommune, actor=user)
            except DomainError as error:
                return [*done, f"Demo applications skipped: {error.message}"]
            answers = _demo_answers(demo, user)
            budget = [BudgetLineAnswer("fastholdelseskonsulenter", year, f"Fastholdelsesrådgivere {year}", amount)
                      for year, amount in zip(pool.budget_years, demo.budget)]
            for section in SECTIONS[:demo.sections_done]:
                applications.save_section(application, actor=user, section=section,
                                          answers={name: answers[name] for name in section.field_names},
                                          budget=budget, seen=applications.section_fingerprint(application, section))
            if demo.submit:
                applications.submit_application(application, actor=user)
            done.append(f"{user.kommune.name}: {'submitted' if demo.submit else f'{demo.sections_done} of 6 sections'}")
    return done


def _demo_points(code: int, reviewer: int, section: int) -> int:
    """A deterministic score 2–5 that differs between kommuner, sections and the two caseworkers."""
    return 2 + (code * (section + 3) + 7 * reviewer + section * reviewer) % 4


def load_demo_reviews() -> int:
    """After the deadline: the demo's administrator and caseworker score every submitted application
    they have not scored yet (the selection is left to the user). Returns how many reviews were added."""
    pool = get_pool()
    if clock.now() < pool.application_deadline_at:
        return 0
    reviewers = [get_user_by_email(account.email) for account in DEMO_ACCOUNTS if account.role is not Role.KOMMUNE]
    added = 0
    # Scored in the days after the deadline, so a demo clock set later in the project keeps the order of events.
    with clock_at(min(clock.now(), pool.application_deadline_at + timedelta(days=4))):
        for number, reviewer in enumerate(reviewers):
            for row in list_score_board(pool, viewer=reviewer):
                if not is_reviewable(row.application) or get_review(row.application, reviewer) is not None:
                    continue
                record_scores(row.application, reviewer=reviewer, submit=True, sections={
                    key: SectionScore(_demo_points(row.kommune.code, number, index),
                                      "Vurderet efter puljens skabelon (demodata).")
                    for index, key in enumerate(SCORED_SECTIONS)})
                added += 1
    return added
