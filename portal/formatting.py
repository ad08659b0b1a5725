"""Danish formatting of money, dates, times and weeks; pure functions, Europe/Copenhagen."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def format_kr(amount: int) -> str:
    """Whole kroner the Danish way: 800000 -> '800.000 kr.'"""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"amounts are whole kroner (int), got {amount!r}")
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + " kr."


def format_number(value: int) -> str:
    """A whole number with Danish thousands separators: 602481 -> '602.481'."""
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".")


def format_share(part: int, whole: int) -> str:
    """A share in percent with two decimals, half up, exact: (505, 5050) -> '10,00 %'; no whole -> '–'."""
    if whole <= 0:
        return "–"
    hundredths = (part * 10_000 * 2 + whole) // (2 * whole)
    return f"{hundredths // 100},{hundredths % 100:02d} %"


def local(moment: datetime) -> datetime:
    """An aware instant as Copenhagen wall-clock time."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes have no place in the portal")
    return moment.astimezone(COPENHAGEN)


def format_date(day: date | datetime) -> str:
    """'4. august 2017'; an instant is first turned into its Copenhagen date."""
    if isinstance(day, datetime):
        day = local(day).date()
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def format_weekday_date(day: date | datetime) -> str:
    """'fredag 4. august 2017'."""
    if isinstance(day, datetime):
        day = local(day).date()
    return f"{WEEKDAYS[day.weekday()]} {format_date(day)}"


def format_datetime(moment: datetime) -> str:
    """'4. august 2017 kl. 12.00', in Copenhagen time."""
    at = local(moment)
    return f"{format_date(at.date())} kl. {at:%H.%M}"


def format_time(moment: datetime) -> str:
    """'12.00', Copenhagen wall-clock time."""
    return f"{local(moment):%H.%M}"


def format_week(day: date | datetime) -> str:
    """The ISO week a day falls in: 'uge 31'."""
    if isinstance(day, datetime):
        day = local(day).date()
    return f"uge {day.isocalendar().week}"


def format_days(count: int) -> str:
    """'1 dag', '12 dage'."""
    return f"{count} dag" if abs(count) == 1 else f"{count} dage"


def danish_sort_key(name: str) -> str:
    """Sort names in Danish order: æ, ø, å after z, and a leading 'Aa' as 'Å' (Aarhus after Vordingborg)."""
    lowered = name.casefold()
    if lowered.startswith("aa"):
        lowered = "å" + lowered[2:]
    return lowered.translate(str.maketrans({"æ": "{", "ø": "|", "å": "}"}))


def file_name(*parts: object) -> str:
    """An ASCII file name stem from its parts: (657, 'Høje-Taastrup') -> '657-hoeje-taastrup'; æ, ø, å as ae, oe, aa."""
    danish = "-".join(str(part) for part in parts).lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    ascii_text = unicodedata.normalize("NFKD", danish).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
