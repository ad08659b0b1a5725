"""The agency's side of the reports: the overview, reading a report, approving or sending it back, the plan."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import clock, permissions
from portal.errors import DomainError
from portal.exports.tabular import EXPORT_MIMETYPES, to_csv, to_xlsx
from portal.extensions import db
from portal.forms import ButtonForm
from portal.pulje.services import get_pool
from portal.reports import services
from portal.reports.export import report_columns
from portal.reports.forms import PlanForm, SendBackForm, WaiveForm
from portal.reports.models import Report
from portal.reports.states import ReportKind, ReportStatus
from portal.reports.template import FIGURES, NARRATIVES
from portal.transaction import commit, rollback, sent_or_waiting, told
from portal.viewhelpers import download, permission_required, show_domain_error

blueprint = Blueprint("report_casework", __name__)

CORRECTION_TIME = timedelta(days=14)

# The overview's filters: what each shows, by a predicate on (report, today).
FILTERS = {
    "": ("Alle rapporter", lambda report, today: True),
    "over-fristen": ("Over fristen", lambda report, today: report.is_late(today)),
    "til-behandling": ("Indsendt, venter på styrelsen", lambda report, today: report.status is ReportStatus.SUBMITTED),
    "sendt-tilbage": ("Sendt tilbage til rettelse", lambda report, today: report.status is ReportStatus.RETURNED),
    "godkendt": ("Godkendt", lambda report, today: report.status is ReportStatus.APPROVED),
}


@blueprint.route("/rapportering")
@permission_required(permissions.can_manage_reports)
def index():
    today, chosen = clock.local_now().date(), request.args.get("vis", "")
    if chosen not in FILTERS:
        chosen = ""
    reports = services.list_reports(get_pool())
    counts = {key: sum(1 for report in reports if keep(report, today)) for key, (_, keep) in FILTERS.items()}
    shown = [report for report in reports if FILTERS[chosen][1](report, today)]
    return render_template("reports/index.html", reports=shown, counts=counts, filters=FILTERS, chosen=chosen,
                           today=today, button=ButtonForm())


@blueprint.route("/rapportering/paamindelser", methods=["POST"])
@permission_required(permissions.can_manage_reports)
def remind():
    if not ButtonForm().validate_on_submit():
        abort(400)
    reminded = services.remind_late(get_pool(), actor=current_user)
    mailed = commit()
    flash(f"{reminded} {'påmindelse' if reminded == 1 else 'påmindelser'} om rapporter over fristen "
          f"{sent_or_waiting(mailed)}. En rapport får højst én påmindelse om ugen.", "success")
    return redirect(url_for(".index"))


def _load(report_id: int) -> Report:
    return db.get_or_404(Report, report_id)


def _render(report: Report, *, send_back_form=None, plan_form=None, waive_form=None):
    categories = [(category.code, category.name) for category in report.grant.pool.budget_categories]
    today = clock.local_now().date()
    return render_template(
        "reports/show.html", report=report, figures=FIGURES, narratives=NARRATIVES[report.kind],
        categories=categories, category_names=dict(categories), today=today, button=ButtonForm(),
        settlement=services.settlement_of(report) if report.kind is ReportKind.FINAL else None,
        send_back_form=send_back_form or SendBackForm(formdata=None, due_on=today + CORRECTION_TIME),
        plan_form=plan_form or PlanForm(formdata=None, due_on=report.due_on),
        waive_form=waive_form or WaiveForm(formdata=None),
        others=services.list_reports_of(report.grant))


@blueprint.route("/rapportering/<int:report_id>")
@permission_required(permissions.can_manage_reports)
def show(report_id: int):
    return _render(_load(report_id))


@blueprint.route("/rapportering/<int:report_id>.pdf")
@permission_required(permissions.can_manage_reports)
def pdf(report_id: int):
    report = _load(report_id)
    return download(services.pdf_of(report), services.report_filename(report), "application/pdf")


def _press(report: Report, action, success: str):
    """A button's POST: run the service, commit and flash `success`, or flash its Danish refusal."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        action()
        commit()
    except DomainError as error:
        rollback()
        flash(error.message, "error")
    else:
        flash(success, "success")
    return redirect(url_for(".show", report_id=report.id))


@blueprint.route("/rapportering/<int:report_id>/godkend", methods=["POST"])
@permission_required(permissions.can_manage_reports)
def approve(report_id: int):
    report = _load(report_id)
    return _press(report, lambda: services.approve_report(report, actor=current_user),
                  f"{report.title} fra {report.grant.kommune.name} er godkendt.")


def _with_form(report: Report, form, action, success: str, form_name: str, mail: str = ""):
    """Validate `form`, run the service, commit and go back to the report (saying `mail` when its mail went out);
    or show the form with its errors."""
    if form.validate_on_submit():
        try:
            action(form)
            mailed = commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash(told(success, mail, mailed=mailed), "success")
            return redirect(url_for(".show", report_id=report.id))
    return _render(report, **{form_name: form})


@blueprint.route("/rapportering/<int:report_id>/send-tilbage", methods=["POST"])
@permission_required(permissions.can_manage_reports)
def send_back(report_id: int):
    report = _load(report_id)
    return _with_form(report, SendBackForm(), lambda form: services.send_back(
        report, actor=current_user, comment=form.comment.data, due_on=form.due_on.data),
        "Rapporten er sendt tilbage til kommunen.", "send_back_form", mail="Kommunen har fået en mail.")


@blueprint.route("/rapportering/<int:report_id>/frist", methods=["POST"])
@permission_required(permissions.can_manage_reports)
def move_due_date(report_id: int):
    report = _load(report_id)
    return _with_form(report, PlanForm(), lambda form: services.move_due_date(
        report, actor=current_user, due_on=form.due_on.data, note=form.note.data),
        "Fristen er flyttet.", "plan_form")


@blueprint.route("/rapportering/<int:report_id>/udgaar", methods=["POST"])
@permission_required(permissions.can_manage_reports)
def waive(report_id: int):
    report = _load(report_id)
    return _with_form(report, WaiveForm(), lambda form: services.waive_report(
        report, actor=current_user, note=form.note.data), "Rapporten udgår.", "waive_form")


@blueprint.route("/rapportering/<int:report_id>/genindsaet", methods=["POST"])
@permission_required(permissions.can_manage_reports)
def reinstate(report_id: int):
    report = _load(report_id)
    return _press(report, lambda: services.reinstate_report(report, actor=current_user),
                  "Rapporten er genindsat i planen.")


@blueprint.route("/rapportering/eksport.<any(csv, xlsx):kind>")
@permission_required(permissions.can_manage_reports)
def export(kind: str):
    pool = get_pool()
    reports, columns = services.list_reports(pool), report_columns(pool)
    data = to_csv(reports, columns) if kind == "csv" else to_xlsx(reports, columns, sheet_title="Rapporter")
    return download(data, f"rapporter-{clock.local_now().strftime('%Y-%m-%d')}.{kind}", EXPORT_MIMETYPES[kind])
