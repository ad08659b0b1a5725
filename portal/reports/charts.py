"""Line and bar charts of the success criteria as inline SVG, readable without colour; pure.

Values arrive in display units (72,5 for 72,5 %, or percentage points) as exact fractions, None for
"Ingen data". Series differ in marker shape and dash pattern, flagged bars in a hatch and a word, and
every value is written out, so nothing depends on colour alone (WCAG 1.4.1). Every user text is
escaped, so the output is well-formed XML whatever the names hold.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import count, groupby
from xml.sax.saxutils import escape

from portal.reports.measures import NO_DATA, format_percent, format_points

PERCENT = "%"
UNDER_GOAL = "under mål"
SERIES_WITHOUT_DATA = "(ingen data)"

WIDTH = 640              # user units across; the viewBox makes the SVG scale to any width
FONT_SIZE = 12
GRIDLINES = 5
LEGEND_ROW = 22
TREND_LEFT, TREND_TOP, TREND_WIDTH, TREND_HEIGHT = 64, 24, 476, 240
X_LABEL_ROOM = 84        # below the line chart, for quarter labels written at 45°
END_LABEL_GAP = 14       # the least vertical distance between two end-of-line value labels
MARKER_SIZE = 5
BAR_LEFT, BAR_TOP, BAR_AREA = 170, 30, 330   # the name column, room for the goal label, the bars' span
ROW, BAR_THICKNESS = 26, 16

TEXT_COLOUR = "#222222"
GRID_COLOUR = "#d9d9d9"
BAR_COLOUR = "#1b3d6d"
FLAG_COLOUR = "#a12a2a"

# Characters XML 1.0 forbids even when escaped; a name holding one would make the document unreadable.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[str, Fraction | None]]   # (x label such as "4. kvt. 2017", value or None)


@dataclass(frozen=True)
class Bar:
    name: str
    value: Fraction | None
    flagged: bool = False      # off track: hatched, and "under mål" after the value
    highlighted: bool = False  # the kommune being looked at: bold name, thick outline


@dataclass(frozen=True)
class _Style:
    colour: str
    dash: str | None
    marker: str

    @property
    def stroke(self) -> str:
        """The line's attributes: colour, width and dash pattern."""
        return f'stroke="{self.colour}" stroke-width="2"' + (f' stroke-dasharray="{self.dash}"' if self.dash else "")


# By position: the kommune looked at, what it is compared with, the pool.
STYLES = (_Style("#1b3d6d", None, "circle"), _Style(FLAG_COLOUR, "7 4", "square"), _Style("#595959", "2 3", "diamond"))


def format_value(value: Fraction | None, unit: str = PERCENT) -> str:
    """'72,5 %' for percent, '+12,3' / '-2,0' for any other unit (points), 'Ingen data' for None; half up."""
    if value is None:
        return NO_DATA
    if unit == PERCENT:
        return format_percent(value / 100)
    return format_points(value).removesuffix(" procentpoint")


def _tick(value: Fraction, unit: str) -> str:
    """An axis label without a needless decimal: '70 %', '+10', '0', '12,5 %'."""
    text = re.sub(r",0(?!\d)", "", format_value(value, unit))
    return "0" if text in ("+0", "-0") else text


def _number(value: float) -> str:
    """A coordinate with one decimal and no trailing zero, which keeps the SVG small and stable."""
    return f"{float(value):.1f}".removesuffix(".0")


def _text(value: str) -> str:
    """User text as XML character data; ids are checked and never user text, so no attribute holds any."""
    return escape(_NOT_XML.sub("", value))


