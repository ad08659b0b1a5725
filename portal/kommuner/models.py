"""The Kommune model: one row per Danish municipality, loaded from the reference file."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import enum_column_type
from portal.extensions import db
from portal.kommuner.enums import AMK, Region
from portal.kommuner.sizeclass import SizeThresholds, size_class


class Kommune(db.Model):
    __tablename__ = "kommune"
    __table_args__ = (
        sa.CheckConstraint("population >= 0", name="population_not_negative"),
        sa.CheckConstraint("code BETWEEN 100 AND 999", name="code_three_digits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)
    official_name: Mapped[str] = mapped_column(sa.String(80))
    region: Mapped[Region] = mapped_column(enum_column_type(Region, "region"))
    amk: Mapped[AMK] = mapped_column(enum_column_type(AMK, "amk"))
    population: Mapped[int]
    population_year: Mapped[int]
    lat: Mapped[float]
    lon: Mapped[float]

    def size_class(self, thresholds: SizeThresholds):
        return size_class(self.population, thresholds)

    def __repr__(self) -> str:
        return f"<Kommune {self.code} {self.name}>"
