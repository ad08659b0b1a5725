"""The success criteria from the database: each participating kommune's counted figures, ready for the measures."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal.applications.models import Application, Submission
from portal.extensions import db
from portal.formatting import danish_sort_key
from portal.grants.models import Grant
from portal.grants.states import GrantStatus
from portal.reports.measures import KommuneFigures, Quarter, QuarterFigures, Timeline, kommune_timeline, \
    off_track_reasons, others_timeline, pool_timeline
from portal.reports.models import Report
from portal.reports.plan import quarter_of
from portal.reports.states import ReportKind, ReportStatus
from portal.reports.template import FIGURE_KEYS, NARRATIVES


@dataclass(frozen=True)
class KommuneProgress:
    """One participating kommune: its figures, its measures, and how its reports stand."""
    grant: Grant
    figures: KommuneFigures
    timeline: Timeline
    submitted: int
    late: int
    midterm: Report | None

    @property
    def midterm_answers(self) -> list[tuple[str, str]]:
        """The submitted mid-term status as (question, answer), or nothing."""
        if self.midterm is None:
            return []
        return [(question.label, self.midterm.narrative.get(question.key, ""))
                for question in NARRATIVES[ReportKind.MIDTERM]]

    @property
    def off_track(self) -> list[str]:
        return off_track_reasons(self.timeline, late_reports=self.late)


@dataclass(frozen=True)
class PoolProgress:
    kommuner: list[KommuneProgress]
    pool: Timeline

    def others(self, code: int) -> Timeline:
        return others_timeline([item.figures for item in self.kommuner], code)

    def of(self, code: int) -> KommuneProgress | None:
        return next((item for item in self.kommuner if item.figures.code == code), None)


def _baseline(application: Application) -> int | None:
    """The baseline the kommune gave in the application it was granted on (its submitted version)."""
    submission = application.latest_submission
    value = submission.content["answers"].get("baseline_measure_permille") if submission else None
    return value if isinstance(value, int) else None


def quarter_figures(report: Report) -> QuarterFigures:
    return QuarterFigures(Quarter(report.period_to_on.year, quarter_of(report.period_to_on)),
                          **{key: getattr(report, key) or 0 for key in FIGURE_KEYS},
                          spent_kr=sum(amount or 0 for amount in report.spending.values()))


def pool_progress(pool, *, today: date) -> PoolProgress:
    """Every accepted grant's kommune with the figures of its counted quarterly reports (three queries)."""
    grants = list(db.session.scalars(
        sa.select(Grant).where(Grant.pool_id == pool.id, Grant.status == GrantStatus.ACCEPTED)
        .options(selectinload(Grant.kommune),
                 selectinload(Grant.application).selectinload(Application.submissions)
                 .defer(Submission.receipt_pdf))))
    reports: dict[int, list[Report]] = {grant.id: [] for grant in grants}
    for report in db.session.scalars(sa.select(Report).where(Report.grant_id.in_(reports))
                                     .order_by(Report.period_from_on, Report.id)):
        reports[report.grant_id].append(report)
    kommuner = []
    for grant in sorted(grants, key=lambda item: danish_sort_key(item.kommune.name)):
        own = reports[grant.id]
        figures = KommuneFigures(
            code=grant.kommune.code, name=grant.kommune.name, baseline_permille=_baseline(grant.application),
            grant_kr=grant.amount_kr,
            quarters=tuple(quarter_figures(report) for report in own
                           if report.kind is ReportKind.QUARTERLY and report.status.counts))
        kommuner.append(KommuneProgress(
            grant=grant, figures=figures, timeline=kommune_timeline(figures),
            submitted=sum(1 for report in own if report.status.counts),
            late=sum(1 for report in own if report.is_late(today)),
            midterm=next((report for report in own if report.kind is ReportKind.MIDTERM
                          and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)), None)))
    return PoolProgress(kommuner, pool_timeline([item.figures for item in kommuner]))
