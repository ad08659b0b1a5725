"""A kommune's application from start to receipt, through the pages, against a real database and SMTP."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.applications.models import Application
from portal.applications.states import ApplicationStatus
from portal.auth.enums import Role
from portal.extensions import db
from tests.conftest import PASSWORD, log_in
from tests.support import herning
from tests.support.html import page_text


def _seen(client, url):
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="seen" type="hidden" value="([^"]*)"', html).group(1)


def _save(client, application_id, key, data, handling="gem"):
    url = f"/ansoegning/{application_id}/{key}"
    return client.post(url, data={**data, "seen": _seen(client, url), "handling": handling})


@pytest.fixture
def herning_user(make_user):
    return make_user(Role.KOMMUNE, kommune="Herning", name="Anne Andersen")


def test_herning_applies_and_gets_receipt_mail(client, herning_user, mailbox):
    log_in(client, herning_user.email, PASSWORD)
    response = client.post("/ansoegning/start")
    assert response.status_code == 302
    application = db.session.scalar(sa.select(Application))
    for key, data in herning.SECTIONS.items():
        response = _save(client, application.id, key, data)
        assert response.status_code == 302, page_text(response)
    response = client.post(f"/ansoegning/{application.id}/indsend")
    assert response.headers["Location"].endswith(f"/ansoegning/{application.id}/kvittering")
    db.session.expire_all()
    assert application.status is ApplicationStatus.SUBMITTED
    assert application.budget_total_kr == 800_000
    recipients = sorted(message["To"] for message in mailbox.messages)
    assert recipients == ["bodil.clark@herning.dk", herning_user.email]
