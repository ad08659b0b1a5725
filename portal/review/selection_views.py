"""The selection page: the ranking with decisions, the spread and the map, the suggestion, the confirmation."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from portal import clock, permissions
from portal.applications.models import Application
from portal.errors import DomainError
from portal.exports.tabular import EXPORT_MIMETYPES, to_csv, to_xlsx
from portal.extensions import db
from portal.forms import ButtonForm
from portal.kommuner.models import Kommune
from portal.pulje.services import get_pool
from portal.review import selection
from portal.review.denmark_map import MapPoint, denmark_map_svg
from portal.review.enums import Decision
from portal.review.export import selection_columns
from portal.review.forms import ConfirmSelectionForm, decisions_form, decisions_of
from portal.review.models import SelectionDecision
from portal.review.scoring import format_score
from portal.review.services import selection_confirmation
from portal.review.spread import SpreadCandidate, selection_spread
from portal.transaction import commit, rollback, told
from portal.viewhelpers import download, permission_required, show_domain_error

blueprint = Blueprint("selection", __name__)


def _selected_codes(rows) -> set[int]:
    return {row.kommune.code for row in rows if row.decision and row.decision.decision is Decision.SELECTED}


def _map(rows) -> Markup:
    backdrop = [(lat, lon) for lat, lon in db.session.execute(sa.select(Kommune.lat, Kommune.lon))]
    points = [MapPoint(code=row.kommune.code, name=row.kommune.name, lat=row.kommune.lat, lon=row.kommune.lon,
                       volume=row.board.volume or 0,
                       state=row.decision.decision.value if row.decision else "pending") for row in rows]
    # denmark_map_svg escapes every name and formats every number itself.
    return Markup(denmark_map_svg(points, backdrop)) if points else Markup("")  # nosec B704


def _page(pool, rows, form, *, suggestion=None):
    spread = selection_spread(
        [SpreadCandidate(code=row.kommune.code, name=row.kommune.name, region=row.kommune.region,
                         amk=row.kommune.amk, size_class=row.board.size_class, volume=row.board.volume or 0)
         for row in rows], _selected_codes(rows), selection.selection_rules(pool))
    return render_template(
        "review/selection.html", pool=pool, rows=rows, form=form, spread=spread, suggestion=suggestion,
        by_code={row.kommune.code: row for row in rows}, map_svg=_map(rows), format_score=format_score,
        confirmation=selection_confirmation(pool), apply_form=ButtonForm(),
        not_yet=clock.now() < pool.application_deadline_at)


@blueprint.route("/udvaelgelse", methods=["GET", "POST"])
@permission_required(permissions.can_select_applications)
def index():
    pool = get_pool()
    rows = selection.list_candidates(pool, viewer=current_user)
    form = decisions_form(rows, posted=request.method == "POST")
    if form.validate_on_submit():
        try:
            changed = selection.decide(rows, actor=current_user, decisions=decisions_of(form, rows))
            commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash(f"Afgørelserne er gemt ({changed} ændret). De er foreløbige, til udvælgelsen bekræftes.", "success")
            return redirect(url_for(".index"))
    suggestion = selection.suggest_for(pool, rows) if request.args.get("forslag") else None
    return _page(pool, rows, form, suggestion=suggestion)


@blueprint.route("/udvaelgelse/forslag", methods=["POST"])
@permission_required(permissions.can_select_applications)
def apply_suggestion():
    if not ButtonForm().validate_on_submit():
        abort(400)
    pool = get_pool()
    rows = selection.list_candidates(pool, viewer=current_user)
    try:
        selection.apply_suggestion(rows, selection.suggest_for(pool, rows), actor=current_user)
        commit()
    except DomainError as error:
        rollback()
        flash(error.message, "error")
    else:
        flash("Forslaget er anvendt som foreløbige afgørelser. Ret dem, hvor I vil, og bekræft udvælgelsen.",
              "success")
    return redirect(url_for(".index"))


@blueprint.route("/udvaelgelse/bekraeft", methods=["GET", "POST"])
@permission_required(permissions.can_select_applications)
def confirm():
    pool = get_pool()
    rows = selection.list_candidates(pool, viewer=current_user)
    form = ConfirmSelectionForm()
    if form.validate_on_submit():
        try:
            confirmation = selection.confirm_selection(pool, rows, actor=current_user)
            mailed = commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash(told(f"Udvælgelsen er bekræftet: {confirmation.selected_count} kommuner er valgt, og "
                       f"{confirmation.rejected_count} har fået afslag.", "Afslagene er sendt på mail.", mailed=mailed),
                  "success")
            return redirect(url_for(".index"))
    return render_template("review/confirm.html", pool=pool, rows=rows, form=form,
                           problems=selection.confirmation_problems(pool, rows),
                           confirmation=selection_confirmation(pool), format_score=format_score)


@blueprint.route("/udvaelgelse/afslag/<int:application_id>.pdf")
@permission_required(permissions.can_select_applications)
def rejection_letter(application_id: int):
    application = db.get_or_404(Application, application_id)
    decision = db.session.scalar(sa.select(SelectionDecision).where(
        SelectionDecision.application_id == application.id))
    if decision is None or decision.letter_pdf is None:
        abort(404)
    return download(decision.letter_pdf, selection.rejection_letter_filename(application), "application/pdf")


@blueprint.route("/udvaelgelse/eksport.<any(csv, xlsx):kind>")
@permission_required(permissions.can_select_applications)
def export(kind: str):
    rows = selection.list_candidates(get_pool(), viewer=current_user)
    columns = selection_columns()
    data = to_csv(rows, columns) if kind == "csv" else to_xlsx(rows, columns, sheet_title="Udvælgelse")
    return download(data, f"udvaelgelse-{clock.local_now().strftime('%Y-%m-%d')}.{kind}", EXPORT_MIMETYPES[kind])
