"""Demo accounts, so that a newcomer can log in as every kind of user; idempotent."""
from __future__ import annotations

from dataclasses import dataclass

from portal.auth.enums import Role
from portal.auth.services import create_user, get_user_by_email
from portal.kommuner.services import get_kommune_by_name

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
