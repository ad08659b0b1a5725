"""Forms of the application: one per template section (built from the template), the list's filters, reopening.

Section forms only check that an answer can be stored (a whole number, a share, text that is not
absurdly long); whether the application is complete is for the rules, shown after each save.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from wtforms import BooleanField, EmailField, FieldList, Form, FormField, HiddenField, SelectField, StringField, \
    TextAreaField
from wtforms.validators import AnyOf, Length

from portal.applications.casework import SORTS
from portal.applications.rules import BudgetLineAnswer
from portal.applications.states import ApplicationStatus
from portal.applications.template import Kind, Question, Section
from portal.fields import (LocalDateTimeField, PercentField, WholeNumberField, choices, enum_choices, enum_or_none,
                           max_length, required)
from portal.forms import PortalForm, SubForm
from portal.kommuner.enums import AMK, Region, SizeClass

# Far beyond any limit of the template: what is stored can be shown back, but not a pasted book.
STORAGE_LIMIT = 20_000


def _storable_text() -> Length:
    return Length(max=STORAGE_LIMIT, message=f"Teksten er for lang til at blive gemt (højst {STORAGE_LIMIT:,} tegn)."
                  .replace(",", "."))


class NormalisedText:
    """Browsers send line breaks as CRLF; store LF so a limit counts characters as the page's counter does."""

    def process_formdata(self, valuelist):
        super().process_formdata([value.replace("\r\n", "\n") for value in valuelist] if valuelist else valuelist)


class TextArea(NormalisedText, TextAreaField):
    pass


class Line(NormalisedText, StringField):
    pass


def _field_for(question: Question):
    render_kw = {}
    if question.kind is Kind.TEXT:
        return TextArea(question.label, [_storable_text()], description=question.hint, render_kw={"rows": 8})
    if question.kind is Kind.COUNT:
        return WholeNumberField(question.label, description=question.hint, minimum=0)
    if question.kind is Kind.PERCENT:
        return PercentField(question.label, description=question.hint)
    if question.kind is Kind.CONFIRM:
        return BooleanField(question.label, description=question.hint)
    if question.kind is Kind.EMAIL:
        return EmailField(question.label, [_storable_text()], description=question.hint,
                          render_kw={"autocomplete": "email"})
    if question.kind is Kind.PHONE:
        render_kw = {"autocomplete": "tel", "inputmode": "tel"}
    return Line(question.label, [_storable_text()], description=question.hint, render_kw=render_kw)


def budget_line_form(category_choices: tuple[tuple[str, str], ...], years: tuple[int, ...]) -> type[Form]:
    """A row of the budget table: category and year from the pool's own lists, text and an amount."""
    year_values = ["", *(str(year) for year in years)]
    period = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])

    class BudgetLineForm(SubForm):
        category_code = SelectField(
            "Kategori", choices=choices([("", "Vælg kategori"), *category_choices]), validate_choice=False,
            validators=[AnyOf(["", *(code for code, _ in category_choices)],
                              message="Vælg en af puljens kategorier.")])
        year = SelectField(
            "År", choices=choices((value, value or "Vælg år") for value in year_values), validate_choice=False,
            validators=[AnyOf(year_values, message=f"Vælg et år i perioden {period}.")])
        description = Line("Beskrivelse", [_storable_text()])
        amount_kr = WholeNumberField("Beløb (kr.)", minimum=0, unit=" kr.")

    return BudgetLineForm


@cache
def section_form_class(section: Section, category_choices: tuple[tuple[str, str], ...] = (),
                       years: tuple[int, ...] = ()) -> type[PortalForm]:
    """The form of one section; the budget section also gets its table of lines."""
    attributes = {question.name: _field_for(question) for question in section.questions}
    attributes["seen"] = HiddenField()
    if section.has_budget:
        attributes["budget"] = FieldList(FormField(budget_line_form(category_choices, years)), min_entries=1)
    return type(f"{section.key.title()}Form", (PortalForm,), attributes)


def readable_answers(form, section: Section) -> dict:
    """The answers the form could read; a field with an error is left out, so what was saved stays."""
    return {question.name: _stored(question, form[question.name].data)
            for question in section.questions if not form[question.name].errors}


def _stored(question: Question, value):
    if question.is_text:
        return value or ""
    if question.kind is Kind.CONFIRM:
        return bool(value)
    return value


def readable_budget(form, saved: Sequence[BudgetLineAnswer] = ()) -> list[BudgetLineAnswer]:
    """The budget rows as typed; a cell with an error keeps what `saved` holds on that line, else is empty."""
    lines = []
    for index, row in enumerate(form.budget):
        kept = saved[index] if index < len(saved) else None

        def cell(name, convert=lambda value: value):
            field = row[name]
            if field.errors:
                return getattr(kept, name) if kept else None
            return None if field.data in (None, "") else convert(field.data)

        lines.append(BudgetLineAnswer(
            category_code=cell("category_code"),
            year=cell("year", int),
            description=cell("description") or "",
            amount_kr=cell("amount_kr"),
        ))
    return lines


class ApplicationFilterForm(PortalForm):
    """The caseworkers' list: filters and order (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField("Status", choices=enum_choices(ApplicationStatus, "Alle"),
                         coerce=enum_or_none(ApplicationStatus))
    region = SelectField("Region", choices=enum_choices(Region, "Alle regioner"), coerce=enum_or_none(Region))
    amk = SelectField("Arbejdsmarkedskontor", choices=enum_choices(AMK, "Alle AMK"), coerce=enum_or_none(AMK))
    size_class = SelectField("Størrelse", choices=enum_choices(SizeClass, "Alle størrelser"),
                             coerce=enum_or_none(SizeClass))
    sort = SelectField("Sortér efter", choices=choices(SORTS.items()), default="kommune")


class ReopenForm(PortalForm):
    reason = TextAreaField("Begrundelse", validators=[required("Skriv begrundelsen for genåbningen."),
                                                     max_length(2000)],
                           description="Begrundelsen skrives i hændelsesloggen og sendes til kommunen.")
    deadline_at = LocalDateTimeField("Ny frist for kommunen", validators=[required("Skriv dato og klokkeslæt.")],
                                     description="Dansk tid. Kommunen kan ændre og indsende indtil da.")
