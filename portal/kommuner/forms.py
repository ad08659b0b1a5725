"""The filter form of the kommune list (GET, no CSRF: it changes nothing)."""
from wtforms import SelectField

from portal.fields import enum_choices, enum_or_none
from portal.forms import PortalForm
from portal.kommuner.enums import AMK, Region, SizeClass


class KommuneFilterForm(PortalForm):
    class Meta:
        csrf = False

    region = SelectField("Region", choices=enum_choices(Region, "Alle regioner"), coerce=enum_or_none(Region))
    amk = SelectField("Arbejdsmarkedskontor", choices=enum_choices(AMK, "Alle AMK"), coerce=enum_or_none(AMK))
    size = SelectField("Størrelse", choices=enum_choices(SizeClass, "Alle størrelser"), coerce=enum_or_none(SizeClass))
