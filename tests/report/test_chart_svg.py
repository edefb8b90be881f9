"""``Chart.svg`` skips matplotlib's no-op layout draw: its SVG must be byte for byte what matplotlib's own
``savefig(format="svg", bbox_inches="tight")`` writes for the same chart, for every kind of chart the
report draws with matplotlib (each drawn on a freshly built figure, so neither side reuses the other's
layout). The time series, index lines, LQ and shift-share bars are written by speerpunt itself (``tests/report/test_svg_linechart.py``,
``tests/report/test_svg_barchart.py``)."""

from __future__ import annotations

import io
import re
from contextlib import ExitStack

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from speerpunt.io import read_panel
from speerpunt.registry.sections import registry_provider, report_registry
from speerpunt.report.build import build_report_data
from speerpunt.report.charts import STYLE, SvgChart, heatmap_chart
from speerpunt.report.sections import SECTION_PROVIDERS


def _matplotlib_svg(chart) -> str:
    """matplotlib's own tight SVG, with the post-processing :meth:`Chart.svg` documents."""
    buf = io.StringIO()
    with plt.rc_context(STYLE):
        chart.figure.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buf.getvalue()
    return re.sub(r"<metadata>.*?</metadata>", "", text[text.index("<svg") :], flags=re.S)


@pytest.fixture(scope="module")
def panel():
    return read_panel("be-employment")


def _report_charts(panel, region: str, lang: str, registry=None) -> dict[str, object]:
    providers = [*SECTION_PROVIDERS, *([registry_provider(registry)] if registry else [])]
    data = build_report_data(panel, region=region, reference="BE", lang=lang, providers=providers)
    return {c.name: c for c in data.charts()}


@pytest.mark.parametrize(
    ("region", "lang", "with_registry"), [("BE21", "nl", True), ("BE2", "en", False)]
)
def test_report_charts_are_matplotlibs_own_svg(panel, region, lang, with_registry):
    with ExitStack() as stack:
        reg = stack.enter_context(report_registry(None)) if with_registry else None
        fast = _report_charts(panel, region, lang, reg)
        plain = _report_charts(panel, region, lang, reg)
    kinds = {name.split("-")[0] for name in fast}
    assert {"lq", "shift", "screening", "portfolio", "timeseries"} <= kinds
    if with_registry:
        assert "registry-scorecard" in fast
    assert fast.keys() == plain.keys()
    direct = {name.split("-")[0] for name, c in fast.items() if isinstance(c, SvgChart)}
    assert direct == {"timeseries", "lq", "shift"}
    for name, chart in fast.items():
        got = chart.svg()
        assert got.count("<text") > 0, name  # labels stay text (the PDF's text comes from them)
        if isinstance(chart, SvgChart):
            continue  # written directly, not by matplotlib
        assert got == _matplotlib_svg(plain[name]), name


def test_svg_draws_the_figure_once(panel, monkeypatch):
    from matplotlib.figure import Figure

    calls = []
    real = Figure.draw

    def counting(self, renderer):
        calls.append(type(renderer).__name__)
        return real(self, renderer)

    monkeypatch.setattr(Figure, "draw", counting)
    results = pd.DataFrame({"sector": ["A", "B"], "status": ["candidate", "rejected"]})
    results["big"] = ["pass", "fail"]
    chart = heatmap_chart(results, [("big", "Big")], labels={}, lang="nl")
    _matplotlib_svg(chart)
    assert len(calls) == 2  # matplotlib: the no-op layout draw, then the real one
    calls.clear()
    chart.svg()
    assert len(calls) == 1
