"""Unit tests for portal.review.denmark_map: the applicants on an SVG map of Denmark, placed from the reference data."""
from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from enum import Enum

import pytest

from portal.kommuner.reference import load_kommune_facts
from portal.review.denmark_map import MIN_RADIUS, MapPoint, denmark_map_svg

SVG = "{http://www.w3.org/2000/svg}"
FACTS = {fact.code: fact for fact in load_kommune_facts()}
BACKDROP = [(fact.lat, fact.lon) for fact in FACTS.values()]
KOBENHAVN, HERNING, FREDERIKSHAVN, HJORRING, HADERSLEV, BORNHOLM = 101, 657, 813, 860, 510, 400


def point(code: int, *, volume: int = 100, state: str = "selected", name: str | None = None) -> MapPoint:
    """The kommune with this code at its reference position."""
    fact = FACTS[code]
    return MapPoint(code=code, name=fact.name if name is None else name, lat=fact.lat, lon=fact.lon,
                    volume=volume, state=state)


def draw(points, **options) -> ET.Element:
    """The map of the points on the 98 kommune centres, parsed."""
    return ET.fromstring(denmark_map_svg(points, BACKDROP, **options))


def groups(svg: ET.Element) -> list[ET.Element]:
    """The applicants' groups in drawing order."""
    return list(svg.find(f"{SVG}g[@class='points']"))


def circle_of(svg: ET.Element, code: int) -> ET.Element:
    return svg.find(f".//{SVG}g[@data-code='{code}']/{SVG}circle")


def centre(svg: ET.Element, code: int) -> tuple[float, float]:
    circle = circle_of(svg, code)
    return float(circle.get("cx")), float(circle.get("cy"))


def signature(group: ET.Element) -> tuple:
    """What tells a mark apart without colour: its shapes, whether the circle is filled, and its dash pattern."""
    circle = group.find(f"{SVG}circle")
    return (tuple(child.tag.removeprefix(SVG) for child in group if child.tag in (f"{SVG}circle", f"{SVG}path")),
            circle.get("fill") not in ("none", "#fff"), circle.get("stroke-dasharray"))


def test_denmark_map_places_kommuner_by_their_position():
    # Arrange
    codes = (KOBENHAVN, HERNING, FREDERIKSHAVN, HJORRING, HADERSLEV, BORNHOLM)

    # Act
    svg = draw([point(code) for code in codes])

    # Assert
    positions = {code: centre(svg, code) for code in codes}
    backdrop_x = [float(dot.get("cx")) for dot in svg.find(f"{SVG}g[@class='backdrop']")]
    assert positions[KOBENHAVN][0] > positions[HERNING][0]
    assert max(positions[FREDERIKSHAVN][1], positions[HJORRING][1]) < positions[HADERSLEV][1]
    assert positions[BORNHOLM][0] == max(backdrop_x)
    assert positions[BORNHOLM][0] > max(x for code, (x, _) in positions.items() if code != BORNHOLM)


def test_denmark_map_draws_every_kommune_centre_inside_the_view_box():
    # Act
    svg = draw([])

    # Assert
    _, _, width, height = (float(value) for value in svg.get("viewBox").split())
    dots = list(svg.find(f"{SVG}g[@class='backdrop']"))
    assert len(dots) == 98
    assert all(0 < float(dot.get("cx")) < width and 0 < float(dot.get("cy")) < height for dot in dots)
    assert svg.get("width") == "100%"


def test_denmark_map_circle_area_is_proportional_to_volume():
    # Act
    svg = draw([point(HERNING, volume=100), point(HADERSLEV, volume=400), point(KOBENHAVN, volume=1600)])

    # Assert
    areas = [math.pi * float(circle_of(svg, code).get("r")) ** 2 for code in (HERNING, HADERSLEV, KOBENHAVN)]
    assert [round(area / areas[0], 2) for area in areas] == [1, 4, 16]


def test_denmark_map_small_volume_keeps_the_minimum_radius():
    # Act
    svg = draw([point(HERNING, volume=0), point(KOBENHAVN, volume=50_000)])

    # Assert
    assert float(circle_of(svg, HERNING).get("r")) == MIN_RADIUS


def test_denmark_map_draws_larger_applicants_first():
    # Arrange
    points = [point(HERNING, volume=505), point(BORNHOLM, volume=90), point(KOBENHAVN, volume=4800),
              point(HADERSLEV, volume=505)]

    # Act
    svg = draw(points)

    # Assert: ties by code
    assert [int(group.get("data-code")) for group in groups(svg)] == [KOBENHAVN, HADERSLEV, HERNING, BORNHOLM]


def test_denmark_map_states_differ_in_shape_not_only_colour():
    # Act
    svg = draw([point(HERNING, state="selected"), point(HADERSLEV, state="rejected"),
                point(KOBENHAVN, state="pending")])

    # Assert
    marks = {group.get("data-state"): signature(group) for group in groups(svg)}
    assert marks == {
        "selected": (("circle", "path"), True, None),      # filled, with a white tick
        "rejected": (("circle", "path"), False, "3 2"),    # hollow, dashed, with a cross
        "pending": (("circle",), False, None),             # a thin ring
    }


