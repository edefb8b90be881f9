"""The time-series chart written straight to SVG (:mod:`speerpunt.report.svg_linechart`).

Expected ticks are worked out by hand from the rule "the smallest step of 1, 2, 2.5, 5 × 10^k whose
round ticks cover the range in at most 6 intervals"; expected point positions from the linear map of the
data onto the plot box the SVG draws (its axis lines), with the x range the years ± 5 % and the y range
the outer ticks.
"""

from __future__ import annotations

import math
import re
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from speerpunt.report.charts import OKABE_ITO, index_chart, timeseries_chart
from speerpunt.report.html import chart_uri
from speerpunt.report.pdf import render_pdf
from speerpunt.report.svg_linechart import nice_ticks, tick_decimals

NS = "{http://www.w3.org/2000/svg}"
YEARS = [2010, 2011, 2012, 2013, 2014, 2015]
LEVEL = [1000.0, 1100.0, np.nan, 1300.0, 1400.0, 1500.0]
LQ = [0.9, 1.0, 1.1, 1.2, 1.3, 1.4]


def _chart(lang="nl", years=YEARS, level=LEVEL, lq=LQ):
    frame = pd.DataFrame({"year": years, "value": level, "lq": lq})
    return timeseries_chart(
        frame, sector="C", label="Industrie (C)", lang=lang, unit="duizend personen"
    )


def _panel(svg: str, n: int) -> ET.Element:
    root = ET.fromstring(svg)
    (g,) = [g for g in root.iter(f"{NS}g") if g.get("id") == f"panel-{n}"]
    return g


def _box(panel: ET.Element) -> tuple[float, float, float, float]:
    """left, top, right, bottom of the plot: the axis lines ``M left top L left bottom L right bottom``."""
    (spine,) = [p for p in panel.iter(f"{NS}path") if p.get("class") == "spine"]
    nums = [float(v) for v in re.findall(r"-?[\d.]+", spine.get("d"))]
    assert nums[0] == nums[2] and nums[3] == nums[5]  # a vertical then a horizontal line
    return nums[0], nums[1], nums[4], nums[3]


def _texts(el: ET.Element, kind: str) -> list[str]:
    return [t.text for t in el.iter(f"{NS}text") if t.get("class") == kind]


def _paths(panel: ET.Element, kind: str) -> list[list[tuple[float, float]]]:
    out = []
    for p in panel.iter(f"{NS}path"):
        if p.get("class") == kind:
            nums = [float(v) for v in re.findall(r"-?[\d.]+", p.get("d"))]
            out.append(list(zip(nums[::2], nums[1::2], strict=True)))
    return out


def _near(got, expected) -> None:
    """Coordinates equal to the expected ones up to the SVG's two decimals (box and point rounded)."""
    assert np.shape(got) == np.shape(expected), (got, expected)
    np.testing.assert_allclose(np.asarray(got, float), np.asarray(expected, float), atol=0.011)


def _points(panel: ET.Element) -> list[tuple[float, float]]:
    """Marker centres: circles' ``cx, cy``; squares' corner + half the side."""
    out = []
    for el in panel:
        if el.get("class") != "point":
            continue
        if el.tag == f"{NS}circle":
            out.append((float(el.get("cx")), float(el.get("cy"))))
        else:
            half = float(el.get("width")) / 2
            out.append((float(el.get("x")) + half, float(el.get("y")) + half))
    return out


@pytest.mark.parametrize(
    ("lo", "hi", "integer", "expected"),
    [
        (3, 97, False, [0, 20, 40, 60, 80, 100]),  # step 10 needs 10 intervals, 20 needs 5
        (0.8, 1.27, False, [0.8, 0.9, 1.0, 1.1, 1.2, 1.3]),
        (0.013, 0.061, False, [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07]),
        (985, 1515, False, [800, 1000, 1200, 1400, 1600]),  # 100 needs 7 intervals
        (-3, 7, False, [-4, -2, 0, 2, 4, 6, 8]),  # 2.5 would need 5 but 2 fits in 6: -4 … 8
        (2000, 2018, True, [2000, 2005, 2010, 2015, 2020]),  # 2.5 is not an integer step
        (2010, 2012, True, [2010, 2011, 2012]),  # never a step below 1 year
    ],
)
def test_nice_ticks_by_hand(lo, hi, integer, expected):
    got = nice_ticks(lo, hi, integer=integer)
    assert got == pytest.approx(expected, abs=1e-12)


