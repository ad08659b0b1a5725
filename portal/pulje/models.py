"""The pool, its eligible budget categories and its timeline."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime
from portal.extensions import db
from portal.kommuner.sizeclass import SizeThresholds


class Pool(db.Model):
    """One grant pool with the parameters the agency announced; amounts in whole kroner."""

    __tablename__ = "pool"
    __table_args__ = (
        sa.CheckConstraint("total_kr > 0", name="total_positive"),
        sa.CheckConstraint("max_grant_kr > 0 AND max_grant_kr <= total_kr", name="max_grant_within_total"),
        sa.CheckConstraint(
            "min_participants >= 1 AND min_participants <= max_participants", name="participant_range"
        ),
        sa.CheckConstraint("funds_from_on < funds_to_on", name="funding_period_order"),
        sa.CheckConstraint("applications_open_at < application_deadline_at", name="application_window_order"),
        sa.CheckConstraint("size_medium_from > 0 AND size_medium_from < size_large_from", name="size_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    journal_number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    announced_on: Mapped[date]
    purpose: Mapped[str] = mapped_column(sa.Text)
    target_group: Mapped[str] = mapped_column(sa.Text)
    total_kr: Mapped[int] = mapped_column(sa.BigInteger)
    max_grant_kr: Mapped[int] = mapped_column(sa.BigInteger)
    min_participants: Mapped[int]
    max_participants: Mapped[int]
    funds_from_on: Mapped[date]
    funds_to_on: Mapped[date]
    applications_open_at: Mapped[datetime] = mapped_column(UTCDateTime)
    application_deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    size_medium_from: Mapped[int]
    size_large_from: Mapped[int]
    contact_email: Mapped[str] = mapped_column(sa.String(254))
    version: Mapped[int] = mapped_column()

    budget_categories: Mapped[list[BudgetCategory]] = relationship(
        back_populates="pool", order_by="BudgetCategory.position, BudgetCategory.id"
    )
    timeline: Mapped[list[TimelineEntry]] = relationship(
        back_populates="pool", order_by="TimelineEntry.starts_on, TimelineEntry.position, TimelineEntry.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def size_thresholds(self) -> SizeThresholds:
        return SizeThresholds(medium_from=self.size_medium_from, large_from=self.size_large_from)

    @property
    def budget_years(self) -> list[int]:
        """The calendar years the funds may be used in (2017 and 2018 for this pool)."""
        return list(range(self.funds_from_on.year, self.funds_to_on.year + 1))

    def __repr__(self) -> str:
        return f"<Pool {self.journal_number}>"


class BudgetCategory(db.Model):
    """What the pool's money may be used for (fastholdelseskonsulenter, kompetenceudvikling)."""

    __tablename__ = "budget_category"
    __table_args__ = (sa.UniqueConstraint("pool_id", "code", name="uq_budget_category_pool_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pool.id"))
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    pool: Mapped[Pool] = relationship(back_populates="budget_categories")


class TimelineEntry(db.Model):
    """One activity of the pool's timeline, over whole days (a week, a quarter, a single day)."""

    __tablename__ = "timeline_entry"
    __table_args__ = (
        sa.UniqueConstraint("pool_id", "key", name="uq_timeline_entry_pool_key"),
        sa.CheckConstraint("starts_on <= ends_on", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pool.id"))
    key: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(160))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str] = mapped_column(sa.String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    pool: Mapped[Pool] = relationship(back_populates="timeline")
