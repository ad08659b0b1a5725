"""Use cases of the kommuner: load the reference data, list and filter them."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from portal.audit.services import record_event, snapshot
from portal.extensions import db
from portal.formatting import danish_sort_key
from portal.kommuner.enums import AMK, Region, SizeClass
from portal.kommuner.models import Kommune
from portal.kommuner.reference import KommuneFact, load_kommune_facts
from portal.kommuner.sizeclass import SizeThresholds

FACT_FIELDS = ["name", "official_name", "region", "amk", "population", "population_year", "lat", "lon"]


@dataclass(frozen=True)
class SeedResult:
    created: int
    updated: int
    unchanged: int


def seed_kommuner(facts: list[KommuneFact] | None = None) -> SeedResult:
    """Make the kommune table agree with the reference facts, matched on kommunekode; idempotent.

    Side effects: one audit event per kommune created or changed; nothing when all agree.
    """
    facts = load_kommune_facts() if facts is None else facts
    existing = {kommune.code: kommune for kommune in db.session.scalars(sa.select(Kommune))}
    created = updated = 0
    for fact in facts:
        values = {field: getattr(fact, field) for field in FACT_FIELDS}
        kommune = existing.get(fact.code)
        if kommune is None:
            kommune = Kommune(code=fact.code, **values)
            db.session.add(kommune)
            db.session.flush()
            created += 1
            continue
        before = snapshot(kommune, FACT_FIELDS)
        for field, value in values.items():
            setattr(kommune, field, value)
        after = snapshot(kommune, FACT_FIELDS)
        if before != after:
            updated += 1
            record_event(actor=None, action="kommune.updated", obj=kommune, object_label=kommune.name,
                         before=before, after=after)
    if created:
        record_event(actor=None, action="kommuner.seeded", object_type="kommune",
                     object_label=f"{created} kommuner indlæst", after={"created": created})
    db.session.flush()
    return SeedResult(created=created, updated=updated, unchanged=len(facts) - created - updated)


@dataclass(frozen=True)
class KommuneRow:
    kommune: Kommune
    size_class: SizeClass


def list_kommuner(
    *,
    thresholds: SizeThresholds,
    region: Region | None = None,
    amk: AMK | None = None,
    size: SizeClass | None = None,
) -> list[KommuneRow]:
    """Kommuner in Danish alphabetical order (code as tie-breaker), filtered, each with its size class."""
    query = sa.select(Kommune)
    if region is not None:
        query = query.where(Kommune.region == region)
    if amk is not None:
        query = query.where(Kommune.amk == amk)
    rows = [KommuneRow(kommune, kommune.size_class(thresholds)) for kommune in db.session.scalars(query)]
    if size is not None:
        rows = [row for row in rows if row.size_class is size]
    return sorted(rows, key=lambda row: (danish_sort_key(row.kommune.name), row.kommune.code))


def list_all_kommuner() -> list[Kommune]:
    """Every kommune in Danish alphabetical order, for choosers."""
    return sorted(db.session.scalars(sa.select(Kommune)), key=lambda k: (danish_sort_key(k.name), k.code))


def get_kommune_by_name(name: str) -> Kommune | None:
    return db.session.scalar(sa.select(Kommune).where(Kommune.name == name))
