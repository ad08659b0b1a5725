"""The grant letters' use cases: drafts from the confirmed allocation, editing, issuing, accepting or declining."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import selectinload

from portal import clock, permissions
from portal.allocation.engine import split_over_years
from portal.allocation.services import current_allocation
from portal.applications.services import recipients_of
from portal.audit.services import record_event
from portal.errors import DomainError, NotPermitted
from portal.extensions import db
from portal.formatting import local
from portal.grants import letter as letters
from portal.grants import payments
from portal.grants.models import Grant, GrantLetterVersion
from portal.grants.states import GrantStatus, LetterStatus, target_of
from portal.links import external_url
from portal.outbox.services import Attachment, queue_message
from portal.reports import services as reports
from portal.reports.plan import reporting_plan

ACCEPT_WITHIN = timedelta(days=21)
TEXT_LIMIT = 20_000


def list_grants(pool) -> list[Grant]:
    """Every grant of the pool with its kommune, letters and payments, by letter number (four queries)."""
    return list(db.session.scalars(
        sa.select(Grant).where(Grant.pool_id == pool.id)
        .options(selectinload(Grant.kommune), selectinload(Grant.letters), selectinload(Grant.payments))
        .order_by(Grant.letter_number, Grant.id)))


def list_freed(pool) -> list[Grant]:
    """Declined and expired grants: their money can go to the other kommuner."""
    return [grant for grant in list_grants(pool) if grant.status.frees_money]


def get_grant_of(pool, kommune) -> Grant | None:
    return db.session.scalar(sa.select(Grant).where(Grant.pool_id == pool.id, Grant.kommune_id == kommune.id))


def _check_staff(actor) -> None:
    if not permissions.can_manage_grants(actor):
        raise NotPermitted("Kun styrelsens sagsbehandlere kan lave og udstede tilsagn.")


ACTIVITY_KEYS = ("opstartsworkshops", "netvaerk", "sparring", "afslutning")


def _texts(pool, application, amount_kr: int) -> tuple[str, str]:
    """The standard opening and conditions a draft letter starts with, from the pool and its timeline."""
    submitted = application.latest_submission
    activities = [f"{entry.title}{': ' + entry.note if entry.note else ''}" for entry in pool.timeline
                  if entry.key in ACTIVITY_KEYS]
    return (letters.default_intro(kommune_name=application.kommune.official_name, pool_name=pool.name,
                                  amount_kr=amount_kr,
                                  applied_on=local(submitted.submitted_at).date() if submitted else None),
            letters.default_conditions(funds_from_on=pool.funds_from_on, funds_to_on=pool.funds_to_on,
                                       reports=[(report.title, report.due_on) for report
                                                in reporting_plan(pool.funds_from_on, pool.funds_to_on)],
                                       activities=activities))


def split_of(application, amounts_by_year: dict[int, int]) -> list[list]:
    """Each year's amount over the budget categories as the kommune's submitted budget has them that year.

    Whole kroner, largest remainders, so every year adds up exactly; a year without budget lines
    goes to its first eligible category. Returns [[year, category code, kr], …] without 0-lines.
    """
    budget: dict[int, dict[str, int]] = {}
    for line in application.latest_submission.content["budget"]:
        if line["year"] is not None and line["category_code"] and line["amount_kr"]:
            by_category = budget.setdefault(line["year"], {})
            by_category[line["category_code"]] = by_category.get(line["category_code"], 0) + line["amount_kr"]
    fallback = application.pool.budget_categories[0].code
    split = []
    for year, amount in sorted(amounts_by_year.items()):
        if amount == 0:
            continue
        parts = split_over_years(amount, budget[year]) if budget.get(year) else {fallback: amount}
        split += [[year, category, kr] for category, kr in sorted(parts.items()) if kr]
    return split


REALLOCATION_REASON = "Puljens midler er fordelt igen, fordi en eller flere kommuner ikke tog imod deres tilsagn."


def create_drafts(pool, *, actor) -> int:
    """Draft letters from the confirmed allocation: a first one for each kommune without a grant, and a new
    version for each grant whose amount the allocation has changed (after a re-allocation).

    Letter numbers are the pool's J.nr. and a sequence by kommunekode (16/17959-01, -02, …). The
    acceptance deadline starts three weeks ahead. Declined and expired grants are left alone. Returns
    how many drafts were made or changed. Side effects: audit events 'grant.drafted' / 'grant.version_started'.
    """
    _check_staff(actor)
    allocation = current_allocation(pool)
    if allocation is None:
        raise DomainError("Fordelingen skal bekræftes, før der kan laves tilsagn.")
    existing = {grant.application_id: grant for grant in list_grants(pool)}
    sequence = len(existing)
    now = clock.now()
    made = 0
    for allocated in sorted(allocation.grants, key=lambda item: item.kommune.code):
        years = {int(year): kr for year, kr in allocated.years.items()}
        grant = existing.get(allocated.application_id)
        if grant is not None:
            made += _follow_allocation(grant, years, actor=actor)
            continue
        if allocated.amount_kr == 0:
            continue
        sequence += 1
        intro, conditions = _texts(pool, allocated.application, allocated.amount_kr)
        grant = Grant(pool_id=pool.id, application_id=allocated.application_id, kommune_id=allocated.kommune_id,
                      letter_number=f"{pool.journal_number}-{sequence:02d}", status=GrantStatus.DRAFT,
                      amount_kr=allocated.amount_kr, amounts_by_year=allocated.years,
                      split=split_of(allocated.application, years),
                      accept_by_on=(local(now) + ACCEPT_WITHIN).date(), created_at=now, letters=[
                          GrantLetterVersion(number=1, status=LetterStatus.DRAFT, amount_kr=allocated.amount_kr,
                                             amounts_by_year=allocated.years, intro=intro, conditions=conditions,
                                             created_at=now, created_by_id=actor.id)])
        db.session.add(grant)
        db.session.flush()
        record_event(actor=actor, action="grant.drafted", obj=grant, object_label=allocated.kommune.official_name,
                     after={"letter_number": grant.letter_number, "amount_kr": grant.amount_kr})
        made += 1
    return made


def _follow_allocation(grant: Grant, years: dict[int, int], *, actor) -> int:
    """Bring a grant's letter to the allocation's amounts: change its draft, or start a new version."""
    current = grant.current_letter
    if grant.status.frees_money or current.years == years:
        return 0
    if current.status is LetterStatus.DRAFT:
        current.amounts_by_year = {str(year): kr for year, kr in years.items()}
        current.amount_kr = sum(years.values())
        if current.number > 1 and not current.replaces_reason:
            current.replaces_reason = REALLOCATION_REASON
    else:
        new_version(grant, actor=actor, reason=REALLOCATION_REASON, amounts_by_year=years)
    return 1


def update_draft(grant: Grant, *, actor, intro: str, conditions: str, accept_by_on: date) -> None:
    """Change the free-text parts and the acceptance deadline of the grant's draft letter.

    Raises DomainError (at the field) when there is no draft, a text is empty or too long, or the
    deadline is not in the future. Side effects: an audit event 'grant.draft_edited'.
    """
    _check_staff(actor)
    draft = grant.current_letter
    if draft is None or draft.status is not LetterStatus.DRAFT:
        raise DomainError("Kun et udkast kan rettes. Lav en ny version for at ændre et udstedt tilsagn.")
    for field, text, missing in (("intro", intro, "Skriv brevets indledning."),
                                 ("conditions", conditions, "Skriv vilkårene.")):
        if not text.strip():
            raise DomainError(missing, field=field)
        if len(text) > TEXT_LIMIT:
            raise DomainError("Teksten må højst være på 20.000 tegn.", field=field)
    if accept_by_on <= clock.local_now().date():
        raise DomainError("Fristen for at acceptere skal ligge efter i dag.", field="accept_by_on")
    before = {"intro": draft.intro, "conditions": draft.conditions, "accept_by_on": grant.accept_by_on}
    draft.intro, draft.conditions, grant.accept_by_on = intro.strip(), conditions.strip(), accept_by_on
    after = {"intro": draft.intro, "conditions": draft.conditions, "accept_by_on": grant.accept_by_on}
    changed = {key for key in after if after[key] != before[key]}
    if changed:
        record_event(actor=actor, action="grant.draft_edited", obj=grant, object_label=grant.kommune.official_name,
                     before={key: before[key] for key in changed}, after={key: after[key] for key in changed})
    db.session.flush()


def letter_of(grant: Grant, version: GrantLetterVersion, *, dated_on: date, signed_by: str) -> letters.GrantLetter:
    """The letter as the PDF shows it, from the grant, one of its versions and the application's contact."""
    pool, application = grant.pool, grant.application
    return letters.GrantLetter(
        letter_number=grant.letter_number, version=version.number, replaces_reason=version.replaces_reason,
        kommune_name=grant.kommune.official_name,
        recipient_lines=tuple(line for line in (application.contact_name, application.contact_title,
                                                grant.kommune.official_name) if line),
        pool_name=pool.name, journal_number=pool.journal_number, dated_on=dated_on, amount_kr=version.amount_kr,
        amounts_by_year=version.years, funds_from_on=pool.funds_from_on, funds_to_on=pool.funds_to_on,
        categories=tuple(category.name for category in pool.budget_categories), intro=version.intro,
        conditions=version.conditions, accept_by_on=grant.accept_by_on, contact_name=signed_by,
        contact_email=pool.contact_email, signed_by=signed_by)


