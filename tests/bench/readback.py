"""What each kommune types into the application form on deadline day, and reading it all back afterwards."""
from __future__ import annotations

import sqlalchemy as sa

from portal import create_app
from portal.applications.content import budget_of
from portal.applications.models import Application
from portal.applications.states import ApplicationStatus
from portal.applications.template import SECTIONS, Kind
from portal.clock import FrozenClock
from portal.extensions import db
from tests.bench.pool import DEADLINE_MORNING, answers_for


def _typed(question, value) -> str:
    """The answer as a person types it into the form (Danish number formats)."""
    if question.kind is Kind.CONFIRM:
        return "y" if value else ""
    if question.kind is Kind.PERCENT:
        whole, tenth = divmod(value, 10)
        return f"{whole},{tenth}" if tenth else str(whole)
    if question.kind is Kind.COUNT:
        return f"{value:,}".replace(",", ".")
    return value


def section_input(kommune, section) -> dict[str, str]:
    """The section's form fields as the kommune fills them in: its answers_for, typed, with its budget lines."""
    given = answers_for(kommune)
    data = {question.name: _typed(question, given.answers[question.name]) for question in section.questions}
    data = {name: value for name, value in data.items() if value != ""}
    if section.has_budget:
        for index, line in enumerate(given.budget):
            data.update({f"budget-{index}-category_code": line.category_code, f"budget-{index}-year": str(line.year),
                         f"budget-{index}-description": line.description,
                         f"budget-{index}-amount_kr": f"{line.amount_kr:,}".replace(",", ".")})
    return data


def verify(database_url: str, teams) -> dict:
    """Read every application back: submitted once, and every answer and budget line as typed."""
    app = create_app({"DATABASE_URL": database_url, "CLOCK": FrozenClock(DEADLINE_MORNING)})
    lost: list[str] = []
    with app.app_context():
        applications = {application.kommune_id: application for application in db.session.scalars(
            sa.select(Application))}
        for team in teams:
            kommune, application = team.kommune, applications.get(team.kommune.id)
            if application is None:
                lost.append(f"{kommune.name}: no application")
                continue
            given = answers_for(kommune)
            for name, value in given.answers.items():
                if getattr(application, name) != value:
                    lost.append(f"{kommune.name}: {name} is {getattr(application, name)!r}, typed {value!r}")
            stored = [(line.category_code, line.year, line.description, line.amount_kr)
                      for line in budget_of(application)]
            typed = [(line.category_code, line.year, line.description, line.amount_kr) for line in given.budget]
            if stored != typed:
                lost.append(f"{kommune.name}: budget is {stored}, typed {typed}")
            if application.status is not ApplicationStatus.SUBMITTED or len(application.submissions) != 1:
                lost.append(f"{kommune.name}: status {application.status.value} with "
                            f"{len(application.submissions)} submissions")
            elif application.submissions[0].content["answers"]["contact_email"] != given.answers["contact_email"]:
                lost.append(f"{kommune.name}: the frozen submission differs from the answers")
            if sorted(application.last_saved) != sorted(section.key for section in SECTIONS):
                lost.append(f"{kommune.name}: sections saved {sorted(application.last_saved)}")
        journal = None
        if db.engine.dialect.name == "sqlite":
            journal = db.session.execute(sa.text("PRAGMA journal_mode")).scalar()
        # Every answer of every section, and the budget as a whole.
        answers_checked = len(teams) * (sum(len(section.field_names) for section in SECTIONS) + 1)
        db.engine.dispose()
    return {"applications": len(applications), "answers_checked": answers_checked, "lost": len(lost),
            "lost_samples": lost[:10], "sqlite_journal_mode": journal}
