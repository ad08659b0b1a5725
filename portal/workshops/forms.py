"""The workshops' forms: an event (staff) and a booking's named participants (kommune)."""
from __future__ import annotations

from wtforms import (EmailField, FieldList, FormField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.widgets import CheckboxInput, ListWidget

from portal.fields import (LocalDateTimeField, WholeNumberField, choices, enum_choices, enum_or_none, max_length,
                           required)
from portal.forms import PortalForm, SubForm
from portal.kommuner.enums import AMK
from portal.workshops.rules import Audience, EventKind, Participant


class EventForm(PortalForm):
    kind = SelectField("Type", choices=choices((kind.value, kind.label) for kind in EventKind), coerce=EventKind)
    # 120, not the column's 200: the booking mail's subject is 'Tilmelding: <titel> – <kommune>' in 200 characters.
    title = StringField("Titel", validators=[required("Skriv en titel."), max_length(120)])
    starts_at = LocalDateTimeField("Begynder", validators=[required("Skriv dato og klokkeslæt.")])
    ends_at = LocalDateTimeField("Slutter", validators=[required("Skriv dato og klokkeslæt.")])
    place = StringField("Sted", validators=[max_length(300)])
    amk = SelectField("Kun for kommuner i", choices=enum_choices(AMK, "Alle AMK"), coerce=enum_or_none(AMK))
    audience = SelectField("Hvem kan tilmelde sig", choices=choices((item.value, item.label) for item in Audience),
                           coerce=Audience)
    capacity = WholeNumberField("Antal kommuner", validators=[required()], minimum=1)
    seats_per_kommune = WholeNumberField("Pladser pr. kommune", validators=[required()], minimum=1)
    booking_deadline_at = LocalDateTimeField("Tilmeldingsfrist", validators=[required("Skriv dato og klokkeslæt.")])
    description = TextAreaField("Beskrivelse", validators=[max_length(4000)])
    learning_consultant = StringField("Læringskonsulent", validators=[max_length(200)],
                                      description="Inspirationsworkshops: læringskonsulenten fra en erfaren kommune.")


class ParticipantForm(SubForm):
    name = StringField("Navn", validators=[max_length(200)])
    role = StringField("Stilling", validators=[max_length(200)])
    email = EmailField("E-mail", validators=[max_length(254)])


def booking_form(seats: int, formdata=None, data=None):
    """Rows for up to `seats` participants; empty rows are left out."""

    class BookingForm(PortalForm):
        participants = FieldList(FormField(ParticipantForm), min_entries=seats, max_entries=seats)

    return BookingForm(formdata=formdata, data=data) if formdata is not None else BookingForm(formdata=None, data=data)


def participants_of(form) -> list[Participant]:
    """The rows as Participants, without the empty rows at the end (so row i is still participants-i)."""
    people = [Participant(name=entry.data["name"] or "", role=entry.data["role"] or "",
                          email=entry.data["email"] or "") for entry in form.participants.entries]
    while people and not any(value.strip() for value in (people[-1].name, people[-1].role, people[-1].email)):
        people.pop()
    return people


class AttendanceForm(PortalForm):
    attended = SelectMultipleField("Mødt", coerce=int, widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput())


def attendance_form(event, formdata=None) -> AttendanceForm:
    """A checkbox per confirmed kommune, ticked for those recorded as present."""
    confirmed = [booking for booking in event.bookings if booking.status.value == "confirmed"]
    form = AttendanceForm(formdata=formdata) if formdata is not None else AttendanceForm(
        formdata=None, attended=[booking.id for booking in confirmed if booking.attended])
    form.attended.choices = choices((booking.id, booking.kommune.name) for booking in confirmed)
    return form


class SparringForm(PortalForm):
    """Up to three proposed times for the sparringsbesøg and the responsible manager who takes part."""

    first = LocalDateTimeField("1. forslag", validators=[required("Skriv dato og klokkeslæt.")])
    second = LocalDateTimeField("2. forslag")
    third = LocalDateTimeField("3. forslag")
    manager_name = StringField("Den ansvarlige leders navn", validators=[max_length(200)])
    manager_email = EmailField("Den ansvarlige leders e-mail", validators=[max_length(254)])
    note = TextAreaField("Bemærkning", validators=[max_length(2000)])

    def dates(self):
        return [field.data for field in (self.first, self.second, self.third) if field.data is not None]


class ConfirmSparringForm(PortalForm):
    chosen = SelectField("Tid", coerce=int)
    place = StringField("Sted", validators=[max_length(300)], description="Tomt: kommunen selv.")
