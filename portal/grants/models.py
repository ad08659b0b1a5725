"""Grants (tilsagn) to selected kommuner and the versions of their letters, each issued one frozen as sent."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.applications.models import Application
from portal.auth.models import User
from portal.database import UTCDateTime, enum_column_type
from portal.extensions import db
from portal.grants.states import GrantStatus, LetterStatus
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
