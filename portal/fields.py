"""Form fields that read Danish input ('9.000.000 kr.', '4-8-2017') and complain in Danish; the cleaning every
text sent to a form gets, and WTForms' own messages in Danish."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from wtforms import Field, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, StopValidation
from wtforms.widgets import HiddenInput, TextInput

from portal.clock import COPENHAGEN

REQUIRED = "Udfyld feltet."

# The largest whole number a form takes: far above any amount or count of the pool, and inside the
# database's 32-bit integers, so a pasted 2**63 is refused at its field instead of failing in the database.
LARGEST_NUMBER = 1_000_000_000
# The years a date may have: the pool runs 2017-2019; a year 1 or 9999 is a typing error, and would overflow
# the arithmetic on dates (a deadline plus 14 days, a Copenhagen time in UTC).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099

# C0 and C1 control characters other than tab and line feed, lone surrogates and the non-characters U+FFFE and
# U+FFFF: PostgreSQL refuses NUL in text, XML (XLSX) refuses most of the others, and none can be typed.
_UNTYPABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Text as the portal keeps it: line breaks as LF (a browser sends CRLF), no control characters but tab and
    line feed, no lone surrogates or non-characters, and composed (NFC), so 'é' is one character however typed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _UNTYPABLE.sub("", value))


# WTForms' own messages (choices, coercion, lengths), for the few fields that use them.
DANISH_MESSAGES = {
    "This field is required.": "Udfyld feltet.",
    "Invalid input.": "Ugyldig værdi.",
    "Not a valid choice.": "Vælg en af mulighederne.",
    "Invalid Choice: could not coerce.": "Vælg en af mulighederne.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Vælg blandt mulighederne.",
    "'%(value)s' is not a valid choice for this field.": "Vælg blandt mulighederne.",
    "'%(value)s' are not valid choices for this field.": "Vælg blandt mulighederne.",
    "Choices cannot be None.": "Der er ingen muligheder at vælge imellem.",
    "Not a valid integer value.": "Skriv et helt tal.",
    "Not a valid decimal value.": "Skriv et tal.",
    "Not a valid float value.": "Skriv et tal.",
    "Not a valid date value.": "Skriv en gyldig dato, fx 4-8-2017.",
    "Not a valid datetime value.": "Skriv dato og klokkeslæt, fx 2017-08-04 kl. 12:00.",
    "Not a valid time value.": "Skriv et klokkeslæt, fx 12:00.",
    "Invalid email address.": "Skriv en gyldig e-mailadresse, fx navn@kommune.dk.",
    "Field must be equal to %(other_name)s.": "Felterne er ikke ens.",
    "Field cannot be longer than %(max)d character.": "Teksten må højst være på %(max)d tegn.",
    "Field cannot be longer than %(max)d characters.": "Teksten må højst være på %(max)d tegn.",
    "Field must be at least %(min)d character long.": "Teksten skal være på mindst %(min)d tegn.",
    "Field must be at least %(min)d characters long.": "Teksten skal være på mindst %(min)d tegn.",
    "Field must be between %(min)d and %(max)d characters long.": "Teksten skal være på %(min)d til %(max)d tegn.",
    "Number must be at least %(min)s.": "Tallet skal være mindst %(min)s.",
    "Number must be at most %(max)s.": "Tallet må højst være %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Tallet skal være mellem %(min)s og %(max)s.",
    "This field cannot be edited.": "Feltet kan ikke ændres.",
    "This field is disabled and cannot have a value.": "Feltet kan ikke udfyldes.",
}


class DanishTranslations:
    """The gettext WTForms asks for its messages: Danish where we have it (an unknown message stays as is)."""

    def gettext(self, string: str) -> str:
        return DANISH_MESSAGES.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


DANISH = DanishTranslations()


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the options of a SelectField or RadioField."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def enum_choices(enum_cls, everything: str) -> list[SelectChoice]:
    """A filter's options: 'everything' first, then each member by its label."""
    return choices([("", everything)] + [(member.value, member.label) for member in enum_cls])


def enum_or_none(enum_cls):
    """A SelectField coerce for enum_choices: the member, or None for 'everything'."""
    return lambda value: enum_cls(value) if value else None


class Required:
    """The field must be filled in: like WTForms' InputRequired, but blanks alone count as nothing typed."""

    field_flags = {"required": True}

    def __init__(self, message: str = REQUIRED) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        typed = field.raw_data[0] if field.raw_data else ""
        if not (typed.strip() if isinstance(typed, str) else typed):
            field.errors[:] = []  # 'Udfyld feltet' says it all; a parse error of nothing says less
            raise StopValidation(self.message)


def required(message: str = REQUIRED) -> Required:
    return Required(message)


def max_length(limit: int) -> Length:
    return Length(max=limit, message=f"Teksten må højst være på {limit} tegn.")


def email_address() -> Email:
    return Email(message="Skriv en gyldig e-mailadresse, fx navn@kommune.dk.", check_deliverability=False)


class WholeNumberField(Field):
    """A whole number; accepts Danish thousands separators ('1.845') and a trailing 'kr.'. Without a `maximum`
    (`minimum`) it still stays within ±LARGEST_NUMBER."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, minimum: int | None = -LARGEST_NUMBER,
                 maximum: int | None = LARGEST_NUMBER, unit: str = "", **kwargs):
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
        if not re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{3})+|-?[0-9]+", cleaned):
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

    holds_text = False  # `data` is a date or None, never ''

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
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                self.data = date.fromisoformat(text)
            else:
                # The year must have four digits: '4-8-17' would otherwise quietly become the year 17.
                match = re.fullmatch(r"([0-9]{1,2})[.\-/]([0-9]{1,2})[.\-/]([0-9]{4})", text)
                if match is None:
                    raise ValueError(text)
                day, month, year = (int(part) for part in match.groups())
                self.data = date(year, month, day)
        except ValueError:
            self.data = None
            raise ValueError("Skriv en gyldig dato, fx 4-8-2017.") from None
        if not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            self.data = None
            raise ValueError(f"Skriv en dato mellem år {EARLIEST_YEAR} og {LATEST_YEAR}.")


class LocalDateTimeField(StringField):
    """A moment typed in Copenhagen wall-clock time; `data` is timezone-aware."""

    holds_text = False  # `data` is a datetime or None, never ''

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
        text = valuelist[0].strip()
        try:
            if not text.isascii():
                raise ValueError(text)
            self.data = datetime.strptime(text, "%Y-%m-%dT%H:%M").replace(tzinfo=COPENHAGEN)
        except ValueError:
            self.data = None
            raise ValueError("Skriv dato og klokkeslæt, fx 2017-08-04 kl. 12:00.") from None
        if not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            self.data = None
            raise ValueError(f"Skriv et tidspunkt mellem år {EARLIEST_YEAR} og {LATEST_YEAR}.")


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
        match = re.fullmatch(r"([0-9]{1,3})(?:[,.]([0-9]))?", text)
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


class VersionField(Field):
    """The hidden version of the object the form was opened on; anything but a whole number reads as 0, so the
    save is refused as stale (someone else's change) instead of failing."""

    widget = HiddenInput()

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist and isinstance(valuelist[0], str) else ""
        self.data = int(text) if re.fullmatch(r"[0-9]{1,18}", text) else 0
