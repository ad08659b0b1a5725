"""The selection: rank the scored applications, decide each with a reason, suggest, confirm and send the letters."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sqlalchemy as sa
from flask import render_template

from portal import clock, permissions
from portal.applications.models import Application
from portal.applications.services import recipients_of
from portal.audit.services import record_event
from portal.errors import DomainError, NotPermitted, RuleViolations
from portal.extensions import db
from portal.formatting import danish_sort_key, local
from portal.kommuner.enums import AMK, SizeClass
from portal.links import external_url
from portal.outbox.services import Attachment, queue_message
from portal.review.enums import Decision
from portal.review.models import SelectionConfirmation, SelectionDecision
from portal.review.rejection import RejectionLetter, rejection_filename, rejection_pdf
from portal.review.services import ScoreRow, get_settings, list_score_board, selection_confirmation
from portal.review.suggest import Candidate, SelectionRules, Suggestion, suggest_selection

REASON_LIMIT = 4000


@dataclass(frozen=True)
class CandidateRow:
    """One scored application on the selection page: its place in the ranking and its (pending) decision."""

    rank: int | None                 # 1 = highest score; None while unscored
    board: ScoreRow
    decision: SelectionDecision | None

    @property
    def application(self) -> Application:
        return self.board.application

    @property
    def kommune(self):
        return self.board.kommune


def selection_rules(pool) -> SelectionRules:
    """The pool's participant range and the admin's minimums (one per AMK, one small and one large by default)."""
    settings = get_settings(pool)
    return SelectionRules(
        min_count=pool.min_participants, max_count=pool.max_participants,
        min_score=Fraction(settings.min_score_tenths, 10) if settings.min_score_tenths else None,
        min_per_amk={amk: settings.min_per_amk.get(amk.value, 1) for amk in AMK},
        min_per_size={size: settings.min_per_size.get(size.value, 0 if size is SizeClass.MELLEM else 1)
                      for size in SizeClass})


def list_candidates(pool, *, viewer) -> list[CandidateRow]:
    """Every reviewable application, best score first (unscored last), kommune name as tie-breaker."""
    board = list_score_board(pool, viewer=viewer)
    decisions = {decision.application_id: decision for decision in db.session.scalars(
        sa.select(SelectionDecision).where(SelectionDecision.application_id.in_(
            [row.application.id for row in board])))}
    ordered = sorted(board, key=lambda row: (row.score is None, -(row.score or 0), danish_sort_key(row.kommune.name),
                                             row.application.id))
    rows, rank = [], 0
    for row in ordered:
        rank += row.score is not None
        rows.append(CandidateRow(rank=rank if row.score is not None else None, board=row,
                                 decision=decisions.get(row.application.id)))
    return rows


def suggest_for(pool, rows: list[CandidateRow]) -> Suggestion:
    """The best selection that keeps the pool's rules, computed from the rows' scores."""
    return suggest_selection([Candidate(code=row.kommune.code, name=row.kommune.name, amk=row.kommune.amk,
                                        size_class=row.board.size_class, score=row.board.score) for row in rows],
                             selection_rules(pool))


def _check_open(pool, actor) -> None:
    if not permissions.can_select_applications(actor):
        raise NotPermitted("Kun styrelsens sagsbehandlere kan udvælge kommuner.")
    if clock.now() < pool.application_deadline_at:
        raise DomainError("Udvælgelsen kan begynde, når ansøgningsfristen er udløbet.")
    if selection_confirmation(pool) is not None:
        raise DomainError("Udvælgelsen er bekræftet og kan ikke ændres.")


def decide(rows: list[CandidateRow], *, actor, decisions: dict[int, tuple[Decision | None, str]]) -> int:
    """Record pending decisions, application id -> (decision or None for undecided, reason); returns how many changed.

    A rejection must have a written reason (the law requires reasons to be given); all or nothing:
    RuleViolations keyed 'reason_<id>' when any lacks one. Side effects: an audit event per change.
    """
    if not rows:
        return 0
    _check_open(rows[0].application.pool, actor)
    problems = {}
    for row in rows:
        decision, reason = decisions.get(row.application.id, (None, ""))
        if decision is Decision.REJECTED and not reason.strip():
            problems[f"reason_{row.application.id}"] = f"Skriv begrundelsen for at fravælge {row.kommune.name}."
        elif len(reason) > REASON_LIMIT:
            problems[f"reason_{row.application.id}"] = "Begrundelsen må højst være på 4.000 tegn."
    if problems:
        raise RuleViolations(problems)
    changed = 0
    for row in rows:
        decision, reason = decisions.get(row.application.id, (None, ""))
        changed += _set_decision(row, actor=actor, decision=decision, reason=reason.strip())
    db.session.flush()
    return changed


def _set_decision(row: CandidateRow, *, actor, decision: Decision | None, reason: str) -> bool:
    current = row.decision
    before = {"decision": current.decision, "reason": current.reason} if current else {"decision": None}
    if current is None and decision is None:
        return False
    if current is not None and (current.decision, current.reason) == (decision, reason):
        return False
    now = clock.now()
    if decision is None:
        db.session.delete(current)
        after = {"decision": None}
    else:
        if current is None:
            current = SelectionDecision(application_id=row.application.id)
            db.session.add(current)
        current.decision, current.reason, current.updated_at, current.updated_by_id = decision, reason, now, actor.id
        after = {"decision": decision, "reason": reason}
    record_event(actor=actor, action="selection.decided", obj=row.application,
                 object_label=row.application.kommune.official_name, before=before, after=after)
    return True


def apply_suggestion(rows: list[CandidateRow], suggestion: Suggestion, *, actor) -> int:
    """Make the suggestion the pending decisions, each with its explanation as the reason; returns how many changed."""
    if not suggestion.feasible:
        raise DomainError(" ".join(suggestion.problems))
    chosen = set(suggestion.selected)
    return decide(rows, actor=actor, decisions={
        row.application.id: (Decision.SELECTED if row.kommune.code in chosen else Decision.REJECTED,
                             _as_reason(suggestion.explanations.get(row.kommune.code, "")))
        for row in rows})


def _as_reason(explanation: str) -> str:
    """'Fravalgt: de 14 pladser er taget …' -> 'De 14 pladser er taget …': the decision itself is said elsewhere."""
    for prefix in ("Fravalgt: ", "Valgt: "):
        if explanation.startswith(prefix):
            rest = explanation.removeprefix(prefix)
            return rest[:1].upper() + rest[1:]
    return explanation


def confirmation_problems(pool, rows: list[CandidateRow]) -> list[str]:
    """Why the selection cannot be confirmed yet (undecided applications, a count outside the range)."""
    problems = []
    undecided = [row.kommune.name for row in rows if row.decision is None]
    if undecided:
        problems.append(f"{len(undecided)} {'ansøgning mangler' if len(undecided) == 1 else 'ansøgninger mangler'} "
                        f"en afgørelse: {', '.join(undecided)}.")
    selected = sum(1 for row in rows if row.decision and row.decision.decision is Decision.SELECTED)
    if not pool.min_participants <= selected <= pool.max_participants:
        problems.append(f"Der er valgt {selected} kommuner. Puljen skal have mellem {pool.min_participants} "
                        f"og {pool.max_participants}.")
    return problems


def confirm_selection(pool, rows: list[CandidateRow], *, actor) -> SelectionConfirmation:
    """Make every pending decision final, and tell the kommuner.

    Raises DomainError while an application is undecided or the number selected is outside the
    pool's range. Side effects: each decision gets who and when; a SelectionConfirmation; an audit
    event 'selection.confirmed'; to each rejected kommune a rejection letter (PDF, kept on the
    decision) by mail, and to each selected kommune a notice that the grant letter follows.
    """
    _check_open(pool, actor)
    problems = confirmation_problems(pool, rows)
    if problems:
        raise DomainError(" ".join(problems))
    now = clock.now()
    selected = [row for row in rows if row.decision.decision is Decision.SELECTED]
    rejected = [row for row in rows if row.decision.decision is Decision.REJECTED]
    for row in rows:
        row.decision.decided_at, row.decision.decided_by_id = now, actor.id
    for row in rejected:
        _send_rejection(row, actor=actor, applicants=len(rows), selected=len(selected), now=now)
    for row in selected:
        _send_selected_notice(row)
    confirmation = SelectionConfirmation(pool_id=pool.id, confirmed_at=now, confirmed_by_id=actor.id,
                                         selected_count=len(selected), rejected_count=len(rejected))
    db.session.add(confirmation)
    record_event(actor=actor, action="selection.confirmed", object_type="pool", object_label=pool.name,
                 after={"selected": sorted(row.kommune.name for row in selected),
                        "rejected": sorted(row.kommune.name for row in rejected)})
    db.session.flush()
    return confirmation


def _send_rejection(row: CandidateRow, *, actor, applicants: int, selected: int, now) -> None:
    application, pool = row.application, row.application.pool
    recipient_lines = tuple(line for line in (application.contact_name, application.contact_title,
                                              application.kommune.official_name) if line)
    pdf = rejection_pdf(RejectionLetter(
        kommune_name=application.kommune.official_name, recipient_lines=recipient_lines, pool_name=pool.name,
        journal_number=pool.journal_number, decided_on=local(now).date(), decided_by=actor.name,
        reason=row.decision.reason, applicants=applicants, selected=selected, contact_email=pool.contact_email))
    row.decision.letter_pdf = pdf
    attachment = Attachment(filename=rejection_letter_filename(application), content_type="application/pdf", data=pdf)
    context = dict(application=application, decision=row.decision)
    for recipient in recipients_of(application):
        queue_message(kind="selection_rejected", recipient=recipient,
                      subject=f"Afslag: {pool.name} – {application.kommune.official_name}",
                      text_body=render_template("mail/selection_rejected.txt", **context), attachments=(attachment,))


def _send_selected_notice(row: CandidateRow) -> None:
    application = row.application
    context = dict(application=application, link=external_url("pulje.dashboard"))
    for recipient in recipients_of(application):
        queue_message(kind="selection_selected", recipient=recipient,
                      subject=f"I er udvalgt: {application.pool.name} – {application.kommune.official_name}",
                      text_body=render_template("mail/selection_selected.txt", **context))


def final_decision_of(application: Application) -> SelectionDecision | None:
    """The application's decision once the selection is confirmed; pending decisions are never shown to kommuner."""
    return db.session.scalar(sa.select(SelectionDecision).where(
        SelectionDecision.application_id == application.id, SelectionDecision.decided_at.is_not(None)))


