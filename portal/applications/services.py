"""The kommune's use cases: start an application, save a section, submit it, withdraw it.

Every function takes an explicit actor, checks permission and the rules, flushes and never commits;
mail goes through the outbox in the same transaction.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import render_template

from portal import clock, permissions
from portal.applications.content import answers_of, budget_of, freeze, limits_of, read
from portal.applications.models import Application, BudgetLine, ParkedInput, Submission
from portal.applications.receipt import receipt_pdf
from portal.applications.rules import BudgetLineAnswer, application_problems, effective_deadline
from portal.applications.states import ApplicationStatus, target_of
from portal.applications.template import Section
from portal.audit.services import changed_only, record_event
from portal.auth.models import User
from portal.errors import DomainError, NotPermitted, RuleViolations, StaleObject
from portal.extensions import db
from portal.formatting import file_name, format_datetime
from portal.links import external_url
from portal.outbox.services import Attachment, queue_message

PARKED_LIFETIME = timedelta(hours=24)
PARKED_LIMIT = 100_000  # characters of parked input, names and values
AUDIT_TEXT_LIMIT = 300


def get_application(pool, kommune) -> Application | None:
    """The kommune's application to the pool, if it has started one."""
    return db.session.scalar(
        sa.select(Application).where(Application.pool_id == pool.id, Application.kommune_id == kommune.id))


def deadline_of(application: Application):
    return effective_deadline(application.pool.application_deadline_at, application.individual_deadline_at)


def editing_problem(application: Application, now) -> str | None:
    """Why the kommune cannot change its answers at `now`, or None when it can."""
    if application.status is ApplicationStatus.SUBMITTED:
        return "Ansøgningen er indsendt og kan ikke ændres. Træk den tilbage, hvis I vil ændre den før fristen."
    if now < application.pool.applications_open_at and application.individual_deadline_at is None:
        return "Der er endnu ikke åbnet for ansøgninger."
    if now >= deadline_of(application):
        return (f"Fristen var {format_datetime(deadline_of(application))}. Ansøgningen kan ikke længere ændres. "
                "Kontakt styrelsen, hvis der er særlige grunde.")
    return None


def start_application(pool, *, kommune, actor) -> Application:
    """Open the kommune's one application to the pool while the window is open.

    Raises DomainError when the window is not open or the kommune already has one (IntegrityError
    when a colleague started it in the same moment). Side effects: an 'application.started' audit event.
    """
    if not permissions.can_start_application(actor) or actor.kommune_id != kommune.id:
        raise NotPermitted("Kun kommunens egne brugere kan søge for kommunen.")
    now = clock.now()
    if get_application(pool, kommune) is not None:
        raise DomainError(f"{kommune.official_name} har allerede en ansøgning til puljen. Der kan kun være én.")
    if not pool.applications_open_at <= now < pool.application_deadline_at:
        raise DomainError("Der kan kun startes en ansøgning, mens der er åbent for ansøgninger.")
    application = Application(pool=pool, kommune=kommune, status=ApplicationStatus.DRAFT, created_at=now,
                              created_by=actor, updated_at=now, last_saved={})
    # A colleague starting it at the same moment trips the unique constraint; the view tells them.
    db.session.add(application)
    db.session.flush()
    record_event(actor=actor, action="application.started", obj=application, object_label=kommune.official_name)
    return application


def _section_values(application: Application, section: Section) -> dict:
    values = {name: getattr(application, name) for name in section.field_names}
    if section.has_budget:
        values["budget"] = [[line.category_code, line.year, line.description, line.amount_kr]
                            for line in budget_of(application)]
    return values


