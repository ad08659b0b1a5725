"""A kommune's application: its draft answers, budget lines, frozen submissions and parked input."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.applications.states import ApplicationStatus
from portal.auth.models import User
from portal.database import UTCDateTime, enum_column_type
from portal.extensions import db
from portal.kommuner.models import Kommune
from portal.pulje.models import BudgetCategory, Pool


class Application(db.Model):
    """One kommune's application to one pool; the answer columns are named as in the template."""

    __tablename__ = "application"
    __table_args__ = (
        sa.UniqueConstraint("pool_id", "kommune_id", name="uq_application_pool_kommune"),
        sa.CheckConstraint(
            "new_per_month >= 0 AND category_2_count >= 0 AND category_3_count >= 0 "
            "AND double_role_staff >= 0 AND ready_at_start >= 0", name="counts_not_negative"),
        sa.CheckConstraint("baseline_measure_permille BETWEEN 0 AND 1000", name="baseline_is_share"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pool.id"))
    kommune_id: Mapped[int] = mapped_column(sa.ForeignKey("kommune.id"))
    status: Mapped[ApplicationStatus] = mapped_column(enum_column_type(ApplicationStatus, "application_status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Who saved each section last, and when: {"maalgruppen": {"by": "Anne", "at": "2017-07-24T07:00:00+00:00"}}.
    last_saved: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Set when a caseworker reopens the application after the pool's deadline.
    individual_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column()

    # 1. Målgruppen
    target_group_description: Mapped[str] = mapped_column(sa.Text, default="")
    new_per_month: Mapped[int | None]
    category_2_count: Mapped[int | None]
    category_3_count: Mapped[int | None]
    baseline_measure_permille: Mapped[int | None]
    target_group_needs: Mapped[str] = mapped_column(sa.Text, default="")
    # 2. Organisering af indsatsen
    organisation_description: Mapped[str] = mapped_column(sa.Text, default="")
    double_role_staff: Mapped[int | None]
    ready_at_start: Mapped[int | None]
    # 3. Medarbejderkompetencer
    competence_description: Mapped[str] = mapped_column(sa.Text, default="")
    # 4. Ledelse
    management_description: Mapped[str] = mapped_column(sa.Text, default="")
    # 5. Økonomi (and the budget lines)
    activities_description: Mapped[str] = mapped_column(sa.Text, default="")
    # 6. Kontakt og indsendelse
    contact_name: Mapped[str] = mapped_column(sa.Text, default="")
    contact_title: Mapped[str] = mapped_column(sa.Text, default="")
    contact_email: Mapped[str] = mapped_column(sa.Text, default="")
    contact_phone: Mapped[str] = mapped_column(sa.Text, default="")
    management_declaration: Mapped[bool] = mapped_column(default=False)

    pool: Mapped[Pool] = relationship()
    kommune: Mapped[Kommune] = relationship()
    created_by: Mapped[User | None] = relationship()
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="application", order_by="BudgetLine.position, BudgetLine.id", cascade="all, delete-orphan")
    submissions: Mapped[list[Submission]] = relationship(
        back_populates="application", order_by="Submission.number", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    def saved_mark(self, section_key: str) -> tuple[str, datetime] | None:
        """Who saved the section last and when, or None if nobody has."""
        mark = (self.last_saved or {}).get(section_key)
        return (mark["by"], datetime.fromisoformat(mark["at"])) if mark else None

    @property
    def latest_submission(self) -> Submission | None:
        return self.submissions[-1] if self.submissions else None

    @property
    def volume(self) -> int | None:
        """Recipients in categories 2 and 3: what the allocation is proportional to."""
        if self.category_2_count is None or self.category_3_count is None:
            return None
        return self.category_2_count + self.category_3_count

    @property
    def budget_total_kr(self) -> int:
        return sum(line.amount_kr or 0 for line in self.budget_lines)

    def __repr__(self) -> str:
        return f"<Application {self.id} kommune={self.kommune_id} {self.status.value}>"


class BudgetLine(db.Model):
    """One line of a draft budget; parts may be missing until the application is submitted."""

    __tablename__ = "budget_line"
    __table_args__ = (sa.CheckConstraint("amount_kr >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id", ondelete="CASCADE"))
    position: Mapped[int]
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("budget_category.id"))
    year: Mapped[int | None]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    amount_kr: Mapped[int | None] = mapped_column(sa.BigInteger)

    application: Mapped[Application] = relationship(back_populates="budget_lines")
    category: Mapped[BudgetCategory | None] = relationship()


class Submission(db.Model):
    """A submitted application, frozen: every answer and the budget as JSON, and the receipt PDF sent."""

    __tablename__ = "submission"
    __table_args__ = (sa.UniqueConstraint("application_id", "number", name="uq_submission_application_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id", ondelete="CASCADE"))
    number: Mapped[int]
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    content: Mapped[dict] = mapped_column(sa.JSON)
    receipt_pdf: Mapped[bytes] = mapped_column(sa.LargeBinary)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped[Application] = relationship(back_populates="submissions")
    submitted_by: Mapped[User | None] = relationship()


class ParkedInput(db.Model):
    """A section's input that arrived after the user's session had ended, kept until they log in again."""

    __tablename__ = "parked_input"

    token: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    path: Mapped[str] = mapped_column(sa.String(300))
    fields: Mapped[dict] = mapped_column(sa.JSON)
    parked_at: Mapped[datetime] = mapped_column(UTCDateTime)
