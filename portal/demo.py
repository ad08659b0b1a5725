"""Demo accounts and applications, so that a newcomer can log in as every kind of user; idempotent."""
from __future__ import annotations

from dataclasses import dataclass

from portal.applications import services as applications
from portal.applications.rules import BudgetLineAnswer
from portal.applications.template import SECTIONS
from portal.auth.enums import Role
from portal.auth.services import create_user, get_user_by_email
from portal.errors import DomainError
from portal.kommuner.services import get_kommune_by_name
from portal.pulje.services import get_pool

DEMO_PASSWORD = "fastholdelse2017"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    kommune: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("admin@demo.star.dk", "Anne Administrator", Role.ADMIN),
    DemoAccount("sagsbehandler@demo.star.dk", "Søren Sagsbehandler", Role.SAGSBEHANDLER),
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

    Needs the portal's clock inside the application window (`make run` sets it); otherwise it says so.
    """
    pool = get_pool()
    done = []
    for demo in DEMO_APPLICATIONS:
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
