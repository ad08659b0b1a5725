"""Form fields that read Danish input ('9.000.000 kr.', '4-8-2017') and complain in Danish."""
from __future__ import annotations

import re
from datetime import date, datetime

from wtforms import Field, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length
from wtforms.widgets import TextInput

from portal.clock import COPENHAGEN

REQUIRED = "Udfyld feltet."


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the options of a SelectField or RadioField."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def enum_choices(enum_cls, everything: str) -> list[SelectChoice]:
    """A filter's options: 'everything' first, then each member by its label."""
    return choices([("", everything)] + [(member.value, member.label) for member in enum_cls])


def enum_or_none(enum_cls):
    """A SelectField coerce for enum_choices: the member, or None for 'everything'."""
    return lambda value: enum_cls(value) if value else None


def required(message: str = REQUIRED) -> InputRequired:
    return InputRequired(message=message)


def max_length(limit: int) -> Length:
    return Length(max=limit, message=f"Teksten må højst være på {limit} tegn.")


def email_address() -> Email:
    return Email(message="Skriv en gyldig e-mailadresse, fx navn@kommune.dk.", check_deliverability=False)


class WholeNumberField(Field):
    """A whole number; accepts Danish thousands separators ('1.845') and a trailing 'kr.'."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, minimum: int | None = None, maximum: int | None = None,
                 unit: str = "", **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "numeric")
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum
        self.unit = unit

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:,}".replace(",", ".")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip()
        if text == "":
            self.data = None
            return
        cleaned = re.sub(r"(\s|kr\.?$)", "", text, flags=re.IGNORECASE)
        if not re.fullmatch(r"-?\d{1,3}(\.\d{3})+|-?\d+", cleaned):
            self.data = None
            raise ValueError("Skriv et helt tal uden decimaler, fx 800000 eller 800.000.")
        self.data = int(cleaned.replace(".", ""))

    def pre_validate(self, form):
        if self.data is not None and self.minimum is not None and self.data < self.minimum:
            message = f"Tallet skal være mindst {self.minimum:,}{self.unit}".replace(",", ".")
            # A unit that ends in a period (' kr.') already closes the sentence.
            raise ValidationError(message if message.endswith(".") else f"{message}.")
        if self.data is not None and self.maximum is not None and self.data > self.maximum:
            message = f"Tallet må højst være {self.maximum:,}{self.unit}".replace(",", ".")
            raise ValidationError(message if message.endswith(".") else f"{message}.")


class DanishDateField(StringField):
    """A date as the HTML date input sends it (2017-08-04) or as Danes write it (4-8-2017, 4.8.2017)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("type", "date")
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                self.data = date.fromisoformat(text)
            else:
                # The year must have four digits: '4-8-17' would otherwise quietly become the year 17.
                match = re.fullmatch(r"(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})", text)
                if match is None:
                    raise ValueError(text)
                day, month, year = (int(part) for part in match.groups())
                self.data = date(year, month, day)
        except ValueError:
            self.data = None
            raise ValueError("Skriv en gyldig dato, fx 4-8-2017.") from None


class LocalDateTimeField(StringField):
    """A moment typed in Copenhagen wall-clock time; `data` is timezone-aware."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("type", "datetime-local")
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M") if isinstance(self.data, datetime) else ""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = datetime.strptime(valuelist[0].strip(), "%Y-%m-%dT%H:%M").replace(tzinfo=COPENHAGEN)
        except ValueError:
            self.data = None
            raise ValueError("Skriv dato og klokkeslæt, fx 2017-08-04 kl. 12:00.") from None


class TenthsField(Field):
    """A number with at most one decimal ('3', '3,5'); `data` is in tenths (35), within `minimum`–`maximum` tenths."""

    widget = TextInput()
    format_message = "Skriv et tal med højst én decimal, fx 3 eller 3,5."
    range_message = "Tallet er uden for det tilladte interval."

    def __init__(self, label=None, validators=None, *, minimum: int = 0, maximum: int = 1000, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "decimal")
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        whole, tenth = divmod(self.data, 10)
        return str(whole) if tenth == 0 else f"{whole},{tenth}"

    def _clean(self, text: str) -> str:
        return re.sub(r"\s", "", text)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = self._clean(valuelist[0])
        if text == "":
            self.data = None
            return
        match = re.fullmatch(r"(\d{1,3})(?:[,.](\d))?", text)
        if match is None:
            self.data = None
            raise ValueError(self.format_message)
        self.data = int(match.group(1)) * 10 + int(match.group(2) or 0)

    def pre_validate(self, form):
        if self.data is not None and not self.minimum <= self.data <= self.maximum:
            raise ValidationError(self.range_message)


class PercentField(TenthsField):
    """A share typed in percent ('23', '23,5', '23,5 %'); `data` is tenths of a percent (235), 0–1000."""

    format_message = "Skriv en andel i procent med højst én decimal, fx 23 eller 23,5."
    range_message = "Andelen skal være mellem 0 og 100 %."

    def _clean(self, text: str) -> str:
        return re.sub(r"\s|%", "", text)
