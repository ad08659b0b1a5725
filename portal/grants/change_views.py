"""Change requests' pages: the kommune asks to move its grant's money; a caseworker approves or rejects."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal import permissions
from portal.errors import DomainError
from portal.extensions import db
from portal.grants import changes, services
from portal.grants.forms import ChangeRequestForm, DecideChangeForm
from portal.grants.models import ChangeRequest, Grant
from portal.grants.money import line_field
from portal.grants.states import ChangeStatus
from portal.pulje.services import get_pool
from portal.transaction import commit, rollback, told
from portal.viewhelpers import permission_required, show_domain_error

blueprint = Blueprint("grant_changes", __name__)

# The partial templates/grants/_changes.html, included in the grant pages, asks for these.
blueprint.add_app_template_global(changes.change_lines, "change_lines")
blueprint.add_app_template_global(changes.compare_lines, "compare_lines")


def _show_error(form, error: DomainError) -> str | None:
    """Put a rule's message at its field; return it instead when it is about the split as a whole."""
    if error.field == changes.SPLIT_FIELD:
        return error.message
    show_domain_error(form, error)
    return None


# --- the kommune's side -------------------------------------------------------------------------------------------

def _own_grant() -> Grant:
    """The current user's kommune's grant, once a letter has been issued; nothing else exists for it."""
    grant = services.get_grant_of(get_pool(), current_user.kommune)
    if grant is None or grant.letter_in_force is None or not permissions.can_request_change(current_user, grant):
        abort(404)
    return grant


@blueprint.route("/mit-tilsagn/aendring", methods=["GET", "POST"])
@permission_required(permissions.is_kommune_user)
def request_change():
    grant = _own_grant()
    lines = changes.form_lines(grant.pool)
    current = grant.split_lines
    form = ChangeRequestForm.for_lines(lines)(
        data={line_field(year, code): current.get((year, code), 0) for year, code, _ in lines})
    split_error = None
    if form.validate_on_submit():
        try:
            changes.request_change(grant, actor=current_user, reason=form.reason.data,
                                   split={(year, code): form[line_field(year, code)].data for year, code, _ in lines})
            commit()
        except DomainError as error:
            rollback()
            split_error = _show_error(form, error)
        else:
            flash("Anmodningen er sendt til styrelsen. I får besked på mail, når den er behandlet.", "success")
            return redirect(url_for(".request_change"))
    return render_template("grants/change_request.html", grant=grant, form=form, split_error=split_error,
                           lines=changes.compare_lines(grant.pool, current, current), line_field=line_field,
                           paid=changes.paid_by_year(grant), pending=changes.pending_change(grant))


# --- the agency's side --------------------------------------------------------------------------------------------

@blueprint.route("/tilsagn/<int:grant_id>/aendring/<int:change_id>", methods=["GET", "POST"])
@permission_required(permissions.can_manage_grants)
def decide_change(grant_id: int, change_id: int):
    change = db.get_or_404(ChangeRequest, change_id)
    if change.grant_id != grant_id:
        abort(404)
    form = DecideChangeForm()
    if form.validate_on_submit():
        if not (form.approve.data or form.reject.data):
            abort(400)
        try:
            changes.decide_change(change, actor=current_user, approve=form.approve.data, note=form.note.data or "")
            mailed = commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash(told(f"Ændringen er {change.status.label.lower()}.", f"{change.grant.kommune.name} har fået besked.",
                       mailed=mailed), "success")
            return redirect(url_for(".decide_change", grant_id=grant_id, change_id=change_id))
    grant = change.grant
    pending = change.status is ChangeStatus.PENDING
    # While it waits, the request is held up against the split now; once decided, against the one it replaced.
    before = grant.split_lines if pending else changes.split_lines_of(change.previous_split)
    after = changes.split_lines_of(change.requested_split)
    return render_template("grants/change_decide.html", grant=grant, change=change, form=form, pending=pending,
                           lines=changes.compare_lines(grant.pool, before, after),
                           years=changes.compare_years(grant, before, after),
                           changed_since=pending and before != changes.split_lines_of(change.previous_split))
