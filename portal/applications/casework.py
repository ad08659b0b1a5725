"""The caseworkers' use cases: list and count applications, reopen one, remind those who have not submitted."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import selectinload

from portal import clock, permissions
from portal.applications.models import Application, BudgetLine, Submission
from portal.applications.rules import SectionStatus, section_status
from portal.applications.services import recipients_of, deadline_of, problems_of
from portal.applications.content import answers_of, budget_of
from portal.applications.states import ApplicationStatus, target_of
from portal.applications.template import SECTIONS
from portal.audit.services import record_event
from portal.errors import DomainError, NotPermitted
from portal.extensions import db
from portal.formatting import danish_sort_key, format_datetime
from portal.kommuner.enums import AMK, Region, SizeClass
from portal.kommuner.models import Kommune
from portal.links import external_url
from portal.outbox.services import queue_message


@dataclass(frozen=True)
class ApplicationFilter:
    status: ApplicationStatus | None = None
    region: Region | None = None
    amk: AMK | None = None
    size_class: SizeClass | None = None


SORTS = {
    "kommune": "Kommune",
    "status": "Status",
    "volumen": "Kategori 2 + 3",
    "budget": "Budget",
    "indsendt": "Indsendt",
}


@dataclass(frozen=True)
class ApplicationRow:
    application: Application
    kommune: Kommune
    size_class: SizeClass
    volume: int | None
    budget_total_kr: int
    submitted_at: datetime | None
    complete_sections: int


def _sort_key(sort: str):
    keys = {
        "kommune": lambda row: danish_sort_key(row.kommune.name),
        "status": lambda row: (list(ApplicationStatus).index(row.application.status), danish_sort_key(row.kommune.name)),
        "volumen": lambda row: (-(row.volume or 0), danish_sort_key(row.kommune.name)),
        "budget": lambda row: (-row.budget_total_kr, danish_sort_key(row.kommune.name)),
        "indsendt": lambda row: (row.submitted_at is None, row.submitted_at.timestamp() if row.submitted_at else 0,
                                 danish_sort_key(row.kommune.name)),
    }
    return keys.get(sort, keys["kommune"])


def list_applications(pool, *, filters: ApplicationFilter = ApplicationFilter(), sort: str = "kommune") \
        -> list[ApplicationRow]:
    """Every application to the pool with the figures the list shows, filtered and sorted (kommune as tie-breaker).

    A fixed number of queries whatever the number of applications; of the submissions only their number
    and time are loaded, not the frozen contents and receipts.
    """
    query = (sa.select(Application).join(Application.kommune)
             .options(selectinload(Application.kommune),
                      selectinload(Application.budget_lines).selectinload(BudgetLine.category),
                      selectinload(Application.submissions).load_only(Submission.number, Submission.submitted_at))
             .where(Application.pool_id == pool.id)
             .order_by(Application.id))
    if filters.status is not None:
        query = query.where(Application.status == filters.status)
    if filters.region is not None:
        query = query.where(Kommune.region == filters.region)
    if filters.amk is not None:
        query = query.where(Kommune.amk == filters.amk)
    rows = []
    for application in db.session.scalars(query):
        size = application.kommune.size_class(pool.size_thresholds)
        if filters.size_class is not None and size is not filters.size_class:
            continue
        rows.append(_row(application, size))
    return sorted(rows, key=_sort_key(sort))


def _row(application: Application, size: SizeClass) -> ApplicationRow:
    submission = application.latest_submission
    submitted = application.status is ApplicationStatus.SUBMITTED and submission is not None
    return ApplicationRow(
        application=application,
        kommune=application.kommune,
        size_class=size,
        volume=application.volume,
        budget_total_kr=application.budget_total_kr,
        submitted_at=submission.submitted_at if submitted else None,
        # A submission is only taken with every section complete, and a submitted application cannot change.
        complete_sections=len(SECTIONS) if submitted else complete_sections(application),
    )


def complete_sections(application: Application) -> int:
    problems = problems_of(application)
    answers, lines = answers_of(application), budget_of(application)
    return sum(section_status(section, answers, lines, problems) is SectionStatus.COMPLETE for section in SECTIONS)


@dataclass(frozen=True)
class ApplicationCounts:
    kommuner: int
    started: int
    submitted: int
    by_status: dict[ApplicationStatus, int]

    @property
    def not_started(self) -> int:
        return self.kommuner - self.started

    @property
    def not_submitted(self) -> int:
        return self.started - self.submitted


def count_applications(pool) -> ApplicationCounts:
    """How many kommuner have started and submitted; one query plus the kommune count."""
    by_status = {status: 0 for status in ApplicationStatus}
    for status, count in db.session.execute(
            sa.select(Application.status, sa.func.count()).where(Application.pool_id == pool.id)
            .group_by(Application.status)):
        by_status[status] = count
    kommuner = db.session.scalar(sa.select(sa.func.count()).select_from(Kommune))
    return ApplicationCounts(kommuner=kommuner, started=sum(by_status.values()),
                             submitted=by_status[ApplicationStatus.SUBMITTED], by_status=by_status)


def list_unsubmitted(pool) -> list[ApplicationRow]:
    """Started applications that are not submitted (drafts, withdrawn, reopened), kommune by kommune."""
    return [row for row in list_applications(pool) if row.application.status is not ApplicationStatus.SUBMITTED]


def send_reminders(pool, *, actor) -> int:
    """Remind every kommune with an unsubmitted application before its deadline; returns how many were reminded.

    Side effects: one mail per recipient (the kommune's users and the contact person), the
    application's reminded_at, and one 'application.reminded' audit event per application.
    """
    if not permissions.can_send_reminders(actor):
        raise NotPermitted("Kun styrelsen kan sende påmindelser.")
    now = clock.now()
    reminded = 0
    for row in list_unsubmitted(pool):
        application = row.application
        deadline = deadline_of(application)
        if now >= deadline:
            continue
        context = dict(application=application, deadline=deadline, missing=len(SECTIONS) - row.complete_sections,
                       link=external_url("applications.overview", application_id=application.id))
        for recipient in recipients_of(application):
            queue_message(kind="application_reminder", recipient=recipient,
                          subject=f"Påmindelse: ansøgningsfrist {format_datetime(deadline)} – {pool.name}",
                          text_body=render_template("mail/application_reminder.txt", **context))
        application.reminded_at = now
        record_event(actor=actor, action="application.reminded", obj=application,
                     object_label=application.kommune.official_name)
        reminded += 1
    if reminded == 0:
        raise DomainError("Der er ingen kommuner at minde om: alle påbegyndte ansøgninger er indsendt, "
                          "eller deres frist er overskredet.")
    db.session.flush()
    return reminded


def can_be_reopened(application: Application, now: datetime) -> bool:
    """Reopening is for after the pool's deadline; before it the kommune changes or withdraws by itself."""
    return now >= application.pool.application_deadline_at


def reopen_application(application: Application, *, actor, reason: str, deadline_at: datetime) -> None:
    """Let one kommune change its application after the pool's deadline, until `deadline_at`.

    The last submitted version stays what caseworkers read until the kommune submits again.
    Raises DomainError before the pool's deadline (the kommune can withdraw itself) or for a
    deadline that is not in the future. Side effects: status 'reopened', the individual deadline,
    an audit event with the reason, and a mail to the kommune's users and contact person.
    """
    if not permissions.can_reopen_application(actor):
        raise NotPermitted("Kun styrelsen kan genåbne en ansøgning.")
    now = clock.now()
    if not can_be_reopened(application, now):
        raise DomainError("Før ansøgningsfristen kan kommunen selv ændre eller trække ansøgningen tilbage.")
    if deadline_at <= now:
        raise DomainError("Den nye frist skal ligge efter nu.", field="deadline_at")
    if not reason.strip():
        raise DomainError("Skriv begrundelsen for genåbningen.", field="reason")
    target = target_of("reopen", application.status)
    before = {"status": application.status, "individual_deadline_at": application.individual_deadline_at}
    application.status = target
    application.individual_deadline_at = deadline_at
    application.updated_at = now
    record_event(actor=actor, action="application.reopened", obj=application,
                 object_label=application.kommune.official_name, before=before,
                 after={"status": target, "individual_deadline_at": deadline_at, "reason": reason.strip()})
    db.session.flush()
    context = dict(application=application, deadline=deadline_at, reason=reason.strip(),
                   link=external_url("applications.overview", application_id=application.id))
    for recipient in recipients_of(application):
        queue_message(kind="application_reopened", recipient=recipient,
                      subject=f"Ansøgningen fra {application.kommune.official_name} er genåbnet",
                      text_body=render_template("mail/application_reopened.txt", **context))