def received_letter(grant: Grant) -> letters.GrantLetter | None:
    """The letter in force as the kommune received it, dated and signed as it was issued; None before that."""
    version = grant.letter_in_force
    if version is None:
        return None
    return letter_of(grant, version, dated_on=local(version.issued_at).date(),
                     signed_by=version.issued_by.name if version.issued_by else "")


def preview_pdf(grant: Grant, *, actor) -> bytes:
    """The current letter as it would look if issued today by `actor` (a frozen one as it was sent)."""
    version = grant.current_letter
    if version.pdf is not None:
        return version.pdf
    return letters.grant_letter_pdf(letter_of(grant, version, dated_on=clock.local_now().date(), signed_by=actor.name))


def issue_letter(grant: Grant, *, actor) -> GrantLetterVersion:
    """Send the grant's draft letter: freeze it with its PDF and mail it to the kommune.

    The version before it, if any, becomes 'replaced'; the grant must then be accepted again.
    Raises DomainError when there is no draft or the acceptance deadline has passed. Side effects:
    the grant's amount and years follow the letter, status 'issued', an audit event 'grant.issued',
    and a mail with the PDF to the kommune's users and its application contact.
    """
    _check_staff(actor)
    draft = grant.current_letter
    if draft is None or draft.status is not LetterStatus.DRAFT:
        raise DomainError(f"Tilsagnet til {grant.kommune.name} har intet udkast at udstede.")
    target = target_of("issue", grant.status)
    if target is None:
        raise DomainError(f"Tilsagnet til {grant.kommune.name} er {grant.status.label.lower()} og kan ikke udstedes.")
    today = clock.local_now().date()
    if grant.accept_by_on <= today:
        raise DomainError(f"Fristen for at acceptere ({grant.accept_by_on:%d.%m.%Y}) skal ligge efter i dag. "
                          "Ret fristen i udkastet.")
    now = clock.now()
    for earlier in grant.letters[:-1]:
        if earlier.status is LetterStatus.ISSUED:
            earlier.status = LetterStatus.REPLACED
    draft.pdf = letters.grant_letter_pdf(letter_of(grant, draft, dated_on=today, signed_by=actor.name))
    draft.status, draft.issued_at, draft.issued_by_id = LetterStatus.ISSUED, now, actor.id
    before = {"status": grant.status, "amount_kr": grant.amount_kr}
    if draft.amounts_by_year != grant.amounts_by_year:
        grant.split = split_of(grant.application, draft.years)
    grant.status, grant.amount_kr, grant.amounts_by_year = target, draft.amount_kr, draft.amounts_by_year
    grant.answered_at = grant.answered_by_id = None
    record_event(actor=actor, action="grant.issued", obj=grant, object_label=grant.kommune.official_name,
                 before=before, after={"status": target, "amount_kr": grant.amount_kr, "version": draft.number})
    db.session.flush()
    attachment = Attachment(filename=letter_filename(grant, draft), content_type="application/pdf", data=draft.pdf)
    context = dict(grant=grant, letter=draft, link=external_url("grants.mine"))
    for recipient in recipients_of(grant.application):
        queue_message(kind="grant_issued", recipient=recipient,
                      subject=f"Tilsagn nr. {grant.letter_number}: {grant.pool.name} – {grant.kommune.official_name}",
                      text_body=render_template("mail/grant_issued.txt", **context), attachments=(attachment,))
    return draft