def _join(items: Sequence[str]) -> str:
    """'a', 'a og b', 'a, b og c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def _steps() -> Iterator[Fraction]:
    """Round gridline steps in increasing order: 1 2 2,5 3 4 5 10 20 25 …"""
    for power in count():
        for mantissa in (1, 2, Fraction(5, 2), 3, 4, 5):
            yield mantissa * Fraction(10) ** power


def _round_range(low: Fraction, high: Fraction) -> tuple[Fraction, Fraction]:
    """The narrowest range from a multiple of a round step, GRIDLINES - 1 steps wide, holding low..high.

    The range is at least one unit per step, so values close together (often all 0) get whole-unit ticks.
    """
    intervals = GRIDLINES - 1
    high = max(high, low + intervals)
    step = next(step for step in _steps() if math.floor(low / step) * step + step * intervals >= high)
    start = Fraction(math.floor(low / step) * step)
    return start, start + step * intervals


def _axis(values: Sequence[Fraction], *, unit: str, minimum: Fraction | None = None,
          maximum: Fraction | None = None) -> tuple[Fraction, Fraction]:
    """The value axis: the given ends, else 0..100 for percent, else the values' span (with 0 at the bottom
    end) in round numbers; widened to round numbers when a value falls outside."""
    if minimum is not None and maximum is not None and minimum >= maximum:
        raise ValueError(f"minimum {minimum} is not below maximum {maximum}")
    percent = unit == PERCENT
    low = Fraction(minimum if minimum is not None else 0 if percent else min([*values, 0]))
    high = Fraction(maximum if maximum is not None else 100 if percent else max(values, default=0))
    fixed = (minimum is not None or percent) and (maximum is not None or percent)
    if fixed and all(low <= value <= high for value in values):
        return low, high
    return _round_range(min([low, *values]), max([high, *values]))


def _ticks(low: Fraction, high: Fraction) -> list[Fraction]:
    return [low + (high - low) * index / (GRIDLINES - 1) for index in range(GRIDLINES)]


def _open(*, height: float, id_prefix: str, title: str, desc: str) -> list[str]:
    """The SVG element, its title and its description, named by aria-labelledby."""
    if not _ID.fullmatch(id_prefix):
        raise ValueError(f"id_prefix {id_prefix!r} must be a letter followed by letters, digits, - or _")
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_number(height)}" width="100%" '
            f'role="img" aria-labelledby="{title_id} {desc_id}" font-family="sans-serif" font-size="{FONT_SIZE}" '
            f'fill="{TEXT_COLOUR}" stroke-linejoin="round">',
            f'<title id="{title_id}">{_text(title)}</title>', f'<desc id="{desc_id}">{_text(desc)}</desc>']


def _marker(style: _Style, x: float, y: float) -> str:
    """A filled circle, a hollow square or a filled diamond."""
    size = MARKER_SIZE
    if style.marker == "circle":
        return f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{size - 0.5}" fill="{style.colour}"/>'
    if style.marker == "square":
        return (f'<rect x="{_number(x - size + 1)}" y="{_number(y - size + 1)}" width="{2 * size - 2}" '
                f'height="{2 * size - 2}" fill="#fff" stroke="{style.colour}" stroke-width="2"/>')
    corners = ((x, y - size - 1), (x + size + 1, y), (x, y + size + 1), (x - size - 1, y))
    return (f'<polygon points="{" ".join(f"{_number(a)},{_number(b)}" for a, b in corners)}" '
            f'fill="{style.colour}"/>')


def _halo(colour: str = TEXT_COLOUR) -> str:
    """A white outline behind a label, so a line crossing it does not hide it."""
    return f'fill="{colour}" stroke="#fff" stroke-width="3" paint-order="stroke"'


def _runs(points: Sequence[tuple[str, Fraction | None]]) -> list[list[tuple[str, Fraction]]]:
    """The stretches of a series between None values, each drawn as one line."""
    return [list(run) for known, run in groupby(points, key=lambda point: point[1] is not None) if known]


def _last(points: Sequence[tuple[str, Fraction | None]]) -> tuple[str, Fraction] | None:
    """The last point with a value."""
    return next(((label, value) for label, value in reversed(points) if value is not None), None)


def _trend_description(series: Sequence[Series], labels: Sequence[str], unit: str, goal: Fraction | None) -> str:
    """'Linjediagram fra 1. kvt. 2017 til 4. kvt. 2018; seneste værdi: Herning 72,5 % (4. kvt. 2018) …; mål 70,0 %.'"""
    if not labels:
        return "Linjediagram uden data."
    latest = []
    for line in series:
        last = _last(line.points)
        latest.append(f"{line.name} {NO_DATA.lower()}" if last is None
                      else f"{line.name} {format_value(last[1], unit)} ({last[0]})")
    span = labels[0] if len(labels) == 1 else f"{labels[0]} til {labels[-1]}"
    goal_text = "" if goal is None else f"; mål {format_value(goal, unit)}"
    return f"Linjediagram fra {span}; seneste værdi: {_join(latest)}{goal_text}."


def trend_chart(series: Sequence[Series], *, title: str, id_prefix: str, goal: Fraction | None = None,
                goal_label: str = "", unit: str = PERCENT, minimum: Fraction | None = None,
                maximum: Fraction | None = None) -> str:
    """A line chart over quarters as an SVG string: one line per series, styled by position (at most three).

    Each value gets a marker with a hover title; the last value of a series is written beside it. A None
    value breaks the line and gets no marker; a series without any value says "(ingen data)" in the
    legend. The goal is a dashed horizontal line labelled goal_label (or "Mål" and the goal). The y axis
    runs over minimum..maximum, by default 0..100 for percent and min(values, goal, 0)..max(values, goal)
    in round numbers otherwise, and is widened to hold every value. Raises ValueError for more than three
    series, an id_prefix unfit for an id, or minimum not below maximum.
    """
    if len(series) > len(STYLES):
        raise ValueError(f"at most {len(STYLES)} series can be told apart, not {len(series)}")
    labels = list(dict.fromkeys(label for line in series for label, _ in line.points))
    known = [value for line in series for _, value in line.points if value is not None]
    low, high = _axis([*known, *([] if goal is None else [goal])], unit=unit, minimum=minimum, maximum=maximum)
    x_of = {label: TREND_LEFT + (index + 0.5) * TREND_WIDTH / len(labels) for index, label in enumerate(labels)}

    def y_of(value: Fraction) -> float:
        return TREND_TOP + float((high - value) / (high - low)) * TREND_HEIGHT

    bottom, right = TREND_TOP + TREND_HEIGHT, TREND_LEFT + TREND_WIDTH
    legend_top = bottom + X_LABEL_ROOM
    parts = _open(height=legend_top + LEGEND_ROW * max(len(series), 1) + 8, id_prefix=id_prefix, title=title,
                  desc=_trend_description(series, labels, unit, goal))
    parts.append(f'<g class="grid" stroke="{GRID_COLOUR}">')
    for tick in _ticks(low, high):
        y = _number(y_of(tick))
        parts.append(f'<line x1="{TREND_LEFT}" y1="{y}" x2="{right}" y2="{y}"/><text class="tick" '
                     f'x="{TREND_LEFT - 6}" y="{_number(y_of(tick) + 4)}" text-anchor="end" stroke="none">'
                     f'{_tick(tick, unit)}</text>')
    parts.append("</g>")
    for label, x in x_of.items():
        parts.append(f'<text class="x-label" x="{_number(x + 4)}" y="{bottom + 14}" text-anchor="end" '
                     f'transform="rotate(-45 {_number(x + 4)} {bottom + 14})">{_text(label)}</text>')
    if goal is not None:
        y = y_of(goal)
        parts.append(f'<line class="goal" x1="{TREND_LEFT}" y1="{_number(y)}" x2="{right}" y2="{_number(y)}" '
                     f'stroke="{TEXT_COLOUR}" stroke-width="1.5" stroke-dasharray="10 5"/>'
                     f'<text class="goal-label" x="{TREND_LEFT + 4}" y="{_number(y - 5)}" {_halo()}>'
                     f'{_text(goal_label or f"Mål {_tick(goal, unit)}")}</text>')
    ends = []
    for line, style in zip(series, STYLES):
        parts.append(f'<g class="series" data-marker="{style.marker}">')
        for run in _runs(line.points):
            if len(run) > 1:
                path = " ".join(f"{_number(x_of[label])},{_number(y_of(value))}" for label, value in run)
                parts.append(f'<polyline points="{path}" fill="none" {style.stroke}/>')
        for label, value in line.points:
            if value is not None:
                hover = f"{line.name}, {label}: {format_value(value, unit)}"
                parts.append(f'<g class="point"><title>{_text(hover)}</title>'
                             f'{_marker(style, x_of[label], y_of(value))}</g>')
        parts.append("</g>")
        last = _last(line.points)
        if last is not None:
            ends.append((y_of(last[1]), x_of[last[0]], format_value(last[1], unit), style.colour))
    placed = -math.inf
    for y, x, words, colour in sorted(ends):
        placed = max(y, placed + END_LABEL_GAP)   # labels of lines ending close together are pushed apart
        parts.append(f'<text class="end-label" x="{_number(x + 9)}" y="{_number(placed + 4)}" font-weight="bold" '
                     f'{_halo(colour)}>{words}</text>')
    if not known:
        parts.append(f'<text class="no-data" x="{TREND_LEFT + TREND_WIDTH // 2}" y="{TREND_TOP + TREND_HEIGHT // 2}" '
                     f'text-anchor="middle">{NO_DATA}</text>')
    parts.append('<g class="legend">')
    for index, (line, style) in enumerate(zip(series, STYLES)):
        y = legend_top + LEGEND_ROW * index + LEGEND_ROW / 2
        empty = "" if _last(line.points) else f" {SERIES_WITHOUT_DATA}"
        parts.append(f'<g class="legend-entry" data-marker="{style.marker}"><line x1="{TREND_LEFT}" '
                     f'y1="{_number(y)}" x2="{TREND_LEFT + 32}" y2="{_number(y)}" {style.stroke}/>'
                     f'{_marker(style, TREND_LEFT + 16, y)}'
                     f'<text x="{TREND_LEFT + 42}" y="{_number(y + 4)}">{_text(line.name + empty)}</text></g>')
    parts.append("</g></svg>")
    return "".join(parts)


def _bar_description(bars: Sequence[Bar], unit: str, goal: Fraction | None) -> str:
    """'Vandret søjlediagram med 12 kommuner, 3 under mål og 1 uden data; Herning: 72,5 %; mål 70,0 %.'"""
    if not bars:
        return "Vandret søjlediagram uden data."
    counts = [f"{len(bars)} {'kommune' if len(bars) == 1 else 'kommuner'}"]
    flagged = sum(1 for bar in bars if bar.flagged and bar.value is not None)
    missing = sum(1 for bar in bars if bar.value is None)
    counts += [f"{flagged} {UNDER_GOAL}"] * bool(flagged) + [f"{missing} uden data"] * bool(missing)
    looked_at = "".join(f"; {bar.name}: {format_value(bar.value, unit)}" for bar in bars if bar.highlighted)
    goal_text = "" if goal is None else f"; mål {format_value(goal, unit)}"
    return f"Vandret søjlediagram med {_join(counts)}{looked_at}{goal_text}."


def _swatch(x: float, y: float, fill: str, words: str) -> str:
    return (f'<g class="legend-entry"><rect x="{_number(x)}" y="{_number(y - 7)}" width="14" height="14" '
            f'fill="{fill}" stroke="{FLAG_COLOUR if fill.startswith("url") else BAR_COLOUR}"/>'
            f'<text x="{_number(x + 20)}" y="{_number(y + 4)}">{words}</text></g>')


def bar_chart(bars: Sequence[Bar], *, title: str, id_prefix: str, goal: Fraction | None = None,
              goal_label: str = "", unit: str = PERCENT) -> str:
    """Horizontal bars as an SVG string, one row per kommune in the given order.

    Each bar runs from the zero line (left for negative values) and has its value written after it,
    followed by "under mål" when flagged; a flagged bar is hatched, a highlighted one has a bold name and
    a thick outline. A None value gets "Ingen data" and no bar. The goal is a dashed vertical line
    labelled goal_label (or "Mål" and the goal). The axis is 0..100 for percent and spans the values, the
    goal and 0 otherwise, widened to round numbers to hold every value. Raises ValueError for an id_prefix
    unfit for an id.
    """
    known = [bar.value for bar in bars if bar.value is not None]
    low, high = _axis([*known, Fraction(0), *([] if goal is None else [goal])], unit=unit)

    def x_of(value: Fraction) -> float:
        return BAR_LEFT + float((value - low) / (high - low)) * BAR_AREA

    bottom, zero = BAR_TOP + ROW * max(len(bars), 1), x_of(Fraction(0))
    flagged_any = any(bar.flagged and bar.value is not None for bar in bars)
    hatch = f"{id_prefix}-hatch"
    parts = _open(height=bottom + 30 + LEGEND_ROW * flagged_any, id_prefix=id_prefix, title=title,
                  desc=_bar_description(bars, unit, goal))
    parts.append(f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
                 f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
                 f'<line x1="0" y1="0" x2="0" y2="6" stroke="{FLAG_COLOUR}" stroke-width="3"/></pattern></defs>')
    parts.append(f'<g class="grid" stroke="{GRID_COLOUR}">')
    for tick in _ticks(low, high):
        x = _number(x_of(tick))
        parts.append(f'<line x1="{x}" y1="{BAR_TOP}" x2="{x}" y2="{bottom}"/><text class="tick" x="{x}" '
                     f'y="{bottom + 16}" text-anchor="middle" stroke="none">{_tick(tick, unit)}</text>')
    parts.append(f'</g><line class="zero" x1="{_number(zero)}" y1="{BAR_TOP}" x2="{_number(zero)}" y2="{bottom}" '
                 f'stroke="{TEXT_COLOUR}"/>')
    for index, bar in enumerate(bars):
        middle = BAR_TOP + ROW * index + ROW / 2
        flagged = bar.flagged and bar.value is not None
        words = format_value(bar.value, unit) + (f" {UNDER_GOAL}" if flagged else "")
        bold = ' font-weight="bold"' if bar.highlighted else ""
        parts.append(f'<g class="bar"><title>{_text(f"{bar.name}: {words}")}</title>'
                     f'<text class="name" x="{BAR_LEFT - 8}" y="{_number(middle + 4)}" text-anchor="end"{bold}>'
                     f'{_text(bar.name)}</text>')
        end = zero
        if bar.value is not None:
            start, end = sorted((round(zero, 1), round(x_of(bar.value), 1)))   # so the bar meets the zero line
            outline = (f'stroke="{TEXT_COLOUR}" stroke-width="3"' if bar.highlighted
                       else f'stroke="{FLAG_COLOUR if flagged else BAR_COLOUR}" stroke-width="1"')
            parts.append(f'<rect x="{_number(start)}" y="{_number(middle - BAR_THICKNESS / 2)}" '
                         f'width="{_number(end - start)}" height="{BAR_THICKNESS}" '
                         f'fill="{f"url(#{hatch})" if flagged else BAR_COLOUR}" {outline}/>')
        # A negative bar's value is written right of the zero line, clear of the names.
        parts.append(f'<text class="value" x="{_number(max(end, zero) + 6)}" y="{_number(middle + 4)}" '
                     f'{_halo()}{bold}>{words}</text></g>')
    if not bars:
        parts.append(f'<text class="no-data" x="{BAR_LEFT + BAR_AREA // 2}" y="{_number(BAR_TOP + ROW / 2 + 4)}" '
                     f'text-anchor="middle">{NO_DATA}</text>')
    if goal is not None:
        x = _number(x_of(goal))
        parts.append(f'<line class="goal" x1="{x}" y1="{BAR_TOP - 6}" x2="{x}" y2="{bottom}" stroke="{TEXT_COLOUR}" '
                     f'stroke-width="1.5" stroke-dasharray="10 5"/><text class="goal-label" x="{x}" '
                     f'y="{BAR_TOP - 12}" text-anchor="middle" {_halo()}>'
                     f'{_text(goal_label or f"Mål {_tick(goal, unit)}")}</text>')
    if flagged_any:
        y = bottom + 30 + LEGEND_ROW / 2
        parts.append(f'<g class="legend">{_swatch(BAR_LEFT, y, BAR_COLOUR, "Ikke under mål")}'
                     f'{_swatch(BAR_LEFT + 150, y, f"url(#{hatch})", "Under mål")}</g>')
    parts.append("</svg>")
    return "".join(parts)
