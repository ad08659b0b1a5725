"""The kommune's pages: start the application, fill in each section, check, submit, receipt, withdraw."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from portal import clock, permissions
from portal.applications import services
from portal.applications.content import answers_of, budget_of, read
from portal.applications.forms import readable_answers, readable_budget, section_form_class
from portal.applications.models import Application, Submission
from portal.applications.rules import SectionStatus, budget_totals, section_problems, section_status
from portal.applications.states import ApplicationStatus
from portal.applications.template import SECTIONS, SECTIONS_BY_KEY, Section, display_answer, label_of, section_of
from portal.errors import DomainError, RuleViolations, StaleObject
from portal.extensions import csrf, db, limiter, login_manager
from portal.forms import ButtonForm, cleaned_formdata
from portal.pulje.services import get_pool
from portal.review.selection import final_decision_of, rejection_letter_filename
from portal.transaction import commit, rollback, told
from portal.viewhelpers import download, permission_required, show_domain_error

blueprint = Blueprint("applications", __name__)


def _load(application_id: int) -> Application:
    """The application, if it is the current user's own kommune's; anything else does not exist."""
    application = db.get_or_404(Application, application_id)
    if not permissions.can_edit_application(current_user, application):
        abort(404)
    return application


def _progress(application: Application) -> tuple[dict[str, str], dict[str, SectionStatus]]:
    problems = services.problems_of(application)
    answers, lines = answers_of(application), budget_of(application)
    return problems, {section.key: section_status(section, answers, lines, problems) for section in SECTIONS}


@blueprint.route("/ansoegning/start", methods=["POST"])
@permission_required(permissions.can_start_application)
def start():
    pool = get_pool()
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        application = services.start_application(pool, kommune=current_user.kommune, actor=current_user)
        commit()
    except (DomainError, IntegrityError) as error:
        rollback()
        flash(error.message if isinstance(error, DomainError)
              else "En kollega har netop startet kommunens ansøgning. Du kan arbejde videre i den.", "error")
        existing = services.get_application(pool, current_user.kommune)
        return redirect(url_for(".overview", application_id=existing.id) if existing else url_for("pulje.dashboard"))
    flash("Ansøgningen er startet. Hvert afsnit gemmes for sig, så I kan skiftes til at udfylde dem.", "success")
    return redirect(url_for(".overview", application_id=application.id))


@blueprint.route("/ansoegning/<int:application_id>")
@permission_required(permissions.can_start_application)
def overview(application_id: int):
    application = _load(application_id)
    problems, statuses = _progress(application)
    return render_template("applications/overview.html", application=application, statuses=statuses,
                           problems=problems, deadline=services.deadline_of(application),
                           editing_problem=services.editing_problem(application, clock.now()),
                           sections=SECTIONS)


def _form_for(section: Section, application: Application, formdata=None):
    pool = application.pool
    form_class = section_form_class(
        section, tuple((category.code, category.name) for category in pool.budget_categories),
        tuple(pool.budget_years))
    if formdata is not None:
        return form_class(formdata=formdata)
    if request.method == "POST":
        return form_class()
    form = form_class(obj=application, data={"budget": [
        {"category_code": line.category_code or "", "year": str(line.year or ""), "description": line.description,
         "amount_kr": line.amount_kr} for line in budget_of(application)]} if section.has_budget else None)
    form.seen.data = services.section_fingerprint(application, section)
    return form


def _end_with_blank_row(form) -> None:
    """The budget table always ends with an empty line to fill in."""
    if "budget" not in form:
        return
    entries = form.budget.entries
    if not entries or any(value not in (None, "") for value in entries[-1].data.values()):
        form.budget.append_entry()


def _show_problems(form, problems: dict[str, str]) -> None:
    """Put each rule's message at its field (budget cells included), unless the field already has an error."""
    for name, message in problems.items():
        if name.startswith("budget-"):
            _, index, cell = name.split("-", 2)
            if int(index) >= len(form.budget):
                continue
            field = form.budget[int(index)][cell]
        elif name in form:
            field = form[name]
        else:
            continue
        if not field.errors:
            field.errors = [message]


