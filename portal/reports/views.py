"""The kommune's reports: its reporting plan, writing and submitting a report, the receipt and the PDF."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import clock, permissions
from portal.errors import DomainError
from portal.extensions import db
from portal.grants.services import get_grant_of
from portal.pulje.services import get_pool
from portal.reports import services
from portal.reports.forms import ReportForm, account_field, narrative_field, spending_field
from portal.reports.models import Report
from portal.reports.states import ReportKind
from portal.reports.template import FIGURES, NARRATIVES
from portal.transaction import commit, rollback, told
from portal.viewhelpers import download, permission_required, show_domain_error

blueprint = Blueprint("reports", __name__)


def _own_grant():
    """The current user's kommune's accepted grant; a kommune without one has no reports."""
    grant = get_grant_of(get_pool(), current_user.kommune)
    if grant is None or not services.list_reports_of(grant):
        abort(404)
    return grant


def _own_report(report_id: int) -> Report:
    """A report of the user's own kommune; anything else is 404."""
    report = db.get_or_404(Report, report_id)
    if report.grant.kommune_id != current_user.kommune_id:
        abort(404)
    return report


@blueprint.route("/rapporter")
@permission_required(permissions.is_kommune_user)
def mine():
    grant = _own_grant()
    return render_template("reports/mine.html", grant=grant, reports=services.list_reports_of(grant),
                           today=clock.local_now().date())


def categories_of(report: Report) -> list[tuple[str, str]]:
    return [(category.code, category.name) for category in report.grant.pool.budget_categories]


def account_lines_of(report: Report) -> list[tuple[int, str, str]]:
    """Every budget year and category of the pool: the lines granted and any others spent on."""
    return [(year, code, name) for year in report.grant.pool.budget_years for code, name in categories_of(report)]


def _form_class(report: Report) -> type[ReportForm]:
    return ReportForm.for_report(report.kind, categories=categories_of(report), account_lines=account_lines_of(report))


def _saved_data(report: Report) -> dict:
    """The report as saved, in the form's field names; a final account not yet written starts from the
    spending the quarterly reports gave."""
    data = {"version": report.version, **report.figures}
    data |= {spending_field(code): report.spending.get(code) for code, _ in categories_of(report)}
    account = ({(int(year), code): amount for year, code, amount in report.account} if report.account
               else services.account_from_quarters(report.grant))
    data |= {account_field(year, code): account.get((year, code)) for year, code, _ in account_lines_of(report)}
    data |= {narrative_field(item.key): report.narrative.get(item.key, "") for item in NARRATIVES[report.kind]}
    return data


def _entries(form: ReportForm, report: Report) -> dict:
    """What the user typed, as the save service takes it."""
    entries = dict(figures={}, spending={}, account=None,
                   narrative={item.key: form[narrative_field(item.key)].data for item in NARRATIVES[report.kind]})
    if report.kind is ReportKind.QUARTERLY:
        entries["figures"] = {figure.key: form[figure.key].data for figure in FIGURES}
        entries["spending"] = {code: form[spending_field(code)].data for code, _ in categories_of(report)}
    if report.kind is ReportKind.FINAL:
        entries["account"] = {(year, code): form[account_field(year, code)].data
                              for year, code, _ in account_lines_of(report)}
    return entries


def _render(report: Report, form: ReportForm):
    return render_template("reports/edit.html", report=report, form=form, categories=categories_of(report),
                           account_lines=account_lines_of(report), figures=FIGURES,
                           category_names=dict(categories_of(report)), narratives=NARRATIVES[report.kind],
                           today=clock.local_now().date(),
                           warnings=services.findings_of(report, complete=False).warnings if report.started else {},
                           settlement=services.settlement_of(report) if report.kind is ReportKind.FINAL else None)


@blueprint.route("/rapporter/<int:report_id>", methods=["GET", "POST"])
@permission_required(permissions.is_kommune_user)
def edit(report_id: int):
    report = _own_report(report_id)
    form_class = _form_class(report)
    form = form_class(data=_saved_data(report)) if request.method == "GET" else form_class()
    if request.method == "POST" and report.status.is_open and form.validate_on_submit():
        try:
            services.save_report(report, actor=current_user, version=form.version.data, **_entries(form, report))
            commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
            return _render(report, form)
        if not form.submit.data:
            flash("Kladden er gemt.", "success")
            return redirect(url_for(".edit", report_id=report.id))
        try:
            services.submit_report(report, actor=current_user)
            mailed = commit()
        except DomainError as error:
            rollback()
            form.version.data, form.version.raw_data = report.version, [str(report.version)]
            show_domain_error(form, error)
            flash("Kladden er gemt, men rapporten er ikke indsendt. Ret det, der står ved felterne.", "error")
            return _render(report, form)
        flash(told("Rapporten er indsendt.", "Kvitteringen er sendt på mail med rapporten som PDF.", mailed=mailed),
              "success")
        return redirect(url_for(".edit", report_id=report.id))
    return _render(report, form)


@blueprint.route("/rapporter/<int:report_id>.pdf")
@permission_required(permissions.is_kommune_user)
def pdf(report_id: int):
    report = _own_report(report_id)
    return download(services.pdf_of(report), services.report_filename(report), "application/pdf")
