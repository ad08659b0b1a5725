"""The portal's one clock: every domain rule asks it for the time, never datetime.now().

Three kinds: the system clock; a clock started at a chosen moment that then runs forward
(PORTAL_CLOCK, for demonstrating any phase of the 2017 timeline); and a frozen clock for tests.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class SystemClock:
    """Real time."""

    is_shifted = False

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class ShiftedClock:
    """Starts at `start` when created and runs forward at the speed of real time."""

    is_shifted = True

    def __init__(self, start: datetime) -> None:
        self._offset = start - datetime.now(timezone.utc)

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self._offset


class FrozenClock:
    """Stands still at `at` until told to move; for tests on either side of a deadline."""

    is_shifted = True

    def __init__(self, at: datetime) -> None:
        self.set(at)

    def set(self, at: datetime) -> None:
        self._at = aware(at)

    def advance(self, delta: timedelta) -> None:
        self._at += delta

    def now(self) -> datetime:
        return self._at


def aware(moment: datetime) -> datetime:
    """A datetime with a zone, in UTC; a naive one is read as Copenhagen local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=COPENHAGEN)
    return moment.astimezone(timezone.utc)


def clock_from_setting(setting: str | None):
    """The clock PORTAL_CLOCK asks for: an ISO datetime starts a shifted clock, empty is real time."""
    if not setting:
        return SystemClock()
    try:
        start = datetime.fromisoformat(setting)
    except ValueError as error:
        raise ValueError(f"PORTAL_CLOCK must be an ISO datetime, got {setting!r}") from error
    return ShiftedClock(aware(start))


def get_clock():
    return current_app.extensions["portal_clock"]


def now() -> datetime:
    """The portal's present moment, timezone-aware, in UTC."""
    return get_clock().now()


def local_now() -> datetime:
    """The portal's present moment in Europe/Copenhagen."""
    return now().astimezone(COPENHAGEN)
