"""`flask seed` loads the 98 kommuner and the pool with its real parameters, and can run again."""
from collections import Counter
from datetime import date, datetime, timezone

import sqlalchemy as sa

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.kommuner.models import Kommune
from portal.kommuner.services import seed_kommuner
from portal.pulje.services import get_pool, seed_pool
from portal.transaction import commit


def test_seed_loads_98_kommuner_with_their_regions_and_offices(app):
    kommuner = db.session.scalars(sa.select(Kommune)).all()

    assert len(kommuner) == 98
    assert Counter(k.region.value for k in kommuner) == {
        "Hovedstaden": 29, "Sjælland": 17, "Syddanmark": 22, "Midtjylland": 19, "Nordjylland": 11}
    assert Counter(k.amk.value for k in kommuner) == {"Øst": 46, "Midt-Nord": 30, "Syd": 22}
    assert sum(k.population for k in kommuner) == 5_748_691


def test_seed_again_changes_nothing(app):
    events_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))

    result = seed_kommuner()
    pool, created = seed_pool()
    commit()

    assert (result.created, result.updated, result.unchanged) == (0, 0, 98)
    assert created is False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events_before


def test_seed_restores_a_changed_reference_fact_and_logs_it(app):
    herning = db.session.scalar(sa.select(Kommune).where(Kommune.code == 657))
    herning.population = 1
    commit()

    result = seed_kommuner()
    commit()

    assert result.updated == 1
    assert herning.population == 88_386
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "kommune.updated"))
    assert (event.before["population"], event.after["population"]) == (1, herning.population)


def test_seed_creates_the_pool_with_its_announced_parameters(app):
    pool = get_pool()

    assert (pool.name, pool.journal_number) == ("Sammen om fastholdelse", "16/17959")
    assert (pool.total_kr, pool.max_grant_kr) == (9_000_000, 800_000)
    assert (pool.min_participants, pool.max_participants) == (10, 14)
    assert (pool.funds_from_on, pool.funds_to_on) == (date(2017, 10, 1), date(2018, 12, 31))
    assert pool.application_deadline_at == datetime(2017, 8, 4, 10, 0, tzinfo=timezone.utc)
    assert [c.code for c in pool.budget_categories] == ["fastholdelseskonsulenter", "kompetenceudvikling"]
    assert pool.budget_years == [2017, 2018]
    assert [entry.key for entry in pool.timeline][:3] == ["puljeudmelding", "ansoegningsfrist", "udvaelgelse"]