def issue_all(pool, *, actor) -> list[Grant]:
    """Issue every grant that has a draft letter; all or nothing. Returns the grants issued."""
    issued = [grant for grant in list_grants(pool) if grant.current_letter.status is LetterStatus.DRAFT]
    if not issued:
        raise DomainError("Der er ingen udkast at udstede.")
    for grant in issued:
        issue_letter(grant, actor=actor)
    return issued


def new_version(grant: Grant, *, actor, reason: str, amounts_by_year: dict[int, int] | None = None) \
        -> GrantLetterVersion:
    """Start a draft that will replace the letter in force, with the reason; texts are carried over.

    `amounts_by_year` changes the grant (a re-allocation); otherwise the amounts stay. Side effects:
    an audit event 'grant.version_started'.
    """
    _check_staff(actor)
    current = grant.current_letter
    if current.status is LetterStatus.DRAFT:
        raise DomainError("Der er allerede et udkast til en ny version. Ret det, og udsted det.")
    if grant.status.frees_money:
        raise DomainError(f"Tilsagnet er {grant.status.label.lower()}; der kan ikke udstedes en ny version.")
    if not reason.strip():
        raise DomainError("Skriv begrundelsen for den nye version.", field="reason")
    years = {str(year): amount for year, amount in (amounts_by_year or grant.years).items()}
    version = GrantLetterVersion(number=current.number + 1, status=LetterStatus.DRAFT,
                                 amount_kr=sum(years.values()), amounts_by_year=years, intro=current.intro,
                                 conditions=current.conditions, replaces_reason=reason.strip(),
                                 created_at=clock.now(), created_by_id=actor.id)
    grant.letters.append(version)
    grant.accept_by_on = max(grant.accept_by_on, (clock.local_now() + ACCEPT_WITHIN).date())
    record_event(actor=actor, action="grant.version_started", obj=grant, object_label=grant.kommune.official_name,
                 after={"version": version.number, "reason": reason.strip(), "amount_kr": version.amount_kr})
    db.session.flush()
    return version


