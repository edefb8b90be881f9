"""``Chart.svg`` skips matplotlib's no-op layout draw: its SVG must be byte for byte what matplotlib's own
``savefig(format="svg", bbox_inches="tight")`` writes for the same chart, for every kind of chart the
report draws with matplotlib (each drawn on a freshly built figure, so neither side reuses the other's
layout). The time series are written by speerpunt itself (``tests/report/test_svg_linechart.py``)."""

from __future__ import annotations

import io
import re
from contextlib import ExitStack

import matplotlib.pyplot as plt
import pytest

from speerpunt.io import read_panel
from speerpunt.measures.growth import index_series
from speerpunt.registry.sections import registry_provider, report_registry
from speerpunt.report.build import build_report_data
from speerpunt.report.charts import STYLE, SvgChart, index_chart
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
    for name, chart in fast.items():
        got = chart.svg()
        assert got.count("<text") > 0, name  # labels stay text (the PDF's text comes from them)
        if name.startswith("timeseries-"):
            assert isinstance(chart, SvgChart), name  # written directly, not by matplotlib
            continue
        assert got == _matplotlib_svg(plain[name]), name


def test_index_chart_is_matplotlibs_own_svg(panel):
    def draw():
        series = index_series(panel, regions=["BE21"], base_year=2008, variable="employment")
        series = series[series["sector"].isin(["C", "F", "J"])]
        return index_chart(series, labels={}, lang="nl", base_year=2008)

    assert draw().svg() == _matplotlib_svg(draw())


def test_svg_draws_the_figure_once(panel, monkeypatch):
    from matplotlib.figure import Figure

    calls = []
    real = Figure.draw

    def counting(self, renderer):
        calls.append(type(renderer).__name__)
        return real(self, renderer)

    monkeypatch.setattr(Figure, "draw", counting)
    series = index_series(panel, regions=["BE21"], base_year=2008, variable="employment")
    chart = index_chart(series[series["sector"] == "C"], labels={}, lang="nl", base_year=2008)
    _matplotlib_svg(chart)
    assert len(calls) == 2  # matplotlib: the no-op layout draw, then the real one
    calls.clear()
    chart.svg()
    assert len(calls) == 1
