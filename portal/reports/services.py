"""The report lifecycle: the plan made on acceptance, drafts, submission with a receipt, the agency's answer,
plan adjustments and reminders of late reports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import selectinload

from portal import clock, permissions
from portal.applications.services import recipients_of
from portal.audit.services import record_event
from portal.errors import DomainError, NotPermitted, RuleViolations, StaleObject
from portal.extensions import db
from portal.formatting import format_date
from portal.grants.models import Grant
from portal.links import external_url
from portal.outbox.services import Attachment, queue_message
from portal.reports import documents
from portal.reports.models import Report
from portal.reports.plan import reporting_plan
from portal.reports.rules import Findings, Settlement, check_figures, settle_account
from portal.reports.states import ReportKind, ReportStatus, target_of
from portal.reports.template import FIGURE_KEYS, NARRATIVES, OPTIONAL_NARRATIVES, STORED_TEXT_LIMIT, TEXT_LIMIT

KIND_ORDER = sa.case({ReportKind.QUARTERLY.value: 0, ReportKind.MIDTERM.value: 1, ReportKind.FINAL.value: 2},
                     value=Report.kind)
REMIND_EVERY = timedelta(days=7)


# --- reading -------------------------------------------------------------------------------------------------------

def list_reports(pool) -> list[Report]:
    """Every report of the pool's grants with grant and kommune, by kommune then due date (two queries)."""
    return list(db.session.scalars(
        sa.select(Report).join(Report.grant).where(Grant.pool_id == pool.id)
        .options(selectinload(Report.grant).selectinload(Grant.kommune))
        .order_by(Grant.letter_number, Report.due_on, KIND_ORDER, Report.id)))


def has_reports(user) -> bool:
    """The user's kommune has a reporting plan (one query; for the kommune's menu)."""
    return user.kommune_id is not None and db.session.scalar(sa.select(sa.exists().where(
        Report.grant_id == Grant.id, Grant.kommune_id == user.kommune_id)))


@dataclass(frozen=True)
class ReportCounts:
    total: int
    awaiting: int   # submitted, waiting for the agency
    late: int
    approved: int


def count_reports(pool, *, today: date) -> ReportCounts:
    """How the pool's reports stand, for the staff dashboard."""
    reports = list_reports(pool)
    return ReportCounts(total=len(reports),
                        awaiting=sum(1 for report in reports if report.status is ReportStatus.SUBMITTED),
                        late=sum(1 for report in reports if report.is_late(today)),
                        approved=sum(1 for report in reports if report.status is ReportStatus.APPROVED))


def list_reports_of(grant: Grant) -> list[Report]:
    return list(db.session.scalars(
        sa.select(Report).where(Report.grant_id == grant.id).order_by(Report.due_on, KIND_ORDER, Report.id)))


def expected_per_quarter(grant: Grant) -> int | None:
    """The new recipients a quarter should bring, from the application's monthly estimate."""
    per_month = (grant.application.latest_submission.content["answers"].get("new_per_month")
                 if grant.application.latest_submission else None)
    return per_month * 3 if isinstance(per_month, int) and per_month > 0 else None


def findings_of(report: Report, *, complete: bool) -> Findings:
    """The report's figures checked as they stand; `complete` as for submission."""
    if report.kind is not ReportKind.QUARTERLY:
        return Findings()
    spending = {category.code: report.spending.get(category.code) for category in report.grant.pool.budget_categories}
    return check_figures(report.figures, spending, complete=complete,
                         expected_per_quarter=expected_per_quarter(report.grant))


def settlement_of(report: Report) -> Settlement:
    """The final account against the grant's split and what has been paid out."""
    spent = {(int(year), code): amount for year, code, amount in report.account if amount}
    return settle_account(report.grant.split_lines, spent, paid_kr=report.grant.paid_kr)


def account_from_quarters(grant: Grant) -> dict[tuple[int, str], int]:
    """What the quarterly reports say was spent, per (year, category): the account's starting point."""
    totals: dict[tuple[int, str], int] = {}
    for report in list_reports_of(grant):
        if report.kind is ReportKind.QUARTERLY and report.status.counts:
            for code, amount in report.spending.items():
                key = (report.period_to_on.year, code)
                totals[key] = totals.get(key, 0) + (amount or 0)
    return totals


# --- the plan ------------------------------------------------------------------------------------------------------

