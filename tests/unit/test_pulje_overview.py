"""Unit tests for portal.pulje.overview: what the pages say about the pool at a given moment."""
from __future__ import annotations

from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from portal.pulje.overview import TimelineRow, pool_overview
from portal.pulje.timeline import COPENHAGEN, WindowState


def _pool(timeline=()) -> SimpleNamespace:
    return SimpleNamespace(
        applications_open_at=datetime(2017, 5, 29, 9, 0, tzinfo=COPENHAGEN),
        application_deadline_at=datetime(2017, 8, 4, 12, 0, tzinfo=COPENHAGEN),
        timeline=list(timeline),
    )


@pytest.mark.parametrize(
    ("now", "window", "days", "text"),
    [
        (datetime(2017, 5, 29, 8, 59, tzinfo=COPENHAGEN), WindowState.NOT_OPEN, 67,
         "Der er endnu ikke åbnet for ansøgninger."),
        (datetime(2017, 7, 24, 10, 0, tzinfo=COPENHAGEN), WindowState.OPEN, 11, "Der er 11 dage til fristen."),
        (datetime(2017, 8, 3, 15, 0, tzinfo=COPENHAGEN), WindowState.OPEN, 1, "Der er 1 dag til fristen."),
        (datetime(2017, 8, 4, 11, 59, tzinfo=COPENHAGEN), WindowState.OPEN, 0, "Fristen er i dag."),
        # 23:30 UTC on 3 August is already the deadline's day in Copenhagen.
        (datetime(2017, 8, 3, 23, 30, tzinfo=timezone.utc), WindowState.OPEN, 0, "Fristen er i dag."),
        (datetime(2017, 8, 4, 12, 0, tzinfo=COPENHAGEN), WindowState.CLOSED, 0, "Ansøgningsfristen er overskredet."),
        (datetime(2017, 9, 1, 12, 0, tzinfo=COPENHAGEN), WindowState.CLOSED, -28, "Ansøgningsfristen er overskredet."),
    ],
)
def test_pool_overview_moment_gives_window_and_deadline_text(now, window, days, text):
    # Arrange
    pool = _pool()

    # Act
    overview = pool_overview(pool, now)

    # Assert
    assert (overview.window, overview.days_left, overview.deadline_text) == (window, days, text)


def test_pool_overview_timeline_rows_describe_period_and_status():
    # Arrange
    pool = _pool([
        SimpleNamespace(title="Ansøgningsfrist", starts_on=date(2017, 7, 31), ends_on=date(2017, 8, 6),
                        note="Fredag 4. august 2017 kl. 12.00"),
        SimpleNamespace(title="Udvælgelse af kommuner", starts_on=date(2017, 8, 14), ends_on=date(2017, 8, 20),
                        note=""),
        SimpleNamespace(title="Netværksmøder", starts_on=date(2017, 10, 1), ends_on=date(2018, 6, 30),
                        note="Ét møde pr. AMK i hvert kvartal"),
    ])
    # 22:30 UTC on Sunday 13 August is Monday 14 August in Copenhagen.
    now = datetime(2017, 8, 13, 22, 30, tzinfo=timezone.utc)

    # Act
    overview = pool_overview(pool, now)

    # Assert
    assert overview.timeline == [
        TimelineRow("Ansøgningsfrist", "uge 31 2017", "Fredag 4. august 2017 kl. 12.00", "done"),
        TimelineRow("Udvælgelse af kommuner", "uge 33 2017", "", "now"),
        TimelineRow("Netværksmøder", "4. kvartal 2017 – 2. kvartal 2018", "Ét møde pr. AMK i hvert kvartal", "coming"),
    ]
