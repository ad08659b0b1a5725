"""Build applications for tests through the services, with complete answers (Herning's, by default)."""
from __future__ import annotations

from portal.applications import services
from portal.applications.rules import BudgetLineAnswer
from portal.applications.template import SECTIONS
from portal.auth.enums import Role
from portal.auth.services import create_user
from portal.kommuner.services import get_kommune_by_name
from portal.pulje.services import get_pool
from portal.transaction import commit

ANSWERS = {
    "target_group_description": "Alle nye sygedagpengemodtagere fra beskæftigelse med mere end 8 ugers fravær.",
    "new_per_month": 123,
    "category_2_count": 410,
    "category_3_count": 95,
    "baseline_measure_permille": 315,
    "target_group_needs": "Tidlig dialog med arbejdsgiveren.",
    "organisation_description": "1. samtale holdes på virksomheden.",
    "double_role_staff": 22,
    "ready_at_start": 5,
    "competence_description": "22 medarbejdere kompetenceudvikles.",
    "management_description": "Ledelsen følger op hver måned.",
    "activities_description": "Fastholdelsesrådgivere.",
    "contact_name": "Bodil Clark",
    "contact_title": "Sagsbehandler",
    "contact_email": "kontakt@kommune.test",
    "contact_phone": "96 28 28 28",
    "management_declaration": True,
}
BUDGET = [
    BudgetLineAnswer("fastholdelseskonsulenter", 2017, "Rådgivere 2017", 200_000),
    BudgetLineAnswer("fastholdelseskonsulenter", 2018, "Rådgivere 2018", 600_000),
]


def draft_application(kommune_name: str, *, actor, answers: dict | None = None,
                      budget: list[BudgetLineAnswer] | None = None, sections=SECTIONS):
    """Start the kommune's application and save the given sections (all, by default); committed."""
    pool = get_pool()
    application = services.start_application(pool, kommune=get_kommune_by_name(kommune_name), actor=actor)
    values = {**ANSWERS, **(answers or {})}
    for section in sections:
        services.save_section(application, actor=actor, section=section,
                              answers={name: values[name] for name in section.field_names},
                              budget=BUDGET if budget is None else budget,
                              seen=services.section_fingerprint(application, section))
    commit()
    return application


def submitted_application(kommune_name: str, *, actor, **kwargs):
    application = draft_application(kommune_name, actor=actor, **kwargs)
    services.submit_application(application, actor=actor)
    commit()
    return application


def kommune_actor(kommune_name: str):
    """A user of the kommune who only acts through the services: no password, so nothing to hash."""
    slug = kommune_name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    user = create_user(email=f"{slug}@actor.test", name=f"Bruger i {kommune_name}", role=Role.KOMMUNE,
                       kommune=get_kommune_by_name(kommune_name))
    commit()
    return user


def submitted_applications(*kommune_names: str) -> dict:
    """Each kommune's complete application, submitted by its own user: name -> Application."""
    return {name: submitted_application(name, actor=kommune_actor(name)) for name in kommune_names}
