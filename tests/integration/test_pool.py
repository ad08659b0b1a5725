"""The public front page, the portal clock, and the administrator's editing of the pool."""
from datetime import datetime

import pytest
import sqlalchemy as sa

from portal.audit.models import AuditEvent
from portal.auth.enums import Role
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.pulje.services import get_pool
from portal.pulje import facts
from tests.conftest import log_in
from tests.support.html import page_text

FORM = {
    "purpose": facts.PURPOSE, "target_group": facts.TARGET_GROUP, "contact_email": "fastholdelse@star.dk",
    "total_kr": "9.000.000", "max_grant_kr": "800.000", "min_participants": "10", "max_participants": "14",
    "applications_open_at": "2017-05-29T09:00", "application_deadline_at": "2017-08-04T12:00",
    "funds_from_on": "2017-10-01", "funds_to_on": "2018-12-31", "size_medium_from": "35.000",
    "size_large_from": "60.000",
}


@pytest.mark.parametrize("moment, sentence", [
    (datetime(2017, 5, 1, 9, 0), "Der er endnu ikke åbnet for ansøgninger."),
    (datetime(2017, 7, 24, 9, 0), "Der er 11 dage til fristen."),
    (datetime(2017, 8, 3, 23, 0), "Der er 1 dag til fristen."),
    (datetime(2017, 8, 4, 11, 59), "Fristen er i dag."),
    (datetime(2017, 8, 4, 12, 0), "Ansøgningsfristen er overskredet."),
])
def test_front_page_counts_down_to_the_deadline_on_the_portal_clock(client, clock, moment, sentence):
    clock.set(moment.replace(tzinfo=COPENHAGEN))

    page = page_text(client.get("/"))

    assert sentence in page
    assert "fredag 4. august 2017 kl. 12.00 (uge 31)" in page


def test_front_page_presents_the_pool(client):
    page = page_text(client.get("/"))

    for fact in ("Sammen om fastholdelse", "J.nr. 16/17959", "9.000.000 kr.", "800.000 kr.", "10–14",
                 "1. oktober 2017 – 31. december 2018", "visitationskategori 2 og 3", "Opstartsworkshops",
                 "uge 40–43 2017", "1. kvartal 2019"):
        assert fact in page


def test_clock_banner_shows_the_portals_date(client):
    page = page_text(client.get("/"))

    assert "Portalens dato er mandag 24. juli 2017 kl. 09.00 (uge 30)." in page


def test_admin_changes_a_parameter_and_the_audit_log_has_before_and_after(client, make_user):
    admin = make_user(Role.ADMIN)
    log_in(client, admin.email)
    version = get_pool().version

    response = client.post("/puljen/rediger", data={**FORM, "max_grant_kr": "750.000 kr.", "version": version})

    assert response.status_code == 302
    db.session.expire_all()
    assert get_pool().max_grant_kr == 750_000
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "pool.updated"))
    assert (event.actor_label, event.before, event.after) == (
        admin.email, {"max_grant_kr": 800_000}, {"max_grant_kr": 750_000})


@pytest.mark.parametrize("field, value, message", [
    ("total_kr", "ni millioner", "Skriv et helt tal uden decimaler, fx 800000 eller 800.000."),
    ("max_grant_kr", "9.500.000", "Det højeste tilskud til én kommune kan ikke være større end hele puljen."),
    ("max_participants", "8", "Det højeste antal kommuner kan ikke være mindre end det laveste."),
    ("application_deadline_at", "2017-05-01T12:00", "Ansøgningsfristen skal ligge efter, at der åbnes for ansøgninger."),
    ("funds_to_on", "31-2-2018", "Skriv en gyldig dato, fx 4-8-2017."),
    ("size_large_from", "30.000", "Grænsen for store kommuner skal være højere end grænsen for mellemstore."),
    ("contact_email", "", "Udfyld feltet."),
])
def test_bad_parameters_get_a_danish_message_at_the_field_and_nothing_is_saved(client, make_user, field, value,
                                                                              message):
    admin = make_user(Role.ADMIN)
    log_in(client, admin.email)

    response = client.post("/puljen/rediger", data={**FORM, field: value, "version": get_pool().version})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert f'id="{field}-error"' in page
    assert f'value="{value}"' in page  # what the admin typed is kept
    db.session.expire_all()
    assert (get_pool().total_kr, get_pool().max_grant_kr) == (9_000_000, 800_000)


def test_two_admins_editing_at_once_do_not_silently_overwrite(app, make_user):
    first, second = make_user(Role.ADMIN, email="a1@star.dk"), make_user(Role.ADMIN, email="a2@star.dk")
    first_client, second_client = app.test_client(), app.test_client()
    log_in(first_client, first.email)
    log_in(second_client, second.email)
    version = get_pool().version

    first_client.post("/puljen/rediger", data={**FORM, "total_kr": "8.000.000", "version": version})
    stale = second_client.post("/puljen/rediger", data={**FORM, "total_kr": "7.000.000", "version": version})

    assert stale.status_code == 200
    assert "Puljen er blevet ændret af en anden" in stale.get_data(as_text=True)
    assert 'value="7.000.000"' in stale.get_data(as_text=True)
    db.session.expire_all()
    assert get_pool().total_kr == 8_000_000
