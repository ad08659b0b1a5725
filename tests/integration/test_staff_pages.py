"""The caseworkers' pages: kommuner with filters, the audit log, the user list; the demo command."""
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from portal.auth.enums import Role
from portal.applications.models import Submission
from portal.auth.models import User
from portal.clock import COPENHAGEN
from portal.demo import DEMO_APPLICANTS
from portal.extensions import db
from portal.grants.models import Grant
from portal.grants.states import GrantStatus
from portal.reports.models import Report
from portal.reports.states import ReportStatus
from tests.conftest import log_in
from tests.support.html import page_text


@pytest.fixture
def staff_client(client, make_user):
    log_in(client, make_user(Role.SAGSBEHANDLER).email)
    return client


@pytest.mark.parametrize("query, count", [
    ("", 98), ("?region=Nordjylland", 11), ("?amk=Syd", 22), ("?amk=Øst&size=stor", 11),
    ("?region=Hovedstaden&amk=Syd", 0),
])
def test_kommune_list_filters_by_region_amk_and_size(staff_client, query, count):
    page = page_text(staff_client.get("/kommuner" + query))

    assert f"{count} kommuner med i alt" in page


def test_kommune_list_shows_size_classes_from_the_pools_thresholds(staff_client):
    page = page_text(staff_client.get("/kommuner?region=Nordjylland"))

    assert "825 Læsø Nordjylland Midt-Nord 1.793 Lille" in page
    assert "851 Aalborg Nordjylland Midt-Nord" in page
    assert page.index("Vesthimmerlands") < page.index("Aalborg")  # Aa sorts as Å, last


def test_audit_log_lists_and_filters_changes(staff_client, make_user):
    make_user(Role.KOMMUNE, kommune="Herning")

    everything = page_text(staff_client.get("/haendelseslog"))
    logins = page_text(staff_client.get("/haendelseslog?handling=user.logged_in"))

    assert "user.created" in everything
    assert "pool.seeded" in everything
    assert "1 hændelser." in logins
    assert "sagsbehandler.star@test.dk user.logged_in" in logins


def test_user_list_shows_status_and_kommune(staff_client, make_user):
    make_user(Role.KOMMUNE, kommune="Bornholm", name="Mikkel Kofoed")

    page = page_text(staff_client.get("/brugere"))

    assert "Mikkel Kofoed kommune.bornholm@test.dk Kommunebruger Bornholm Aktiv" in page


def test_demo_command_creates_the_demo_logins_and_can_run_twice(app):
    runner = CliRunner()

    first = runner.invoke(app.cli, ["demo"], catch_exceptions=False)
    second = runner.invoke(app.cli, ["demo"], catch_exceptions=False)

    emails = set(db.session.scalars(sa.select(User.email)))
    logins = {"admin@demo.star.dk", "sagsbehandler@demo.star.dk", "herning@demo.kommune.dk", "aarhus@demo.kommune.dk",
              "odense@demo.kommune.dk", "kobenhavn@demo.kommune.dk", "laeso@demo.kommune.dk",
              "bornholm@demo.kommune.dk"}
    assert (logins <= emails, len(emails - logins)) == (True, len(DEMO_APPLICANTS))  # the extra applicants' users
    assert "password for all: fastholdelse2017" in first.output
    assert "Kommuner: 0 created, 0 updated, 98 unchanged." in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 3 + len(DEMO_APPLICANTS)
    assert "Demo reviews" not in first.output  # before the deadline nobody scores


def test_demo_after_the_deadline_makes_the_applications_as_before_and_scores_them(app, clock):
    clock.set(datetime(2017, 8, 14, 9, 0, tzinfo=COPENHAGEN))

    result = CliRunner().invoke(app.cli, ["demo"], catch_exceptions=False)

    submitted = 3 + len(DEMO_APPLICANTS)
    assert f"Demo reviews: {2 * submitted} scored by the demo's caseworker and administrator." in result.output
    submitted_at = set(db.session.scalars(sa.select(Submission.submitted_at)))
    assert submitted_at == {datetime(2017, 7, 24, 9, 0, tzinfo=COPENHAGEN)}


def test_demo_login_works_for_laeso(app, client):
    CliRunner().invoke(app.cli, ["demo"], catch_exceptions=False)

    response = log_in(client, "laeso@demo.kommune.dk", "fastholdelse2017")

    assert response.status_code == 302
    assert "Læsø Kommune" in page_text(client.get("/overblik"))


def test_demo_in_the_project_has_accepted_grants_filed_reports_and_one_late_and_can_run_twice(app, clock):
    clock.set(datetime(2018, 5, 15, 9, 0, tzinfo=COPENHAGEN))

    first = CliRunner().invoke(app.cli, ["demo"], catch_exceptions=False)
    second = CliRunner().invoke(app.cli, ["demo"], catch_exceptions=False)

    grants = list(db.session.scalars(sa.select(Grant)))
    assert ({grant.status for grant in grants}, len(grants)) == ({GrantStatus.ACCEPTED}, 14)
    assert "Demo project: 27 reports filed" in first.output and "Demo project" not in second.output
    reports = list(db.session.scalars(sa.select(Report)))
    late = [(report.grant.kommune.name, report.title) for report in reports if report.is_late(date(2018, 5, 15))]
    assert late == [("Odense", "Aktivitetsrapport for 1. kvartal 2018")]
    assert all(report.submitted_at < datetime(2018, 5, 15, tzinfo=COPENHAGEN) for report in reports
               if report.status is ReportStatus.SUBMITTED)
