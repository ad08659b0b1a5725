"""An SVG map of Denmark with the applicants placed by position, marked by decision and sized by volume; pure.

There is no coastline data offline, so the country is drawn as it is: the 98 kommune centres as light
grey dots. The projection is equirectangular with longitude scaled by cos(56°), which keeps Danish
shapes true enough at this latitude. Every mark differs in shape, not only in colour, and every user
text is escaped, so the output is well-formed XML whatever the names hold.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape, quoteattr

DEFAULT_TITLE = "Ansøgerne på et kort over Danmark"
DEFAULT_VOLUME_LABEL = "sager i kategori 2 og 3"

SELECTED, REJECTED, PENDING = "selected", "rejected", "pending"
STATE_WORDS = {SELECTED: "valgt", REJECTED: "fravalgt", PENDING: "afventer"}
LEGEND_LABELS = {SELECTED: "Valgt", REJECTED: "Fravalgt", PENDING: "Afventer"}
_STATES = {state: state for state in STATE_WORDS}

LONGITUDE_FACTOR = math.cos(math.radians(56))   # Denmark's middle latitude
MAP_WIDTH = 600          # user units across the backdrop; the viewBox makes the SVG scale to any width
MIN_RADIUS = 3.0         # the smallest applicant stays visible and hoverable
MAX_RADIUS = 22.0        # the largest applicant, so the capital region stays readable
MARGIN = MAX_RADIUS + 6  # a point on the edge of the country keeps its whole circle
BACKDROP_RADIUS = 2.2
LEGEND_MARK_RADIUS = 7.0
FONT_SIZE = 12
LINE = 24                # height of a legend row

BACKDROP_COLOUR = "#c4c4c4"
SELECTED_COLOUR = "#1b3d6d"
REJECTED_COLOUR = "#a12a2a"
PENDING_COLOUR = "#595959"
TEXT_COLOUR = "#222222"

# Characters XML 1.0 forbids even when escaped; a name holding one would make the document unreadable.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class MapPoint:
    """One applicant: where it is, how many cases it has, and the decision ("selected", "rejected", "pending")."""
    code: int
    name: str
    lat: float
    lon: float
    volume: int
    state: str


@dataclass(frozen=True)
class _Projection:
    """From (lat, lon) to the SVG's user units, north up."""
    lon_min: float
    lat_max: float
    scale: float

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        return (MARGIN + (lon - self.lon_min) * LONGITUDE_FACTOR * self.scale,
                MARGIN + (self.lat_max - lat) * self.scale)


def _fit(positions: Sequence[tuple[float, float]]) -> tuple[_Projection, float]:
    """The projection that fits the positions' bounding box to MAP_WIDTH, and the map's height with margins."""
    lats = [lat for lat, _ in positions]
    lons = [lon for _, lon in positions]
    span_x = max((max(lons) - min(lons)) * LONGITUDE_FACTOR, 0.1)   # one position alone still gets a map
    span_y = max(lats) - min(lats)
    scale = MAP_WIDTH / span_x
    return _Projection(lon_min=min(lons), lat_max=max(lats), scale=scale), span_y * scale + 2 * MARGIN


def _number(value: float) -> str:
    """A coordinate with one decimal and no trailing zero, which keeps the SVG small and stable."""
    return f"{value:.1f}".removesuffix(".0")


def _count(value: int) -> str:
    """A whole number with Danish thousands separators: 1505 -> '1.505'."""
    return f"{value:,}".replace(",", ".")


def _text(value: str) -> str:
    """User text as XML character data."""
    return escape(_NOT_XML.sub("", value))


def _attribute(value: str) -> str:
    """User text as a quoted XML attribute value."""
    return quoteattr(_NOT_XML.sub("", value))


def radius_for(volume: int, largest: int) -> float:
    """The circle's radius: area proportional to volume, the largest volume at MAX_RADIUS, never below MIN_RADIUS."""
    if largest <= 0:
        return MIN_RADIUS
    return max(MIN_RADIUS, MAX_RADIUS * math.sqrt(volume / largest))


