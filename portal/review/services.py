"""The caseworkers' scoring: settings, reviews, conflicts of interest, the score board and what to score next."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal import clock, permissions
from portal.applications.models import Application, Submission
from portal.applications.states import ApplicationStatus
from portal.audit.services import changed_only, record_event
from portal.auth.models import User
from portal.errors import DomainError, NotPermitted, RuleViolations
from portal.extensions import db
from portal.formatting import danish_sort_key
from portal.kommuner.enums import SizeClass
from portal.kommuner.models import Kommune
from portal.review.enums import ReviewStatus
from portal.review.models import ConflictOfInterest, Review, ReviewScore, ReviewSettings, SelectionConfirmation
from portal.review.scoring import (DEFAULT_WEIGHTS, SCORED_SECTIONS, SectionScore, application_score,
                                   review_problems, section_means, weights_problems)


def get_settings(pool) -> ReviewSettings:
    """The pool's review settings; the defaults (equal weights, no minimum score) until an admin saves some."""
    settings = db.session.get(ReviewSettings, pool.id)
    if settings is None:
        settings = ReviewSettings(pool_id=pool.id, score_weights=dict(DEFAULT_WEIGHTS), min_score_tenths=None,
                                  min_per_amk={}, min_per_size={})
    return settings


def update_settings(pool, *, actor, weights: dict[str, int], min_score_tenths: int | None,
                    min_per_amk: dict[str, int], min_per_size: dict[str, int]) -> ReviewSettings:
    """Change the section weights and the selection's minimums. Admin only; refused once the selection is confirmed.

    Side effects: an 'review.settings_changed' audit event with what changed.
    """
    if not permissions.can_edit_review_settings(actor):
        raise NotPermitted("Kun en administrator kan ændre vægtene og kravene til udvælgelsen.")
    if selection_confirmation(pool) is not None:
        raise DomainError("Udvælgelsen er bekræftet. Vægte og krav kan ikke ændres længere.")
    problems = {f"weight_{key}": message for key, message in weights_problems(weights).items()}
    if min_score_tenths is not None and not 10 <= min_score_tenths <= 50:
        problems["min_score"] = "Minimumspointet skal ligge mellem 1,0 og 5,0."
    if problems:
        raise RuleViolations(problems)
    settings = get_settings(pool)
    fields = ("score_weights", "min_score_tenths", "min_per_amk", "min_per_size")
    before = {name: getattr(settings, name) for name in fields}
    settings.score_weights = {key: weights[key] for key in SCORED_SECTIONS}
    settings.min_score_tenths = min_score_tenths
    settings.min_per_amk = {key: count for key, count in min_per_amk.items() if count}
    settings.min_per_size = {key: count for key, count in min_per_size.items() if count}
    before, after = changed_only(before, {name: getattr(settings, name) for name in fields})
    if not after:
        return settings
    settings.updated_at, settings.updated_by_id = clock.now(), actor.id
    db.session.add(settings)
    record_event(actor=actor, action="review.settings_changed", object_type="review_settings",
                 object_label=pool.name, before=before, after=after)
    db.session.flush()
    return settings


def selection_confirmation(pool) -> SelectionConfirmation | None:
    return db.session.scalar(sa.select(SelectionConfirmation).where(SelectionConfirmation.pool_id == pool.id))


def scoring_problem(pool, now) -> str | None:
    """Why applications cannot be scored now (before the deadline, after the selection), or None."""
    if now < pool.application_deadline_at:
        return "Ansøgningerne kan bedømmes, når ansøgningsfristen er udløbet."
    if selection_confirmation(pool) is not None:
        return "Udvælgelsen er bekræftet, så bedømmelserne kan ikke ændres længere."
    return None


def _reviewable(pool):
    """Applications with a submitted version that stands: submitted, or reopened after a submission."""
    return (sa.select(Application)
            .where(Application.pool_id == pool.id,
                   Application.status.in_([ApplicationStatus.SUBMITTED, ApplicationStatus.REOPENED]),
                   sa.exists().where(Submission.application_id == Application.id, Submission.withdrawn_at.is_(None))))


def is_reviewable(application: Application) -> bool:
    submission = application.latest_submission
    return (application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.REOPENED)
            and submission is not None and submission.withdrawn_at is None)


def conflict_of(application: Application, user) -> ConflictOfInterest | None:
    return db.session.scalar(sa.select(ConflictOfInterest).where(
        ConflictOfInterest.application_id == application.id, ConflictOfInterest.user_id == user.id))


