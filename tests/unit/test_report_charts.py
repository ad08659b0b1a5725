"""Unit tests for portal.reports.charts: line and bar charts of the success criteria as SVG, readable without colour."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.reports.charts import Bar, Series, bar_chart, format_value, trend_chart

SVG = "{http://www.w3.org/2000/svg}"
QUARTERS = ("1. kvt. 2018", "2. kvt. 2018", "3. kvt. 2018", "4. kvt. 2018")


def of_class(svg: ET.Element, name: str) -> list[ET.Element]:
    return [element for element in svg.iter() if element.get("class") == name]


def texts(svg: ET.Element, name: str) -> list[str]:
    return ["".join(element.itertext()) for element in of_class(svg, name)]


def series(name: str, *values: int | None) -> Series:
    """A series over the first quarters of 2018, values in whole percent or points."""
    return Series(name, [(label, None if value is None else Fraction(value)) for label, value in zip(QUARTERS, values)])


def trend(lines, **options) -> ET.Element:
    return ET.fromstring(trend_chart(lines, **{"title": "Samtaler på arbejdspladsen", "id_prefix": "trend", **options}))


def bars(rows, **options) -> ET.Element:
    return ET.fromstring(bar_chart(rows, **{"title": "Kommunerne", "id_prefix": "bars", **options}))


def marks(svg: ET.Element, group: str) -> list[tuple[str, tuple[str, ...], str | None]]:
    """What tells the series apart without colour: the marker's element types and the line's dash pattern."""
    found = []
    for element in of_class(svg, group):
        line = element.find(f"{SVG}polyline") if group == "series" else element.find(f"{SVG}line")
        shapes = {child.tag.removeprefix(SVG) for child in element.iter()} & {"circle", "rect", "polygon"}
        found.append((element.get("data-marker"), tuple(sorted(shapes)), line.get("stroke-dasharray")))
    return found


def goal_x(svg: ET.Element) -> float:
    return float(of_class(svg, "goal")[0].get("x1"))


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (Fraction(725, 10), "%", "72,5 %"),
    (Fraction(7245, 100), "%", "72,5 %"),       # half up
    (Fraction(100), "%", "100,0 %"),
    (Fraction(123, 10), "procentpoint", "+12,3"),
    (Fraction(-2), "procentpoint", "-2,0"),
    (Fraction(-5, 100), "procentpoint", "-0,1"),  # half away from zero
    (None, "%", "Ingen data"),
])
def test_format_value_is_danish_with_one_decimal(value, unit, expected):
    # Act / Assert
    assert format_value(value, unit) == expected


@pytest.mark.parametrize("draw", [
    lambda: trend([series("Herning", 60, 70)], id_prefix="herning-trend"),
    lambda: bars([Bar("Herning", Fraction(70))], id_prefix="herning-trend"),
    lambda: trend([], id_prefix="herning-trend"),
    lambda: bars([], id_prefix="herning-trend"),
])
def test_chart_is_an_image_labelled_by_its_own_title_and_description(draw):
    # Act
    svg = draw()

    # Assert
    ids = {element.get("id"): element.tag.removeprefix(SVG) for element in svg.iter() if element.get("id")}
    assert (svg.get("role"), svg.get("aria-labelledby")) == ("img", "herning-trend-title herning-trend-desc")
    assert [ids[name] for name in svg.get("aria-labelledby").split()] == ["title", "desc"]
    assert all(name.startswith("herning-trend-") for name in ids)
    assert svg.get("viewBox").startswith("0 0 640 ")


@pytest.mark.parametrize("prefix", ["", "1chart", "a b", 'x"y', "a<b"])
def test_chart_rejects_an_id_prefix_unfit_for_an_id(prefix):
    # Act / Assert
    with pytest.raises(ValueError):
        trend_chart([], title="T", id_prefix=prefix)
    with pytest.raises(ValueError):
        bar_chart([], title="T", id_prefix=prefix)


def test_trend_chart_description_summarises_the_latest_values():
    # Act
    svg = trend([series("Herning", 60, 72, None), series("De øvrige kommuner", 50, 55, 65, 66),
                 series("Hele puljen", None, None)], goal=Fraction(70))

    # Assert
    assert svg.find(f"{SVG}title").text == "Samtaler på arbejdspladsen"
    assert svg.find(f"{SVG}desc").text == (
        "Linjediagram fra 1. kvt. 2018 til 4. kvt. 2018; seneste værdi: Herning 72,0 % (2. kvt. 2018), "
        "De øvrige kommuner 66,0 % (4. kvt. 2018) og Hele puljen ingen data; mål 70,0 %.")


def test_trend_chart_series_differ_in_marker_shape_and_dash_not_only_colour():
    # Act
    svg = trend([series("Herning", 60, 70), series("De øvrige kommuner", 50, 55), series("Hele puljen", 52, 58)])

    # Assert
    expected = [("circle", ("circle",), None), ("square", ("rect",), "7 4"), ("diamond", ("polygon",), "2 3")]
    assert marks(svg, "series") == expected
    assert marks(svg, "legend-entry") == expected


def test_trend_chart_legend_names_the_series_and_marks_one_without_data():
    # Act
    svg = trend([series("Herning", 60, 70), series("Hele puljen", None, None)])

    # Assert
    assert texts(svg, "legend-entry") == ["Herning", "Hele puljen (ingen data)"]


def test_trend_chart_none_breaks_the_line_and_gets_no_marker():
    # Act
    svg = trend([series("Herning", 60, None, 70, 75)])

    # Assert
    line = of_class(svg, "series")[0]
    hovers = [point.find(f"{SVG}title").text for point in of_class(line, "point")]
    assert [len(polyline.get("points").split()) for polyline in line.iter(f"{SVG}polyline")] == [2]
    assert hovers == ["Herning, 1. kvt. 2018: 60,0 %", "Herning, 3. kvt. 2018: 70,0 %",
                      "Herning, 4. kvt. 2018: 75,0 %"]
    assert texts(svg, "x-label") == list(QUARTERS)


def test_trend_chart_writes_the_last_value_of_each_series_in_danish():
    # Act
    svg = trend([Series("Herning", [(QUARTERS[0], Fraction(601, 10)), (QUARTERS[1], Fraction(7245, 100))]),
                 series("Hele puljen", 20, 30, None)])

    # Assert: ordered from the top of the chart down
    assert texts(svg, "end-label") == ["72,5 %", "30,0 %"]


def test_trend_chart_end_labels_of_close_values_do_not_overlap():
    # Act
    svg = trend([series("Herning", 70), series("Hele puljen", 70)])

    # Assert
    first, second = (float(label.get("y")) for label in of_class(svg, "end-label"))
    assert second - first == 14


def test_trend_chart_percent_axis_runs_from_0_to_100():
    # Act
    svg = trend([series("Herning", 60, 70)])

    # Assert
    assert texts(svg, "tick") == ["0 %", "25 %", "50 %", "75 %", "100 %"]


def test_trend_chart_points_axis_spans_values_goal_and_zero_in_round_numbers():
    # Act
    svg = trend([series("Herning", -3, 12)], goal=Fraction(10), unit="procentpoint")

    # Assert
    assert texts(svg, "tick") == ["-4", "0", "+4", "+8", "+12"]
    assert texts(svg, "end-label") == ["+12,0"]


def test_trend_chart_axis_keeps_given_range_and_widens_for_a_value_outside():
    # Act
    given_range = trend([series("Herning", 60, 70)], minimum=Fraction(40), maximum=Fraction(100))
    widened = trend([series("Forbrug", 90, 130)], minimum=Fraction(40), maximum=Fraction(100))

    # Assert
    assert texts(given_range, "tick") == ["40 %", "55 %", "70 %", "85 %", "100 %"]
    assert texts(widened, "tick") == ["30 %", "60 %", "90 %", "120 %", "150 %"]


def test_trend_chart_goal_line_is_dashed_labelled_and_at_the_goals_height():
    # Act
    svg = trend([series("Herning", 60, 70)], goal=Fraction(70), goal_label="Mål 70 %",
                minimum=Fraction(40), maximum=Fraction(100))

    # Assert
    goal = of_class(svg, "goal")[0]
    gridline_70 = svg.find(f"{SVG}g[@class='grid']").findall(f"{SVG}line")[2]
    assert goal.get("stroke-dasharray") == "10 5"
    assert (goal.get("y1"), goal.get("y2")) == (gridline_70.get("y1"), gridline_70.get("y1"))
    assert texts(svg, "goal-label") == ["Mål 70 %"]


def test_trend_chart_goal_without_label_names_the_goal():
    # Act
    svg = trend([series("Herning", 5, 12)], goal=Fraction(10), unit="procentpoint")

    # Assert
    assert texts(svg, "goal-label") == ["Mål +10"]


@pytest.mark.parametrize("lines", [[], [series("Herning", None, None)]])
def test_trend_chart_without_values_says_ingen_data(lines):
    # Act
    svg = trend(lines)

    # Assert
    assert texts(svg, "no-data") == ["Ingen data"]
    assert list(svg.iter(f"{SVG}polyline")) == []


def test_trend_chart_rejects_more_series_than_it_can_tell_apart():
    # Act / Assert
    with pytest.raises(ValueError):
        trend([series(name, 50) for name in ("A", "B", "C", "D")])


def test_bar_chart_draws_one_row_per_kommune_in_the_given_order_with_danish_values():
    # Act
    svg = bars([Bar("Herning", Fraction(725, 10)), Bar("Aarhus", Fraction(7245, 100)), Bar("Ærø", Fraction(100))])

    # Assert
    assert texts(svg, "name") == ["Herning", "Aarhus", "Ærø"]
    assert texts(svg, "value") == ["72,5 %", "72,5 %", "100,0 %"]
    assert texts(svg, "tick") == ["0 %", "25 %", "50 %", "75 %", "100 %"]


def test_bar_chart_none_value_says_ingen_data_and_draws_no_bar():
    # Act
    svg = bars([Bar("Herning", Fraction(70)), Bar("Ærø", None, flagged=True)])

    # Assert
    herning, aero = of_class(svg, "bar")
    assert texts(svg, "value") == ["70,0 %", "Ingen data"]
    assert (len(herning.findall(f"{SVG}rect")), aero.findall(f"{SVG}rect")) == (1, [])
    assert aero.find(f"{SVG}title").text == "Ærø: Ingen data"


def test_bar_chart_flagged_bar_is_hatched_and_says_under_maal():
    # Act
    svg = bars([Bar("Herning", Fraction(58), flagged=True), Bar("Aarhus", Fraction(75))], id_prefix="kpi")

    # Assert
    herning, aarhus = (row.find(f"{SVG}rect") for row in of_class(svg, "bar"))
    pattern = svg.find(f"{SVG}defs/{SVG}pattern")
    assert (pattern.get("id"), herning.get("fill")) == ("kpi-hatch", "url(#kpi-hatch)")
    assert aarhus.get("fill") == "#1b3d6d"
    assert texts(svg, "value") == ["58,0 % under mål", "75,0 %"]
    assert texts(svg, "legend-entry") == ["Ikke under mål", "Under mål"]
    assert [rect.get("fill") for rect in svg.find(f"{SVG}g[@class='legend']").iter(f"{SVG}rect")] == [
        "#1b3d6d", "url(#kpi-hatch)"]


def test_bar_chart_without_flagged_bars_has_no_legend():
    # Act
    svg = bars([Bar("Herning", Fraction(72))])

    # Assert
    assert of_class(svg, "legend") == []


def test_bar_chart_highlighted_kommune_has_bold_name_and_thick_outline():
    # Act
    svg = bars([Bar("Herning", Fraction(72), highlighted=True), Bar("Aarhus", Fraction(75))])

    # Assert
    rows = of_class(svg, "bar")
    assert [row.find(f"{SVG}text").get("font-weight") for row in rows] == ["bold", None]
    assert [row.find(f"{SVG}rect").get("stroke-width") for row in rows] == ["3", "1"]


def test_bar_chart_negative_points_extend_left_of_the_zero_line():
    # Act
    svg = bars([Bar("Herning", Fraction(123, 10)), Bar("Aarhus", Fraction(-45, 10), flagged=True)],
               goal=Fraction(10), unit="procentpoint")

    # Assert
    zero = float(of_class(svg, "zero")[0].get("x1"))
    herning, aarhus = (row.find(f"{SVG}rect") for row in of_class(svg, "bar"))
    assert float(herning.get("x")) == zero
    assert float(aarhus.get("x")) + float(aarhus.get("width")) == pytest.approx(zero)
    assert float(aarhus.get("x")) < zero < float(herning.get("x")) + float(herning.get("width"))
    assert texts(svg, "value") == ["+12,3", "-4,5 under mål"]
    assert texts(svg, "tick") == ["-5", "0", "+5", "+10", "+15"]


def test_bar_chart_bar_length_is_proportional_to_value():
    # Act
    svg = bars([Bar("Herning", Fraction(25)), Bar("Aarhus", Fraction(100))])

    # Assert
    widths = [float(row.find(f"{SVG}rect").get("width")) for row in of_class(svg, "bar")]
    assert widths[1] == 4 * widths[0]


def test_bar_chart_goal_line_is_dashed_labelled_and_at_the_goal():
    # Act
    svg = bars([Bar("Herning", Fraction(100))], goal=Fraction(75), goal_label="Mål 75 %")

    # Assert
    goal = of_class(svg, "goal")[0]
    gridline_75 = svg.find(f"{SVG}g[@class='grid']").findall(f"{SVG}line")[3]
    assert (goal.get("x1"), goal.get("x2"), goal.get("stroke-dasharray")) == (
        gridline_75.get("x1"), gridline_75.get("x1"), "10 5")
    assert texts(svg, "goal-label") == ["Mål 75 %"]


def test_bar_chart_description_counts_flagged_and_missing_and_names_the_highlighted():
    # Act
    svg = bars([Bar("Herning", Fraction(58), flagged=True, highlighted=True), Bar("Aarhus", Fraction(75)),
                Bar("Ærø", None)], goal=Fraction(70))

    # Assert
    assert svg.find(f"{SVG}desc").text == (
        "Vandret søjlediagram med 3 kommuner, 1 under mål og 1 uden data; Herning: 58,0 %; mål 70,0 %.")


def test_bar_chart_without_bars_says_ingen_data():
    # Act
    svg = bars([])

    # Assert
    assert texts(svg, "no-data") == ["Ingen data"]
    assert (of_class(svg, "bar"), svg.find(f"{SVG}desc").text) == ([], "Vandret søjlediagram uden data.")


def test_charts_escape_hostile_text():
    # Arrange
    hostile = '</title><script>alert("æøå")</script>&amp; \x00\x1b\'"'
    cleaned = '</title><script>alert("æøå")</script>&amp; \'"'

    # Act
    raw_trend = trend_chart([series(hostile, 50)], title=hostile, id_prefix="t", goal=Fraction(70), goal_label=hostile)
    raw_bars = bar_chart([Bar(hostile, Fraction(50))], title=hostile, id_prefix="b", goal=Fraction(70),
                         goal_label=hostile)

    # Assert
    for raw in (raw_trend, raw_bars):
        svg = ET.fromstring(raw)
        assert "<script" not in raw
        assert list(svg.iter(f"{SVG}script")) == []
        assert (svg.find(f"{SVG}title").text, texts(svg, "goal-label")) == (cleaned, [cleaned])
    assert texts(ET.fromstring(raw_trend), "legend-entry") == [cleaned]
    assert texts(ET.fromstring(raw_bars), "name") == [cleaned]


def xml_text(value: str) -> str:
    """What an XML parser reads back: characters XML forbids are gone, line ends are newlines."""
    allowed = "".join(char for char in value if char in "\t\n\r" or 0x20 <= ord(char) <= 0xD7FF
                      or 0xE000 <= ord(char) <= 0xFFFD or ord(char) >= 0x10000)
    return allowed.replace("\r\n", "\n").replace("\r", "\n")


@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=20))
@settings(max_examples=60, database=None, deadline=None)
def test_charts_stay_well_formed_for_any_text(name, title, label):
    # Act
    trend_svg = ET.fromstring(trend_chart([Series(name, [(label, Fraction(1, 3))])], title=title, id_prefix="t",
                                          goal=Fraction(70), goal_label=label))
    bar_svg = ET.fromstring(bar_chart([Bar(name, Fraction(-1, 3), flagged=True)], title=title, id_prefix="b",
                                      goal_label=label, goal=Fraction(1), unit="procentpoint"))

    # Assert
    assert (trend_svg.find(f"{SVG}title").text or "") == xml_text(title)
    assert texts(trend_svg, "legend-entry") == [xml_text(name)]
    assert texts(trend_svg, "x-label") == [xml_text(label)]
    assert texts(bar_svg, "name") == [xml_text(name)]
    assert texts(bar_svg, "value") == ["-0,3 under mål"]
