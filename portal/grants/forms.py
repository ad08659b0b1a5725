"""The grant letters' forms: the draft's free text and deadline, a new version, the kommune's answer."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import InputRequired

from portal.fields import DanishDateField, max_length, required


class DraftForm(FlaskForm):
    intro = TextAreaField("Indledning", validators=[required("Skriv brevets indledning."), max_length(20_000)])
    conditions = TextAreaField("Vilkår", validators=[required("Skriv vilkårene."), max_length(20_000)],
                               description="Kerneelementer, monitorering, rapporter og frister, workshops og "
                                           "netværksmøder, tilbagebetaling af ubrugte midler.")
    accept_by_on = DanishDateField("Frist for at acceptere", validators=[required("Skriv en dato.")])


class NewVersionForm(FlaskForm):
    reason = TextAreaField("Begrundelse for den nye version",
                           validators=[required("Skriv begrundelsen for den nye version."), max_length(2000)],
                           description="Står i brevet og i mailen til kommunen.")


class AcceptForm(FlaskForm):
    confirmed = BooleanField("Jeg accepterer tilsagnet og vilkårene på vegne af kommunen.",
                             validators=[InputRequired("Sæt kryds for at acceptere tilsagnet.")])


class DeclineForm(FlaskForm):
    reason = TextAreaField("Hvorfor afslår kommunen tilsagnet?",
                           validators=[required("Skriv begrundelsen for at afslå tilsagnet."), max_length(2000)])