@blueprint.route("/ansoegning/<int:application_id>/<section_key>", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so input sent after the session ended can be kept (below)
@limiter.limit("20 per hour", methods=["POST"], exempt_when=lambda: current_user.is_authenticated)  # parking
def section(application_id: int, section_key: str):
    section = SECTIONS_BY_KEY.get(section_key) or abort(404)
    if not current_user.is_authenticated:
        return _park_and_log_in(application_id, section) if request.method == "POST" else \
            login_manager.unauthorized()
    if not permissions.can_start_application(current_user):
        abort(403)
    application = _load(application_id)
    restored = None
    if "parkeret" in request.args:
        restored = services.take_parked_input(request.args["parkeret"], path=request.path)
        commit()
    if restored is not None:
        form = _form_for(section, application, formdata=MultiDict(restored))
        form.validate()  # shows what cannot be stored; the old page's token is gone and not asked for
        if "csrf_token" in form:
            form.csrf_token.errors = []
        flash("Du var blevet logget ud, før afsnittet blev gemt. Dine indtastninger står i felterne: "
              "tjek dem, og tryk Gem.", "warning")
    else:
        form = _form_for(section, application)
    stale = False
    if request.method == "POST":
        outcome = _save(form, application, section)
        if outcome == "saved":
            return redirect(_after_save_url(application, section))
        stale = outcome == "stale"
    problems, statuses = _progress(application)
    shown = section_problems(section, problems)
    if statuses[section.key] is not SectionStatus.NOT_STARTED or request.args.get("tjek"):
        _show_problems(form, shown)
    else:
        shown = {}
    _end_with_blank_row(form)
    return render_template(
        "applications/section.html", application=application, section=section, form=form, problems=shown,
        statuses=statuses, stale=stale, editing_problem=services.editing_problem(application, clock.now()),
        totals=budget_totals(readable_budget(form), tuple(application.pool.budget_years))
        if section.has_budget else None,
        sections=SECTIONS, display_answer=display_answer, label_of=label_of)


def _save(form, application: Application, section: Section) -> str:
    """Save what can be read from the form: 'saved', 'partly' (some fields have errors), 'stale' or 'refused'."""
    form.validate()
    if "csrf_token" in form and form.csrf_token.errors:
        return "refused"
    budget = None
    if section.has_budget:
        budget = readable_budget(form, saved=budget_of(application))
        removed = request.form.get("fjern")
        if removed is not None and removed.isascii() and removed.isdigit() and int(removed) < len(budget):
            del budget[int(removed)]
            del form.budget.entries[int(removed)]
    try:
        services.save_section(application, actor=current_user, section=section,
                              answers=readable_answers(form, section), budget=budget, seen=form.seen.data or "")
        commit()
    except StaleObject as error:
        rollback()
        flash(error.message, "error")
        form.seen.data = services.section_fingerprint(application, section)  # saving again replaces theirs
        return "stale"
    except StaleDataError:
        rollback()
        flash("En kollega gemte ansøgningen i samme øjeblik. Dine indtastninger er bevaret: tryk Gem igen.", "error")
        return "refused"
    except DomainError as error:
        rollback()
        show_domain_error(form, error)
        return "refused"
    form.seen.data = services.section_fingerprint(application, section)
    if form.errors:
        flash("Afsnittet er gemt, undtagen felterne med fejl. Ret dem, og gem igen.", "warning")
        return "partly"
    flash(f"Afsnit {section.number}, {section.title}, er gemt.", "success")
    return "saved"


def _after_save_url(application: Application, section: Section) -> str:
    action = request.form.get("handling", "gem")
    if action == "naeste":
        following = [candidate for candidate in SECTIONS if candidate.number == section.number + 1]
        if following:
            return url_for(".section", application_id=application.id, section_key=following[0].key)
        return url_for(".review", application_id=application.id)
    anchor = "budget" if section.has_budget and (action == "tilfoej" or "fjern" in request.form) else None
    return url_for(".section", application_id=application.id, section_key=section.key, _anchor=anchor)


def _park_and_log_in(application_id: int, section: Section):
    """The session ended while the user typed: keep the input, and bring it back after login."""
    fields = {key: values for key, values in cleaned_formdata(request.form).lists() if key != "csrf_token"}
    back = url_for(".section", application_id=application_id, section_key=section.key)
    try:
        token = services.park_input(path=request.path, fields=fields)
        commit()
    except DomainError as error:
        rollback()
        flash(error.message, "error")
    else:
        flash("Du var blevet logget ud. Log ind igen: det, du skrev, venter på dig.", "warning")
        back = url_for(".section", application_id=application_id, section_key=section.key, parkeret=token)
    return redirect(url_for("auth.login", next=back))


@blueprint.route("/ansoegning/<int:application_id>/tjek")
@permission_required(permissions.can_start_application)
def review(application_id: int):
    application = _load(application_id)
    problems, statuses = _progress(application)
    return render_template("applications/review.html", application=application, problems=problems,
                           statuses=statuses, section_of=section_of, answers=answers_of(application),
                           budget=application.budget_lines, sections=SECTIONS,
                           totals=budget_totals(budget_of(application), tuple(application.pool.budget_years)),
                           deadline=services.deadline_of(application),
                           editing_problem=services.editing_problem(application, clock.now()),
                           display_answer=display_answer, label_of=label_of, submit_form=ButtonForm())


@blueprint.route("/ansoegning/<int:application_id>/indsend", methods=["POST"])
@permission_required(permissions.can_start_application)
def submit(application_id: int):
    application = _load(application_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.submit_application(application, actor=current_user)
        mailed = commit()
    except RuleViolations as error:
        rollback()
        flash(f"Ansøgningen er ikke indsendt: {len(error.problems)} felter mangler eller skal rettes.", "error")
        return redirect(url_for(".review", application_id=application.id))
    except DomainError as error:
        rollback()
        flash(error.message, "error")
        return redirect(url_for(".review", application_id=application.id))
    flash(told("Ansøgningen er indsendt.", "Kvitteringen er sendt til jer på mail.", mailed=mailed), "success")
    return redirect(url_for(".receipt", application_id=application.id))


@blueprint.route("/ansoegning/<int:application_id>/afslag.pdf")
@permission_required(permissions.can_start_application)
def rejection_letter(application_id: int):
    application = _load(application_id)
    decision = final_decision_of(application)
    if decision is None or decision.letter_pdf is None:
        abort(404)
    return download(decision.letter_pdf, rejection_letter_filename(application), "application/pdf")


@blueprint.route("/ansoegning/<int:application_id>/kvittering")
@permission_required(permissions.can_start_application)
def receipt(application_id: int):
    application = _load(application_id)
    submission = application.latest_submission or abort(404)
    return render_template("applications/receipt.html", application=application, submission=submission,
                           frozen=read(submission.content), deadline=services.deadline_of(application),
                           can_withdraw=application.status is ApplicationStatus.SUBMITTED
                           and clock.now() < services.deadline_of(application),
                           withdraw_form=ButtonForm())


@blueprint.route("/ansoegning/<int:application_id>/kvittering/<int:number>.pdf")
@permission_required(permissions.can_start_application)
def receipt_pdf(application_id: int, number: int):
    application = _load(application_id)
    submission = db.session.scalar(db.select(Submission).filter_by(application_id=application.id, number=number)) \
        or abort(404)
    return download(submission.receipt_pdf, services.receipt_filename(application, submission), "application/pdf")


@blueprint.route("/ansoegning/<int:application_id>/tilbagetraek", methods=["POST"])
@permission_required(permissions.can_start_application)
def withdraw(application_id: int):
    application = _load(application_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.withdraw_application(application, actor=current_user)
        commit()
    except DomainError as error:
        rollback()
        flash(error.message, "error")
        return redirect(url_for(".receipt", application_id=application.id))
    flash("Ansøgningen er trukket tilbage. I kan ændre den og indsende den igen inden fristen.", "success")
    return redirect(url_for(".overview", application_id=application.id))
