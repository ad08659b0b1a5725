"""The grant letters' pages: the staff overview and each grant's letters; the kommune's own tilsagn."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import clock, permissions
from portal.errors import DomainError
from portal.exports.tabular import EXPORT_MIMETYPES, to_csv, to_xlsx
from portal.extensions import db
from portal.formatting import format_kr
from portal.forms import ButtonForm
from portal.grants import payments, services
from portal.grants.export import grant_columns
from portal.fields import choices
from portal.grants.forms import AcceptForm, DeclineForm, DraftForm, NewVersionForm, PaidForm, ReserveForm
from portal.grants.letter import text_blocks
from portal.grants.models import Grant
from portal.grants.states import LetterStatus
from portal.pulje.services import get_pool
from portal.review import selection
from portal.review.scoring import format_score
from portal.review.selection import list_reserves
from portal.transaction import commit, rollback, told
from portal.viewhelpers import download, permission_required, show_domain_error

blueprint = Blueprint("grants", __name__)


def _run(action, success: str, mail: str = "") -> bool:
    """Call a service, commit and flash `success` (with `mail` when its mail went out), or roll back and flash
    its Danish message."""
    try:
        action()
        mailed = commit()
    except DomainError as error:
        rollback()
        flash(error.message, "error")
        return False
    flash(told(success, mail, mailed=mailed), "success")
    return True


@blueprint.route("/tilsagn")
@permission_required(permissions.can_manage_grants)
def index():
    pool = get_pool()
    grants = services.list_grants(pool)
    freed = [grant for grant in grants if grant.status.frees_money]
    return render_template("grants/index.html", pool=pool, grants=grants, button=ButtonForm(),
                           summary=payments.money_overview(grants, pool_kr=pool.total_kr), freed=freed,
                           # The reserves are the whole score board: only worth building when money is freed.
                           reserve_form=_reserve_form(pool) if freed else None,
                           drafts=sum(1 for grant in grants if grant.current_letter.status is LetterStatus.DRAFT),
                           years=list(pool.budget_years))


@blueprint.route("/tilsagn/udkast", methods=["POST"])
@permission_required(permissions.can_manage_grants)
def create_drafts():
    if not ButtonForm().validate_on_submit():
        abort(400)
    made = []
    _run(lambda: made.append(services.create_drafts(get_pool(), actor=current_user)),
         "Udkastene er lavet ud fra den bekræftede fordeling.")
    return redirect(url_for(".index"))


@blueprint.route("/tilsagn/udsted-alle", methods=["POST"])
@permission_required(permissions.can_manage_grants)
def issue_all():
    if not ButtonForm().validate_on_submit():
        abort(400)
    _run(lambda: services.issue_all(get_pool(), actor=current_user),
         "Alle udkast er udstedt.", "Tilsagnene er sendt til kommunerne med brevet som PDF.")
    return redirect(url_for(".index"))


def _reserve_form(pool, formdata=None) -> ReserveForm:
    form = ReserveForm(formdata=formdata) if formdata is not None else ReserveForm(formdata=None)
    form.application_id.choices = choices(
        (row.application.id, f"{row.kommune.name} ({format_score(row.board.score)} point)")
        for row in list_reserves(pool, viewer=current_user))
    return form


@blueprint.route("/tilsagn/reserve", methods=["POST"])
@permission_required(permissions.can_select_applications)
def select_reserve():
    pool = get_pool()
    form = _reserve_form(pool, request.form)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
        return redirect(url_for(".index"))
    row = next(row for row in list_reserves(pool, viewer=current_user)
               if row.application.id == form.application_id.data)
    _run(lambda: selection.select_reserve(row, actor=current_user, reason=form.reason.data),
         f"{row.kommune.name} er valgt som reserve. Fordel puljen igen, og lav tilsagnet.",
         f"{row.kommune.name} har fået besked.")
    return redirect(url_for(".index"))


@blueprint.route("/tilsagn/frister", methods=["POST"])
@permission_required(permissions.can_manage_grants)
def deadlines():
    if not ButtonForm().validate_on_submit():
        abort(400)
    counts = []
    if _run(lambda: counts.append(services.remind_and_expire(get_pool(), actor=current_user)),
            "Fristerne er gået igennem."):
        reminded, expired = counts[0]
        flash(f"{reminded} {'kommune' if reminded == 1 else 'kommuner'} er påmindet, og "
              f"{expired} tilsagn er bortfaldet.", "info")
    return redirect(url_for(".index"))


def _load(grant_id: int) -> Grant:
    return db.get_or_404(Grant, grant_id)


@blueprint.route("/tilsagn/<int:grant_id>", methods=["GET", "POST"])
@permission_required(permissions.can_manage_grants)
def show(grant_id: int):
    grant = _load(grant_id)
    draft = grant.current_letter if grant.current_letter.status is LetterStatus.DRAFT else None
    form = DraftForm(obj=draft, accept_by_on=grant.accept_by_on) if request.method == "GET" else DraftForm()
    if draft is not None and form.validate_on_submit():
        try:
            services.update_draft(grant, actor=current_user, intro=form.intro.data, conditions=form.conditions.data,
                                  accept_by_on=form.accept_by_on.data)
            commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash("Udkastet er gemt.", "success")
            return redirect(url_for(".show", grant_id=grant.id))
    return render_template("grants/show.html", grant=grant, draft=draft, form=form, version_form=NewVersionForm(),
                           button=ButtonForm(), paid_form=PaidForm(paid_on=clock.local_now().date()))


@blueprint.route("/tilsagn/<int:grant_id>/udbetaling/<int:payment_id>", methods=["POST"])
@permission_required(permissions.can_manage_grants)
def mark_paid(grant_id: int, payment_id: int):
    grant = _load(grant_id)
    payment = next((item for item in grant.payments if item.id == payment_id), None) or abort(404)
    form = PaidForm()
    if not form.validate_on_submit():
        flash(" ".join(form.paid_on.errors) or "Skriv betalingsdatoen.", "error")
        return redirect(url_for(".show", grant_id=grant.id))
    _run(lambda: payments.mark_paid(payment, actor=current_user, paid_on=form.paid_on.data),
         f"Udbetalingen for {payment.year} på {format_kr(payment.amount_kr)} er markeret som betalt.")
    return redirect(url_for(".show", grant_id=grant.id))


@blueprint.route("/tilsagn/<int:grant_id>/udsted", methods=["POST"])
@permission_required(permissions.can_manage_grants)
def issue(grant_id: int):
    grant = _load(grant_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    _run(lambda: services.issue_letter(grant, actor=current_user),
         f"Tilsagnet til {grant.kommune.name} er udstedt og sendt med brevet som PDF.")
    return redirect(url_for(".show", grant_id=grant.id))


@blueprint.route("/tilsagn/<int:grant_id>/ny-version", methods=["POST"])
@permission_required(permissions.can_manage_grants)
def new_version(grant_id: int):
    grant = _load(grant_id)
    form = NewVersionForm()
    if form.validate_on_submit():
        try:
            services.new_version(grant, actor=current_user, reason=form.reason.data)
            commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash("Et udkast til en ny version er lavet. Ret det, og udsted det.", "success")
            return redirect(url_for(".show", grant_id=grant.id))
    return render_template("grants/show.html", grant=grant, draft=None, form=DraftForm(formdata=None),
                           version_form=form, button=ButtonForm(), paid_form=PaidForm(formdata=None))


@blueprint.route("/tilsagn/<int:grant_id>/version/<int:number>.pdf")
@permission_required(permissions.can_manage_grants)
def letter_pdf(grant_id: int, number: int):
    grant = _load(grant_id)
    version = next((letter for letter in grant.letters if letter.number == number), None) or abort(404)
    if version.pdf is not None:
        return download(version.pdf, services.letter_filename(grant, version), "application/pdf")
    if version is not grant.current_letter:
        abort(404)
    return download(services.preview_pdf(grant, actor=current_user),
                    services.letter_filename(grant, version).replace(".pdf", "-udkast.pdf"), "application/pdf")


@blueprint.route("/tilsagn/eksport.<any(csv, xlsx):kind>")
@permission_required(permissions.can_manage_grants)
def export(kind: str):
    pool = get_pool()
    grants = services.list_grants(pool)
    columns = grant_columns(list(pool.budget_years))
    data = to_csv(grants, columns) if kind == "csv" else to_xlsx(grants, columns, sheet_title="Tilsagn")
    return download(data, f"tilsagn-{clock.local_now().strftime('%Y-%m-%d')}.{kind}", EXPORT_MIMETYPES[kind])


# --- the kommune's side -------------------------------------------------------------------------------------------

def _own_grant() -> Grant:
    """The current user's kommune's grant, once a letter has been issued; nothing else exists for it."""
    grant = services.get_grant_of(get_pool(), current_user.kommune)
    if grant is None or grant.letter_in_force is None:
        abort(404)
    return grant


@blueprint.route("/mit-tilsagn")
@permission_required(permissions.can_start_application)
def mine():
    grant = _own_grant()
    return _mine_page(grant, accept_form=AcceptForm(), decline_form=DeclineForm())


def _mine_page(grant, *, accept_form, decline_form):
    return render_template("grants/mine.html", grant=grant, letter=grant.letter_in_force,
                           received=services.received_letter(grant), text_blocks=text_blocks,
                           accept_form=accept_form, decline_form=decline_form, today=clock.local_now().date())


@blueprint.route("/mit-tilsagn/<int:number>.pdf")
@permission_required(permissions.can_start_application)
def my_letter_pdf(number: int):
    grant = _own_grant()
    version = next((letter for letter in grant.letters if letter.number == number and letter.pdf is not None),
                   None) or abort(404)
    return download(version.pdf, services.letter_filename(grant, version), "application/pdf")


@blueprint.route("/mit-tilsagn/accepter", methods=["POST"])
@permission_required(permissions.can_start_application)
def accept():
    grant = _own_grant()
    form = AcceptForm()
    if form.validate_on_submit():
        if _run(lambda: services.accept_grant(grant, actor=current_user),
                "Tilsagnet er accepteret.", "Styrelsen har fået besked."):
            return redirect(url_for(".mine"))
    return _mine_page(grant, accept_form=form, decline_form=DeclineForm(formdata=None))


@blueprint.route("/mit-tilsagn/afslaa", methods=["POST"])
@permission_required(permissions.can_start_application)
def decline():
    grant = _own_grant()
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            services.decline_grant(grant, actor=current_user, reason=form.reason.data)
            mailed = commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash(told("Tilsagnet er afslået.", "Styrelsen har fået besked.", mailed=mailed), "success")
            return redirect(url_for(".mine"))
    return _mine_page(grant, accept_form=AcceptForm(formdata=None), decline_form=form)
