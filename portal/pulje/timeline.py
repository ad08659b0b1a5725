"""Dates of the pool: ISO weeks, quarters, the application window and days left. Pure rules."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from portal.formatting import format_date

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class WindowState(str, Enum):
    NOT_OPEN = "not_open"
    OPEN = "open"
    CLOSED = "closed"


def week_bounds(year: int, week: int) -> tuple[date, date]:
    """Monday and Sunday of ISO week `week` of `year`."""
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter (1–4)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1–4")
    first = date(year, 3 * quarter - 2, 1)
    next_first = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, next_first - timedelta(days=1)


def application_window(opens_at: datetime, deadline_at: datetime, now: datetime) -> WindowState:
    """Open from `opens_at` (inclusive) until `deadline_at` (exclusive): a deadline at 12.00 means before noon."""
    if now < opens_at:
        return WindowState.NOT_OPEN
    if now < deadline_at:
        return WindowState.OPEN
    return WindowState.CLOSED


def days_left(deadline_at: datetime, now: datetime) -> int:
    """Whole calendar days in Copenhagen from today to the deadline's day: 0 on the day itself."""
    return (deadline_at.astimezone(COPENHAGEN).date() - now.astimezone(COPENHAGEN).date()).days


def _quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def describe_period(starts_on: date, ends_on: date) -> str:
    """A period in the words an agency's timeline uses.

    A single day -> '1. oktober 2017'; whole ISO weeks -> 'uge 31' or 'uge 40–43' (with the year);
    whole quarters -> '4. kvartal 2017' or '2.–4. kvartal 2018'; anything else -> a date range.
    """
    if ends_on < starts_on:
        raise ValueError("a period cannot end before it starts")
    if starts_on == ends_on:
        return format_date(starts_on)
    # Quarters before weeks: a quarter that happens to run Monday to Sunday (2. kvartal 2019) is
    # still a quarter, not 'uge 14–26'.
    first_q, last_q = _quarter_of(starts_on), _quarter_of(ends_on)
    if (
        starts_on == quarter_bounds(starts_on.year, first_q)[0]
        and ends_on == quarter_bounds(ends_on.year, last_q)[1]
    ):
        if starts_on.year != ends_on.year:
            return f"{first_q}. kvartal {starts_on.year} – {last_q}. kvartal {ends_on.year}"
        if first_q == last_q:
            return f"{first_q}. kvartal {starts_on.year}"
        return f"{first_q}.–{last_q}. kvartal {starts_on.year}"
    start_iso, end_iso = starts_on.isocalendar(), ends_on.isocalendar()
    if start_iso.weekday == 1 and end_iso.weekday == 7 and start_iso.year == end_iso.year:
        weeks = f"uge {start_iso.week}" if start_iso.week == end_iso.week else f"uge {start_iso.week}–{end_iso.week}"
        return f"{weeks} {start_iso.year}"
    return f"{format_date(starts_on)} – {format_date(ends_on)}"


def period_status(starts_on: date, ends_on: date, today: date) -> str:
    """'done', 'now' or 'coming': where a timeline entry stands on `today`."""
    if today > ends_on:
        return "done"
    if today >= starts_on:
        return "now"
    return "coming"
