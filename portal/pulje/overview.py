"""What the front page and dashboards say about the pool at a given moment; pure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.pulje.timeline import COPENHAGEN, WindowState, application_window, days_left, describe_period, period_status


@dataclass(frozen=True)
class TimelineRow:
    title: str
    when: str
    note: str
    status: str  # 'done', 'now' or 'coming'


@dataclass(frozen=True)
class PoolOverview:
    window: WindowState
    days_left: int
    timeline: list[TimelineRow]

    @property
    def deadline_text(self) -> str:
        """The sentence under the deadline: how long is left, or that it has passed."""
        if self.window is WindowState.NOT_OPEN:
            return "Der er endnu ikke åbnet for ansøgninger."
        if self.window is WindowState.CLOSED:
            return "Ansøgningsfristen er overskredet."
        if self.days_left == 0:
            return "Fristen er i dag."
        if self.days_left == 1:
            return "Der er 1 dag til fristen."
        return f"Der er {self.days_left} dage til fristen."


def pool_overview(pool, now: datetime) -> PoolOverview:
    today = now.astimezone(COPENHAGEN).date()
    return PoolOverview(
        window=application_window(pool.applications_open_at, pool.application_deadline_at, now),
        days_left=days_left(pool.application_deadline_at, now),
        timeline=[
            TimelineRow(entry.title, describe_period(entry.starts_on, entry.ends_on), entry.note,
                        period_status(entry.starts_on, entry.ends_on, today))
            for entry in pool.timeline
        ],
    )
