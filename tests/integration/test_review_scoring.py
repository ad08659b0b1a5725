"""Scoring through the pages: drafts, submission, means, weights, save-and-next, conflicts of interest, export."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
import sqlalchemy as sa

from portal.audit.models import AuditEvent
from portal.auth.enums import Role
from portal.clock import COPENHAGEN
from portal.extensions import db
from portal.review.models import Review
from tests.support.applications import submitted_applications
from tests.support.html import page_structure, page_text, table_rows
from tests.support.queries import queries_for
from tests.support.sessions import signed_in, staff_user

AFTER_DEADLINE = datetime(2017, 8, 7, 10, 0, tzinfo=COPENHAGEN)
SECTIONS = ["maalgruppen", "organisering", "kompetencer", "ledelse", "oekonomi"]


@pytest.fixture
def applications(app, clock):
    """Herning, Aarhus and Læsø have submitted; the deadline has passed."""
    made = submitted_applications("Herning", "Aarhus", "Læsø")
    clock.set(AFTER_DEADLINE)
    return made


@pytest.fixture
def tom(app):
    return staff_user(Role.SAGSBEHANDLER, "tom@star.test", "Tom Tilsynsførende")


@pytest.fixture
def tom_client(app, tom):
    return signed_in(app.test_client(), tom)


def _form(points: list[int | None], comments: list[str] | None = None, action: str = "indsend") -> dict:
    comments = comments or [f"Begrundelse {index + 1}." for index in range(len(SECTIONS))]
    data = {"handling": action}
    for key, score, comment in zip(SECTIONS, points, comments):
        if score is not None:
            data[f"{key}_score"] = str(score)
        data[f"{key}_comment"] = comment
    return data


def _review_of(application, user) -> Review | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Review).where(Review.application_id == application.id,
                                                     Review.reviewer_id == user.id))


def _board(client) -> dict[str, list[str]]:
    """The score board: kommune -> [reviews, five section means, overall, own status]."""
    return {row[0]: row[4:] for row in table_rows(client.get("/bedoemmelse"), "score-board")}


def test_scoring_before_deadline_is_refused(app, sara_client):
    application = submitted_applications("Herning")["Herning"]

    response = sara_client.post(f"/bedoemmelse/{application.id}", data=_form([4, 4, 4, 4, 4]))

    assert "Ansøgningerne kan bedømmes, når ansøgningsfristen er udløbet." in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 0


def test_draft_with_missing_scores_is_saved_and_not_counted(sara, sara_client, applications):
    herning = applications["Herning"]

    response = sara_client.post(f"/bedoemmelse/{herning.id}", data=_form([4, None, 3, None, None], action="kladde"))

    assert response.headers["Location"] == f"/bedoemmelse/{herning.id}"
    review = _review_of(herning, sara)
    assert (review.status.value, review.points) == (
        "draft", {"maalgruppen": 4, "organisering": None, "kompetencer": 3, "ledelse": None, "oekonomi": None})
    assert _board(sara_client)["Herning"] == ["0", "–", "–", "–", "–", "–", "–", "Kladde"]


def test_submit_incomplete_shows_each_missing_part_at_its_field_and_stores_nothing_as_submitted(
        sara, sara_client, applications):
    herning = applications["Herning"]
    data = _form([4, 5, None, 3, 2], comments=["God.", "Klar.", "", "Tydelig.", ""])

    response = sara_client.post(f"/bedoemmelse/{herning.id}", data=data)

    text = page_text(response)
    assert "Giv Medarbejderkompetencer point fra 1 til 5." in text
    assert "Skriv en kommentar til pointene for Økonomi." in text
    assert 'id="kompetencer_score-error"' in response.get_data(as_text=True)
    assert 'id="oekonomi_comment-error"' in response.get_data(as_text=True)
    assert "Tydelig." in text  # what was typed waits in the form
    assert _review_of(herning, sara) is None


def test_two_submitted_reviews_give_exact_means_per_section_and_overall(sara_client, tom_client, applications):
    herning = applications["Herning"]

    sara_client.post(f"/bedoemmelse/{herning.id}", data=_form([4, 4, 3, 5, 2]))
    tom_client.post(f"/bedoemmelse/{herning.id}", data=_form([5, 3, 3, 4, 4]))

    assert _board(sara_client)["Herning"] == ["2", "4,5", "3,5", "3,0", "4,5", "3,0", "3,7", "Indsendt"]
    assert _board(sara_client)["Aarhus"] == ["0", "–", "–", "–", "–", "–", "–", "Ikke bedømt"]
    rows = table_rows(sara_client.get(f"/bedoemmelse/{herning.id}"), "scores-table")
    assert rows[0] == ["Målgruppen", "1", "4", "5", "4,5"]  # Sara, Tom (by name), mean


def test_admin_weights_change_the_overall_score(app, sara_client, applications):
    herning = applications["Herning"]
    sara_client.post(f"/bedoemmelse/{herning.id}", data=_form([4, 4, 3, 5, 2]))
    admin_client = signed_in(app.test_client(), staff_user(Role.ADMIN, "admin@star.test", "Anna Admin"))
    settings = {"weight_maalgruppen": "2", "weight_organisering": "1", "weight_kompetencer": "1",
                "weight_ledelse": "1", "weight_oekonomi": "0", "min_score": "3,5",
                "amk_OST": "1", "amk_MIDT_NORD": "1", "amk_SYD": "1", "size_LILLE": "1", "size_MELLEM": "0",
                "size_STOR": "2"}

    response = admin_client.post("/bedoemmelse/indstillinger", data=settings)

    assert response.headers["Location"] == "/bedoemmelse"
    assert _board(sara_client)["Herning"][6] == "4,0"  # (2·4 + 4 + 3 + 5) / 5
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "review.settings_changed"))
    assert event.after["min_score_tenths"] == 35 and event.after["min_per_size"] == {"lille": 1, "stor": 2}


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"weight_ledelse": "11"}, "weight_ledelse", "Tallet må højst være 10."),
    ({"weight_ledelse": "1,5"}, "weight_ledelse", "Skriv et helt tal uden decimaler, fx 800000 eller 800.000."),
    ({"min_score": "6"}, "min_score", "Skriv et tal fra 1,0 til 5,0."),
    ({"min_score": "tre"}, "min_score", "Skriv point med højst én decimal, fx 3 eller 3,5."),
    ({key: "0" for key in ("weight_maalgruppen", "weight_organisering", "weight_kompetencer", "weight_ledelse",
                          "weight_oekonomi")}, "weight_maalgruppen", "Mindst ét afsnit skal have en vægt over 0."),
    ({"amk_SYD": "0"}, "amk_SYD", "Tallet skal være mindst 1."),
])
def test_settings_bad_input_is_shown_at_the_field_and_nothing_changes(app, changes, field, message):
    admin_client = signed_in(app.test_client(), staff_user(Role.ADMIN, "admin@star.test", "Anna Admin"))
    settings = {**{f"weight_{key}": "1" for key in SECTIONS}, "min_score": "",
                "amk_OST": "1", "amk_MIDT_NORD": "1", "amk_SYD": "1", "size_LILLE": "1", "size_MELLEM": "0",
                "size_STOR": "1", **changes}

    response = admin_client.post("/bedoemmelse/indstillinger", data=settings)

    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "review.settings_changed")) == 0


def test_submit_and_next_goes_to_the_application_with_fewest_reviews(sara_client, tom_client, applications):
    herning, aarhus, laeso = applications["Herning"], applications["Aarhus"], applications["Læsø"]
    tom_client.post(f"/bedoemmelse/{aarhus.id}", data=_form([3, 3, 3, 3, 3]))

    first = sara_client.post(f"/bedoemmelse/{herning.id}", data=_form([4, 4, 4, 4, 4], action="indsend_naeste"))
    second = sara_client.post(f"/bedoemmelse/{laeso.id}", data=_form([2, 2, 2, 2, 2], action="indsend_naeste"))
    last = sara_client.post(f"/bedoemmelse/{aarhus.id}", data=_form([5, 5, 5, 5, 5], action="indsend_naeste"))

    assert first.headers["Location"] == f"/bedoemmelse/{laeso.id}"  # Læsø has 0 reviews, Aarhus 1
    assert second.headers["Location"] == f"/bedoemmelse/{aarhus.id}"
    assert last.headers["Location"] == "/bedoemmelse"
    assert "Der er ikke flere ansøgninger, du mangler at bedømme." in page_text(sara_client.get("/bedoemmelse"))


def test_submitted_review_can_be_changed_but_not_emptied(sara, sara_client, applications):
    herning = applications["Herning"]
    sara_client.post(f"/bedoemmelse/{herning.id}", data=_form([4, 4, 4, 4, 4]))

    sara_client.post(f"/bedoemmelse/{herning.id}", data=_form([4, 4, 4, 4, 5], action="indsend"))
    emptied = sara_client.post(f"/bedoemmelse/{herning.id}", data=_form([4, 4, 4, 4, None], action="kladde"))

    assert "Giv Økonomi point fra 1 til 5." in page_text(emptied)
    review = _review_of(herning, sara)
    assert (review.status.value, review.points["oekonomi"]) == ("submitted", 5)


def test_conflict_of_interest_removes_the_draft_and_keeps_the_caseworker_out(sara, sara_client, tom_client,
                                                                             applications):
    herning, aarhus = applications["Herning"], applications["Aarhus"]
    sara_client.post(f"/bedoemmelse/{herning.id}", data=_form([4, 4, 4, 4, 4], action="kladde"))

    response = sara_client.post(f"/bedoemmelse/{herning.id}/inhabil",
                                data={"reason": "Min søster er jobcenterchef i Herning."})

    assert response.headers["Location"] == "/bedoemmelse"
    assert _review_of(herning, sara) is None
    assert _board(sara_client)["Herning"][-1] == "Inhabil"
    refused = sara_client.post(f"/bedoemmelse/{herning.id}", data=_form([5, 5, 5, 5, 5]))
    assert "Du har erklæret dig inhabil i denne ansøgning og kan ikke bedømme den." in page_text(refused)
    assert _review_of(herning, sara) is None
    next_after_aarhus = sara_client.post(f"/bedoemmelse/{aarhus.id}", data=_form([3] * 5, action="indsend_naeste"))
    assert next_after_aarhus.headers["Location"] == f"/bedoemmelse/{applications['Læsø'].id}"
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "review.conflict_declared"))
    assert (event.before["maalgruppen_score"], event.after) == (4, {"reason": "Min søster er jobcenterchef i Herning."})


def test_conflict_without_reason_is_asked_for(sara_client, applications):
    herning = applications["Herning"]

    response = sara_client.post(f"/bedoemmelse/{herning.id}/inhabil", data={"reason": "  "})

    assert 'id="reason-error"' in response.get_data(as_text=True)
    assert "Skriv kort, hvorfor du er inhabil." in page_text(response)


def test_score_export_has_the_means_and_who_reviewed(sara_client, tom_client, applications):
    herning = applications["Herning"]
    sara_client.post(f"/bedoemmelse/{herning.id}", data=_form([4, 4, 3, 5, 2]))
    tom_client.post(f"/bedoemmelse/{herning.id}", data=_form([5, 3, 3, 4, 4]))

    response = sara_client.get("/bedoemmelse/eksport.csv")

    header, *rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    herning_row = dict(zip(header, next(row for row in rows if row[1] == "Herning")))
    assert herning_row == {
        "Kommunekode": "657", "Kommune": "Herning", "Region": "Region Midtjylland", "AMK": "AMK Midt-Nord",
        "Størrelse": "Stor", "Kategori 2 + 3": "505", "Indsendte bedømmelser": "2",
        "Point: Målgruppen": "4,5", "Point: Organisering af indsatsen": "3,5", "Point: Medarbejderkompetencer": "3,0",
        "Point: Ledelse": "4,5", "Point: Økonomi": "3,0", "Samlet point (vægtet)": "3,7",
        "Bedømt af": "Sara Sagsbehandler, Tom Tilsynsførende"}


def test_score_board_query_count_does_not_grow_with_reviews(sara_client, tom_client, applications):
    tom_client.post(f"/bedoemmelse/{applications['Herning'].id}", data=_form([3, 3, 3, 3, 3]))
    sara_client.get("/bedoemmelse")
    with_one = queries_for(sara_client, "/bedoemmelse")
    for application in applications.values():
        tom_client.post(f"/bedoemmelse/{application.id}", data=_form([3, 3, 3, 3, 3]))
        sara_client.post(f"/bedoemmelse/{application.id}", data=_form([4, 4, 4, 4, 4]))

    with_six = queries_for(sara_client, "/bedoemmelse")

    assert [row[0] for row in _board(sara_client).values()] == ["2", "2", "2"]
    assert with_six == with_one


def test_score_page_has_language_skip_link_landmarks_one_h1_and_labelled_controls(sara_client, applications):
    structure = page_structure(sara_client.get(f"/bedoemmelse/{applications['Herning'].id}"))

    assert structure.problems() == []
    assert len(structure.controls) == 5 * 5 + 5 + 1  # five radios and a comment per section, the conflict reason