def section_fingerprint(application: Application, section: Section) -> str:
    """A digest of what the section holds now; a save names the digest it started from."""
    text = json.dumps(_section_values(application, section), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _for_audit(value):
    if isinstance(value, str) and len(value) > AUDIT_TEXT_LIMIT:
        return value[:AUDIT_TEXT_LIMIT] + "…"
    if isinstance(value, list):
        return [" · ".join("" if part is None else str(part) for part in line) for line in value]
    return value


def save_section(application: Application, *, actor, section: Section, answers: dict,
                 budget: list[BudgetLineAnswer] | None = None, seen: str) -> bool:
    """Store a section's answers in the draft; returns whether anything changed.

    `answers` holds only the fields that could be read (a field typed wrong keeps what was saved);
    `budget`, for the budget section, replaces its lines. Raises DomainError when the application
    cannot be changed now and StaleObject when someone saved the section after `seen` was read.
    Side effects: the section's 'last saved' mark and an 'application.section_saved' audit event.
    """
    if not permissions.can_edit_application(actor, application):
        raise NotPermitted("Du kan kun ændre din egen kommunes ansøgning.")
    now = clock.now()
    problem = editing_problem(application, now)
    if problem:
        raise DomainError(problem)
    if section_fingerprint(application, section) != seen:
        saved = application.last_saved.get(section.key, {})
        raise StaleObject(f"{saved.get('by', 'En kollega')} har gemt afsnittet, efter du åbnede det. "
                          "Se hvad der er gemt nu, og gem dine ændringer igen, hvis de skal erstatte det.")
    before = _section_values(application, section)
    for name, value in answers.items():
        if name in section.field_names:
            setattr(application, name, value)
    if section.has_budget and budget is not None:
        _replace_budget(application, [line for line in budget if not line.is_blank])
    before, after = changed_only(before, _section_values(application, section))
    if not after:
        return False
    application.updated_at = now
    application.last_saved = {**application.last_saved,
                              section.key: {"by": actor.name, "at": now.isoformat()}}
    record_event(actor=actor, action="application.section_saved", obj=application,
                 object_label=f"{application.kommune.official_name}: {section.title}",
                 before={key: _for_audit(value) for key, value in before.items()},
                 after={key: _for_audit(value) for key, value in after.items()})
    db.session.flush()
    return True


def _replace_budget(application: Application, lines: list[BudgetLineAnswer]) -> None:
    categories = {category.code: category for category in application.pool.budget_categories}
    application.budget_lines = [
        BudgetLine(position=position, category=categories.get(line.category_code), year=line.year,
                   description=line.description, amount_kr=line.amount_kr)
        for position, line in enumerate(lines)
    ]


def problems_of(application: Application) -> dict[str, str]:
    """What must be fixed before the application can be submitted, keyed by field."""
    return application_problems(answers_of(application), budget_of(application), limits_of(application.pool))


def recipients_of(application: Application, *also: str) -> list[str]:
    """The kommune's active users and the application's contact person, each once."""
    emails = db.session.scalars(
        sa.select(User.email).where(User.kommune_id == application.kommune_id, User.active).order_by(User.email))
    seen: dict[str, None] = {}
    for email in [*also, *emails, application.contact_email]:
        cleaned = (email or "").strip().lower()
        if cleaned and "@" in cleaned:
            seen.setdefault(cleaned)
    return list(seen)


def _transition(application: Application, action: str, refusal: str) -> ApplicationStatus:
    target = target_of(action, application.status)
    if target is None:
        raise DomainError(refusal)
    return target


def submit_application(application: Application, *, actor) -> Submission:
    """Submit the draft before its deadline, when every answer is there and valid.

    Raises RuleViolations (each problem at its field) or DomainError (deadline, state).
    Side effects: a frozen Submission with the receipt PDF, status 'submitted', an audit event,
    and a receipt mail with the PDF to the submitting user, the contact person and the kommune's users.
    """
    if not permissions.can_edit_application(actor, application):
        raise NotPermitted("Du kan kun indsende din egen kommunes ansøgning.")
    target = _transition(application, "submit", "Ansøgningen er allerede indsendt.")
    now = clock.now()
    problem = editing_problem(application, now)
    if problem:
        raise DomainError(problem)
    problems = problems_of(application)
    if problems:
        raise RuleViolations(problems)
    number = len(application.submissions) + 1
    content = freeze(application, number=number, submitted_at=now, submitted_by=actor)
    pdf = receipt_pdf(read(content))
    submission = Submission(application=application, number=number, submitted_at=now, submitted_by=actor,
                            content=content, receipt_pdf=pdf)
    db.session.add(submission)
    before = application.status
    application.status = target
    application.updated_at = now
    record_event(actor=actor, action="application.submitted", obj=application,
                 object_label=application.kommune.official_name,
                 before={"status": before}, after={"status": target, "submission": number})
    db.session.flush()
    context = dict(application=application, submission=submission, actor=actor,
                   link=external_url("applications.receipt", application_id=application.id))
    attachment = Attachment(filename=receipt_filename(application, submission), content_type="application/pdf",
                            data=pdf)
    for recipient in recipients_of(application, actor.email):
        queue_message(kind="application_receipt", recipient=recipient,
                      subject=f"Kvittering: ansøgning fra {application.kommune.official_name} – {application.pool.name}",
                      text_body=render_template("mail/application_receipt.txt", **context),
                      html_body=render_template("mail/application_receipt.html", **context),
                      attachments=(attachment,))
    return submission


def receipt_filename(application: Application, submission: Submission) -> str:
    kommune = application.kommune
    return f"{file_name('kvittering-ansoegning', kommune.code, kommune.name, submission.number)}.pdf"


def withdraw_application(application: Application, *, actor) -> None:
    """Take a submitted application back before its deadline, so it can be changed and submitted anew.

    Side effects: status 'withdrawn', the submission marked withdrawn, an audit event, and a mail to
    the kommune's users and contact person.
    """
    if not permissions.can_edit_application(actor, application):
        raise NotPermitted("Du kan kun trække din egen kommunes ansøgning tilbage.")
    target = _transition(application, "withdraw", "Kun en indsendt ansøgning kan trækkes tilbage.")
    now = clock.now()
    if now >= deadline_of(application):
        raise DomainError("Fristen er overskredet, så ansøgningen kan ikke længere trækkes tilbage.")
    application.status = target
    application.updated_at = now
    application.latest_submission.withdrawn_at = now
    record_event(actor=actor, action="application.withdrawn", obj=application,
                 object_label=application.kommune.official_name,
                 before={"status": ApplicationStatus.SUBMITTED}, after={"status": target})
    db.session.flush()
    context = dict(application=application, actor=actor, deadline=deadline_of(application),
                   link=external_url("applications.overview", application_id=application.id))
    for recipient in recipients_of(application, actor.email):
        queue_message(kind="application_withdrawn", recipient=recipient,
                      subject=f"Ansøgningen fra {application.kommune.official_name} er trukket tilbage",
                      text_body=render_template("mail/application_withdrawn.txt", **context))


def park_input(*, path: str, fields: dict[str, list[str]]) -> str:
    """Keep a form's input that arrived without a session; returns the token that finds it again.

    Anyone can post to a form's address, so the input kept is bounded: DomainError when it holds more than
    PARKED_LIMIT characters (the longest section holds a fraction of that), and expired input is deleted.
    """
    if sum(len(name) + sum(len(value) for value in values) for name, values in fields.items()) > PARKED_LIMIT:
        raise DomainError("Du var blevet logget ud, og det, du skrev, er for langt til at blive gemt. "
                          "Log ind, og skriv det igen med kortere tekster.")
    _forget_expired_input()
    token = secrets.token_urlsafe(24)
    db.session.add(ParkedInput(token=token, path=path, fields=fields, parked_at=clock.now()))
    db.session.flush()
    return token


def _forget_expired_input() -> None:
    db.session.execute(sa.delete(ParkedInput).where(ParkedInput.parked_at < clock.now() - PARKED_LIFETIME))


def take_parked_input(token: str, *, path: str) -> dict | None:
    """The parked input for this page (removed as it is taken), or None if unknown, elsewhere or too old."""
    parked = db.session.get(ParkedInput, token) if token.isascii() and token.isprintable() else None
    if parked is None or parked.path != path:
        return None
    db.session.delete(parked)
    _forget_expired_input()
    if parked.parked_at < clock.now() - PARKED_LIFETIME:
        return None
    return parked.fields
