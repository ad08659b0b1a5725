"""The portal clock: a shifted clock starts at its moment and runs forward; PORTAL_CLOCK is parsed strictly."""
import time
from datetime import datetime, timedelta, timezone

import pytest

from portal.clock import COPENHAGEN, FrozenClock, ShiftedClock, SystemClock, aware, clock_from_setting


def test_shifted_clock_starts_at_its_moment_and_runs_forward():
    start = datetime(2017, 7, 24, 9, 0, tzinfo=COPENHAGEN)
    clock = ShiftedClock(start)

    first = clock.now()
    time.sleep(0.01)
    second = clock.now()

    assert timedelta(0) <= first - start < timedelta(seconds=1)
    assert second > first


def test_clock_from_setting_reads_an_iso_datetime_and_naive_means_copenhagen():
    clock = clock_from_setting("2017-07-24T09:00")

    assert abs(clock.now() - datetime(2017, 7, 24, 7, 0, tzinfo=timezone.utc)) < timedelta(seconds=1)
    assert clock.is_shifted is True


def test_clock_from_empty_setting_is_real_time():
    assert isinstance(clock_from_setting(""), SystemClock)


def test_clock_from_a_bad_setting_says_what_it_needs():
    with pytest.raises(ValueError, match="PORTAL_CLOCK must be an ISO datetime"):
        clock_from_setting("24. juli 2017")


def test_frozen_clock_stands_still_until_moved():
    clock = FrozenClock(datetime(2017, 8, 4, 11, 59, tzinfo=COPENHAGEN))

    clock.advance(timedelta(minutes=1))

    assert clock.now() == aware(datetime(2017, 8, 4, 12, 0)) == datetime(2017, 8, 4, 10, 0, tzinfo=timezone.utc)
