"""The administrator's form for the pool's parameters."""
from __future__ import annotations

from wtforms import EmailField, TextAreaField

from portal.fields import (DanishDateField, LocalDateTimeField, VersionField, WholeNumberField, email_address,
                           max_length, required)
from portal.forms import PortalForm


class PoolForm(PortalForm):
    purpose = TextAreaField("Formål", validators=[required("Skriv puljens formål."), max_length(4000)])
    target_group = TextAreaField("Målgruppe", validators=[required("Beskriv målgruppen."), max_length(4000)])
    total_kr = WholeNumberField("Puljens samlede beløb (kr.)", validators=[required()], minimum=1, unit=" kr.")
    max_grant_kr = WholeNumberField("Højeste tilskud til én kommune (kr.)", validators=[required()], minimum=1,
                                    unit=" kr.")
    min_participants = WholeNumberField("Mindste antal deltagende kommuner", validators=[required()], minimum=1)
    max_participants = WholeNumberField("Højeste antal deltagende kommuner", validators=[required()], minimum=1)
    funds_from_on = DanishDateField("Midlerne kan bruges fra", validators=[required("Skriv en dato.")])
    funds_to_on = DanishDateField("Midlerne kan bruges til og med", validators=[required("Skriv en dato.")])
    applications_open_at = LocalDateTimeField("Der åbnes for ansøgninger",
                                              validators=[required("Skriv dato og klokkeslæt.")])
    application_deadline_at = LocalDateTimeField(
        "Ansøgningsfrist", description="Dansk tid. Ansøgninger skal være indsendt før dette tidspunkt.",
        validators=[required("Skriv dato og klokkeslæt.")])
    size_medium_from = WholeNumberField("Mellemstor kommune fra (indbyggere)", validators=[required()], minimum=1)
    size_large_from = WholeNumberField("Stor kommune fra (indbyggere)", validators=[required()], minimum=1)
    contact_email = EmailField("Styrelsens kontaktadresse", validators=[required(), email_address(), max_length(254)])
    version = VersionField()
