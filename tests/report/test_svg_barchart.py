"""The LQ bar chart written straight to SVG (:mod:`speerpunt.report.svg_barchart`).

Expected ticks by hand (the smallest of 1, 2, 2.5, 5 × 10^k covering 0 … max + 3 % in ≤ 6 steps), bar
ends from the linear map of the values onto the plot box the SVG draws, and the room for the category
labels from DejaVu Sans' own metrics read by Pillow (an implementation independent of the writer's).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from PIL import ImageFont

from speerpunt.report.charts import OKABE_ITO, lq_chart, shift_share_chart
from speerpunt.report.svg_barchart import x_ticks_from_zero

NS = "{http://www.w3.org/2000/svg}"
LABELS = {"A": "Alfa", "B": "Beta met een heel lange naam", "C": "Gamma", "D": "Delta"}


def _chart(lang="nl", highlight=None):
    lq = pd.DataFrame({"sector": ["A", "B", "C", "D"], "lq": [0.5, 1.5, np.nan, 1.0]})
    return lq_chart(lq, labels=LABELS, lang=lang, year=2018, highlight=highlight)


def _box(root) -> tuple[float, float, float, float]:
    (spine,) = [p for p in root.iter(f"{NS}path") if p.get("class") == "spine"]
    n = [float(v) for v in re.findall(r"-?[\d.]+", spine.get("d"))]
    return n[0], n[1], n[4], n[3]


def _texts(root, kind):
    return [t for t in root.iter(f"{NS}text") if t.get("class") == kind]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0.4, 1.27], [0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5]),  # 0.2 needs 7 steps to 1.308
        ([0.5, 1.5, 1.0], [0, 0.5, 1.0, 1.5, 2.0]),  # 0.25 needs 7 steps to 1.545
        ([-3, 7], [-4, -2, 0, 2, 4, 6, 8]),  # -3.3 … 7.3 in steps of 2
    ],
)
def test_ticks_from_zero_by_hand(values, expected):
    assert x_ticks_from_zero(values) == pytest.approx(expected, abs=1e-12)


def test_bars_sit_on_the_linear_map_and_missing_is_not_drawn():
    chart = _chart()
    root = ET.fromstring(chart.svg())
    left, top, right, bottom = _box(root)
    # largest on top: Beta 1.5, Delta 1.0, Alfa 0.5; Gamma has no LQ and gets no bar (never 0)
    assert [t.text for t in _texts(root, "category")] == [LABELS["B"], "Delta", "Alfa"]
    bars = [r for r in root.iter(f"{NS}rect") if r.get("class") == "bar"]
    assert len(bars) == 3
    row = (bottom - top) / 3
    got = {r.get("fill"): [float(r.get(k)) for k in ("x", "y", "width", "height")] for r in bars}
    for value, rank, colour in [(1.5, 0, "blue"), (0.5, 2, "orange")]:
        expected = [left, top + (rank + 0.1) * row, value / 2.0 * (right - left), 0.8 * row]
        np.testing.assert_allclose(got[OKABE_ITO[colour]], expected, atol=0.011)  # axis 0 … 2
    (ref,) = [p for p in root.iter(f"{NS}path") if p.get("class") == "ref"]
    x1 = left + 1.0 / 2.0 * (right - left)
    n = [float(v) for v in re.findall(r"-?[\d.]+", ref.get("d"))]
    np.testing.assert_allclose(n, [x1, top, x1, bottom], atol=0.011)
    assert ref.get("stroke-dasharray")


def test_labels_in_the_reports_language():
    nl, en = (ET.fromstring(_chart(lang).svg()) for lang in ("nl", "en"))
    assert [t.text for t in _texts(nl, "tick")] == ["0,0", "0,5", "1,0", "1,5", "2,0"]
    assert [t.text for t in _texts(en, "tick")] == ["0.0", "0.5", "1.0", "1.5", "2.0"]
    # bars are written in ascending order (their tooltip ids as before), drawn largest on top
    assert [t.text for t in _texts(nl, "bar-label")] == ["0,50", "1,00", "1,50"]
    assert [t.text for t in _texts(nl, "axis-title")] == ["Locatiequotiënt 2018"]


def test_the_longest_category_label_fits_left_of_the_axis():
    root = ET.fromstring(_chart().svg())
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), size=900)
    for text in _texts(root, "category"):
        width = font.getlength(text.text) / 100  # 9 pt
        assert text.get("text-anchor") == "end"
        assert float(text.get("x")) - width >= 0, text.text


def test_highlight_tooltips_and_web_form():
    chart = _chart(highlight="A")
    html = str(chart.html())
    web = ET.fromstring(html)  # well-formed
    assert web.get("role") == "img" and web.get("aria-label") == chart.alt
    titles = [g.find(f"{NS}title") for g in web.iter(f"{NS}g")]
    assert sorted(t.text for t in titles if t is not None) == [
        "Alfa: LQ 0,50",
        "Beta met een heel lange naam: LQ 1,50",
        "Delta: LQ 1,00",
    ]
    fills = {r.get("fill") for r in web.iter(f"{NS}rect") if r.get("class") == "bar"}
    assert fills == {OKABE_ITO["vermillion"], OKABE_ITO["blue"]}  # Alfa highlighted
    assert "style=" not in html and "href" not in html and web.get("width") is None
    svg = ET.fromstring(chart.svg())
    assert (svg.get("width"), svg.get("height")) == ("504pt", "162.72pt")  # 7 × (0.32·3 + 1.3) in
    assert chart.svg() == _chart(highlight="A").svg()  # deterministic
    assert chart.png()[:4] == b"\x89PNG"


def test_shift_share_groups_legend_and_missing_component():
    ss = pd.DataFrame(
        {
            "sector": ["A", "B", "TOTAL"],
            "national_share": [1.0, 2.0, 3.0],
            "industry_mix": [-0.5, np.nan, 0.0],
            "regional_shift": [2.0, -1.0, 1.0],
        }
    )
    chart = shift_share_chart(
        ss, labels={"A": "Alfa", "B": "Beta"}, lang="nl", start=2008, year=2018
    )
    root = ET.fromstring(chart.svg())
    left, top, right, bottom = _box(root)
    row = (bottom - top) / 2
    bars = {
        (r.get("fill"), round(float(r.get("y")), 1)): float(r.get("height"))
        for r in root.iter(f"{NS}rect")
        if r.get("class") == "bar"
    }
    assert len(bars) == 5  # Beta's missing industry mix draws no bar (never a bar of 0)
    # Alfa's row: national share on top, then mix, then regional shift, each 0.26 row thick
    for k, colour in enumerate(("skyblue", "orange", "blue")):
        y = top + 0.5 * row + (k - 1) * 0.26 * row - 0.13 * row
        assert bars[(OKABE_ITO[colour], round(y, 1))] == pytest.approx(0.26 * row, abs=0.011)
    assert [t.text for t in _texts(root, "legend")] == [
        "Nationale component",
        "Sectorstructuur (mix)",
        "Regionale component",
    ]
    assert [t.text for t in _texts(root, "tick")][:6] == ["-2", "-1", "0", "1", "2", "3"]
    tips = [g.find(f"{NS}title") for g in ET.fromstring(str(chart.html())).iter(f"{NS}g")]
    assert "Beta — Sectorstructuur (mix): /" not in [t.text for t in tips if t is not None]
    assert "Alfa — Regionale component: 2,0" in [t.text for t in tips if t is not None]
