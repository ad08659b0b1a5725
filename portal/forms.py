"""Forms shared by every area: the base every form is built on, and the empty form behind a button."""
from __future__ import annotations

import re

from flask import has_request_context, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form, PasswordField, StringField

from portal.fields import DANISH, clean_text

# A form's field names: letters, digits, '_' and '-' (a FieldList row is 'budget-0-amount_kr'). Anything else
# cannot name a field, and WTForms would read 'budget-²-amount_kr' as row int('²') and fail.
_FIELD_NAME = re.compile(r"[A-Za-z0-9_\-]+")


def cleaned_formdata(formdata, *, verbatim: frozenset[str] = frozenset()) -> MultiDict:
    """The submitted values as the forms read them: every text cleaned (portal.fields.clean_text) but those named
    in `verbatim` (passwords: a password is checked as typed); names no field can have are left out."""
    cleaned = MultiDict()
    for name in formdata:
        if not _FIELD_NAME.fullmatch(name):
            continue
        for value in formdata.getlist(name):
            cleaned.add(name, clean_text(value) if isinstance(value, str) and name not in verbatim else value)
    return cleaned


def _blank_if_missing(value):
    return "" if value is None else value


def _bind_text_as_text(unbound_field, options: dict) -> dict:
    """A text field a post leaves out reads as '' (not None), as when it was sent empty."""
    field_class = unbound_field.field_class
    if issubclass(field_class, StringField) and getattr(field_class, "holds_text", True):
        options = {**options, "filters": [*unbound_field.kwargs.get("filters", ()), _blank_if_missing]}
    return options


class PortalForm(FlaskForm):
    """Every form of the portal: it reads only what an HTML form sends (a JSON body fills in nothing), cleans it,
    and speaks Danish also where WTForms speaks for itself."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            return super().bind_field(form, unbound_field, _bind_text_as_text(unbound_field, options))

        def wrap_formdata(self, form, formdata):
            if formdata is not None and not hasattr(formdata, "getlist") and has_request_context() \
                    and request.is_json:
                formdata = request.form  # Flask-WTF would read the JSON; its lists and numbers are no form input
            formdata = super().wrap_formdata(form, formdata)
            if formdata is None:
                return None
            passwords = frozenset(name for name, field in form._fields.items() if isinstance(field, PasswordField))
            return cleaned_formdata(formdata, verbatim=passwords)

        def get_translations(self, form):
            return DANISH


class SubForm(Form):
    """A row inside a form (a FieldList of FormFields): the enclosing PortalForm has cleaned its input."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            return super().bind_field(form, unbound_field, _bind_text_as_text(unbound_field, options))

        def get_translations(self, form):
            return DANISH


class ButtonForm(PortalForm):
    """An empty form: a button that POSTs, with CSRF protection and nothing else."""