def _mark(state: str, x: float, y: float, r: float) -> str:
    """The shapes of one mark: a filled circle with a white tick, a dashed circle with a cross, or a thin ring."""
    cx, cy = _number(x), _number(y)
    if state == SELECTED:
        tick = (f"M{_number(x - 0.45 * r)} {_number(y + 0.02 * r)}"
                f"l{_number(0.33 * r)} {_number(0.31 * r)} {_number(0.57 * r)}-{_number(0.63 * r)}")
        return (f'<circle cx="{cx}" cy="{cy}" r="{_number(r)}" fill="{SELECTED_COLOUR}"/>'
                f'<path d="{tick}" fill="none" stroke="#fff" stroke-width="{_number(max(1.0, 0.16 * r))}"/>')
    # Hollow marks get a half-opaque white fill, so the whole circle answers to hovering.
    ring = (f'<circle cx="{cx}" cy="{cy}" r="{_number(r)}" fill="#fff" fill-opacity="0.6" '
            f'stroke="{REJECTED_COLOUR if state == REJECTED else PENDING_COLOUR}"')
    if state == PENDING:
        return ring + ' stroke-width="1"/>'
    arm = 0.4 * r
    side = _number(2 * arm)
    cross = f"M{_number(x - arm)} {_number(y - arm)}l{side} {side}m-{side} 0l{side}-{side}"
    return (ring + ' stroke-width="1.8" stroke-dasharray="3 2"/>'
            f'<path d="{cross}" stroke="{REJECTED_COLOUR}" stroke-width="{_number(max(1.0, 0.12 * r))}"/>')