def test_nice_ticks_refuse_an_empty_or_missing_range():
    for lo, hi in [(1.0, 1.0), (2.0, 1.0), (math.nan, 1.0), (0.0, math.inf)]:
        with pytest.raises(ValueError):
            nice_ticks(lo, hi)


def test_tick_decimals_by_hand():
    assert tick_decimals([0.25, 0.5, 0.75]) == 2
    assert tick_decimals([0.8, 1.0, 1.2]) == 1
    assert tick_decimals([800.0, 1000.0]) == 0


def test_points_sit_on_the_linear_map_of_the_plot_box():
    svg = _chart().svg()
    # level: 1000 … 1500 (± 3 % of 500 = 15) → ticks 800 … 1600 in steps of 200
    level = _panel(svg, 1)
    left, top, right, bottom = _box(level)

    def at(year, v, lo, hi):
        x = left + (year - 2009.75) / 5.5 * (right - left)  # years 2010–2015 ± 0.25
        return x, bottom - (v - lo) / (hi - lo) * (bottom - top)

    expected = [at(y, v, 800, 1600) for y, v in zip(YEARS, LEVEL, strict=True) if v == v]
    _near(_points(level), expected)
    # the missing 2012 breaks the line into 2010–2011 and 2013–2015; nothing is drawn at 0
    assert [len(run) for run in _paths(level, "line")] == [2, 3]
    _near([p for run in _paths(level, "line") for p in run], expected)
    assert all(y < bottom for _, y in _points(level))
    # LQ: 0.9 … 1.4 (± 0.015) → ticks 0.8 … 1.6 in steps of 0.2; the dashed line at 1
    lq = _panel(svg, 2)
    left, top, right, bottom = _box(lq)
    expected = [at(y, v, 0.8, 1.6) for y, v in zip(YEARS, LQ, strict=True)]
    _near(_points(lq), expected)
    (ref,) = _paths(lq, "ref")
    y1 = bottom - (1.0 - 0.8) / 0.8 * (bottom - top)
    _near(ref, [(left, y1), (right, y1)])
    assert [p.get("stroke-dasharray") for p in lq.iter(f"{NS}path") if p.get("class") == "ref"]


def test_tick_labels_in_the_reports_language():
    nl, en = _chart("nl").svg(), _chart("en").svg()
    years = [str(y) for y in YEARS]  # six years or fewer: a tick at each year
    assert _texts(_panel(nl, 1), "tick") == [*years, "800", "1.000", "1.200", "1.400", "1.600"]
    assert _texts(_panel(nl, 2), "tick") == [*years, "0,8", "1,0", "1,2", "1,4", "1,6"]
    assert _texts(_panel(en, 1), "tick") == [*years, "800", "1,000", "1,200", "1,400", "1,600"]
    assert _texts(_panel(en, 2), "tick") == [*years, "0.8", "1.0", "1.2", "1.4", "1.6"]


def test_many_years_get_round_integer_ticks():
    years = list(range(2000, 2025))
    svg = _chart(years=years, level=np.linspace(10, 20, 25), lq=np.full(25, 1.1)).svg()
    x_labels = [t for t in _texts(_panel(svg, 1), "tick") if len(t) == 4 and t.isdigit()]
    assert x_labels == ["2000", "2005", "2010", "2015", "2020", "2025"]  # 2025 ≤ 2024 + 1.2


def test_titles_and_colours():
    svg = _chart().svg()
    root = ET.fromstring(svg)
    assert _texts(root, "title") == [
        "Industrie (C)",
        "Niveau (duizend personen)",
        "Locatiequotiënt",
    ]
    (line1,) = [p for p in _panel(svg, 1) if p.get("class") == "line"][:1]
    assert line1.get("stroke") == OKABE_ITO["blue"]
    squares = [el for el in _panel(svg, 2) if el.get("class") == "point"]
    assert {el.tag for el in squares} == {f"{NS}rect"}
    assert {el.get("fill") for el in squares} == {OKABE_ITO["vermillion"]}


def test_a_single_year_and_an_empty_series():
    one = _chart(years=[2018], level=[50.0], lq=[np.nan]).svg()
    level = _panel(one, 1)
    left, top, right, bottom = _box(level)
    # 50 ± 2.5 → ticks 47 … 53 (step 1); the year sits mid-plot
    assert _texts(level, "tick") == ["2018", "47", "48", "49", "50", "51", "52", "53"]
    _near(_points(level), [((left + right) / 2, (top + bottom) / 2)])
    assert _paths(level, "line") == []
    lq = _panel(one, 2)  # no LQ at all: no ticks on y, no marks, "no data" in the plot
    assert _points(lq) == [] and _paths(lq, "line") == [] and _paths(lq, "ref") == []
    assert _texts(lq, "empty") == ["geen gegevens"]
    chart = _chart(years=[2016, 2017], level=[np.nan, np.nan], lq=[np.nan, np.nan])
    assert "Industrie (C)" in chart.alt
    for n in (1, 2):
        assert _points(_panel(chart.svg(), n)) == []


