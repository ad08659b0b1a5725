"""The success criteria from submitted reports: the agency's dashboard, the kommune's own page, the exports."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from xml.etree import ElementTree

import pytest

from portal.clock import COPENHAGEN
from tests.support.documents import pdf_text
from tests.support.html import page_structure, page_text, table_rows
from tests.support.queries import queries_for
from tests.support.reports import HERNING_Q4, accepted, file_report, report_of, user_of
from tests.support.sessions import signed_in

Q4, Q1 = "Aktivitetsrapport for 4. kvartal 2017", "Aktivitetsrapport for 1. kvartal 2018"
AFTER_Q1 = datetime(2018, 5, 2, 9, 0, tzinfo=COPENHAGEN)  # Læsø's first-quarter report is late
# Herning: baseline 31,5 % (315 ‰ in its application). Q4: 180 of 300 at the workplace, 140 of 369 with an early
# measure; Q1: 250 of 320, 180 of 350. Læsø: 9 of 10 at the workplace in Q4, nothing in Q1.
HERNING_Q1 = {**HERNING_Q4, "new_recipients": 350, "conversations_held": 320, "planned_at_workplace": 280,
              "held_at_workplace": 250, "with_employer": 200, "measure_before_week_13": 180}
LAESOE_Q4 = {"new_recipients": 12, "conversations_held": 10, "planned_at_workplace": 10, "held_at_workplace": 9,
             "with_employer": 8, "held_before_week_8": 7, "measure_before_week_13": 6, "cases_ended": 0,
             "in_work_or_education": 0, "phone_follow_ups": 1}


@pytest.fixture
def reported(app, clock, sara):
    grants = accepted(clock, sara, "Herning", "Læsø")
    clock.set(AFTER_Q1)
    file_report(report_of(grants["Herning"], Q4), actor=user_of("Herning"))
    file_report(report_of(grants["Herning"], Q1), actor=user_of("Herning"), figures=HERNING_Q1)
    file_report(report_of(grants["Læsø"], Q4), actor=user_of("Læsø"), figures=LAESOE_Q4)
    return grants


def test_the_dashboard_shows_the_pool_each_kommune_and_who_is_off_track(sara_client, reported):
    response = sara_client.get("/succeskriterier")

    summary = dict((row[0], row[1]) for row in table_rows(response, "success-summary-table"))
    # (180 + 250 + 9) / (300 + 320 + 10) = 439 / 630
    assert summary["Første samtaler holdt på arbejdspladsen"] == "69,7 %"
    assert table_rows(response, "measures-table") == [
        ["Herning", "69,4 %", "56,5 %", "44,5 %", "+13,0 procentpoint", "60,0 %", "42,5 %", "0"],
        ["Læsø", "90,0 %", "80,0 %", "50,0 %", "+18,5 procentpoint", "Ingen data", "21,3 %", "1"],
    ]
    text = page_text(response)
    assert ("Herning : 69,4 % af de første samtaler på arbejdspladsen (mål 70 %)" in text
            and "Læsø : 1 rapport over fristen" in text)
    assert page_structure(response).problems() == []


def test_the_charts_are_svg_with_titles_and_the_chosen_kommune_against_the_others(sara_client, reported):
    response = sara_client.get("/succeskriterier?kommune=657")

    html = response.get_data(as_text=True)
    charts = [ElementTree.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S)]
    assert len(charts) == 6
    assert all(chart.get("role") == "img" and chart.get("aria-labelledby") for chart in charts)
    rows = table_rows(response, "quarters-table")
    assert [row[:4] for row in rows] == [
        ["Herning", "4. kvt. 2017", "60,0 %", "60,0 %"], ["Herning", "1. kvt. 2018", "78,1 %", "69,4 %"],
        ["De øvrige kommuner", "4. kvt. 2017", "90,0 %", "90,0 %"]]


def test_a_kommune_sees_its_own_figures_against_the_others_without_their_names(app, reported):
    herning = signed_in(app.test_client(), user_of("Herning"))

    response = herning.get("/mine-resultater")

    summary = dict((row[0], row[1]) for row in table_rows(response, "success-summary-table"))
    assert (summary["Første samtaler holdt på arbejdspladsen"], summary["– ændring mod udgangspunktet"]) == (
        "69,4 %", "+13,0 procentpoint")
    assert "Læsø" not in page_text(response)
    assert page_structure(response).problems() == []


def test_a_returned_report_stops_counting_until_it_is_submitted_again(sara_client, reported):
    report = report_of(reported["Læsø"], Q4)
    sara_client.post(f"/rapportering/{report.id}/send-tilbage", data={"comment": "Tjek tallene.",
                                                                         "due_on": "15-05-2018"})

    rows = table_rows(sara_client.get("/succeskriterier"), "measures-table")

    assert rows[1] == ["Læsø", "Ingen data", "Ingen data", "Ingen data", "Ingen data", "Ingen data", "0,0 %", "1"]


def test_the_measures_export_has_the_same_numbers_as_the_dashboard(sara_client, reported):
    response = sara_client.get("/succeskriterier/maal.csv")

    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    herning = [row for row in rows if row["Kommune"] == "Herning" and row["Opgørelse"] == "Akkumuleret"]
    assert [(row["Kvartal"], row["Første samtaler"], row["Heraf på arbejdspladsen"],
             row["Andel på arbejdspladsen (mål 70 %)"]) for row in herning] == [
        ("4. kvt. 2017", "300", "180", "60,0 %"), ("1. kvt. 2018", "620", "430", "69,4 %")]
    assert [row["Kommune"] for row in rows if row["Kommunekode"] == ""][:1] == ["Hele puljen"]
    assert sara_client.get("/succeskriterier/maal.xlsx").data[:2] == b"PK"


def test_the_midterm_status_pdf_covers_the_pool_and_every_kommune(sara_client, reported):
    response = sara_client.get("/succeskriterier/midtvejsstatus.pdf")

    text = pdf_text(response.data)
    assert "Midtvejsstatus for puljen" in text and "69,7 %" in text and "Herning" in text and "Læsø" in text
    assert "Midtvejsstatus er ikke indsendt." in text


def test_the_report_and_dashboard_pages_cost_the_same_queries_for_one_or_two_kommuner(app, clock, sara, sara_client):
    grants = accepted(clock, sara, "Herning", "Læsø", "Aarhus")
    clock.set(AFTER_Q1)
    file_report(report_of(grants["Herning"], Q4), actor=user_of("Herning"))
    one = [queries_for(sara_client, url) for url in ("/rapportering", "/succeskriterier?kommune=657")]
    file_report(report_of(grants["Læsø"], Q4), actor=user_of("Læsø"), figures=LAESOE_Q4)
    file_report(report_of(grants["Aarhus"], Q4), actor=user_of("Aarhus"))

    assert [queries_for(sara_client, url) for url in ("/rapportering", "/succeskriterier?kommune=657")] == one


def test_the_staff_dashboard_counts_the_reports_waiting_late_and_approved(sara_client, reported):
    report = report_of(reported["Herning"], Q4)
    sara_client.post(f"/rapportering/{report.id}/godkend")

    text = page_text(sara_client.get("/overblik"))

    # 14 reports planned; Herning's two and Læsø's first filed, one approved; Læsø's first quarter is late.
    assert "2 indsendt og venter på styrelsen 1 over fristen 1 godkendt af 14" in text
