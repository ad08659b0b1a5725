"""The allocation through the pages: the calculation per kommune, a what-if, overrides with reasons, confirming."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from portal.allocation.models import Allocation, GrantOverride
from portal.applications.rules import BudgetLineAnswer
from portal.audit.models import AuditEvent
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.pulje.services import get_pool
from portal.review.enums import Decision
from portal.review.selection import confirm_selection, decide, list_candidates
from portal.transaction import commit
from tests.support.applications import kommune_actor, submitted_application
from tests.support.html import page_structure, page_text, table_rows
from tests.support.queries import queries_for

AFTER_DEADLINE = datetime(2017, 8, 21, 10, 0, tzinfo=COPENHAGEN)
# kommune -> (category 2, category 3, budget 2017, budget 2018): the pool's 9 million among five.
FIGURES = {
    "København": (3_000, 1_000, 300_000, 500_000),
    "Aarhus": (2_000, 500, 200_000, 600_000),
    "Herning": (410, 95, 200_000, 600_000),
    "Odense": (1_200, 300, 100_000, 500_000),
    "Ærø": (40, 10, 50_000, 50_000),
}


@pytest.fixture
def selected(app, clock, sara):
    """Five kommuner selected (a confirmed selection) with the figures above; Læsø rejected."""
    applications = {}
    for name, (category_2, category_3, budget_2017, budget_2018) in FIGURES.items():
        applications[name] = submitted_application(
            name, actor=kommune_actor(name), answers={"category_2_count": category_2, "category_3_count": category_3, "new_per_month": 500},
            budget=[BudgetLineAnswer("fastholdelseskonsulenter", 2017, "Rådgivere 2017", budget_2017),
                    BudgetLineAnswer("fastholdelseskonsulenter", 2018, "Rådgivere 2018", budget_2018)])
    applications["Læsø"] = submitted_application("Læsø", actor=kommune_actor("Læsø"))
    clock.set(AFTER_DEADLINE)
    pool = get_pool()
    pool.min_participants, pool.max_participants = 3, 5
    rows = list_candidates(pool, viewer=sara)
    decide(rows, actor=sara, decisions={
        row.application.id: (Decision.REJECTED, "Lavere prioritet.") if row.kommune.name == "Læsø"
        else (Decision.SELECTED, "") for row in rows})
    confirm_selection(pool, list_candidates(pool, viewer=sara), actor=sara)
    commit()
    return applications


def _grants(client, url="/fordeling") -> dict[str, list[str]]:
    """Kommune -> [volume, share, budget, cap, grant, 2017, 2018]."""
    return {row[0]: row[1:8] for row in table_rows(client.get(url), "allocation-table")}


def test_allocation_before_the_selection_is_confirmed_says_so(sara_client):
    assert "Udvælgelsen skal bekræftes, før puljen kan fordeles." in page_text(sara_client.get("/fordeling"))


def test_allocation_shares_by_volume_caps_and_adds_up_to_the_krone(sara_client, selected):
    grants = _grants(sara_client)

    # Every kommune's share of 9 million is above its cap (800.000 kr. or its own smaller budget),
    # so each gets its cap and 5.900.000 kr. stay unallocated.
    assert grants == {
        "København": ["4.000", "46,76 %", "800.000 kr.", "800.000 kr.", "800.000 kr.", "300.000 kr.", "500.000 kr."],
        "Herning": ["505", "5,90 %", "800.000 kr.", "800.000 kr.", "800.000 kr.", "200.000 kr.", "600.000 kr."],
        "Odense": ["1.500", "17,53 %", "600.000 kr.", "600.000 kr.", "600.000 kr.", "100.000 kr.", "500.000 kr."],
        "Ærø": ["50", "0,58 %", "100.000 kr.", "100.000 kr.", "100.000 kr.", "50.000 kr.", "50.000 kr."],
        "Aarhus": ["2.500", "29,22 %", "800.000 kr.", "800.000 kr.", "800.000 kr.", "200.000 kr.", "600.000 kr."],
    }
    text = page_text(sara_client.get("/fordeling"))
    assert "I alt 8.555 100,00 % 3.100.000 kr. 850.000 kr. 2.250.000 kr." in text
    assert "Ikke fordelt 5.900.000 kr. Alle kommuner har nået deres loft." in text


def test_what_if_with_a_smaller_pool_is_shown_but_not_saved(sara_client, selected):
    response = sara_client.get("/fordeling", query_string={"beregn": "1", "pool_kr": "1.000.000", "max_grant_kr": ""})

    text = page_text(response)
    assert "Beregning – ikke gemt." in text
    grants = {row[0]: row[5] for row in table_rows(response, "allocation-table")}
    # 1.000.000 kr. × volume / 8.555, nobody capped: 467.562,83 · 59.030,39 · 175.336,06 · 5.844,53 · 292.226,77;
    # the two kroner the floors leave go to the largest remainders (København, Aarhus).
    assert grants == {"København": "467.563 kr.", "Herning": "59.030 kr.", "Odense": "175.336 kr.",
                      "Ærø": "5.844 kr.", "Aarhus": "292.227 kr."}
    assert "I alt 8.555 100,00 % 1.000.000 kr." in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Allocation)) == 0


def test_what_if_with_other_volumes_moves_money(sara_client, selected):
    herning = selected["Herning"].id

    response = sara_client.get("/fordeling", query_string={"beregn": "1", "pool_kr": "1000000",
                                                           f"volume_{herning}": "4000"})

    grants = {row[0]: row[5] for row in table_rows(response, "allocation-table")}
    assert grants["Herning"] == grants["København"] == "331.950 kr."  # 1.000.000 × 4.000 / 12.050


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"pool_kr": "9,5 mio"}, "pool_kr", "Skriv et helt tal uden decimaler, fx 800000 eller 800.000."),
    ({"pool_kr": "0"}, "pool_kr", "Tallet skal være mindst 1 kr."),
    ({"max_grant_kr": "-5"}, "max_grant_kr", "Tallet skal være mindst 1 kr."),
])
def test_what_if_bad_input_is_shown_at_the_field(sara_client, selected, query, field, message):
    response = sara_client.get("/fordeling", query_string={"beregn": "1", **query})

    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in page_text(response)
    assert "Beregning – ikke gemt." not in page_text(response)


def test_what_if_with_no_volume_at_all_gets_the_engines_message(sara_client, selected):
    query = {"beregn": "1", "pool_kr": "1000000", **{f"volume_{application.id}": "0"
                                                      for name, application in selected.items() if name != "Læsø"}}

    response = sara_client.get("/fordeling", query_string=query)

    assert "Ingen af kommunerne har sager i kategori 2 og 3" in page_text(response)


def test_override_fixes_one_grant_and_the_others_share_the_rest(sara_client, selected):
    pool = get_pool()
    pool.total_kr = 2_000_000  # a pool small enough that nobody is capped
    commit()
    herning = selected["Herning"].id

    response = sara_client.post(f"/fordeling/{herning}/ret", data={"amount_kr": "100.000",
                                                                    "reason": "Budgettet rummer udgifter til IT."})

    assert response.headers["Location"] == "/fordeling"
    grants = {name: values[4] for name, values in _grants(sara_client).items()}
    assert grants["Herning"] == "100.000 kr."
    assert sum(int(amount.removesuffix(" kr.").replace(".", "")) for amount in grants.values()) == 2_000_000
    assert "Fast beløb: Budgettet rummer udgifter til IT. (Sara Sagsbehandler)" in page_text(sara_client.get("/fordeling"))
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "allocation.overridden"))
    assert event.after == {"amount_kr": 100_000, "reason": "Budgettet rummer udgifter til IT."}

    sara_client.post(f"/fordeling/{herning}/fjern-aendring")

    assert db.session.scalar(sa.select(sa.func.count()).select_from(GrantOverride)) == 0


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"amount_kr": "100000", "reason": ""}, "reason", "Skriv begrundelsen for at ændre tilskuddet."),
    ({"amount_kr": "900.000", "reason": "Mere."}, "amount_kr",
     "Tilskuddet skal ligge mellem 0 kr. og 800.000 kr. (puljens største tilskud)."),
    ({"amount_kr": "12,5", "reason": "Mere."}, "amount_kr", "Skriv et helt tal uden decimaler, fx 800000 eller 800.000."),
])
def test_override_bad_input_is_shown_at_the_field_and_nothing_is_stored(sara_client, selected, data, field, message):
    response = sara_client.post(f"/fordeling/{selected['Herning'].id}/ret", data=data)

    assert f'id="{field}-error"' in response.get_data(as_text=True) and message in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GrantOverride)) == 0


def test_override_above_the_kommunes_own_budget_is_refused(sara_client, selected):
    response = sara_client.post(f"/fordeling/{selected['Ærø'].id}/ret", data={"amount_kr": "150000", "reason": "X."})

    assert "Tilskuddet skal ligge mellem 0 kr. og 100.000 kr. (kommunens budget)." in page_text(response)


def test_override_of_a_rejected_kommune_is_not_found(sara_client, selected):
    assert sara_client.get(f"/fordeling/{selected['Læsø'].id}/ret").status_code == 404


def test_confirm_saves_inputs_results_who_and_when_and_a_new_one_supersedes(sara_client, selected, sara):
    sara_client.post("/fordeling/bekraeft")
    sara_client.post(f"/fordeling/{selected['Herning'].id}/ret", data={"amount_kr": "700000", "reason": "Mindre."})

    sara_client.post("/fordeling/bekraeft")

    first, second = db.session.scalars(sa.select(Allocation).order_by(Allocation.id))
    assert (first.superseded_at, second.superseded_at) == (AFTER_DEADLINE, None)
    assert (second.confirmed_by_id, second.pool_kr, second.allocated_kr) == (sara.id, 9_000_000, 3_000_000)
    herning = next(grant for grant in second.grants if grant.kommune.name == "Herning")
    assert (herning.volume, herning.requested_kr, herning.cap_kr, herning.computed_kr, herning.amount_kr,
            herning.override_reason, herning.years) == (505, 800_000, 800_000, 700_000, 700_000, "Mindre.",
                                                        {"2017": 175_000, "2018": 525_000})
    assert "Fordelingen blev bekræftet" in page_text(sara_client.get("/fordeling"))


def test_allocation_export_has_the_grants_and_years(sara_client, selected):
    response = sara_client.get("/fordeling/eksport.csv")

    header, *rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    herning = dict(zip(header, next(row for row in rows if row[1] == "Herning")))
    assert herning == {"Kommunekode": "657", "Kommune": "Herning", "Kategori 2 + 3": "505", "Andel": "5,90 %",
                       "Budget": "800000", "Loft": "800000", "Beregnet": "800000", "Tilskud": "800000",
                       "Tilskud 2017": "200000", "Tilskud 2018": "600000", "Ændret med begrundelse": ""}


def test_allocation_page_query_count_is_fixed(sara_client, selected):
    assert queries_for(sara_client, "/fordeling") == 14  # fixed: no query per kommune


@pytest.mark.parametrize("path", ["/fordeling?beregn=1&pool_kr=1000000", "/fordeling/{herning}/ret"])
def test_allocation_pages_have_language_skip_link_landmarks_one_h1_and_labelled_controls(sara_client, selected, path):
    structure = page_structure(sara_client.get(path.format(herning=selected["Herning"].id)))

    assert structure.problems() == []


def test_allocation_xlsx_keeps_amounts_as_numbers(sara_client, selected):
    response = sara_client.get("/fordeling/eksport.xlsx")

    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    herning = next(dict(zip(header, [cell.value for cell in row])) for row in sheet.iter_rows(min_row=2)
                   if row[1].value == "Herning")
    assert (herning["Tilskud"], herning["Tilskud 2017"], herning["Tilskud 2018"]) == (800_000, 200_000, 600_000)
    assert sheet.cell(row=2, column=header.index("Tilskud") + 1).number_format == '#,##0 "kr."'
