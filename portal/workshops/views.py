"""The workshops' pages: staff manage events and see bookings; kommuner book, change and cancel."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import clock, permissions
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import ButtonForm
from portal.pulje.services import get_pool
from portal.transaction import commit, rollback, sent_or_waiting, told
from portal.viewhelpers import download, permission_required, show_domain_error
from portal.exports.tabular import EXPORT_MIMETYPES, to_csv, to_xlsx
from portal.workshops import rules, services
from portal.workshops.export import participant_columns, participant_lines
from portal.fields import choices
from portal.formatting import format_time, format_weekday_date
from portal.workshops.forms import (ConfirmSparringForm, EventForm, SparringForm, attendance_form, booking_form,
                                    participants_of)
from portal.workshops.models import SparringRequest, WorkshopEvent
from portal.workshops.participant_list import (ParticipantList, ParticipantRow, participant_list_filename,
                                              participant_list_pdf)
from portal.workshops.rules import BookingStatus

blueprint = Blueprint("workshops", __name__)


# --- staff -------------------------------------------------------------------------------------------------------

@blueprint.route("/arrangementer")
@permission_required(permissions.can_manage_workshops)
def index():
    pool = get_pool()
    events = services.list_events(pool)
    now = clock.now()
    return render_template("workshops/index.html", events=events, button=ButtonForm(),
                           missing=services.missing_bookings(pool, events),
                           sparring=services.list_sparring_requests(pool),
                           confirmed={event.id: services.confirmed_count(event) for event in events},
                           flagged={event.id for event in events
                                    if rules.under_booked(services.facts_of(event), services.confirmed_count(event),
                                                          now=now)})


@blueprint.route("/arrangementer/standardserie", methods=["POST"])
@permission_required(permissions.can_manage_workshops)
def generate_series():
    if not ButtonForm().validate_on_submit():
        abort(400)
    made = services.generate_standard_series(get_pool(), actor=current_user)
    commit()
    flash(f"{made} arrangementer er oprettet efter puljens tidsplan." if made else
          "Standardserien findes allerede.", "success")
    return redirect(url_for(".index"))


@blueprint.route("/arrangementer/paamind", methods=["POST"])
@permission_required(permissions.can_manage_workshops)
def remind():
    if not ButtonForm().validate_on_submit():
        abort(400)
    reminded = services.send_reminders(get_pool(), actor=current_user)
    mailed = commit()
    flash(f"Påmindelsen til {reminded} {'tilmelding' if reminded == 1 else 'tilmeldinger'} "
          f"{sent_or_waiting(mailed)}.", "success")
    return redirect(url_for(".index"))


@blueprint.route("/arrangementer/<int:event_id>/fremmoede", methods=["POST"])
@permission_required(permissions.can_manage_workshops)
def attendance(event_id: int):
    event = db.get_or_404(WorkshopEvent, event_id)
    form = attendance_form(event, request.form)
    if form.validate_on_submit():
        try:
            services.record_attendance(event, actor=current_user, attended_booking_ids=set(form.attended.data))
            commit()
        except DomainError as error:
            rollback()
            flash(error.message, "error")
        else:
            flash("Fremmødet er registreret.", "success")
    else:
        flash(" ".join(form.attended.errors) or "Fremmødet kunne ikke registreres. Prøv igen.", "error")
    return redirect(url_for(".edit", event_id=event.id))


@blueprint.route("/arrangementer/<int:event_id>/deltagerliste.pdf")
@permission_required(permissions.can_manage_workshops)
def participant_list(event_id: int):
    event = db.get_or_404(WorkshopEvent, event_id)
    rows = tuple(ParticipantRow(kommune=booking.kommune.name, name=person["name"], role=person.get("role", ""),
                                email=person["email"], status=booking.status.label)
                 for booking in event.bookings if booking.status is not BookingStatus.CANCELLED
                 for person in booking.participants)
    data = ParticipantList(event_title=event.title, kind_label=event.kind.label, starts_at=event.starts_at,
                           ends_at=event.ends_at, place=event.place, rows=rows, printed_at=clock.now())
    return download(participant_list_pdf(data), participant_list_filename(event.title, event.starts_at),
                    "application/pdf")


@blueprint.route("/arrangementer/deltagere.<any(csv, xlsx):kind>")
@permission_required(permissions.can_manage_workshops)
def export(kind: str):
    lines = participant_lines(services.list_events(get_pool()))
    columns = participant_columns()
    data = to_csv(lines, columns) if kind == "csv" else to_xlsx(lines, columns, sheet_title="Deltagere")
    return download(data, f"deltagere-{clock.local_now().strftime('%Y-%m-%d')}.{kind}", EXPORT_MIMETYPES[kind])


def _save_event_form(form, event=None):
    try:
        saved = services.save_event(get_pool(), actor=current_user, event=event,
                                    **{name: form[name].data for name in services.EVENT_FIELDS})
        commit()
    except DomainError as error:
        rollback()
        show_domain_error(form, error)
        return None
    flash(f"Arrangementet \u201d{saved.title}\u201d er gemt.", "success")
    return redirect(url_for(".edit", event_id=saved.id))


@blueprint.route("/arrangementer/nyt", methods=["GET", "POST"])
@permission_required(permissions.can_manage_workshops)
def create():
    form = EventForm()
    if form.validate_on_submit():
        done = _save_event_form(form)
        if done:
            return done
    return render_template("workshops/edit.html", form=form, event=None, attendance=None, started=False)


@blueprint.route("/arrangementer/<int:event_id>", methods=["GET", "POST"])
@permission_required(permissions.can_manage_workshops)
def edit(event_id: int):
    event = db.get_or_404(WorkshopEvent, event_id)
    form = EventForm(obj=event) if request.method == "GET" else EventForm()
    if form.validate_on_submit():
        done = _save_event_form(form, event)
        if done:
            return done
    return render_template("workshops/edit.html", form=form, event=event, attendance=attendance_form(event),
                           started=clock.now() >= event.starts_at)


# --- kommuner ----------------------------------------------------------------------------------------------------

@blueprint.route("/workshops")
@permission_required(permissions.can_book_workshops)
def mine():
    pool = get_pool()
    kommune = current_user.kommune
    events = services.list_events(pool)
    own = {event.id: next((booking for booking in event.bookings if booking.kommune_id == kommune.id), None)
           for event in events}
    open_to_us = {event_id: problem is None for event_id, problem in services.booking_problems(events, kommune).items()}
    shown = [event for event in events
             if open_to_us[event.id] or (own[event.id] and own[event.id].status is not BookingStatus.CANCELLED)]
    return render_template("workshops/mine.html", events=shown, own=own, open_to_us=open_to_us,
                           confirmed={event.id: services.confirmed_count(event) for event in shown})


def _own_booking(event):
    return next((booking for booking in event.bookings if booking.kommune_id == current_user.kommune_id
                 and booking.status is not BookingStatus.CANCELLED), None)


@blueprint.route("/workshops/<int:event_id>", methods=["GET", "POST"])
@permission_required(permissions.can_book_workshops)
def show(event_id: int):
    event = db.get_or_404(WorkshopEvent, event_id)
    booking = _own_booking(event)
    problem = services.booking_problem(event, current_user.kommune) if booking is None else None
    data = {"participants": booking.participants} if booking else None
    form = booking_form(event.seats_per_kommune, request.form if request.method == "POST" else None, data)
    if request.method == "POST" and form.validate_on_submit():
        try:
            if booking is None:
                booking = services.book(event, kommune=current_user.kommune, actor=current_user,
                                        participants=participants_of(form))
                done, mail = (("Kommunen er tilmeldt.", "Invitationen er sendt til deltagerne.")
                              if booking.status is BookingStatus.CONFIRMED else
                              ("Arrangementet er fuldt. Kommunen står på ventelisten og får besked, hvis en plads "
                               "bliver ledig.", ""))
            else:
                services.change_participants(booking, actor=current_user, participants=participants_of(form))
                done, mail = "Tilmeldingen er ændret.", "Deltagerne har fået en ny invitation."
            mailed = commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash(told(done, mail, mailed=mailed), "success")
            return redirect(url_for(".show", event_id=event.id))
    return render_template("workshops/show.html", event=event, booking=booking, form=form, problem=problem,
                           confirmed=services.confirmed_count(event), cancel_form=ButtonForm(),
                           change_problem=rules.can_change_booking(services.facts_of(event), now=clock.now()))


@blueprint.route("/workshops/<int:event_id>/afmeld", methods=["POST"])
@permission_required(permissions.can_book_workshops)
def cancel(event_id: int):
    event = db.get_or_404(WorkshopEvent, event_id)
    booking = _own_booking(event) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.cancel(booking, actor=current_user)
        mailed = commit()
    except DomainError as error:
        rollback()
        flash(error.message, "error")
    else:
        flash(told("Kommunen er afmeldt.", "Deltagerne har fået besked.", mailed=mailed), "success")
    return redirect(url_for(".show", event_id=event.id))


# --- sparringsbesøg --------------------------------------------------------------------------------------------------

@blueprint.route("/workshops/sparring", methods=["GET", "POST"])
@permission_required(permissions.can_book_workshops)
def sparring():
    pool = get_pool()
    kommune = current_user.kommune
    existing = services.get_sparring_request(pool, kommune)
    form = SparringForm()
    if request.method == "GET" and existing is not None:
        form = SparringForm(data={"manager_name": existing.manager_name, "manager_email": existing.manager_email,
                                  "note": existing.note,
                                  **dict(zip(("first", "second", "third"), existing.proposed_at))})
    if form.validate_on_submit():
        try:
            services.propose_sparring(pool, kommune=kommune, actor=current_user, dates=form.dates(),
                                      manager_name=form.manager_name.data or "",
                                      manager_email=form.manager_email.data or "", note=form.note.data or "")
            commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash("Forslagene er sendt til styrelsen, som bekræfter en af tiderne.", "success")
            return redirect(url_for(".sparring"))
    return render_template("workshops/sparring.html", form=form, existing=existing,
                           participating=kommune.id in services.participating_kommune_ids(pool.id))


@blueprint.route("/arrangementer/sparring/<int:request_id>", methods=["GET", "POST"])
@permission_required(permissions.can_manage_workshops)
def confirm_sparring(request_id: int):
    proposal = db.get_or_404(SparringRequest, request_id)
    form = ConfirmSparringForm()
    form.chosen.choices = choices((index, f"{format_weekday_date(moment)} kl. {format_time(moment)}")
                                  for index, moment in enumerate(proposal.proposed_at))
    if form.validate_on_submit():
        try:
            services.confirm_sparring(proposal, actor=current_user, chosen=form.chosen.data,
                                      place=form.place.data or "")
            commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash(f"Sparringsbesøget i {proposal.kommune.name} er bekræftet, og lederen har fået invitationen.",
                  "success")
            return redirect(url_for(".index"))
    return render_template("workshops/confirm_sparring.html", proposal=proposal, form=form)
