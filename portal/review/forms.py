"""The caseworkers' forms: scores and comments, a conflict of interest, the review settings, the selection."""
from __future__ import annotations

from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Optional

from portal.fields import TenthsField, WholeNumberField, choices, max_length, required
from portal.forms import PortalForm
from portal.kommuner.enums import AMK, SizeClass
from portal.review.enums import Decision
from portal.review.scoring import (COMMENT_LIMIT, MAX_WEIGHT, SCALE, SCALE_LABELS, SCORED_SECTIONS, SECTION_TITLES,
                                   SectionScore)


class ReviewForm(PortalForm):
    """A score 1–5 and a comment per scored section (fields '<section>_score' and '<section>_comment')."""


for _key in SCORED_SECTIONS:
    setattr(ReviewForm, f"{_key}_score", RadioField(
        f"Point for {SECTION_TITLES[_key]}",
        choices=choices((score, f"{score} – {SCALE_LABELS[score]}") for score in SCALE),
        coerce=int, validators=[Optional()]))
    setattr(ReviewForm, f"{_key}_comment", TextAreaField(
        f"Kommentar til {SECTION_TITLES[_key]}", validators=[max_length(COMMENT_LIMIT)]))


def review_form_data(review) -> dict:
    """A saved review as the form's initial data."""
    if review is None:
        return {}
    data = {}
    for score in review.scores:
        data[f"{score.section_key}_score"] = score.score
        data[f"{score.section_key}_comment"] = score.comment
    return data


def sections_of(form: ReviewForm) -> dict[str, SectionScore]:
    """The form's scores and comments; a score that could not be read counts as missing."""
    return {key: SectionScore(score=form[f"{key}_score"].data if not form[f"{key}_score"].errors else None,
                              comment=form[f"{key}_comment"].data or "")
            for key in SCORED_SECTIONS}


class ConflictForm(PortalForm):
    reason = TextAreaField("Hvorfor er du inhabil?", validators=[required("Skriv kort, hvorfor du er inhabil."),
                                                                max_length(1000)],
                           description="Fx familie eller tidligere ansættelse i kommunen. Skrives i hændelsesloggen.")


class ScoreField(TenthsField):
    """Points on the 1–5 scale with at most one decimal; `data` in tenths (30 = 3,0)."""

    format_message = "Skriv point med højst én decimal, fx 3 eller 3,5."
    range_message = "Skriv et tal fra 1,0 til 5,0."

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, minimum=10, maximum=50, **kwargs)


class ReviewSettingsForm(PortalForm):
    """Weights per section and the selection's minimums (fields 'weight_<section>', 'amk_<AMK>', 'size_<class>')."""

    min_score = ScoreField("Mindste point for at kunne blive valgt", validators=[Optional()],
                           description="Et tal fra 1,0 til 5,0. Lad feltet stå tomt for intet minimum.")


for _key in SCORED_SECTIONS:
    setattr(ReviewSettingsForm, f"weight_{_key}", WholeNumberField(
        f"Vægt for {SECTION_TITLES[_key]}", validators=[required()], minimum=0, maximum=MAX_WEIGHT))
for _amk in AMK:
    setattr(ReviewSettingsForm, f"amk_{_amk.name}", WholeNumberField(
        f"Mindst antal fra {_amk.label}", validators=[required()], minimum=1, maximum=14))
for _size in SizeClass:
    setattr(ReviewSettingsForm, f"size_{_size.name}", WholeNumberField(
        f"Mindst antal {_size.label.lower()}e kommuner", validators=[required()],
        minimum=1 if _size is not SizeClass.MELLEM else 0, maximum=14))


UNDECIDED = ""
DECISION_CHOICES = ((UNDECIDED, "Ikke afgjort"), (Decision.SELECTED.value, "Valgt"),
                    (Decision.REJECTED.value, "Fravalgt"))


def decisions_form(rows, *, posted: bool):
    """One form for the whole selection: for each application 'decision_<id>' and 'reason_<id>'.

    `posted`: read the request's input; otherwise show the saved decisions."""

    class DecisionsForm(PortalForm):
        pass

    data = {}
    for row in rows:
        application_id = row.application.id
        setattr(DecisionsForm, f"decision_{application_id}", RadioField(
            f"Afgørelse for {row.kommune.name}", choices=choices(DECISION_CHOICES), default=UNDECIDED))
        setattr(DecisionsForm, f"reason_{application_id}", TextAreaField(
            f"Begrundelse for {row.kommune.name}", validators=[max_length(4000)]))
        if row.decision is not None:
            data[f"decision_{application_id}"] = row.decision.decision.value
            data[f"reason_{application_id}"] = row.decision.reason
    return DecisionsForm() if posted else DecisionsForm(formdata=None, data=data)


def decisions_of(form, rows) -> dict[int, tuple[Decision | None, str]]:
    """The form's decisions: application id -> (Decision or None, reason)."""
    found = {}
    for row in rows:
        value = form[f"decision_{row.application.id}"].data
        found[row.application.id] = (Decision(value) if value else None,
                                     form[f"reason_{row.application.id}"].data or "")
    return found


class ConfirmSelectionForm(PortalForm):
    confirmed = BooleanField("Jeg bekræfter udvælgelsen. Afgørelserne bliver endelige, og kommunerne får besked.",
                             validators=[InputRequired("Sæt kryds for at bekræfte udvælgelsen.")])