def create_plan(grant: Grant, *, actor) -> list[Report]:
    """The reports an accepted grant owes, from the pool's funding period; a grant that has its plan keeps it.

    Side effects: one draft report per planned report, an audit event 'report.planned'.
    """
    existing = list_reports_of(grant)
    if existing:
        return existing
    made = [Report(grant=grant, kind=planned.kind, status=ReportStatus.DRAFT, period_from_on=planned.period_from_on,
                   period_to_on=planned.period_to_on, due_on=planned.due_on)
            for planned in reporting_plan(grant.pool.funds_from_on, grant.pool.funds_to_on)]
    db.session.add_all(made)
    db.session.flush()
    record_event(actor=actor, action="report.planned", obj=grant, object_label=grant.kommune.official_name,
                 after={"reports": [f"{report.title}: {report.due_on.isoformat()}" for report in made]})
    return made


def _check_staff(actor) -> None:
    if not permissions.can_manage_reports(actor):
        raise NotPermitted("Kun styrelsens sagsbehandlere kan behandle rapporter.")


def move_due_date(report: Report, *, actor, due_on: date, note: str) -> None:
    """Staff give a report another due date, with a reason the kommune sees.

    Side effects: the new due date, an audit event 'report.due_date_moved'; a reminder may go out again.
    """
    _check_staff(actor)
    if not report.status.is_open:
        raise DomainError(f"Rapporten er {report.status.label.lower()}. Kun en rapport, kommunen mangler, kan "
                          "få en ny frist.")
    if not note.strip():
        raise DomainError("Skriv, hvorfor fristen flyttes.", field="note")
    if due_on <= report.period_to_on:
        raise DomainError(f"Fristen skal ligge efter perioden, der slutter {format_date(report.period_to_on)}.",
                          field="due_on")
    before = {"due_on": report.due_on.isoformat()}
    report.due_on, report.plan_note, report.reminded_at = due_on, note.strip(), None
    record_event(actor=actor, action="report.due_date_moved", obj=report, object_label=_label(report),
                 before=before, after={"due_on": due_on.isoformat(), "note": report.plan_note})


def waive_report(report: Report, *, actor, note: str) -> None:
    """Staff decide the kommune does not owe this report, with a reason.

    Side effects: status 'waived', an audit event 'report.waived'.
    """
    _check_staff(actor)
    if not note.strip():
        raise DomainError("Skriv, hvorfor rapporten udgår.", field="note")
    _transition(report, "waive", "Kun en rapport, kommunen mangler, kan udgå.")
    report.plan_note = note.strip()
    record_event(actor=actor, action="report.waived", obj=report, object_label=_label(report),
                 after={"note": report.plan_note})


def reinstate_report(report: Report, *, actor) -> None:
    """A waived report is owed after all. Side effects: status 'draft', an audit event 'report.reinstated'."""
    _check_staff(actor)
    _transition(report, "reinstate", "Kun en rapport, der udgår, kan genindsættes.")
    record_event(actor=actor, action="report.reinstated", obj=report, object_label=_label(report))


# --- the kommune's side --------------------------------------------------------------------------------------------

def _check_kommune(actor, report: Report) -> None:
    if not permissions.can_write_report(actor, report.grant):
        raise NotPermitted("Kun kommunens egne brugere kan skrive kommunens rapporter.")


def save_report(report: Report, *, actor, version: int, figures: dict[str, int | None],
                spending: dict[str, int | None], narrative: dict[str, str],
                account: dict[tuple[int, str], int | None] | None = None) -> Findings:
    """Save a draft as it stands: empty fields are allowed, broken rules are not (nothing is then saved).

    `version` is the report's version when the user opened it; a colleague's later save is refused, so
    neither overwrites the other. Returns the warnings (and the errors submission would meet).
    Side effects: the report's fields, who and when; an audit event 'report.saved'.
    """
    _check_kommune(actor, report)
    if not report.status.is_open:
        raise DomainError(f"Rapporten er {report.status.label.lower()} og kan ikke ændres.")
    if version != report.version:
        raise StaleObject("En kollega har gemt rapporten, efter du åbnede den. Dine tal står stadig i felterne: "
                          "tjek dem mod kollegaens, og gem igen.")
    problems = {}
    if report.kind is ReportKind.QUARTERLY:
        problems.update(check_figures(figures, spending, complete=False).errors)
    if account is not None:
        problems.update({_account_field(year, code): "Forbruget kan ikke være negativt."
                         for (year, code), amount in account.items() if amount is not None and amount < 0})
    if problems:
        raise RuleViolations(problems)
    if report.kind is ReportKind.QUARTERLY:
        for key in FIGURE_KEYS:
            setattr(report, key, figures.get(key))
        report.spending = {code: amount for code, amount in spending.items() if amount is not None}
    if account is not None:
        report.account = [[year, code, amount] for (year, code), amount in sorted(account.items())
                          if amount is not None]
    report.narrative = {item.key: (narrative.get(item.key) or "").strip()[:STORED_TEXT_LIMIT]
                        for item in NARRATIVES[report.kind]}
    report.updated_at, report.updated_by = clock.now(), actor
    db.session.flush()
    record_event(actor=actor, action="report.saved", obj=report, object_label=_label(report))
    return findings_of(report, complete=False)


