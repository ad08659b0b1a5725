"""Workshop and meeting events of the pool, and the kommuner's bookings (confirmed or on the waiting list)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import UTCDateTime, enum_column_type
from portal.extensions import db
from portal.kommuner.enums import AMK
from portal.kommuner.models import Kommune
from portal.workshops.rules import Audience, BookingStatus, EventKind


class WorkshopEvent(db.Model):
    """One event kommuner book: a workshop, a network meeting, a visit or the closing seminar."""

    __tablename__ = "workshop_event"
    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="period_order"),
        sa.CheckConstraint("capacity >= 1 AND seats_per_kommune >= 1", name="capacity_positive"),
        sa.UniqueConstraint("pool_id", "series_key", name="uq_workshop_event_pool_series_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pool.id"))
    kind: Mapped[EventKind] = mapped_column(enum_column_type(EventKind, "event_kind"))
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    amk: Mapped[AMK | None] = mapped_column(enum_column_type(AMK, "event_amk"))
    capacity: Mapped[int]
    seats_per_kommune: Mapped[int]
    audience: Mapped[Audience] = mapped_column(enum_column_type(Audience, "audience"))
    booking_deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Inspirationsworkshops: the learning consultant from an experienced kommune the agency assigns.
    learning_consultant: Mapped[str] = mapped_column(sa.String(200), default="")
    # Set for events made by the standard series, so generating it again adds nothing twice.
    series_key: Mapped[str | None] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Bumped by every booking change: the row lock that keeps two bookings from taking the last place.
    bookings_version: Mapped[int] = mapped_column(default=0)

    bookings: Mapped[list[Booking]] = relationship(
        back_populates="event", order_by="Booking.position, Booking.id", cascade="all, delete-orphan")


class Booking(db.Model):
    """A kommune's booking of an event, with its named participants; confirmed, waiting or cancelled."""

    __tablename__ = "booking"
    __table_args__ = (sa.UniqueConstraint("event_id", "kommune_id", name="uq_booking_event_kommune"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_event.id", ondelete="CASCADE"))
    kommune_id: Mapped[int] = mapped_column(sa.ForeignKey("kommune.id"))
    status: Mapped[BookingStatus] = mapped_column(enum_column_type(BookingStatus, "booking_status"))
    # Order of arrival: the waiting list is served by it.
    position: Mapped[int]
    # [{"name": …, "role": …, "email": …}, …]
    participants: Mapped[list] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Raised with every change, so calendar programs replace the earlier invitation.
    sequence: Mapped[int] = mapped_column(default=0)
    attended: Mapped[bool | None]
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[WorkshopEvent] = relationship(back_populates="bookings")
    kommune: Mapped[Kommune] = relationship()
    created_by: Mapped[User | None] = relationship()


class SparringRequest(db.Model):
    """A participating kommune's proposed dates for its sparringsbesøg, and the date the agency confirmed."""

    __tablename__ = "sparring_request"
    __table_args__ = (sa.UniqueConstraint("pool_id", "kommune_id", name="uq_sparring_request_pool_kommune"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pool.id"))
    kommune_id: Mapped[int] = mapped_column(sa.ForeignKey("kommune.id"))
    # ISO instants, in the order the kommune prefers them.
    proposed: Mapped[list] = mapped_column(sa.JSON)
    manager_name: Mapped[str] = mapped_column(sa.String(200))
    manager_email: Mapped[str] = mapped_column(sa.String(254))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshop_event.id"))

    kommune: Mapped[Kommune] = relationship()
    event: Mapped[WorkshopEvent | None] = relationship()

    @property
    def proposed_at(self) -> list[datetime]:
        return [datetime.fromisoformat(value) for value in self.proposed]