def get_review(application: Application, reviewer) -> Review | None:
    return db.session.scalar(sa.select(Review).where(Review.application_id == application.id,
                                                     Review.reviewer_id == reviewer.id))


def _check_can_score(application: Application, reviewer) -> None:
    if not permissions.can_review_applications(reviewer):
        raise NotPermitted("Kun styrelsens sagsbehandlere kan bedømme ansøgninger.")
    problem = scoring_problem(application.pool, clock.now())
    if problem:
        raise DomainError(problem)
    if not is_reviewable(application):
        raise DomainError("Kun indsendte ansøgninger kan bedømmes.")
    if conflict_of(application, reviewer) is not None:
        raise DomainError("Du har erklæret dig inhabil i denne ansøgning og kan ikke bedømme den.")


def record_scores(application: Application, *, reviewer, sections: dict[str, SectionScore], submit: bool) -> Review:
    """Save a caseworker's scores of an application; with `submit`, they count in the means from now on.

    A submitted review stays submitted and must stay complete; a draft may lack scores and comments.
    Raises RuleViolations (keyed '<section>_score' / '<section>_comment') when a submitted review
    would be incomplete. Side effects: an audit event 'review.saved' or 'review.submitted'.
    """
    _check_can_score(application, reviewer)
    review = get_review(application, reviewer)
    if review is None:
        review = Review(application=application, reviewer_id=reviewer.id, status=ReviewStatus.DRAFT, scores=[])
        db.session.add(review)
    submitting = submit or review.status is ReviewStatus.SUBMITTED
    if submitting:
        problems = review_problems(sections)
        if problems:
            raise RuleViolations(problems)
    before = _review_values(review)
    for key in SCORED_SECTIONS:
        given = sections.get(key, SectionScore(None))
        row = review.score_of(key)
        if row is None:
            row = ReviewScore(section_key=key)
            review.scores.append(row)
        row.score, row.comment = given.score, given.comment.strip()
    now = clock.now()
    first_submission = submit and review.status is ReviewStatus.DRAFT
    if first_submission:
        review.status, review.submitted_at = ReviewStatus.SUBMITTED, now
    before, after = changed_only(before, _review_values(review))
    if after:
        review.updated_at = now
        record_event(actor=reviewer, action="review.submitted" if first_submission else "review.saved", obj=review,
                     object_label=application.kommune.official_name, before=before, after=after)
    db.session.flush()
    return review


def _review_values(review: Review) -> dict:
    values = {"status": review.status}
    for score in review.scores:
        values[f"{score.section_key}_score"] = score.score
        values[f"{score.section_key}_comment"] = score.comment
    return values


def declare_conflict(application: Application, *, reviewer, reason: str) -> None:
    """Keep a caseworker out of an application: their review of it, if any, is deleted and stops counting.

    Side effects: a ConflictOfInterest row and an 'review.conflict_declared' audit event (with the
    deleted scores in 'before', so nothing is lost from the record).
    """
    if not permissions.can_review_applications(reviewer):
        raise NotPermitted("Kun styrelsens sagsbehandlere kan bedømme ansøgninger.")
    if selection_confirmation(application.pool) is not None:
        raise DomainError("Udvælgelsen er bekræftet, så bedømmelserne kan ikke ændres længere.")
    if conflict_of(application, reviewer) is not None:
        raise DomainError("Du har allerede erklæret dig inhabil i denne ansøgning.")
    if not reason.strip():
        raise DomainError("Skriv kort, hvorfor du er inhabil.", field="reason")
    review = get_review(application, reviewer)
    before = _review_values(review) if review else None
    if review is not None:
        db.session.delete(review)
    db.session.add(ConflictOfInterest(application_id=application.id, user_id=reviewer.id, reason=reason.strip(),
                                      declared_at=clock.now()))
    record_event(actor=reviewer, action="review.conflict_declared", obj=application,
                 object_label=application.kommune.official_name, before=before, after={"reason": reason.strip()})
    db.session.flush()


@dataclass(frozen=True)
class SubmittedReview:
    """One caseworker's submitted review as the score board shows it: their name, points and comments by section."""

    reviewer_name: str
    points: dict[str, int | None]
    comments: dict[str, str]


@dataclass(frozen=True)
class ScoreRow:
    """One application on the score board: who it is, how it is scored, and where the viewer stands."""

    application: Application
    kommune: Kommune
    size_class: SizeClass
    volume: int | None                   # categories 2 + 3 in the submitted version
    reviews: tuple[SubmittedReview, ...]  # by reviewer name
    section_means: dict[str, Fraction | None]
    score: Fraction | None
    own_status: str                      # "inhabil", "indsendt", "kladde" or "ikke bedømt"

    @property
    def review_count(self) -> int:
        return len(self.reviews)


