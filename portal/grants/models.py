"""Grants (tilsagn): their letter versions (each issued one frozen as sent), payments and change requests."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.applications.models import Application
from portal.auth.models import User
from portal.database import UTCDateTime, enum_column_type
from portal.extensions import db
from portal.grants.states import ChangeStatus, GrantStatus, LetterStatus
from portal.kommuner.models import Kommune
from portal.pulje.models import Pool


class Grant(db.Model):
    """One kommune's grant from the pool: its amount and split per year as the letter in force says."""

    __tablename__ = "grant_award"
    __table_args__ = (
        sa.UniqueConstraint("pool_id", "kommune_id", name="uq_grant_award_pool_kommune"),
        sa.CheckConstraint("amount_kr >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pool.id"))
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"))
    kommune_id: Mapped[int] = mapped_column(sa.ForeignKey("kommune.id"))
    letter_number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    status: Mapped[GrantStatus] = mapped_column(enum_column_type(GrantStatus, "grant_status"))
    amount_kr: Mapped[int] = mapped_column(sa.BigInteger)
    # {"2017": 200000, "2018": 600000}
    amounts_by_year: Mapped[dict] = mapped_column(sa.JSON)
    # The grant over (year, category) as [[2017, "fastholdelseskonsulenter", 200000], …], following the budget.
    split: Mapped[list] = mapped_column(sa.JSON, default=list)
    accept_by_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    decline_reason: Mapped[str] = mapped_column(sa.Text, default="")
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column()

    pool: Mapped[Pool] = relationship()
    application: Mapped[Application] = relationship()
    kommune: Mapped[Kommune] = relationship()
    answered_by: Mapped[User | None] = relationship()
    letters: Mapped[list[GrantLetterVersion]] = relationship(
        back_populates="grant", order_by="GrantLetterVersion.number", cascade="all, delete-orphan")
    payments: Mapped[list[Payment]] = relationship(
        back_populates="grant", order_by="Payment.due_on, Payment.year, Payment.id", cascade="all, delete-orphan")
    change_requests: Mapped[list[ChangeRequest]] = relationship(
        back_populates="grant", order_by="ChangeRequest.requested_at, ChangeRequest.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def current_letter(self) -> GrantLetterVersion | None:
        """The newest version, draft or issued."""
        return self.letters[-1] if self.letters else None

    @property
    def letter_in_force(self) -> GrantLetterVersion | None:
        """The newest issued version: what the kommune has received."""
        issued = [letter for letter in self.letters if letter.status is LetterStatus.ISSUED]
        return issued[-1] if issued else None

    @property
    def years(self) -> dict[int, int]:
        return {int(year): amount for year, amount in sorted(self.amounts_by_year.items())}

    @property
    def split_lines(self) -> dict[tuple[int, str], int]:
        """(year, category code) -> kr, for the money rules."""
        return {(int(year), category): amount for year, category, amount in self.split}

    @property
    def paid_kr(self) -> int:
        return sum(payment.amount_kr for payment in self.payments if payment.paid_on is not None)


class GrantLetterVersion(db.Model):
    """One version of a grant letter: editable while a draft, frozen with its exact PDF once issued."""

    __tablename__ = "grant_letter_version"
    __table_args__ = (sa.UniqueConstraint("grant_id", "number", name="uq_grant_letter_version_grant_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(sa.ForeignKey("grant_award.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[LetterStatus] = mapped_column(enum_column_type(LetterStatus, "letter_status"))
    amount_kr: Mapped[int] = mapped_column(sa.BigInteger)
    amounts_by_year: Mapped[dict] = mapped_column(sa.JSON)
    intro: Mapped[str] = mapped_column(sa.Text)
    conditions: Mapped[str] = mapped_column(sa.Text)
    replaces_reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary)

    grant: Mapped[Grant] = relationship(back_populates="letters")
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])

    @property
    def years(self) -> dict[int, int]:
        return {int(year): amount for year, amount in sorted(self.amounts_by_year.items())}


class Payment(db.Model):
    """One planned payment of an accepted grant: a budget year's amount, due on a day, paid or not."""

    __tablename__ = "payment"
    __table_args__ = (sa.CheckConstraint("amount_kr > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(sa.ForeignKey("grant_award.id", ondelete="CASCADE"))
    year: Mapped[int]
    due_on: Mapped[date]
    amount_kr: Mapped[int] = mapped_column(sa.BigInteger)
    paid_on: Mapped[date | None]
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    grant: Mapped[Grant] = relationship(back_populates="payments")
    marked_by: Mapped[User | None] = relationship()


class ChangeRequest(db.Model):
    """A kommune's request to move money between budget years or categories, and the agency's decision."""

    __tablename__ = "change_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(sa.ForeignKey("grant_award.id", ondelete="CASCADE"))
    status: Mapped[ChangeStatus] = mapped_column(enum_column_type(ChangeStatus, "change_status"))
    # The split asked for, in the form of Grant.split, and the one it would replace.
    requested_split: Mapped[list] = mapped_column(sa.JSON)
    previous_split: Mapped[list] = mapped_column(sa.JSON)
    reason: Mapped[str] = mapped_column(sa.Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")

    grant: Mapped[Grant] = relationship(back_populates="change_requests")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