def rejection_letter_filename(application: Application) -> str:
    return rejection_filename(code=application.kommune.code, name=application.kommune.name)


def list_reserves(pool, *, viewer) -> list[CandidateRow]:
    """The rejected applications of a confirmed selection, best score first: who can step in for a decline."""
    if selection_confirmation(pool) is None:
        return []
    return [row for row in list_candidates(pool, viewer=viewer)
            if row.decision is not None and row.decision.decision is Decision.REJECTED]


def select_reserve(row: CandidateRow, *, actor, reason: str) -> None:
    """Select a rejected kommune after all, when a selected one has not taken its grant.

    Needs a confirmed selection and a written reason. Side effects: the decision becomes 'selected'
    with who and when, the confirmation's counts follow, an audit event 'selection.reserve_selected',
    and the kommune is told that a grant letter follows. The allocation then includes it.
    """
    pool = row.application.pool
    if not permissions.can_select_applications(actor):
        raise NotPermitted("Kun styrelsens sagsbehandlere kan udvælge kommuner.")
    confirmation = selection_confirmation(pool)
    if confirmation is None or row.decision is None or row.decision.decision is not Decision.REJECTED:
        raise DomainError("Kun en fravalgt kommune i en bekræftet udvælgelse kan vælges som reserve.")
    if not reason.strip():
        raise DomainError("Skriv begrundelsen for at vælge reservekommunen.", field="reason")
    now = clock.now()
    decision = row.decision
    before = {"decision": decision.decision, "reason": decision.reason}
    decision.decision, decision.reason = Decision.SELECTED, reason.strip()
    decision.updated_at = decision.decided_at = now
    decision.updated_by_id = decision.decided_by_id = actor.id
    confirmation.selected_count += 1
    confirmation.rejected_count -= 1
    record_event(actor=actor, action="selection.reserve_selected", obj=row.application,
                 object_label=row.application.kommune.official_name, before=before,
                 after={"decision": Decision.SELECTED, "reason": decision.reason})
    _send_selected_notice(row)
    db.session.flush()
