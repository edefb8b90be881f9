"""Charts: label repulsion leaves no overlaps, the palette is Okabe–Ito, SVGs are self-contained, alt texts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
from matplotlib.colors import to_hex

from speerpunt.report.charts import OKABE_ITO, heatmap_chart, portfolio_chart, shift_share_chart
from speerpunt.report.labels import overlaps, repel_labels

SVG = "{http://www.w3.org/2000/svg}"


def _crowded() -> pd.DataFrame:
    """Twelve sectors packed in a small corner: naive labels would pile on top of each other."""
    rng = np.random.default_rng(7)
    n = 12
    return pd.DataFrame(
        {
            "sector": [f"S{i}" for i in range(n)],
            "label": [f"Sector number {i}" for i in range(n)],
            "lq": 1.0 + rng.normal(0, 0.02, n),
            "growth": 0.05 + rng.normal(0, 0.005, n),
            "level": rng.uniform(1, 100, n),
            "selected": [i % 2 == 0 for i in range(n)],
        }
    )


def _boxes(texts) -> np.ndarray:
    fig = texts[0].figure
    renderer = fig.canvas.get_renderer()
    return np.array(
        [[b.x0, b.y0, b.x1, b.y1] for b in (t.get_window_extent(renderer=renderer) for t in texts)]
    )


def test_portfolio_labels_do_not_overlap():
    chart = portfolio_chart(_crowded(), reference_growth=0.05, lang="nl", start=2008, year=2018)
    ax = chart.figure.axes[0]
    texts = [t for t in ax.texts if t.get_text().startswith("Sector number")]
    assert len(texts) == 12
    assert overlaps(_boxes(texts)) == []
    chart.close()


def test_repulsion_separates_identical_points():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    fig.canvas.draw()
    texts = repel_labels(ax, np.full(6, 0.5), np.full(6, 0.5), [f"label {i}" for i in range(6)])
    assert overlaps(_boxes(texts)) == []
    plt.close(fig)


def test_colours_are_okabe_ito_and_svg_is_self_contained():
    chart = portfolio_chart(_crowded(), reference_growth=0.05, lang="en", start=2008, year=2018)
    faces = {to_hex(c).upper() for c in chart.figure.axes[0].collections[0].get_facecolors()}
    assert faces <= {OKABE_ITO["blue"], OKABE_ITO["orange"]}
    svg = chart.svg()
    assert svg.startswith("<svg")
    hrefs = re.findall(r"""href\s*=\s*["']([^"']*)["']""", svg)
    assert all(h.startswith("#") for h in hrefs)
    assert "http://purl.org" not in svg  # RDF metadata removed
    assert "Specialised and growing faster than the reference" in chart.alt
    chart.close()


def test_svg_is_deterministic():
    a = portfolio_chart(_crowded(), reference_growth=0.05, lang="en", start=2008, year=2018)
    b = portfolio_chart(_crowded(), reference_growth=0.05, lang="en", start=2008, year=2018)
    assert a.svg() == b.svg()
    a.close()
    b.close()


def test_heatmap_marks_results_without_colour_and_counts_in_alt():
    results = pd.DataFrame(
        {
            "sector": ["A", "B", "C"],
            "status": ["candidate", "rejected", "rejected"],
            "big": ["pass", "fail", "unknown"],
            "spec": ["pass", "pass", "fail"],
        }
    )
    chart = heatmap_chart(results, [("big", "Big"), ("spec", "Specialised")], labels={}, lang="en")
    marks = [t.get_text() for t in chart.figure.axes[0].texts]
    assert marks == ["✓", "✓", "✗", "✓", "?", "✗"]
    assert "Big: 1 of 3 pass; Specialised: 2 of 3 pass" in chart.alt
    chart.close()


def test_shift_share_bars_are_the_given_components():
    ss = pd.DataFrame(
        {
            "sector": ["A", "B", "TOTAL"],
            "national_share": [1.0, 2.0, 3.0],
            "industry_mix": [-0.5, 0.5, 0.0],
            "regional_shift": [2.0, -1.0, 1.0],
        }
    )
    chart = shift_share_chart(ss, labels={}, lang="nl", start=2008, year=2018)
    # the SVG's bars read back as values: the axis runs over the ticks -2 … 3 (by hand: -1.09 … 2.09
    # in steps of 1), so a bar's length / the plot width × 5 is its size, left of 0 negative
    root = ET.fromstring(chart.svg())
    (spine,) = [p for p in root.iter(f"{SVG}path") if p.get("class") == "spine"]
    box = [float(v) for v in re.findall(r"-?[\d.]+", spine.get("d"))]
    left, right = box[0], box[4]
    zero = left + 2 / 5 * (right - left)
    values = []
    for r in root.iter(f"{SVG}rect"):
        if r.get("class") == "bar":
            x, w = float(r.get("x")), float(r.get("width"))
            sign = -1 if x < zero - 0.01 else 1
            values.append(round(sign * w / (right - left) * 5, 2))
    assert sorted(values) == sorted([1.0, 2.0, -0.5, 0.5, 2.0, -1.0])  # TOTAL is not drawn
    assert (
        "Grootste positieve regionale componenten: A, B" in chart.alt
    )  # Dutch text for a Dutch report
    chart.close()
    en = shift_share_chart(ss, labels={}, lang="en", start=2008, year=2018)
    assert "Largest positive regional shifts: A, B" in en.alt
    en.close()