def _scale_values(largest: int) -> list[int]:
    """Round volumes for the size legend: the largest 1-2-5 value up to the largest volume, and a tenth of it."""
    if largest <= 0:
        return []
    magnitude = 10 ** int(math.log10(largest))
    top = max(step * magnitude for step in (1, 2, 5) if step * magnitude <= largest)
    values = [top // 10, top] if top >= 10 else [top]
    # A value whose circle would be held at MIN_RADIUS would show a false size.
    return [value for value in values if MAX_RADIUS * math.sqrt(value / largest) >= MIN_RADIUS]


def _legend(top: float, largest: int, volume_label: str) -> tuple[list[str], float]:
    """The legend's shapes below the map, and its height: the three marks, the grey dot, and the size scale."""
    parts = [f'<g class="legend" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">']
    y = top + LINE / 2
    x = float(MARGIN)
    for state in (SELECTED, REJECTED, PENDING):
        label = LEGEND_LABELS[state]
        parts.append(f'<g class="legend-mark" data-state="{state}">'
                     f'{_mark(state, x + LEGEND_MARK_RADIUS, y, LEGEND_MARK_RADIUS)}'
                     f'<text x="{_number(x + 2 * LEGEND_MARK_RADIUS + 6)}" y="{_number(y + 4)}">{label}</text></g>')
        x += 2 * LEGEND_MARK_RADIUS + 6 + 7 * len(label) + 24
    parts.append(f'<circle cx="{_number(x + LEGEND_MARK_RADIUS)}" cy="{_number(y)}" r="{BACKDROP_RADIUS}" '
                 f'fill="{BACKDROP_COLOUR}"/><text x="{_number(x + 2 * LEGEND_MARK_RADIUS + 6)}" '
                 f'y="{_number(y + 4)}">Kommunens centrum</text>')
    height = LINE
    values = _scale_values(largest)
    if values:
        y = top + height + LINE / 2
        parts.append(f'<text x="{MARGIN}" y="{_number(y + 4)}">Cirklens areal svarer til antal '
                     f'{_text(volume_label)}:</text>')
        height += LINE
        row_middle = top + height + MAX_RADIUS + 4
        x = float(MARGIN)
        for value in values:
            r = radius_for(value, largest)
            parts.append(f'<g class="legend-size" data-volume="{value}">'
                         f'<circle cx="{_number(x + r)}" cy="{_number(row_middle)}" r="{_number(r)}" fill="none" '
                         f'stroke="{PENDING_COLOUR}"/><text x="{_number(x + 2 * r + 6)}" y="{_number(row_middle + 4)}">'
                         f'{_count(value)}</text></g>')
            x += 2 * r + 6 + 7 * len(_count(value)) + 24
        height += 2 * MAX_RADIUS + 8
    parts.append("</g>")
    return parts, height + 8


def _description(points: Sequence[MapPoint], volume_label: str) -> str:
    """'Kort over Danmark med 40 ansøgere; 14 er valgt, 20 er fravalgt og 6 afventer. …'"""
    counts = {state: sum(1 for point in points if point.state == state) for state in STATE_WORDS}
    clauses = [f"{counts[SELECTED]} er valgt"]
    if counts[REJECTED]:
        clauses.append(f"{counts[REJECTED]} er fravalgt")
    if counts[PENDING]:
        clauses.append(f"{counts[PENDING]} afventer")
    listed = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " og " + clauses[-1]
    applicants = "ansøger" if len(points) == 1 else "ansøgere"
    return (f"Kort over Danmark med {len(points)} {applicants}; {listed}. "
            f"Cirklens areal svarer til antal {volume_label}; grå prikker er kommunernes centre.")


def denmark_map_svg(points: Sequence[MapPoint], backdrop: Sequence[tuple[float, float]], *,
                    title: str = DEFAULT_TITLE, volume_label: str = DEFAULT_VOLUME_LABEL,
                    id_prefix: str = "denmark-map") -> str:
    """The applicants on a map of Denmark as an SVG document (a string), ready to inline in a page.

    backdrop is the (lat, lon) of every kommune centre; the map is fitted to it (and to any point
    outside it). Circles are drawn largest first, so small applicants stay on top; ties go by code, so
    the same points in any order give the same string. id_prefix keeps the ids unique if a page
    holds two maps. Raises ValueError for an unknown state, a negative volume or nothing to draw.
    """
    for point in points:
        if point.state not in _STATES:
            raise ValueError(f"unknown state {point.state!r} for kommune {point.code}")
        if point.volume < 0:
            raise ValueError(f"negative volume {point.volume} for kommune {point.code}")
    # A str-valued enum member (Decision.SELECTED) counts as its value but would print as its name.
    points = [replace(point, state=_STATES[point.state]) for point in points]
    positions = list(backdrop) + [(point.lat, point.lon) for point in points]
    if not positions:
        raise ValueError("a map needs at least one position")

    project, map_height = _fit(positions)
    largest = max((point.volume for point in points), default=0)
    legend, legend_height = _legend(map_height, largest, volume_label)
    width, height = MAP_WIDTH + 2 * MARGIN, map_height + legend_height

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_number(width)} {_number(height)}" width="100%" '
         f'role="img" aria-labelledby={_attribute(f"{title_id} {desc_id}")} font-family="sans-serif" '
         'stroke-linecap="round" stroke-linejoin="round">'),
        f"<title id={_attribute(title_id)}>{_text(title)}</title>",
        f"<desc id={_attribute(desc_id)}>{_text(_description(points, volume_label))}</desc>",
        f'<g class="backdrop" fill="{BACKDROP_COLOUR}">',
    ]
    for lat, lon in sorted(backdrop):
        x, y = project(lat, lon)
        parts.append(f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{BACKDROP_RADIUS}"/>')
    parts.append('</g><g class="points">')
    for point in sorted(points, key=lambda point: (-point.volume, point.code)):
        x, y = project(point.lat, point.lon)
        label = f"{point.name}: {STATE_WORDS[point.state]}, {_count(point.volume)} {volume_label}"
        parts.append(f'<g data-code="{int(point.code)}" data-state="{point.state}">'
                     f"<title>{_text(label)}</title>{_mark(point.state, x, y, radius_for(point.volume, largest))}</g>")
    parts.append("</g>")
    parts += legend
    parts.append("</svg>")
    return "".join(parts)