def test_svg_is_valid_self_contained_and_sized():
    chart = _chart()
    svg = chart.svg()
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{NS}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "504pt",
        "201.6pt",
        "0 0 504 201.6",
    )  # 7.0 × 2.8 in
    assert "href" not in svg and "url(" not in svg and "<image" not in svg
    assert "style=" not in svg and "<style" not in svg
    assert svg == _chart().svg()  # deterministic
    html = str(chart.html())
    web = ET.fromstring(html)
    assert web.get("role") == "img" and web.get("aria-label") == chart.alt
    assert web.find(f"{NS}title").text == chart.alt
    assert web.get("width") is None  # scales to its container
    assert "style=" not in html


def test_png_and_save(tmp_path):
    chart = _chart()
    assert chart.png()[:8] == b"\x89PNG\r\n\x1a\n"
    paths = chart.save(tmp_path)
    assert [p.name for p in paths] == ["timeseries-C.svg", "timeseries-C.png"]
    assert paths[0].read_text(encoding="utf-8") == chart.svg()
    chart.close()


def test_weasyprint_keeps_the_chart_text(tmp_path):
    chart = _chart()
    html = f'<html lang="nl"><body><img src="{chart_uri(chart)}" alt="{chart.alt}"></body></html>'
    pdf = render_pdf(html, tmp_path / "chart.pdf")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for word in ("Industrie (C)", "Locatiequotiënt", "1.400", "0,8", "2013"):
        assert word in text, word


def test_index_lines_gaps_end_labels_and_tooltips():
    years = [2008, 2009, 2010, 2011, 2012]
    frame = pd.DataFrame(
        {
            "sector": ["A"] * 5 + ["B"] * 5,
            "year": years * 2,
            "index": [100.0, 110.0, np.nan, 120.0, 130.0, 100.0, 90.0, 95.0, 85.0, 80.0],
        }
    )
    chart = index_chart(frame, labels={"A": "Alfa"}, lang="nl", base_year=2008)
    root = ET.fromstring(chart.svg())
    (axes,) = [g for g in root.iter(f"{NS}g") if g.get("id") == "panel-1"]
    left, top, right, bottom = _box(axes)
    # 80 … 130 and the line at 100 (± 1.5) → ticks 60 … 140 by 20; years 2008–2012 ± 2 % of 4
    assert _texts(axes, "tick") == [
        "2008",
        "2009",
        "2010",
        "2011",
        "2012",
        "60",
        "80",
        "100",
        "120",
        "140",
    ]

    def at(year, v):
        x = left + (year - 2007.92) / 4.16 * (right - left)
        return x, bottom - (v - 60) / 80 * (bottom - top)

    groups = {g.get("id"): g for g in root.iter(f"{NS}g")}
    a, b = groups["index-0"], groups["index-1"]
    _near(
        [p for run in _paths(a, "line") for p in run],
        [at(2008, 100), at(2009, 110), at(2011, 120), at(2012, 130)],
    )
    assert [len(run) for run in _paths(a, "line")] == [2, 2]  # 2010 is missing: two pieces
    _near(
        _paths(b, "line")[0], [at(y, v) for y, v in zip(years, [100, 90, 95, 85, 80], strict=True)]
    )
    (end,) = [t for t in a.iter(f"{NS}text") if t.get("class") == "end-label"]
    assert end.text == "Alfa" and end.get("fill") == OKABE_ITO["orange"]
    _near([float(end.get("x"))], [at(2012, 130)[0] + 4])
    (title,) = _texts(axes, "axis-title")
    assert title == "Index (2008 = 100)"
    (ref,) = _paths(axes, "ref")
    _near(ref, [(left, at(2008, 100)[1]), (right, at(2008, 100)[1])])
    web = ET.fromstring(str(chart.html()))
    tips = {g.get("id"): g.find(f"{NS}title") for g in web.iter(f"{NS}g")}
    assert tips["index-0"].text == "Alfa: 2008 100, 2009 110, 2011 120, 2012 130"
    assert tips["index-1"].text.startswith("B: 2008 100, 2009 90")
    assert "style=" not in str(chart.html())
