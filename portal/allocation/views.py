"""The allocation page: the calculation per kommune, a what-if, overrides with reasons, confirming, exports."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import clock, permissions
from portal.allocation import services
from portal.allocation.export import allocation_columns
from portal.allocation.forms import OverrideForm, what_if_form
from portal.errors import DomainError
from portal.exports.tabular import EXPORT_MIMETYPES, to_csv, to_xlsx
from portal.formatting import format_kr
from portal.forms import ButtonForm
from portal.grants.services import list_freed
from portal.pulje.services import get_pool
from portal.review.services import selection_confirmation
from portal.transaction import commit, rollback
from portal.viewhelpers import download, permission_required, show_domain_error

blueprint = Blueprint("allocation", __name__)


def _what_if(pool, selected):
    """The what-if form and, when it asks for something valid, its calculation (saved nowhere)."""
    form = what_if_form(selected, request.args if "beregn" in request.args else None)
    if "beregn" not in request.args or not form.validate():
        return form, None
    volumes = {item.application.id: form[f"volume_{item.application.id}"].data for item in selected
               if form[f"volume_{item.application.id}"].data is not None}
    try:
        return form, services.calculate(selected, services.list_overrides(pool),
                                        pool_kr=form.pool_kr.data or pool.total_kr,
                                        max_grant_kr=form.max_grant_kr.data or pool.max_grant_kr, volumes=volumes)
    except DomainError as error:
        form.form_errors.append(error.message)
        return form, None


@blueprint.route("/fordeling")
@permission_required(permissions.can_allocate)
def index():
    pool = get_pool()
    freed = list_freed(pool)
    without = frozenset(grant.application_id for grant in freed)
    selected = [item for item in services.list_selected(pool) if item.application.id not in without]
    form, what_if = _what_if(pool, selected)
    problem = None
    try:
        calculation = services.current_calculation(pool, without=without)
    except DomainError as error:
        calculation, problem = None, error.message
    return render_template(
        "allocation/index.html", pool=pool, selected=selected, calculation=what_if or calculation,
        what_if=what_if is not None, what_if_form=form, problem=problem, freed=freed,
        confirmed=services.current_allocation(pool), selection=selection_confirmation(pool), confirm_form=ButtonForm())


def _selected_item(pool, application_id: int):
    item = next((item for item in services.list_selected(pool) if item.application.id == application_id), None)
    return item or abort(404)


@blueprint.route("/fordeling/<int:application_id>/ret", methods=["GET", "POST"])
@permission_required(permissions.can_allocate)
def override(application_id: int):
    pool = get_pool()
    item = _selected_item(pool, application_id)
    existing = services.list_overrides(pool).get(application_id)
    form = OverrideForm(obj=existing) if request.method == "GET" else OverrideForm()
    if form.validate_on_submit():
        try:
            services.set_override(pool, item, actor=current_user, amount_kr=form.amount_kr.data,
                                  reason=form.reason.data)
            commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash(f"Tilskuddet til {item.kommune.name} er ændret. De andre kommuner deler resten af puljen.",
                  "success")
            return redirect(url_for(".index"))
    return render_template("allocation/override.html", pool=pool, item=item, form=form, existing=existing,
                           remove_form=ButtonForm())


@blueprint.route("/fordeling/<int:application_id>/fjern-aendring", methods=["POST"])
@permission_required(permissions.can_allocate)
def remove_override(application_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    pool = get_pool()
    item = _selected_item(pool, application_id)
    try:
        services.remove_override(pool, item, actor=current_user)
        commit()
    except DomainError as error:
        rollback()
        flash(error.message, "error")
    else:
        flash(f"Tilskuddet til {item.kommune.name} beregnes igen efter fordelingsnøglen.", "success")
    return redirect(url_for(".index"))


@blueprint.route("/fordeling/bekraeft", methods=["POST"])
@permission_required(permissions.can_allocate)
def confirm():
    if not ButtonForm().validate_on_submit():
        abort(400)
    pool = get_pool()
    try:
        without = frozenset(grant.application_id for grant in list_freed(pool))
        allocation = services.confirm_allocation(pool, actor=current_user, without=without)
        commit()
    except DomainError as error:
        rollback()
        flash(error.message, "error")
    else:
        flash(f"Fordelingen er bekræftet: {len(allocation.grants)} tilskud, i alt {format_kr(allocation.allocated_kr)} "
              "Den bruges til tilsagnsbrevene.", "success")
    return redirect(url_for(".index"))


@blueprint.route("/fordeling/eksport.<any(csv, xlsx):kind>")
@permission_required(permissions.can_allocate)
def export(kind: str):
    pool = get_pool()
    try:
        calculation = services.current_calculation(pool)
    except DomainError:
        abort(404)
    columns = allocation_columns(calculation)
    data = to_csv(calculation.lines, columns) if kind == "csv" else \
        to_xlsx(calculation.lines, columns, sheet_title="Fordeling")
    return download(data, f"fordeling-{clock.local_now().strftime('%Y-%m-%d')}.{kind}", EXPORT_MIMETYPES[kind])
