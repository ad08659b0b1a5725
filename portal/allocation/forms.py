"""The allocation's forms: a what-if with other amounts and volumes (GET, saves nothing) and an override."""
from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import Optional

from portal.fields import WholeNumberField, max_length, required
from portal.forms import PortalForm


def what_if_form(selected, formdata):
    """The pool's amount, the cap and each selected kommune's volume ('volume_<application id>'), all optional."""

    class WhatIfForm(PortalForm):
        class Meta:
            csrf = False

        pool_kr = WholeNumberField("Puljens beløb (kr.)", validators=[Optional()], minimum=1, unit=" kr.")
        max_grant_kr = WholeNumberField("Største tilskud til én kommune (kr.)", validators=[Optional()], minimum=1,
                                        unit=" kr.")

    for item in selected:
        setattr(WhatIfForm, f"volume_{item.application.id}", WholeNumberField(
            f"Sager i kategori 2 og 3, {item.kommune.name}", validators=[Optional()], minimum=0))
    return WhatIfForm(formdata=formdata)


class OverrideForm(PortalForm):
    amount_kr = WholeNumberField("Tilskud (kr.)", validators=[required("Skriv tilskuddet i hele kroner.")], minimum=0,
                                 unit=" kr.")
    reason = TextAreaField("Begrundelse", validators=[required("Skriv begrundelsen for at ændre tilskuddet."),
                                                      max_length(2000)],
                           description="Begrundelsen skrives i hændelsesloggen og står ved tilskuddet.")