def _account_field(year: int, code: str) -> str:
    return f"account_{year}_{code}"


def submission_problems(report: Report) -> dict[str, str]:
    """What stands in the way of submitting the report as saved, by field; empty when it can go."""
    problems = dict(findings_of(report, complete=True).errors)
    for item in NARRATIVES[report.kind]:
        text = report.narrative.get(item.key, "")
        if not text and item.key not in OPTIONAL_NARRATIVES:
            problems[f"narrative_{item.key}"] = "Skriv et svar."
        elif len(text) > TEXT_LIMIT:
            problems[f"narrative_{item.key}"] = f"Svaret er {len(text)} tegn. Gør det højst {TEXT_LIMIT} tegn langt."
    if report.kind is ReportKind.FINAL:
        written = {(int(year), code) for year, code, _ in report.account}
        for year, code in sorted(report.grant.split_lines):
            if (year, code) not in written:
                problems[_account_field(year, code)] = "Skriv forbruget. Skriv 0, hvis I intet har brugt."
    return problems


def submit_report(report: Report, *, actor) -> None:
    """The kommune hands in the report as saved, once its period is over; late is allowed and marked.

    Side effects: status 'submitted', who and when, the warnings it was sent with, the report as PDF (kept);
    a receipt mail with the PDF to the kommune's users and the application's contact person, a note to the
    agency; an audit event 'report.submitted'.
    """
    _check_kommune(actor, report)
    target = target_of("submit", report.status)
    if target is None:
        raise DomainError(f"Rapporten er {report.status.label.lower()} og kan ikke indsendes.")
    today = clock.local_now().date()
    if today <= report.period_to_on:
        raise DomainError(f"Perioden slutter {format_date(report.period_to_on)}. Rapporten kan indsendes fra dagen "
                          "efter. Gem den som kladde indtil da.")
    problems = submission_problems(report)
    if problems:
        raise RuleViolations(problems)
    late = report.due_on < today
    report.status, report.submitted_at, report.submitted_by = target, clock.now(), actor
    report.submitted_warnings = list(findings_of(report, complete=True).warnings.values())
    db.session.flush()
    report.pdf = report_pdf(report)
    record_event(actor=actor, action="report.submitted", obj=report, object_label=_label(report),
                 after={"late": late, "warnings": report.submitted_warnings})
    context = dict(report=report, actor=actor, late=late, link=external_url("reports.edit", report_id=report.id))
    attachment = Attachment(report_filename(report), "application/pdf", report.pdf)
    for recipient in recipients_of(report.grant.application, actor.email):
        queue_message(kind="report_receipt", recipient=recipient,
                      subject=f"Kvittering: {report.title} er indsendt",
                      text_body=render_template("mail/report_receipt.txt", **context), attachments=(attachment,))
    queue_message(kind="report_submitted", recipient=report.grant.pool.contact_email,
                  subject=f"{report.grant.kommune.official_name} har indsendt {report.title.lower()}",
                  text_body=render_template("mail/report_submitted.txt", **dict(
                      context, link=external_url("report_casework.show", report_id=report.id))))


# --- the agency's answer -------------------------------------------------------------------------------------------

