"""The selection through the pages: ranking, decisions with reasons, spread, map, suggestion, confirmation, letters."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.pulje.services import get_pool
from portal.review.models import ReviewSettings, SelectionConfirmation, SelectionDecision
from portal.review.scoring import SCORED_SECTIONS, SectionScore
from portal.review.services import record_scores
from portal.transaction import commit
from tests.support.applications import submitted_applications
from tests.support.documents import pdf_text
from tests.support.html import page_structure, page_text, table_rows
from tests.support.sessions import signed_in

AFTER_DEADLINE = datetime(2017, 8, 14, 10, 0, tzinfo=COPENHAGEN)
# kommune -> the score both caseworkers give every section (AMK, size class in comments).
SCORES = {
    "Aarhus": 5,      # Midt-Nord, stor
    "Herning": 5,     # Midt-Nord, stor
    "Vejle": 4,       # Syd, stor
    "Odense": 4,      # Syd, stor
    "København": 4,   # Øst, stor
    "Odsherred": 3,   # Øst, lille
    "Læsø": 2,        # Midt-Nord, lille
    "Ærø": 1,         # Syd, lille
}


@pytest.fixture
def scored(app, clock, sara):
    """Eight applications, scored by Sara after the deadline; the pool takes 3–5 kommuner."""
    applications = submitted_applications(*SCORES)
    clock.set(AFTER_DEADLINE)
    for name, points in SCORES.items():
        record_scores(applications[name], reviewer=sara, submit=True,
                      sections={key: SectionScore(points, "Vurderet efter skabelonen.") for key in SCORED_SECTIONS})
    pool = get_pool()
    pool.min_participants, pool.max_participants = 3, 5
    commit()
    return applications


def _decisions(applications, chosen: dict[str, tuple[str, str]]) -> dict:
    """Form data: every application undecided unless `chosen` names it: name -> (decision value, reason)."""
    data = {}
    for name, application in applications.items():
        decision, reason = chosen.get(name, ("", ""))
        data[f"decision_{application.id}"] = decision
        data[f"reason_{application.id}"] = reason
    return data


def _stored() -> dict[str, tuple[str, str]]:
    db.session.expire_all()
    return {decision.application.kommune.name: (decision.decision.value, decision.reason)
            for decision in db.session.scalars(sa.select(SelectionDecision))}


def test_ranking_lists_applications_by_score_with_their_figures(sara_client, scored):
    rows = table_rows(sara_client.get("/udvaelgelse"), "selection-table")

    assert [row[:7] for row in rows] == [
        ["1", "Herning", "Midt-Nord", "Midtjylland", "Stor", "505", "5,0 (1)"],  # Aa sorts as Å, last
        ["2", "Aarhus", "Midt-Nord", "Midtjylland", "Stor", "505", "5,0 (1)"],
        ["3", "København", "Øst", "Hovedstaden", "Stor", "505", "4,0 (1)"],
        ["4", "Odense", "Syd", "Syddanmark", "Stor", "505", "4,0 (1)"],
        ["5", "Vejle", "Syd", "Syddanmark", "Stor", "505", "4,0 (1)"],
        ["6", "Odsherred", "Øst", "Sjælland", "Lille", "505", "3,0 (1)"],
        ["7", "Læsø", "Midt-Nord", "Nordjylland", "Lille", "505", "2,0 (1)"],
        ["8", "Ærø", "Syd", "Syddanmark", "Lille", "505", "1,0 (1)"],
    ]


def test_rejection_without_reason_is_refused_at_the_field_and_nothing_is_saved(sara_client, scored):
    data = _decisions(scored, {"Aarhus": ("selected", ""), "Ærø": ("rejected", " ")})

    response = sara_client.post("/udvaelgelse", data=data)

    assert f'id="reason_{scored["Ærø"].id}-error"' in response.get_data(as_text=True)
    assert "Skriv begrundelsen for at fravælge Ærø." in page_text(response)
    assert _stored() == {}


def test_saved_decisions_update_the_spread_and_are_audited(sara_client, scored):
    data = _decisions(scored, {"Aarhus": ("selected", ""), "Herning": ("selected", "Stærk model."),
                               "Ærø": ("rejected", "Laveste point i AMK Syd.")})

    response = sara_client.post("/udvaelgelse", data=data)

    assert response.headers["Location"] == "/udvaelgelse"
    assert _stored() == {"Aarhus": ("selected", ""), "Herning": ("selected", "Stærk model."),
                         "Ærø": ("rejected", "Laveste point i AMK Syd.")}
    page = sara_client.get("/udvaelgelse")
    assert table_rows(page, "spread-amk") == [["AMK Øst", "0"], ["AMK Midt-Nord", "2"], ["AMK Syd", "0"]]
    assert table_rows(page, "spread-size") == [["Lille", "0"], ["Mellem", "0"], ["Stor", "2"]]
    warnings = page_text(page)
    assert "Der er valgt 2 kommuner. Puljen skal have mindst 3." in warnings
    assert "Ingen kommune fra AMK Øst er valgt." in warnings
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "selection.decided"))
    assert sorted(event.object_label for event in events) == ["Aarhus Kommune", "Herning Kommune", "Ærø Kommune"]


def test_map_places_every_applicant_and_marks_the_selected(sara_client, scored):
    sara_client.post("/udvaelgelse", data=_decisions(scored, {"Herning": ("selected", "")}))

    html = sara_client.get("/udvaelgelse").get_data(as_text=True)

    svg = html[html.index("<svg"):html.index("</svg>")]
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert len([title for title in titles if "sager i kategori 2 og 3" in title]) == len(SCORES)
    assert any(title.startswith("Herning: valgt") for title in titles)


def test_suggestion_keeps_the_rules_and_applying_it_makes_pending_decisions(sara_client, scored):
    shown = sara_client.get("/udvaelgelse?forslag=1")

    # Top five by score would be five large kommuner; the rules ask for a small one, so Odsherred replaces Vejle.
    assert "Forslaget vælger 5 kommuner med i alt 21,0 point: Herning, Aarhus, København, Odense, Odsherred." \
        in page_text(shown)
    explanations = dict(table_rows(shown, "suggestion-table"))
    assert explanations["Odsherred"].startswith("Valgt")
    assert explanations["Vejle"].startswith("Fravalgt")

    response = sara_client.post("/udvaelgelse/forslag")

    assert response.headers["Location"] == "/udvaelgelse"
    stored = _stored()
    assert sorted(name for name, (decision, _) in stored.items() if decision == "selected") == [
        "Aarhus", "Herning", "København", "Odense", "Odsherred"]
    assert stored["Vejle"] == ("rejected", "De 5 pladser er taget af ansøgninger med højere eller samme point og af "
                                           "1 kommune valgt for at opfylde kravet om mindst én lille kommune.")
    assert stored["Herning"] == ("selected", "Nr. 1 af 8 bedømte ansøgninger efter point.")


def test_suggestion_that_cannot_keep_the_rules_names_the_rule(sara_client, scored):
    db.session.add(ReviewSettings(pool_id=get_pool().id, score_weights={key: 1 for key in SCORED_SECTIONS},
                                  min_score_tenths=30, min_per_amk={"Syd": 1}, min_per_size={"lille": 2}))
    commit()

    shown = sara_client.get("/udvaelgelse?forslag=1")

    assert re.findall(r'<ul class="[^"]*suggestion-problems">\s*<li>([^<]*)</li>', shown.get_data(as_text=True)) == [
        "Kun 1 af 3 ansøgninger fra små kommuner kan vælges (bedømt og med mindst 3,0 point), så kravet om mindst "
        "2 små kommuner kan ikke opfyldes."]
    refused = sara_client.post("/udvaelgelse/forslag", follow_redirects=True)
    assert "så kravet om mindst 2 små kommuner kan ikke opfyldes." in page_text(refused)
    assert _stored() == {}


def test_confirm_refused_while_undecided_then_final_with_letters(sara_client, scored, mailbox):
    sara_client.post("/udvaelgelse/forslag")
    sara_client.post("/udvaelgelse", data=_decisions(scored, {**{name: ("selected", "") for name in (
        "Aarhus", "Herning", "København", "Odense", "Odsherred")}, "Vejle": ("rejected", "Vejle har lavere point."),
        "Læsø": ("", ""), "Ærø": ("rejected", "Ærø har de laveste point.")}))

    refused = sara_client.post("/udvaelgelse/bekraeft", data={"confirmed": "y"})

    assert "1 ansøgning mangler en afgørelse: Læsø." in page_text(refused)
    assert db.session.scalar(sa.select(SelectionConfirmation)) is None

    sara_client.post("/udvaelgelse", data=_decisions(scored, {**{name: ("selected", "") for name in (
        "Aarhus", "Herning", "København", "Odense", "Odsherred")}, "Vejle": ("rejected", "Vejle har lavere point."),
        "Læsø": ("rejected", "Læsø har lave point i Målgruppen."), "Ærø": ("rejected", "Ærø har de laveste point.")}))
    confirmed = sara_client.post("/udvaelgelse/bekraeft", data={"confirmed": "y"})

    assert confirmed.headers["Location"] == "/udvaelgelse"
    decisions = list(db.session.scalars(sa.select(SelectionDecision)))
    assert {(decision.decided_at, decision.decided_by.name) for decision in decisions} == {
        (AFTER_DEADLINE, "Sara Sagsbehandler")}
    rejected_mail = [message for message in mailbox.messages if message["Subject"].startswith("Afslag")]
    # Each kommune's user and its application's contact person (the same test address in all three).
    assert sorted(message["To"] for message in rejected_mail) == sorted(
        ["laesoe@actor.test", "vejle@actor.test", "aeroe@actor.test"] + ["kontakt@kommune.test"] * 3)
    vejle_letter = next(message for message in rejected_mail if message["To"] == "vejle@actor.test")
    (pdf,) = [part for part in vejle_letter.iter_attachments() if part.get_content_type() == "application/pdf"]
    text = pdf_text(pdf.get_content())
    assert ["Vejle Kommune" in text, "Vejle har lavere point." in text, "14. august 2017" in text] == [True] * 3
    selected_mail = [message for message in mailbox.messages if message["Subject"].startswith("I er udvalgt")]
    assert len(selected_mail) == 10  # the five kommuner's users and contact persons
    download = sara_client.get(f"/udvaelgelse/afslag/{scored['Vejle'].id}.pdf")
    assert download.data == pdf.get_content()
    late = sara_client.post("/udvaelgelse", data=_decisions(scored, {"Vejle": ("selected", "")}))
    assert "Udvælgelsen er bekræftet og kan ikke ændres." in page_text(late)


def test_selection_export_has_rank_decision_and_reason(sara_client, scored):
    sara_client.post("/udvaelgelse", data=_decisions(scored, {"Ærø": ("rejected", "Laveste point.")}))

    response = sara_client.get("/udvaelgelse/eksport.csv")

    header, *rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    aeroe = dict(zip(header, rows[-1]))
    assert {key: aeroe[key] for key in ("Placering", "Kommune", "Samlet point (vægtet)", "Afgørelse", "Begrundelse")} \
        == {"Placering": "8", "Kommune": "Ærø", "Samlet point (vægtet)": "1,0", "Afgørelse": "Fravalgt",
            "Begrundelse": "Laveste point."}


@pytest.mark.parametrize("path", ["/udvaelgelse?forslag=1", "/udvaelgelse/bekraeft"])
def test_selection_pages_have_language_skip_link_landmarks_one_h1_and_labelled_controls(sara_client, scored, path):
    structure = page_structure(sara_client.get(path))

    assert structure.problems() == []


def test_kommune_sees_its_outcome_only_once_the_selection_is_confirmed(app, sara_client, scored):
    vejle_user = db.session.scalar(sa.select(User).where(User.email == "vejle@actor.test"))
    herning_user = db.session.scalar(sa.select(User).where(User.email == "herning@actor.test"))
    vejle_client, herning_client = signed_in(app.test_client(), vejle_user), signed_in(app.test_client(), herning_user)
    chosen = {name: ("selected", "") for name in ("Aarhus", "Herning", "København", "Odense", "Odsherred")}
    chosen |= {name: ("rejected", f"{name} har færre point.") for name in ("Vejle", "Læsø", "Ærø")}
    sara_client.post("/udvaelgelse", data=_decisions(scored, chosen))

    pending = page_text(vejle_client.get("/overblik"))

    assert "ikke udvalgt" not in pending and "færre point" not in pending
    assert vejle_client.get(f"/ansoegning/{scored['Vejle'].id}/afslag.pdf").status_code == 404

    sara_client.post("/udvaelgelse/bekraeft", data={"confirmed": "y"})

    assert "Ansøgningen er ikke udvalgt Begrundelse: Vejle har færre point." in page_text(vejle_client.get("/overblik"))
    letter = vejle_client.get(f"/ansoegning/{scored['Vejle'].id}/afslag.pdf")
    assert "Vejle har færre point." in pdf_text(letter.data)
    assert "Kommunen er udvalgt" in page_text(herning_client.get("/overblik"))
    assert herning_client.get(f"/ansoegning/{scored['Vejle'].id}/afslag.pdf").status_code == 404
