"""The filter form of the kommune list (GET, no CSRF: it changes nothing)."""
from flask_wtf import FlaskForm
from wtforms import SelectField

from portal.fields import choices
from portal.kommuner.enums import AMK, Region, SizeClass


def _choices(enum_cls, everything: str):
    return choices([("", everything)] + [(member.value, member.label) for member in enum_cls])


def _enum_or_none(enum_cls):
    return lambda value: enum_cls(value) if value else None


class KommuneFilterForm(FlaskForm):
    class Meta:
        csrf = False

    region = SelectField("Region", choices=_choices(Region, "Alle regioner"), coerce=_enum_or_none(Region))
    amk = SelectField("Arbejdsmarkedskontor", choices=_choices(AMK, "Alle AMK"), coerce=_enum_or_none(AMK))
    size = SelectField("Størrelse", choices=_choices(SizeClass, "Alle størrelser"), coerce=_enum_or_none(SizeClass))
