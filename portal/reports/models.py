"""A report a grant owes: its place in the reporting plan, the quarter's figures, spending and narrative."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import UTCDateTime, enum_column_type
from portal.extensions import db
from portal.formatting import local
from portal.grants.models import Grant
from portal.reports.plan import report_title
from portal.reports.states import ReportKind, ReportStatus
from portal.reports.template import FIGURE_KEYS, FIGURES

# Parts never exceed their whole; the database refuses it too, whatever reaches it.
_PARTS = tuple((figure.key, figure.part_of) for figure in FIGURES if figure.part_of)


class Report(db.Model):
    """One report in a grant's plan. Counts are empty until the kommune writes them; only aggregated numbers."""

    __tablename__ = "activity_report"
    __table_args__ = (
        sa.UniqueConstraint("grant_id", "kind", "period_from_on", name="uq_activity_report_grant_kind_period"),
        sa.CheckConstraint("period_from_on <= period_to_on", name="period_order"),
        *(sa.CheckConstraint(f"{count} >= 0", name=f"{count}_not_negative") for count in FIGURE_KEYS),
        *(sa.CheckConstraint(f"{part} <= {whole}", name=f"{part}_within_whole") for part, whole in _PARTS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(sa.ForeignKey("grant_award.id", ondelete="CASCADE"))
    kind: Mapped[ReportKind] = mapped_column(enum_column_type(ReportKind, "report_kind"))
    status: Mapped[ReportStatus] = mapped_column(enum_column_type(ReportStatus, "report_status"))
    period_from_on: Mapped[date]
    period_to_on: Mapped[date]
    due_on: Mapped[date]
    # Why staff moved the due date or waived the report; the audit log keeps every change.
    plan_note: Mapped[str] = mapped_column(sa.Text, default="")

    new_recipients: Mapped[int | None]
    conversations_held: Mapped[int | None]
    planned_at_workplace: Mapped[int | None]
    held_at_workplace: Mapped[int | None]
    with_employer: Mapped[int | None]
    held_before_week_8: Mapped[int | None]
    measure_before_week_13: Mapped[int | None]
    cases_ended: Mapped[int | None]
    in_work_or_education: Mapped[int | None]
    phone_follow_ups: Mapped[int | None]
    # Quarterly: {"fastholdelseskonsulenter": 120000, …}; final: the account as [[2017, "kompetence", 50000], …].
    spending: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    account: Mapped[list] = mapped_column(sa.JSON, default=list)
    # {"works": "…", "barriers": "…"}, by the keys of template.NARRATIVES for the kind.
    narrative: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # The warnings the kommune submitted despite, so the caseworker sees them.
    submitted_warnings: Mapped[list] = mapped_column(sa.JSON, default=list)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    return_comment: Mapped[str] = mapped_column(sa.Text, default="")
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    version: Mapped[int] = mapped_column()

    grant: Mapped[Grant] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def title(self) -> str:
        return report_title(self.kind, self.period_to_on)

    @property
    def figures(self) -> dict[str, int | None]:
        return {count: getattr(self, count) for count in FIGURE_KEYS}

    @property
    def started(self) -> bool:
        return self.updated_at is not None

    @property
    def submitted_late(self) -> bool:
        """Handed in after the due date in force (Copenhagen date)."""
        return self.submitted_at is not None and local(self.submitted_at).date() > self.due_on

    def is_late(self, today: date) -> bool:
        """Still owed by the kommune after its due date."""
        return self.status.is_open and self.due_on < today
