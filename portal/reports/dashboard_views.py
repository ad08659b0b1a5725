"""The success criteria: the agency's dashboard over every kommune, each kommune's own figures, the exports."""
from __future__ import annotations

from fractions import Fraction

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from portal import clock, permissions
from portal.exports.tabular import EXPORT_MIMETYPES, to_csv, to_xlsx
from portal.pulje.services import get_pool
from portal.reports import charts, documents
from portal.reports.export import measure_columns, measure_rows
from portal.reports.measures import EARLY_MEASURE_GOAL_POINTS, WORKPLACE_GOAL, Ratio, Timeline
from portal.reports.progress import KommuneProgress, PoolProgress, pool_progress
from portal.viewhelpers import download, permission_required

blueprint = Blueprint("success", __name__)


def _percent(ratio: Ratio) -> Fraction | None:
    value = ratio.value
    return None if value is None else value * 100


def comparison_charts(own: KommuneProgress, others: Timeline) -> list[dict]:
    """Two trend charts of one kommune against the others, cumulative per quarter, with the goals drawn."""
    baseline = own.timeline.total.baseline
    series = [(own.timeline, own.figures.name), (others, others.name)]
    return [
        dict(heading="Første samtaler på arbejdspladsen", svg=charts.trend_chart(
            [charts.Series(name, [(row.quarter.label, _percent(row.cumulative.workplace)) for row in timeline.rows])
             for timeline, name in series],
            title=f"Andel af første samtaler holdt på arbejdspladsen, {own.figures.name} og de øvrige, akkumuleret",
            id_prefix="chart-workplace", goal=WORKPLACE_GOAL * 100, goal_label="Mål 70 %")),
        dict(heading="Virksomhedsrettet indsats inden uge 13", svg=charts.trend_chart(
            [charts.Series(name, [(row.quarter.label, _percent(row.cumulative.early_measure))
                                  for row in timeline.rows]) for timeline, name in series],
            title=f"Andel med virksomhedsrettet indsats inden uge 13, {own.figures.name} og de øvrige, akkumuleret",
            id_prefix="chart-early",
            goal=None if baseline is None else baseline * 100 + EARLY_MEASURE_GOAL_POINTS,
            goal_label="" if baseline is None else f"Mål for {own.figures.name}: udgangspunkt + 10 procentpoint")),
    ]


def overview_charts(progress: PoolProgress, highlighted: int | None) -> list[dict]:
    """A bar per kommune for each success criterion (cumulative), off-track bars marked."""
    def bars(value, flagged):
        return [charts.Bar(item.figures.name, value(item.timeline.total), flagged=flagged(item.timeline.total),
                           highlighted=item.figures.code == highlighted) for item in progress.kommuner]

    def below(goal):
        return lambda value: value is not None and value < goal

    workplace_below, early_below = below(WORKPLACE_GOAL), below(EARLY_MEASURE_GOAL_POINTS)
    return [
        dict(heading="Første samtaler på arbejdspladsen", svg=charts.bar_chart(
            bars(lambda total: _percent(total.workplace), lambda total: workplace_below(total.workplace.value)),
            title="Andel af første samtaler på arbejdspladsen pr. kommune", id_prefix="bars-workplace",
            goal=WORKPLACE_GOAL * 100, goal_label="Mål 70 %")),
        dict(heading="Virksomhedsrettet indsats inden uge 13, ændring mod udgangspunktet", svg=charts.bar_chart(
            bars(lambda total: total.early_measure_change, lambda total: early_below(total.early_measure_change)),
            title="Ændring i procentpoint i andelen med virksomhedsrettet indsats inden uge 13 pr. kommune",
            id_prefix="bars-early", goal=EARLY_MEASURE_GOAL_POINTS, goal_label="Mål +10", unit="procentpoint")),
        dict(heading="Arbejdsgiveren med i samtalen", svg=charts.bar_chart(
            bars(lambda total: _percent(total.employer), lambda total: False),
            title="Andel af første samtaler med arbejdsgiveren til stede pr. kommune", id_prefix="bars-employer")),
        dict(heading="Forbrug af tilsagnet", svg=charts.bar_chart(
            bars(lambda total: _percent(total.spending), lambda total: False),
            title="Forbrug i procent af tilsagnet pr. kommune", id_prefix="bars-spending")),
    ]


@blueprint.route("/succeskriterier")
@permission_required(permissions.can_manage_reports)
def dashboard():
    progress = pool_progress(get_pool(), today=clock.local_now().date())
    chosen = progress.of(request.args.get("kommune", type=int) or 0) if progress.kommuner else None
    return render_template(
        "reports/dashboard.html", progress=progress, chosen=chosen, charts=overview_charts(
            progress, chosen.figures.code if chosen else None),
        comparison=comparison_charts(chosen, progress.others(chosen.figures.code)) if chosen else [],
        others=progress.others(chosen.figures.code) if chosen else None)


@blueprint.route("/mine-resultater")
@permission_required(permissions.is_kommune_user)
def mine():
    progress = pool_progress(get_pool(), today=clock.local_now().date())
    own = progress.of(current_user.kommune.code)
    if own is None:
        abort(404)
    others = progress.others(own.figures.code)
    return render_template("reports/my_results.html", own=own, others=others,
                           comparison=comparison_charts(own, others))


@blueprint.route("/succeskriterier/maal.<any(csv, xlsx):kind>")
@permission_required(permissions.can_manage_reports)
def export(kind: str):
    progress = pool_progress(get_pool(), today=clock.local_now().date())
    rows = measure_rows([(None, progress.pool), *((item.figures.code, item.timeline) for item in progress.kommuner)])
    data = (to_csv(rows, measure_columns()) if kind == "csv"
            else to_xlsx(rows, measure_columns(), sheet_title="Succeskriterier"))
    return download(data, f"succeskriterier-{clock.local_now().strftime('%Y-%m-%d')}.{kind}", EXPORT_MIMETYPES[kind])


@blueprint.route("/succeskriterier/midtvejsstatus.pdf")
@permission_required(permissions.can_manage_reports)
def midterm_status():
    pool = get_pool()
    progress = pool_progress(pool, today=clock.local_now().date())
    return download(documents.midterm_status_pdf(documents.PoolStatus(
        pool_name=pool.name, journal_number=pool.journal_number, made_at=clock.now(), pool=progress.pool,
        kommuner=[documents.KommuneStatus(
            timeline=item.timeline, baseline_permille=item.figures.baseline_permille,
            reports_submitted=item.submitted, reports_late=item.late,
            narratives=item.midterm_answers) for item in progress.kommuner])),
        f"midtvejsstatus-{clock.local_now().strftime('%Y-%m-%d')}.pdf", "application/pdf")

