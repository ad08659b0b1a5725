"""Confirmed allocations (inputs, results, who and when) and caseworkers' pending overrides of single grants."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.applications.models import Application
from portal.auth.models import User
from portal.database import UTCDateTime
from portal.extensions import db
from portal.kommuner.models import Kommune


class Allocation(db.Model):
    """A confirmed allocation of the pool: the record grant letters are made from. A later one supersedes it."""

    __tablename__ = "allocation"
    __table_args__ = (sa.CheckConstraint("allocated_kr <= pool_kr", name="within_pool"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pool.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    pool_kr: Mapped[int] = mapped_column(sa.BigInteger)
    max_grant_kr: Mapped[int] = mapped_column(sa.BigInteger)
    allocated_kr: Mapped[int] = mapped_column(sa.BigInteger)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    confirmed_by: Mapped[User] = relationship()
    grants: Mapped[list[AllocationGrant]] = relationship(
        back_populates="allocation", order_by="AllocationGrant.id", cascade="all, delete-orphan")


class AllocationGrant(db.Model):
    """One kommune's grant in a confirmed allocation, with the inputs it was computed from."""

    __tablename__ = "allocation_grant"
    __table_args__ = (
        sa.UniqueConstraint("allocation_id", "application_id", name="uq_allocation_grant_allocation_application"),
        sa.CheckConstraint("amount_kr >= 0 AND amount_kr <= cap_kr", name="grant_within_cap"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(sa.ForeignKey("allocation.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"))
    kommune_id: Mapped[int] = mapped_column(sa.ForeignKey("kommune.id"))
    volume: Mapped[int]
    requested_kr: Mapped[int] = mapped_column(sa.BigInteger)
    cap_kr: Mapped[int] = mapped_column(sa.BigInteger)
    computed_kr: Mapped[int] = mapped_column(sa.BigInteger)
    amount_kr: Mapped[int] = mapped_column(sa.BigInteger)
    override_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # {"2017": 200000, "2018": 600000}: the grant split as the kommune's own budget is.
    years: Mapped[dict] = mapped_column(sa.JSON)

    allocation: Mapped[Allocation] = relationship(back_populates="grants")
    application: Mapped[Application] = relationship()
    kommune: Mapped[Kommune] = relationship()


class GrantOverride(db.Model):
    """A caseworker's fixed amount for one kommune, with the reason; the others share the rest of the pool."""

    __tablename__ = "grant_override"
    __table_args__ = (sa.CheckConstraint("amount_kr >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id", ondelete="CASCADE"), unique=True)
    amount_kr: Mapped[int] = mapped_column(sa.BigInteger)
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))

    created_by: Mapped[User] = relationship()