def test_denmark_map_legend_explains_the_marks_and_the_size_scale():
    # Act
    svg = draw([point(HERNING, volume=505), point(KOBENHAVN, volume=4800, state="rejected")])

    # Assert
    legend = svg.find(f"{SVG}g[@class='legend']")
    points_by_state = {group.get("data-state"): signature(group) for group in groups(svg)}
    legend_marks = {group.get("data-state"): signature(group)
                    for group in legend.findall(f"{SVG}g[@class='legend-mark']")}
    assert [text.text for text in legend.iter(f"{SVG}text")] == [
        "Valgt", "Fravalgt", "Afventer", "Kommunens centrum",
        "Cirklens areal svarer til antal sager i kategori 2 og 3:", "200", "2.000"]
    assert legend_marks["selected"] == points_by_state["selected"]
    assert legend_marks["rejected"] == points_by_state["rejected"]
    assert list(legend_marks) == ["selected", "rejected", "pending"]


def test_denmark_map_legend_sizes_match_the_points_scale():
    # Act
    svg = draw([point(HERNING, volume=2000), point(KOBENHAVN, volume=200)])

    # Assert
    legend_radius = {int(group.get("data-volume")): float(group.find(f"{SVG}circle").get("r"))
                     for group in svg.iter(f"{SVG}g") if group.get("class") == "legend-size"}
    assert legend_radius == {200: float(circle_of(svg, KOBENHAVN).get("r")),
                             2000: float(circle_of(svg, HERNING).get("r"))}


def test_denmark_map_is_an_accessible_image_with_title_and_description():
    # Arrange
    points = ([point(code, state="selected") for code in list(FACTS)[:14]]
              + [point(code, state="rejected") for code in list(FACTS)[14:40]])

    # Act
    svg = draw(points, title="Udvalgte kommuner")

    # Assert
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert (svg.get("role"), svg.get("aria-labelledby")) == ("img", f"{title.get('id')} {desc.get('id')}")
    assert title.text == "Udvalgte kommuner"
    assert desc.text == ("Kort over Danmark med 40 ansøgere; 14 er valgt og 26 er fravalgt. Cirklens areal svarer "
                         "til antal sager i kategori 2 og 3; grå prikker er kommunernes centre.")


def test_denmark_map_description_counts_pending_applicants():
    # Act
    svg = draw([point(HERNING, state="selected"), point(HADERSLEV, state="rejected"),
                point(KOBENHAVN, state="pending"), point(BORNHOLM, state="pending")])

    # Assert
    assert svg.find(f"{SVG}desc").text.startswith(
        "Kort over Danmark med 4 ansøgere; 1 er valgt, 1 er fravalgt og 2 afventer.")


def test_denmark_map_each_point_tells_its_name_state_and_volume_on_hover():
    # Act
    svg = draw([point(HERNING, volume=505), point(400, volume=1250, state="rejected"),
                point(492, volume=38, state="pending")])

    # Assert
    assert [group.find(f"{SVG}title").text for group in groups(svg)] == [
        "Bornholm: fravalgt, 1.250 sager i kategori 2 og 3",
        "Herning: valgt, 505 sager i kategori 2 og 3",
        "Ærø: afventer, 38 sager i kategori 2 og 3",
    ]


def test_denmark_map_hostile_text_is_escaped_and_stays_well_formed():
    # Arrange
    hostile = '</title></g><script>alert("æøå")</script>&amp; \x00\x1b\'"'

    # Act
    raw = denmark_map_svg([point(HERNING, name=hostile)], BACKDROP, title=hostile, volume_label="<b>sager</b>")

    # Assert
    svg = ET.fromstring(raw)
    assert "<script" not in raw
    assert list(svg.iter(f"{SVG}script")) == []
    assert svg.find(f"{SVG}title").text == '</title></g><script>alert("æøå")</script>&amp; \'"'
    assert groups(svg)[0].find(f"{SVG}title").text == (
        '</title></g><script>alert("æøå")</script>&amp; \'": valgt, 100 <b>sager</b>')


def test_denmark_map_same_points_in_any_order_give_the_same_string():
    # Arrange
    points = [point(code, volume=code % 700, state=("selected", "rejected", "pending")[code % 3]) for code in FACTS]

    # Act
    forwards = denmark_map_svg(points, BACKDROP)
    backwards = denmark_map_svg(points[::-1], BACKDROP[::-1])

    # Assert
    assert forwards == backwards


def test_denmark_map_of_all_98_kommuner_is_compact():
    # Arrange
    points = [point(code, volume=5_000 - code, state=("selected", "rejected", "pending")[code % 3]) for code in FACTS]

    # Act
    size = len(denmark_map_svg(points, BACKDROP).encode())

    # Assert
    assert size < 40_000, f"{size} bytes"


def test_denmark_map_accepts_a_string_valued_enum_as_state():
    # Arrange
    class Decision(str, Enum):
        SELECTED = "selected"

    # Act
    svg = draw([point(HERNING, state=Decision.SELECTED)])

    # Assert
    assert [group.get("data-state") for group in groups(svg)] == ["selected"]


@pytest.mark.parametrize(("state", "volume"), [("approved", 10), ("selected", -1)])
def test_denmark_map_rejects_unknown_state_and_negative_volume(state, volume):
    # Act / Assert
    with pytest.raises(ValueError):
        denmark_map_svg([point(HERNING, state=state, volume=volume)], BACKDROP)
