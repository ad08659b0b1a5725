"""The grant letters' forms: the draft's free text and deadline, a new version, the kommune's answer."""
from __future__ import annotations

from wtforms import BooleanField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from portal.fields import DanishDateField, WholeNumberField, max_length, required
from portal.forms import PortalForm
from portal.grants.money import line_field


class DraftForm(PortalForm):
    intro = TextAreaField("Indledning", validators=[required("Skriv brevets indledning."), max_length(20_000)])
    conditions = TextAreaField("Vilkår", validators=[required("Skriv vilkårene."), max_length(20_000)],
                               description="Kerneelementer, monitorering, rapporter og frister, workshops og "
                                           "netværksmøder, tilbagebetaling af ubrugte midler.")
    accept_by_on = DanishDateField("Frist for at acceptere", validators=[required("Skriv en dato.")])


class NewVersionForm(PortalForm):
    reason = TextAreaField("Begrundelse for den nye version",
                           validators=[required("Skriv begrundelsen for den nye version."), max_length(2000)],
                           description="Står i brevet og i mailen til kommunen.")


class ReserveForm(PortalForm):
    application_id = SelectField("Reservekommune", coerce=int, validate_choice=True)
    reason = TextAreaField("Begrundelse", validators=[required("Skriv begrundelsen for at vælge reservekommunen."),
                                                      max_length(2000)],
                           description="Skrives i hændelsesloggen og står ved kommunens afgørelse.")


class PaidForm(PortalForm):
    paid_on = DanishDateField("Betalt den", validators=[required("Skriv betalingsdatoen.")])


class AcceptForm(PortalForm):
    confirmed = BooleanField("Jeg accepterer tilsagnet og vilkårene på vegne af kommunen.",
                             validators=[InputRequired("Sæt kryds for at acceptere tilsagnet.")])


class DeclineForm(PortalForm):
    reason = TextAreaField("Hvorfor afslår kommunen tilsagnet?",
                           validators=[required("Skriv begrundelsen for at afslå tilsagnet."), max_length(2000)])


# --- change requests (moving money between budget years or categories) -----------------------------------------


class ChangeRequestForm(PortalForm):
    """A kommune's change request; `for_lines` gives the form with one whole-kroner field per line."""

    @classmethod
    def for_lines(cls, lines: list[tuple[int, str, str]]) -> type[ChangeRequestForm]:
        """The form for (year, category code, category name) lines: a field per line named by
        money.line_field (so the money rules' errors land on it), then the reason."""
        fields = {line_field(year, code): WholeNumberField(
            f"{name} i {year}", validators=[required("Skriv et beløb i hele kroner, 0 hvis intet.")], unit=" kr.")
            for year, code, name in lines}
        fields["reason"] = TextAreaField(
            "Begrundelse", validators=[required("Skriv begrundelsen for ændringen."), max_length(2000)],
            description="Hvorfor skal pengene flyttes? Styrelsen ser begrundelsen, når den behandler anmodningen.")
        return type(cls.__name__, (cls,), fields)


class DecideChangeForm(PortalForm):
    note = TextAreaField("Bemærkning til kommunen", validators=[max_length(2000)],
                         description="Skal udfyldes, hvis ændringen afvises. Sendes til kommunen.")
    approve = SubmitField("Godkend ændringen")
    reject = SubmitField("Afvis ændringen")