def send_back(report: Report, *, actor, comment: str, due_on: date) -> None:
    """Staff ask the kommune to correct a submitted (or approved) report by a new due date.

    Side effects: status 'returned' (its figures stop counting until it is submitted again), the comment and
    due date, a mail to the kommune's users, an audit event 'report.sent_back'.
    """
    _check_staff(actor)
    if not comment.strip():
        raise DomainError("Skriv, hvad kommunen skal rette.", field="comment")
    if due_on < clock.local_now().date():
        raise DomainError("Fristen for rettelsen kan ikke ligge før i dag.", field="due_on")
    _transition(report, "send_back", "Kun en indsendt rapport kan sendes tilbage.")
    report.return_comment, report.due_on, report.reminded_at = comment.strip(), due_on, None
    report.decided_at, report.decided_by = clock.now(), actor
    record_event(actor=actor, action="report.sent_back", obj=report, object_label=_label(report),
                 after={"comment": report.return_comment, "due_on": due_on.isoformat()})
    _mail_kommune(report, kind="report_sent_back", subject=f"{report.title} er sendt tilbage til rettelse",
                  template="mail/report_sent_back.txt")


def approve_report(report: Report, *, actor) -> None:
    """Staff accept a submitted report. Side effects: status 'approved', who and when, an audit event."""
    _check_staff(actor)
    _transition(report, "approve", "Kun en indsendt rapport kan godkendes.")
    report.decided_at, report.decided_by = clock.now(), actor
    record_event(actor=actor, action="report.approved", obj=report, object_label=_label(report))


def remind_late(pool, *, actor) -> int:
    """Remind kommuner of every report past its due date, at most once a week per report; returns how many.

    Side effects: a mail per late report to the kommune's users and contact person; reminded_at.
    """
    if actor is not None:
        _check_staff(actor)
    today, now = clock.local_now().date(), clock.now()
    reminded = 0
    for report in list_reports(pool):
        if report.is_late(today) and (report.reminded_at is None or now - report.reminded_at >= REMIND_EVERY):
            report.reminded_at = now
            _mail_kommune(report, kind="report_reminder", subject=f"Påmindelse: {report.title} mangler",
                          template="mail/report_reminder.txt")
            reminded += 1
    if reminded:
        record_event(actor=actor, action="report.reminded", object_type="pool", object_label=pool.name,
                     after={"reports": reminded})
    return reminded


# --- helpers -------------------------------------------------------------------------------------------------------

def _transition(report: Report, action: str, refusal: str) -> None:
    target = target_of(action, report.status)
    if target is None:
        raise DomainError(refusal)
    report.status = target


def _label(report: Report) -> str:
    return f"{report.grant.kommune.official_name}: {report.title}"


def _mail_kommune(report: Report, *, kind: str, subject: str, template: str) -> None:
    context = dict(report=report, link=external_url("reports.edit", report_id=report.id))
    for recipient in recipients_of(report.grant.application):
        queue_message(kind=kind, recipient=recipient, subject=subject,
                      text_body=render_template(template, **context))


def report_filename(report: Report) -> str:
    return documents.report_filename(code=report.grant.kommune.code, name=report.grant.kommune.name,
                                     title=report.title)


def report_pdf(report: Report) -> bytes:
    """The report as it stands, as the PDF both sides keep (a draft is marked as such)."""
    categories = {category.code: category.name for category in report.grant.pool.budget_categories}
    return documents.report_pdf(documents.ReportDocument(
        pool_name=report.grant.pool.name, journal_number=report.grant.pool.journal_number,
        kommune_name=report.grant.kommune.official_name, letter_number=report.grant.letter_number,
        kind=report.kind, title=report.title, period_from_on=report.period_from_on,
        period_to_on=report.period_to_on, due_on=report.due_on,
        submitted_at=report.submitted_at if report.status.counts else None,
        submitted_by=report.submitted_by.name if report.submitted_by and report.status.counts else "",
        figures=report.figures if report.kind is ReportKind.QUARTERLY else {},
        spending=[(name, report.spending.get(code, 0)) for code, name in categories.items()]
        if report.kind is ReportKind.QUARTERLY else [],
        narratives=[(item.label, report.narrative.get(item.key, "")) for item in NARRATIVES[report.kind]],
        settlement=settlement_of(report) if report.kind is ReportKind.FINAL else None,
        category_names=categories, warnings=list(report.submitted_warnings)))


def pdf_of(report: Report) -> bytes:
    """The PDF as submitted (what the receipt carried), or the report as it stands while it is being written."""
    return report.pdf if report.status.counts and report.pdf else report_pdf(report)

