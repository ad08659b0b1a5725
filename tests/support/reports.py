"""Participating kommuner with accepted grants and their reports, for tests; through the services."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from portal.auth.models import User
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.grants.models import Grant
from portal.grants.services import accept_grant
from portal.reports import services
from portal.reports.models import Report
from portal.transaction import commit
from tests.support.grants import participating

AFTER_ALLOCATION = datetime(2017, 8, 28, 10, 0, tzinfo=COPENHAGEN)

# Herning's fourth quarter of 2017: 60 % of first conversations at the workplace.
HERNING_Q4 = {"new_recipients": 369, "conversations_held": 300, "planned_at_workplace": 240,
              "held_at_workplace": 180, "with_employer": 150, "held_before_week_8": 210,
              "measure_before_week_13": 140, "cases_ended": 50, "in_work_or_education": 30, "phone_follow_ups": 12}
SPENDING = {"fastholdelseskonsulenter": 150_000, "kompetenceudvikling": 20_000}
QUARTERLY_TEXT = {"works": "Samtalerne på arbejdspladsen giver gode aftaler.", "barriers": "Lange køreafstande."}


def user_of(kommune_name: str) -> User:
    slug = kommune_name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return db.session.scalar(sa.select(User).where(User.email == f"{slug}@actor.test"))


def grant_of(kommune_name: str) -> Grant:
    return next(grant for grant in db.session.scalars(sa.select(Grant)) if grant.kommune.name == kommune_name)


def accepted(clock, staff, *names: str) -> dict[str, Grant]:
    """Each named kommune selected, granted and accepted by its own user; name -> Grant (with its plan)."""
    participating(clock, staff, *names, after_deadline=AFTER_ALLOCATION)
    for name in names:
        accept_grant(grant_of(name), actor=user_of(name))
    commit()
    return {name: grant_of(name) for name in names}


def report_of(grant: Grant, title: str) -> Report:
    return next(report for report in services.list_reports_of(grant) if report.title == title)


def file_report(report: Report, *, actor, figures: dict | None = None, spending: dict | None = None,
                narrative: dict | None = None) -> Report:
    """Save the quarterly report with the given (default: Herning's) figures and submit it; committed."""
    services.save_report(report, actor=actor, version=report.version, figures=figures or HERNING_Q4,
                         spending=spending or SPENDING, narrative=narrative or QUARTERLY_TEXT)
    services.submit_report(report, actor=actor)
    commit()
    return report
