"""The reports' forms: the kommune's report (built for its kind and the pool's categories) and the staff's answers."""
from __future__ import annotations

from wtforms import IntegerField, SubmitField, TextAreaField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from portal.fields import DanishDateField, WholeNumberField, max_length, required
from portal.forms import PortalForm
from portal.reports.states import ReportKind
from portal.reports.template import FIGURES, NARRATIVES, STORED_TEXT_LIMIT


def spending_field(code: str) -> str:
    return f"spending_{code}"


def account_field(year: int, code: str) -> str:
    return f"account_{year}_{code}"


def narrative_field(key: str) -> str:
    return f"narrative_{key}"


class ReportForm(PortalForm):
    """A report as the kommune writes it. Every field may be empty in a draft; submission checks the rest."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    save = SubmitField("Gem kladde")
    submit = SubmitField("Gem og indsend")

    @classmethod
    def for_report(cls, kind: ReportKind, *, categories: list[tuple[str, str]],
                   account_lines: list[tuple[int, str, str]]) -> type[ReportForm]:
        """The form for a kind of report: the quarter's counts and spending per (code, name) category, or the
        final account per (year, code, name) line, and the kind's narrative questions."""
        fields = {}
        if kind is ReportKind.QUARTERLY:
            fields |= {figure.key: WholeNumberField(figure.label, minimum=0, description=figure.hint)
                       for figure in FIGURES}
            fields |= {spending_field(code): WholeNumberField(name, minimum=0, unit=" kr.")
                       for code, name in categories}
        if kind is ReportKind.FINAL:
            fields |= {account_field(year, code): WholeNumberField(f"{name} i {year}", minimum=0, unit=" kr.")
                       for year, code, name in account_lines}
        fields |= {narrative_field(item.key): TextAreaField(item.label, description=item.hint,
                                                            validators=[max_length(STORED_TEXT_LIMIT)])
                   for item in NARRATIVES[kind]}
        return type(cls.__name__, (cls,), fields)


class SendBackForm(PortalForm):
    comment = TextAreaField("Hvad skal kommunen rette?",
                            validators=[required("Skriv, hvad kommunen skal rette."), max_length(4000)],
                            description="Sendes til kommunen og står over rapporten, til den er rettet.")
    due_on = DanishDateField("Frist for rettelsen", validators=[required("Skriv en dato.")])


class PlanForm(PortalForm):
    """Move a report's due date, or waive it; the note says why and is shown to the kommune."""
    due_on = DanishDateField("Ny frist", validators=[required("Skriv en dato.")])
    note = TextAreaField("Begrundelse", validators=[required("Skriv begrundelsen."), max_length(2000)],
                         description="Kommunen kan se begrundelsen ved rapporten.")


class WaiveForm(PortalForm):
    note = TextAreaField("Begrundelse", validators=[required("Skriv, hvorfor rapporten udgår."), max_length(2000)])