def list_score_board(pool, *, viewer, only: Application | None = None) -> list[ScoreRow]:
    """Every reviewable application (or `only` that one) with its submitted reviews, means and score, by
    kommune name.

    A fixed number of queries whatever the number of applications or reviews. Reviews, scores and volumes are
    read as plain rows, not as ORM objects: the board of 98 applications holds some 1,800 scores, and it is only
    ever read.
    """
    query = _reviewable(pool).options(selectinload(Application.kommune))
    if only is not None:
        query = query.where(Application.id == only.id)
    applications = list(db.session.scalars(query.order_by(Application.id)))
    ids = [application.id for application in applications]
    reviews = db.session.execute(
        sa.select(Review.id, Review.application_id, Review.reviewer_id, Review.status, User.name)
        .join(User, User.id == Review.reviewer_id).where(Review.application_id.in_(ids)).order_by(Review.id)).all()
    scores: dict[int, list] = {}
    for score in db.session.execute(
            sa.select(ReviewScore.review_id, ReviewScore.section_key, ReviewScore.score, ReviewScore.comment)
            .join(Review, Review.id == ReviewScore.review_id).where(Review.application_id.in_(ids),
                                                                    Review.status == ReviewStatus.SUBMITTED)):
        scores.setdefault(score.review_id, []).append(score)
    conflicts = set(db.session.scalars(sa.select(ConflictOfInterest.application_id).where(
        ConflictOfInterest.user_id == viewer.id, ConflictOfInterest.application_id.in_(ids))))
    volumes = _submitted_volumes(ids)
    weights = get_settings(pool).score_weights
    thresholds = pool.size_thresholds
    submitted: dict[int, list[SubmittedReview]] = {}
    own_status: dict[int, str] = {}
    for review in reviews:
        if review.reviewer_id == viewer.id:
            own_status[review.application_id] = review.status.label.lower()
        if review.status is ReviewStatus.SUBMITTED:
            given = scores.get(review.id, [])
            submitted.setdefault(review.application_id, []).append(SubmittedReview(
                reviewer_name=review.name, points={score.section_key: score.score for score in given},
                comments={score.section_key: score.comment for score in given}))
    rows = []
    for application in applications:
        its_reviews = tuple(sorted(submitted.get(application.id, []),
                                   key=lambda review: danish_sort_key(review.reviewer_name)))
        points = [review.points for review in its_reviews]
        rows.append(ScoreRow(
            application=application, kommune=application.kommune,
            size_class=application.kommune.size_class(thresholds), volume=volumes.get(application.id),
            reviews=its_reviews, section_means=section_means(points), score=application_score(points, weights),
            own_status="inhabil" if application.id in conflicts else own_status.get(application.id, "ikke bedømt")))
    return sorted(rows, key=lambda row: (danish_sort_key(row.kommune.name), row.application.id))


def _submitted_volumes(ids: list[int]) -> dict[int, int]:
    """Application id -> categories 2 + 3 in its latest submission: what caseworkers score and allocate by,
    whatever a reopened draft says now. Applications that left a count empty are missing."""
    latest = (sa.select(Submission.application_id, sa.func.max(Submission.number).label("number"))
              .where(Submission.application_id.in_(ids)).group_by(Submission.application_id).subquery())
    counts = db.session.execute(
        sa.select(Submission.application_id, Submission.content[("answers", "category_2_count")].as_integer(),
                  Submission.content[("answers", "category_3_count")].as_integer())
        .join(latest, sa.and_(latest.c.application_id == Submission.application_id,
                              latest.c.number == Submission.number)))
    return {application_id: category_2 + category_3 for application_id, category_2, category_3 in counts
            if category_2 is not None and category_3 is not None}


def next_to_score(pool, *, reviewer, after: Application | None = None) -> Application | None:
    """The application the reviewer should score next: fewest submitted reviews, not yet submitted by them,
    no conflict; ties by kommune name. None when there is nothing left for them."""
    candidates = [row for row in list_score_board(pool, viewer=reviewer)
                  if row.own_status in ("ikke bedømt", "kladde")
                  and (after is None or row.application.id != after.id)]
    if not candidates:
        return None
    return min(candidates, key=lambda row: (row.review_count, danish_sort_key(row.kommune.name))).application