def _answer(grant: Grant, *, actor, action: str, reason: str = "") -> None:
    if not permissions.can_answer_grant(actor, grant):
        raise NotPermitted("Kun kommunens egne brugere kan svare på kommunens tilsagn.")
    target = target_of(action, grant.status)
    if target is None:
        raise DomainError(f"Tilsagnet er {grant.status.label.lower()} og kan ikke besvares.")
    if clock.local_now().date() > grant.accept_by_on:
        raise DomainError(f"Fristen for at svare var {grant.accept_by_on:%d.%m.%Y}. Kontakt styrelsen.")
    if action == "decline" and not reason.strip():
        raise DomainError("Skriv begrundelsen for at afslå tilsagnet.", field="reason")
    before = {"status": grant.status}
    grant.status, grant.answered_at, grant.answered_by_id = target, clock.now(), actor.id
    if target is GrantStatus.ACCEPTED:
        payments.plan_payments(grant)
        reports.create_plan(grant, actor=actor)
    grant.decline_reason = reason.strip()
    record_event(actor=actor, action=f"grant.{target.value}", obj=grant,
                 object_label=grant.kommune.official_name, before=before,
                 after={"status": target, **({"reason": grant.decline_reason} if reason else {})})
    db.session.flush()
    context = dict(grant=grant, actor=actor, link=external_url("grants.show", grant_id=grant.id))
    queue_message(kind=f"grant_{target.value}", recipient=grant.pool.contact_email,
                  subject=f"Tilsagn nr. {grant.letter_number} er {target.label.lower()} af "
                          f"{grant.kommune.official_name}",
                  text_body=render_template("mail/grant_answered.txt", **context))


def accept_grant(grant: Grant, *, actor) -> None:
    """The kommune accepts the letter in force, before its deadline; who and when are recorded.

    Side effects: status 'accepted', the payment plan and the reporting plan, an audit event 'grant.accepted',
    a mail to the agency's contact address.
    """
    _answer(grant, actor=actor, action="accept")


def decline_grant(grant: Grant, *, actor, reason: str) -> None:
    """The kommune declines the grant with a reason; its money is freed for others.

    Side effects: status 'declined', an audit event 'grant.declined', a mail to the agency's contact address.
    """
    _answer(grant, actor=actor, action="decline", reason=reason)


def letter_filename(grant: Grant, version: GrantLetterVersion) -> str:
    return letters.grant_letter_filename(code=grant.kommune.code, name=grant.kommune.name, version=version.number)


REMIND_BEFORE = timedelta(days=7)


def remind_and_expire(pool, *, actor) -> tuple[int, int]:
    """The acceptance deadlines' daily round: remind kommuner whose deadline is within a week (once), and let
    grants whose deadline has passed unanswered lapse. Returns (reminded, expired).

    Side effects: reminder mails to the kommune; for a lapsed grant status 'expired', an audit event
    'grant.expired' and a mail to the kommune; its money is freed for re-allocation.
    """
    if actor is not None:
        _check_staff(actor)
    today, now = clock.local_now().date(), clock.now()
    reminded = expired = 0
    for grant in list_grants(pool):
        if grant.status is not GrantStatus.ISSUED:
            continue
        context = dict(grant=grant, link=external_url("grants.mine"))
        if grant.accept_by_on < today:
            grant.status = GrantStatus.EXPIRED
            record_event(actor=actor, action="grant.expired", obj=grant, object_label=grant.kommune.official_name,
                         before={"status": GrantStatus.ISSUED}, after={"status": GrantStatus.EXPIRED})
            template, subject, expired = "mail/grant_expired.txt", "Tilsagnet er bortfaldet", expired + 1
        elif grant.accept_by_on - today <= REMIND_BEFORE and grant.reminded_at is None:
            grant.reminded_at = now
            template, subject, reminded = "mail/grant_reminder.txt", "Påmindelse: svar på tilsagnet", reminded + 1
        else:
            continue
        for recipient in recipients_of(grant.application):
            queue_message(kind=template.removeprefix("mail/").removesuffix(".txt"), recipient=recipient,
                          subject=f"{subject} nr. {grant.letter_number} – {grant.kommune.official_name}",
                          text_body=render_template(template, **context))
    db.session.flush()
    return reminded, expired
