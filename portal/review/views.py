"""The caseworkers' scoring pages: the score board, one application's scores, conflicts, the settings."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import clock, permissions
from portal.applications.content import read
from portal.applications.models import Application
from portal.errors import DomainError
from portal.exports.tabular import EXPORT_MIMETYPES, to_csv, to_xlsx
from portal.extensions import db
from portal.kommuner.enums import AMK, SizeClass
from portal.pulje.services import get_pool
from portal.review import services
from portal.review.export import score_columns
from portal.review.forms import ConflictForm, ReviewForm, ReviewSettingsForm, review_form_data, sections_of
from portal.review.scoring import SCALE_LABELS, SCORED_SECTIONS, SECTION_TITLES, format_score, section_means
from portal.transaction import commit, rollback
from portal.viewhelpers import download, permission_required, show_domain_error

blueprint = Blueprint("review", __name__)


@blueprint.route("/bedoemmelse")
@permission_required(permissions.can_review_applications)
def index():
    pool = get_pool()
    return render_template("review/index.html", pool=pool, rows=services.list_score_board(pool, viewer=current_user),
                           settings=services.get_settings(pool), problem=services.scoring_problem(pool, clock.now()),
                           next_application=services.next_to_score(pool, reviewer=current_user),
                           sections=SCORED_SECTIONS, titles=SECTION_TITLES, format_score=format_score)


@blueprint.route("/bedoemmelse/eksport.<any(csv, xlsx):kind>")
@permission_required(permissions.can_review_applications)
def export(kind: str):
    rows = services.list_score_board(get_pool(), viewer=current_user)
    data = to_csv(rows, score_columns()) if kind == "csv" else to_xlsx(rows, score_columns(), sheet_title="Point")
    return download(data, f"point-{clock.local_now().strftime('%Y-%m-%d')}.{kind}", EXPORT_MIMETYPES[kind])


def _load(application_id: int) -> Application:
    application = db.get_or_404(Application, application_id)
    if not services.is_reviewable(application):
        abort(404)
    return application


@blueprint.route("/bedoemmelse/<int:application_id>", methods=["GET", "POST"])
@permission_required(permissions.can_review_applications)
def score(application_id: int):
    application = _load(application_id)
    review = services.get_review(application, current_user)
    form = ReviewForm(data=review_form_data(review)) if request.method == "GET" else ReviewForm()
    if form.validate_on_submit():
        action = request.form.get("handling", "kladde")
        try:
            services.record_scores(application, reviewer=current_user, sections=sections_of(form),
                                   submit=action in ("indsend", "indsend_naeste"))
            commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            return _after_scoring(application, action)
    return _score_page(application, form, ConflictForm())


def _after_scoring(application: Application, action: str):
    name = application.kommune.name
    if action == "kladde":
        flash(f"Din bedømmelse af {name} er gemt som kladde. Den tæller først med, når du indsender den.", "success")
        return redirect(url_for(".score", application_id=application.id))
    flash(f"Din bedømmelse af {name} er indsendt.", "success")
    following = services.next_to_score(application.pool, reviewer=current_user, after=application) \
        if action == "indsend_naeste" else None
    if following is not None:
        return redirect(url_for(".score", application_id=following.id))
    if action == "indsend_naeste":
        flash("Der er ikke flere ansøgninger, du mangler at bedømme.", "info")
    return redirect(url_for(".index"))


def _score_page(application: Application, form, conflict_form):
    pool = application.pool
    (row,) = services.list_score_board(pool, viewer=current_user, only=application)
    review = services.get_review(application, current_user)
    return render_template(
        "review/score.html", application=application, row=row, form=form, conflict_form=conflict_form,
        review=review, conflict=services.conflict_of(application, current_user),
        problem=services.scoring_problem(pool, clock.now()), frozen=read(application.latest_submission.content),
        weights=services.get_settings(pool).score_weights, sections=SCORED_SECTIONS, titles=SECTION_TITLES,
        scale_labels=SCALE_LABELS, format_score=format_score,
        means=section_means([item.points for item in row.reviews]))


@blueprint.route("/bedoemmelse/<int:application_id>/inhabil", methods=["POST"])
@permission_required(permissions.can_review_applications)
def conflict(application_id: int):
    application = _load(application_id)
    form = ConflictForm()
    if form.validate_on_submit():
        try:
            services.declare_conflict(application, reviewer=current_user, reason=form.reason.data)
            commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash(f"Du er registreret som inhabil i ansøgningen fra {application.kommune.name} og holdes uden for "
                  "den.", "success")
            return redirect(url_for(".index"))
    review = services.get_review(application, current_user)
    return _score_page(application, ReviewForm(formdata=None, data=review_form_data(review)), form)


def _settings_form(settings) -> ReviewSettingsForm:
    if request.method == "POST":
        return ReviewSettingsForm()
    data = {f"weight_{key}": settings.score_weights.get(key, 0) for key in SCORED_SECTIONS}
    data |= {f"amk_{amk.name}": settings.min_per_amk.get(amk.value, 1) for amk in AMK}
    data |= {f"size_{size.name}": settings.min_per_size.get(size.value, 0 if size is SizeClass.MELLEM else 1)
             for size in SizeClass}
    return ReviewSettingsForm(data={**data, "min_score": settings.min_score_tenths})


@blueprint.route("/bedoemmelse/indstillinger", methods=["GET", "POST"])
@permission_required(permissions.can_edit_review_settings)
def settings():
    pool = get_pool()
    form = _settings_form(services.get_settings(pool))
    if form.validate_on_submit():
        try:
            services.update_settings(
                pool, actor=current_user,
                weights={key: form[f"weight_{key}"].data for key in SCORED_SECTIONS},
                min_score_tenths=form.min_score.data,
                min_per_amk={amk.value: form[f"amk_{amk.name}"].data for amk in AMK},
                min_per_size={size.value: form[f"size_{size.name}"].data for size in SizeClass})
            commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash("Vægtene og kravene til udvælgelsen er gemt.", "success")
            return redirect(url_for(".index"))
    return render_template("review/settings.html", form=form, sections=SCORED_SECTIONS, amks=list(AMK),
                           sizes=list(SizeClass))
