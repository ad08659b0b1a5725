"""Caseworkers' reviews of applications, declared conflicts of interest, the selection and its settings."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.applications.models import Application
from portal.auth.models import User
from portal.database import UTCDateTime, enum_column_type
from portal.extensions import db
from portal.pulje.models import Pool
from portal.review.enums import Decision, ReviewStatus


class ReviewSettings(db.Model):
    """How a pool's applications are scored and selected; set by an administrator (defaults until then)."""

    __tablename__ = "review_settings"
    __table_args__ = (sa.CheckConstraint("min_score_tenths BETWEEN 10 AND 50", name="min_score_on_scale"),)

    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pool.id"), primary_key=True)
    # {"maalgruppen": 1, ...}: whole weights 0–10 per scored section.
    score_weights: Mapped[dict] = mapped_column(sa.JSON)
    # The lowest score (in tenths: 30 = 3,0) an application may have and still be selected; None = no minimum.
    min_score_tenths: Mapped[int | None]
    # Further minimums than the rules' own (one per AMK, one small and one large): {"Syd": 2}, {"stor": 3}.
    min_per_amk: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    min_per_size: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column()

    pool: Mapped[Pool] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Review(db.Model):
    """One caseworker's scores of one application: a draft until submitted."""

    __tablename__ = "review"
    __table_args__ = (sa.UniqueConstraint("application_id", "reviewer_id", name="uq_review_application_reviewer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    status: Mapped[ReviewStatus] = mapped_column(enum_column_type(ReviewStatus, "review_status"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column()

    application: Mapped[Application] = relationship()
    reviewer: Mapped[User] = relationship()
    scores: Mapped[list[ReviewScore]] = relationship(
        back_populates="review", order_by="ReviewScore.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    def score_of(self, section_key: str) -> ReviewScore | None:
        return next((score for score in self.scores if score.section_key == section_key), None)

    @property
    def points(self) -> dict[str, int | None]:
        """Section key -> score, for the pure scoring rules."""
        return {score.section_key: score.score for score in self.scores}


class ReviewScore(db.Model):
    """One section of a review: a score 1–5 (missing while a draft) and the caseworker's comment."""

    __tablename__ = "review_score"
    __table_args__ = (
        sa.UniqueConstraint("review_id", "section_key", name="uq_review_score_review_section"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_on_scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id", ondelete="CASCADE"))
    section_key: Mapped[str] = mapped_column(sa.String(40))
    score: Mapped[int | None]
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    review: Mapped[Review] = relationship(back_populates="scores")


class ConflictOfInterest(db.Model):
    """A caseworker's declaration of a conflict of interest (inhabilitet): kept out of that application."""

    __tablename__ = "conflict_of_interest"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "user_id", name="uq_conflict_of_interest_application_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime)

    application: Mapped[Application] = relationship()
    user: Mapped[User] = relationship()


class SelectionDecision(db.Model):
    """Whether an application is selected or rejected, with the reason; pending until the selection is confirmed."""

    __tablename__ = "selection_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id", ondelete="CASCADE"), unique=True)
    decision: Mapped[Decision] = mapped_column(enum_column_type(Decision, "decision"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # Set when the whole selection is confirmed: from then on the decision is final.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # The rejection letter exactly as it was sent.
    letter_pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    version: Mapped[int] = mapped_column()

    application: Mapped[Application] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}


class SelectionConfirmation(db.Model):
    """The moment a caseworker confirmed the pool's whole selection; one per pool."""

    __tablename__ = "selection_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pool.id"), unique=True)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    selected_count: Mapped[int]
    rejected_count: Mapped[int]

    confirmed_by: Mapped[User] = relationship()
