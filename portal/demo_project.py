"""The demo's project phase: when the demo's clock stands after the selection, the kommuner are selected,
granted and have accepted, and they have reported on every quarter that has ended; deterministic figures."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from portal import clock
from portal.allocation.services import confirm_allocation, current_allocation
from portal.auth.enums import Role
from portal.auth.models import User
from portal.clock import COPENHAGEN
from portal.demo import clock_at
from portal.extensions import db
from portal.grants import services as grants
from portal.grants.states import GrantStatus
from portal.pulje.services import get_pool
from portal.reports import services as reports
from portal.reports.states import ReportKind, ReportStatus
from portal.reports.template import NARRATIVES
from portal.review.selection import apply_suggestion, confirm_selection, list_candidates, selection_confirmation, \
    suggest_for

SELECTED_AT = datetime(2017, 8, 18, 10, 0, tzinfo=COPENHAGEN)     # week 33
ISSUED_AT = datetime(2017, 8, 28, 10, 0, tzinfo=COPENHAGEN)
ACCEPTED_AT = datetime(2017, 9, 4, 10, 0, tzinfo=COPENHAGEN)
# The kommune that forgets its newest report, so the demo has a late one (Odense, when it is selected).
FORGETFUL_CODE = 461


def load_demo_project(staff: User) -> list[str]:
    """Select by the suggestion, allocate, issue and accept the grants, and file the reports that are due,
    each as of its own moment. Idempotent; returns what was done."""
    pool, now = get_pool(), clock.now()
    if now < SELECTED_AT:
        return []
    done = []
    if selection_confirmation(pool) is None:
        with clock_at(SELECTED_AT):
            rows = list_candidates(pool, viewer=staff)
            apply_suggestion(rows, suggest_for(pool, rows), actor=staff)
            confirm_selection(pool, list_candidates(pool, viewer=staff), actor=staff)
            confirm_allocation(pool, actor=staff)
        done.append("selection and allocation confirmed by the suggestion")
    if now >= ISSUED_AT and current_allocation(pool) is not None and not grants.list_grants(pool):
        with clock_at(ISSUED_AT):
            grants.create_drafts(pool, actor=staff)
            issued = grants.issue_all(pool, actor=staff)
        done.append(f"{len(issued)} grant letters issued")
    if now >= ACCEPTED_AT:
        waiting = [grant for grant in grants.list_grants(pool) if grant.status is GrantStatus.ISSUED]
        with clock_at(ACCEPTED_AT):
            for grant in waiting:
                grants.accept_grant(grant, actor=_user_of(grant.kommune_id))
        if waiting:
            done.append(f"{len(waiting)} grants accepted")
    filed = sum(file_due_reports(grant, now) for grant in grants.list_grants(pool)
                if grant.status is GrantStatus.ACCEPTED)
    if filed:
        done.append(f"{filed} reports filed")
    return done


def _user_of(kommune_id: int) -> User:
    return db.session.scalar(sa.select(User).where(User.kommune_id == kommune_id, User.role == Role.KOMMUNE)
                             .order_by(User.id))


def file_due_reports(grant, now: datetime) -> int:
    """File each report whose period has ended, a week before its due date (or now); the forgetful kommune
    leaves its newest one. Returns how many were filed."""
    user, filed = _user_of(grant.kommune_id), 0
    due = [report for report in reports.list_reports_of(grant)
           if report.status is ReportStatus.DRAFT and report.period_to_on < now.date()]
    if grant.kommune.code == FORGETFUL_CODE and due:
        due = due[:-1]
    for report in due:
        moment = min(now, datetime.combine(report.due_on - timedelta(days=7), datetime.min.time(), COPENHAGEN)
                     + timedelta(hours=10))
        moment = max(moment, datetime.combine(report.period_to_on + timedelta(days=1), datetime.min.time(),
                                              COPENHAGEN) + timedelta(hours=10))
        with clock_at(moment):
            index = sum(1 for other in reports.list_reports_of(grant)
                        if other.kind is ReportKind.QUARTERLY and other.period_to_on < report.period_to_on)
            reports.save_report(report, actor=user, version=report.version, **_demo_content(grant, report, index))
            reports.submit_report(report, actor=user)
        filed += 1
    return filed


def _demo_content(grant, report, index: int) -> dict:
    """Plausible figures that differ by kommune and improve quarter by quarter; texts for every question."""
    narrative = {item.key: f"{item.label} – demodata fra {grant.kommune.name}." for item in NARRATIVES[report.kind]}
    if report.kind is ReportKind.FINAL:
        return dict(figures={}, spending={}, narrative=narrative,
                    account={(year, code): amount * 9 // 10 for (year, code), amount in grant.split_lines.items()})
    if report.kind is ReportKind.MIDTERM:
        return dict(figures={}, spending={}, narrative=narrative)
    code = grant.kommune.code
    new = 30 + code % 90 + 5 * index
    held = new * (70 + code % 20) // 100
    at_workplace = held * min(95, 45 + code % 25 + 8 * index) // 100
    ended = new // 2
    figures = dict(new_recipients=new, conversations_held=held, planned_at_workplace=min(held, at_workplace + 3),
                   held_at_workplace=at_workplace, with_employer=at_workplace * 4 // 5,
                   held_before_week_8=held * 3 // 4, measure_before_week_13=new * (30 + code % 15 + 3 * index) // 100,
                   cases_ended=ended, in_work_or_education=ended * 3 // 5, phone_follow_ups=new // 10)
    granted: dict[str, int] = {}
    for (_, category), amount in grant.split_lines.items():
        granted[category] = granted.get(category, 0) + amount
    # About a sixth of the grant a quarter, spread as the grant is; nothing on categories without a grant.
    spending = {category.code: granted.get(category.code, 0) // 6 for category in grant.pool.budget_categories}
    return dict(figures=figures, spending=spending, narrative=narrative)
