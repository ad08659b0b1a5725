"""The caseworkers' pages: every application in a list, one application as submitted, exports, reopening, reminders."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import clock, permissions
from portal.applications import casework, services
from portal.applications.content import read
from portal.applications.export import application_columns
from portal.applications.forms import ApplicationFilterForm, ReopenForm
from portal.applications.models import Application
from portal.errors import DomainError
from portal.exports.tabular import EXPORT_MIMETYPES, to_csv, to_xlsx
from portal.extensions import db
from portal.forms import ButtonForm
from portal.pulje.services import get_pool
from portal.transaction import commit, rollback, sent_or_waiting, told
from portal.viewhelpers import download, permission_required, safe_next, show_domain_error

blueprint = Blueprint("casework", __name__)


def _filtered_rows(pool):
    form = ApplicationFilterForm(request.args)
    valid = form.validate()
    filters = casework.ApplicationFilter(
        **{name: form[name].data for name in ("status", "region", "amk", "size_class")}) if valid \
        else casework.ApplicationFilter()
    return form, casework.list_applications(pool, filters=filters, sort=form.sort.data if valid else "kommune")


@blueprint.route("/ansoegninger")
@permission_required(permissions.can_view_applications)
def index():
    pool = get_pool()
    form, rows = _filtered_rows(pool)
    return render_template("casework/index.html", pool=pool, form=form, rows=rows,
                           counts=casework.count_applications(pool), query=request.args.to_dict())


@blueprint.route("/ansoegninger/eksport.<any(csv, xlsx):kind>")
@permission_required(permissions.can_view_applications)
def export(kind: str):
    pool = get_pool()
    _, rows = _filtered_rows(pool)
    columns = application_columns(pool)
    stamp = clock.local_now().strftime("%Y-%m-%d")
    data = to_csv(rows, columns) if kind == "csv" else to_xlsx(rows, columns, sheet_title="Ansøgninger")
    return download(data, f"ansoegninger-{stamp}.{kind}", EXPORT_MIMETYPES[kind])


def _load(application_id: int) -> Application:
    return db.get_or_404(Application, application_id)


@blueprint.route("/ansoegninger/<int:application_id>")
@permission_required(permissions.can_view_applications)
def show(application_id: int):
    application = _load(application_id)
    submission = application.latest_submission
    return render_template(
        "casework/show.html", application=application, submission=submission,
        frozen=read(submission.content) if submission else None,
        draft_problems=services.problems_of(application) if submission is None else None,
        deadline=services.deadline_of(application),
        can_reopen=casework.can_be_reopened(application, clock.now()),
        reopen_form=ReopenForm())


@blueprint.route("/ansoegninger/<int:application_id>/indsendelse/<int:number>.pdf")
@permission_required(permissions.can_view_applications)
def pdf(application_id: int, number: int):
    application = _load(application_id)
    submission = next((item for item in application.submissions if item.number == number), None) or abort(404)
    return download(submission.receipt_pdf, services.receipt_filename(application, submission), "application/pdf")


@blueprint.route("/ansoegninger/<int:application_id>/genaabn", methods=["GET", "POST"])
@permission_required(permissions.can_reopen_application)
def reopen(application_id: int):
    application = _load(application_id)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            casework.reopen_application(application, actor=current_user, reason=form.reason.data,
                                        deadline_at=form.deadline_at.data)
            mailed = commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash(told(f"Ansøgningen fra {application.kommune.official_name} er genåbnet.", "Kommunen har fået besked.",
                       mailed=mailed), "success")
            return redirect(url_for(".show", application_id=application.id))
    return render_template("casework/reopen.html", application=application, form=form,
                           can_reopen=casework.can_be_reopened(application, clock.now()))


@blueprint.route("/ansoegninger/paamind", methods=["POST"])
@permission_required(permissions.can_send_reminders)
def remind():
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        reminded = casework.send_reminders(get_pool(), actor=current_user)
        mailed = commit()
    except DomainError as error:
        rollback()
        flash(error.message, "error")
    else:
        flash(f"Påmindelsen til {reminded} {'kommune' if reminded == 1 else 'kommuner'} "
              f"{sent_or_waiting(mailed)}.", "success")
    return redirect(safe_next(request.form.get("tilbage")) or url_for("pulje.dashboard"))
