"""The User model: a person with one role, bound to one kommune when the role is 'kommune'."""
from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.enums import Role
from portal.database import UTCDateTime, enum_column_type
from portal.extensions import db
from portal.kommuner.models import Kommune


def new_security_stamp() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        sa.CheckConstraint(
            "(role = 'kommune' AND kommune_id IS NOT NULL) OR (role <> 'kommune' AND kommune_id IS NULL)",
            name="kommune_iff_kommune_role",
        ),
        sa.CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(enum_column_type(Role, "role"))
    kommune_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kommune.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    # Rotated when the password changes, at logout and at deactivation: sessions and invitation and reset
    # links carry it, so a link works once and a session (or a copy of its cookie) ends with it.
    security_stamp: Mapped[str] = mapped_column(sa.String(32), default=new_security_stamp)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column()

    kommune: Mapped[Kommune | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def get_id(self) -> str:
        # The stamp in the session id ends every session when the password changes or access is removed.
        return f"{self.id}.{self.security_stamp}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def status_label(self) -> str:
        if not self.active:
            return "Deaktiveret"
        return "Aktiv" if self.has_password else "Inviteret"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"
