"""Charts for reports: portfolio bubbles, time series, index lines, LQ and shift-share bars, screening heat-map.

All charts use the Okabe–Ito colour-blind-safe palette, print-size fonts, labels that do not overlap
(:mod:`speerpunt.report.labels`) and come with an alt text. They draw the results the library returned; they
do not compute. Save as SVG and PNG with :meth:`Chart.save`, or inline with :meth:`Chart.svg`.

The time series, index lines, LQ bars and shift-share bars are written as SVG directly
(:mod:`speerpunt.report.svg_linechart`, :mod:`speerpunt.report.svg_barchart`; :class:`SvgChart`): a
European report draws dozens of them and matplotlib took ≈ 0.2 s each. The portfolio (label repulsion)
and the screening heat-map are matplotlib's (:class:`Chart`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from markupsafe import Markup, escape  # noqa: E402
from matplotlib.backend_bases import RendererBase  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from speerpunt.report.fmt import fmt_index, fmt_number, fmt_percent  # noqa: E402
from speerpunt.report.i18n import sector_tag, t  # noqa: E402
from speerpunt.report.labels import repel_labels  # noqa: E402
from speerpunt.report.svg_barchart import HBar, hbar_chart  # noqa: E402
from speerpunt.report.svg_linechart import (  # noqa: E402
    Drawing,
    LinePanel,
    RefLine,
    Series,
    line_chart,
)

#: Okabe & Ito (2008), "Color Universal Design": safe for the common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00",
    "skyblue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "svg.fonttype": "none",
    "svg.hashsalt": "speerpunt",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 200,
}


@dataclass
class Chart:
    """A drawn chart with its name (file stem), alt text and the tooltips of its marks (``gid`` → text)."""

    name: str
    figure: Figure
    alt: str
    titles: dict[str, str] = field(default_factory=dict)

    def svg(self) -> str:
        """The chart as an SVG document (no external references), deterministic for the same input."""
        buf = io.StringIO()
        with plt.rc_context(STYLE), _without_layout_pass(self.figure):
            self.figure.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
        text = buf.getvalue()
        # The RDF metadata block names external vocabularies; the chart does not need it.
        return re.sub(r"<metadata>.*?</metadata>", "", text[text.index("<svg") :], flags=re.S)

    def html(self) -> Markup:
        """The SVG for a web page: ``role="img"`` with the alt text as its title, and each mark's tooltip
        as a ``<title>`` (a browser shows it on hover). Scales to its container."""
        text = _presentation_attributes(self.svg())
        text = re.sub(r"<\?xml[^>]*>\s*|<!DOCTYPE[^>]*>\s*", "", text)
        text = re.sub(r'\s(width|height)="[^"]*pt"', "", text, count=2)
        text = text.replace(
            "<svg ",
            f'<svg role="img" class="chart" aria-label="{escape(self.alt)}" '
            'stroke-linejoin="round" stroke-linecap="butt" ',
            1,
        )
        text = re.sub(r"(<svg[^>]*>)", rf"\1<title>{escape(self.alt)}</title>", text, count=1)
        for gid, tip in self.titles.items():
            text = text.replace(f'<g id="{gid}">', f'<g id="{gid}"><title>{escape(tip)}</title>', 1)
        return Markup(text)

    def png(self) -> bytes:
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", bbox_inches="tight", dpi=200)
        return buf.getvalue()

    def save(self, folder: Path) -> list[Path]:
        """Write ``<name>.svg`` and ``<name>.png`` into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        svg_path, png_path = folder / f"{self.name}.svg", folder / f"{self.name}.png"
        svg_path.write_text(self.svg(), encoding="utf-8")
        png_path.write_bytes(self.png())
        return [svg_path, png_path]

    def close(self) -> None:
        plt.close(self.figure)


class SvgChart(Chart):
    """A chart speerpunt writes as SVG itself (:mod:`speerpunt.report.svg_linechart`), with the same
    contract as :class:`Chart`. matplotlib only draws it when a PNG (or ``figure``) is asked for, from
    the same :class:`~speerpunt.report.svg_linechart.Drawing`, so the PNG shows the same ticks and text.
    """

    def __init__(
        self, name: str, drawing: Drawing, alt: str, titles: dict[str, str] | None = None
    ) -> None:
        self.name, self.drawing, self.alt = name, drawing, alt
        self.titles = dict(titles or {})
        self._figure: Figure | None = None

    def __repr__(self) -> str:
        return f"SvgChart(name={self.name!r}, alt={self.alt!r})"

    @property
    def figure(self) -> Figure:  # type: ignore[override]
        if self._figure is None:
            with plt.rc_context(STYLE):
                self._figure = self.drawing.figure()
        return self._figure

    def svg(self) -> str:
        return self.drawing.svg()

    def html(self) -> Markup:
        return Markup(self.drawing.svg(alt=self.alt))

    def png(self) -> bytes:
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=200)
        return buf.getvalue()

    def close(self) -> None:
        if self._figure is not None:
            plt.close(self._figure)
            self._figure = None


@contextmanager
def _without_layout_pass(figure: Figure) -> Iterator[None]:
    """Skip the extra draw ``savefig(bbox_inches="tight")`` makes with drawing switched off.

    matplotlib draws a figure three times for a tight SVG: a draw with every ``draw_*`` method of the
    renderer replaced by a no-op (to settle the layout), the tight bounding box, and the real draw.
    The tight bounding box recomputes the ticks, labels and title positions the report's charts
    depend on, so the no-op draw changes nothing in their SVG — byte for byte, for every chart the
    report and the web draw (``tests/report/test_chart_svg.py`` compares with matplotlib's own
    output) — and costs a third of the chart's time. The no-op draw is recognised by its renderer's
    ``draw_path`` being the no-op wrapper of :meth:`RendererBase.draw_path`; any other draw (the real
    one, or a matplotlib that settles the layout differently) runs as usual.
    """
    real = type(figure).draw

    def draw(renderer) -> None:
        if getattr(renderer.draw_path, "__wrapped__", None) is RendererBase.draw_path:
            return None
        return real(figure, renderer)

    figure.draw = draw
    try:
        yield
    finally:
        del figure.draw


def _presentation_attributes(svg: str) -> str:
    """matplotlib's ``style="fill: #fff; stroke-width: 0.8"`` as SVG presentation attributes
    (``fill="#fff" stroke-width="0.8"``), and its one ``<style>`` rule dropped (set on the root by
    :meth:`Chart.html`): a page whose Content-Security-Policy forbids inline styles still draws it.

    >>> _presentation_attributes('<path style="fill: #ffffff; stroke-width: 0.8"/>')
    '<path fill="#ffffff" stroke-width="0.8"/>'
    """

    def attrs(m: re.Match) -> str:
        pairs = (d.split(":", 1) for d in m.group(1).split(";") if ":" in d)
        return " ".join(f'{k.strip()}="{escape(v.strip())}"' for k, v in pairs)

    svg = re.sub(r'<style type="text/css">.*?</style>', "", svg, flags=re.S)
    return re.sub(r'style="([^"]*)"', attrs, svg)


def _figure(width: float = 7.0, height: float = 4.5) -> tuple[Figure, plt.Axes]:
    """A figure of matplotlib's object API (no pyplot state, so web threads can draw side by side)."""
    with plt.rc_context(STYLE):
        fig = Figure(figsize=(width, height))
        FigureCanvasAgg(fig)
        ax = fig.subplots()
    return fig, ax


def _tips(artists, texts: list[str], prefix: str) -> dict[str, str]:
    """Give each artist a ``gid`` and return gid → tooltip for :meth:`Chart.html`."""
    out = {}
    for i, (artist, text) in enumerate(zip(artists, texts, strict=True)):
        gid = f"{prefix}-{i}"
        artist.set_gid(gid)
        out[gid] = text
    return out


def portfolio_chart(
    data: pd.DataFrame,
    *,
    reference_growth: float,
    lang: str = "en",
    start: int,
    year: int,
    title: str = "",
    name: str = "portfolio",
    legend: bool = True,
    names: dict[str, str] | None = None,
) -> Chart:
    """Bubble chart: x = LQ, y = growth, bubble area ∝ level; lines at LQ = 1 and the reference's growth.

    ``data`` has ``sector, label, lq, growth, level, selected`` (bool) — taken from the screening metrics;
    ``names`` (code → full name) are used in the bubbles' tooltips; ``legend=False`` when nothing is
    selected (the web dashboard).
    """
    with plt.rc_context(STYLE):
        fig, ax = _figure()
        d = data.dropna(subset=["lq", "growth"])
        size = d["level"].fillna(0).to_numpy(dtype=float)
        area = (
            60 + 1400 * size / size.max() if len(size) and size.max() > 0 else np.full(len(d), 60.0)
        )
        colours = np.where(d["selected"], OKABE_ITO["blue"], OKABE_ITO["orange"])
        bubbles = [
            ax.scatter(
                [x], [y], s=[a], c=[c], alpha=0.65, edgecolors="black", linewidths=0.6, zorder=3
            )
            for x, y, a, c in zip(d["lq"], d["growth"], area, colours, strict=True)
        ]
        ax.axvline(1.0, color="#444444", lw=0.8, ls="--")
        if np.isfinite(reference_growth):
            ax.axhline(reference_growth, color="#444444", lw=0.8, ls=":")
            ax.annotate(
                f"{t('chart_ref_growth', lang)} {fmt_percent(reference_growth, lang)}",
                xy=(1, reference_growth),
                xycoords=("axes fraction", "data"),
                ha="right",
                va="bottom",
                fontsize=7,
                color="#444444",
            )
        ax.set_xlabel(t("chart_lq", lang) + f" {year}")
        ax.set_ylabel(t("chart_growth", lang, start=start, year=year))
        ax.yaxis.set_major_formatter(lambda v, _: fmt_percent(v, lang, 0))
        ax.xaxis.set_major_formatter(lambda v, _: fmt_index(v, lang, 2))
        ax.margins(0.15)
        for key, col in (
            ("chart_selected", OKABE_ITO["blue"]),
            ("chart_not_selected", OKABE_ITO["orange"]),
        ):
            ax.scatter([], [], s=60, c=col, alpha=0.65, edgecolors="black", label=t(key, lang))
        if legend:
            ax.legend(loc="upper left", fontsize=7, frameon=False)
        if title:
            ax.set_title(title)
        fig.draw_without_rendering()  # settles limits and ticks for the labels; no pixels drawn
        repel_labels(ax, d["lq"].to_numpy(float), d["growth"].to_numpy(float), d["label"].tolist())
    quad = d[(d["lq"] >= 1) & (d["growth"] > reference_growth)]["sector"].tolist()
    alt = t(
        "alt_portfolio",
        lang,
        n=len(d),
        year=year,
        start=start,
        ref_growth=fmt_percent(reference_growth, lang),
        quad=", ".join(sector_tag(s, lang) for s in quad) or t("alt_none", lang),
    )
    full = names or {}
    tips = [
        f"{full.get(code, code)}: LQ {fmt_index(q, lang, 2)}, {t('growth', lang).lower()} "
        f"{fmt_percent(g, lang)}"
        for code, q, g in zip(d["sector"], d["lq"], d["growth"], strict=True)
    ]
    return Chart(name, fig, alt, _tips(bubbles, tips, name))


def timeseries_chart(
    series: pd.DataFrame,
    *,
    sector: str,
    label: str,
    lang: str = "en",
    unit: str | None = None,
    name: str | None = None,
) -> Chart:
    """Two panels for one sector: the level per year and the LQ per year (line at 1).

    ``series`` has ``year, value, lq`` (from :func:`speerpunt.measures.location_quotient` per year).
    """
    series = series.sort_values("year")
    years = [int(y) for y in sorted(series["year"].dropna().unique())]
    # a few years (one for SBS 2014): those years as ticks, not 1920 … 2120
    x_ticks = years if len(years) <= 6 else None
    empty = t("no_data", lang)
    x = series["year"].to_numpy(float)

    def number(v: float, decimals: int) -> str:
        return fmt_number(v, lang, decimals, fixed=True)

    level = LinePanel(
        t("chart_level", lang) + (f" ({unit})" if unit else ""),
        [Series(x, series["value"].to_numpy(float), OKABE_ITO["blue"], "o")],
        number,
        x_ticks=x_ticks,
        empty=empty,
    )
    lq = LinePanel(
        t("chart_lq", lang),
        [Series(x, series["lq"].to_numpy(float), OKABE_ITO["vermillion"], "s")],
        number,
        ref_lines=[RefLine(1.0)],
        x_ticks=x_ticks,
        empty=empty,
    )
    drawing = line_chart([level, lq], title=label, width=7.0, height=2.8)
    s = series.dropna(subset=["value"])
    alt = (
        t(
            "alt_timeseries",
            lang,
            label=label,
            v0=fmt_index(s["value"].iloc[0], lang, 1),
            y0=int(s["year"].iloc[0]),
            v1=fmt_index(s["value"].iloc[-1], lang, 1),
            y1=int(s["year"].iloc[-1]),
            lq0=fmt_index(series["lq"].iloc[0], lang, 2),
            lq1=fmt_index(series["lq"].iloc[-1], lang, 2),
        )
        if len(s)
        else t("alt_timeseries_empty", lang, label=label)
    )
    return SvgChart(name or f"timeseries-{sector}", drawing, alt)


def shift_share_chart(
    ss: pd.DataFrame,
    *,
    labels: dict[str, str],
    lang: str = "en",
    start: int,
    year: int,
    name: str = "shift-share",
) -> Chart:
    """Diverging horizontal bars per sector: national share, industry mix and regional shift."""
    parts = [
        ("national_share", OKABE_ITO["skyblue"]),
        ("industry_mix", OKABE_ITO["orange"]),
        ("regional_shift", OKABE_ITO["blue"]),
    ]
    d = ss[ss["sector"] != "TOTAL"]
    h = 0.26  # three bars of 0.26 row each, national share on top
    bars = [
        HBar(
            i,
            float(v),
            colour,
            tip=f"{labels.get(code, code)} — {t(col, lang)}: {fmt_number(v, lang, 1, fixed=True)}",
            offset=(k - 1) * h,
            thickness=h,
            gid=f"{name}-{col}-{len(d) - 1 - i}",  # the ids matplotlib's bars had (bottom up)
        )
        for k, (col, colour) in enumerate(parts)
        for i, (code, v) in enumerate(zip(d["sector"], d[col], strict=True))
    ]
    drawing = hbar_chart(
        [labels.get(s, s) for s in d["sector"]],
        bars,
        x_title=t("chart_change", lang, start=start, year=year),
        x_label=lambda v, decimals: fmt_number(v, lang, decimals, fixed=True),
        ref_lines=[RefLine(0.0, "#000000", dash=None)],
        legend=[(t(col, lang), colour) for col, colour in parts],
        height=0.45 * len(d) + 1.5,
        name=name,
    )
    top = d.sort_values("regional_shift", ascending=False)["sector"].head(3).tolist()
    alt = t(
        "alt_shiftshare",
        lang,
        start=start,
        year=year,
        top=", ".join(sector_tag(s, lang) for s in top) or t("alt_none", lang),
    )
    return SvgChart(name, drawing, alt, drawing.tips)


def heatmap_chart(
    results: pd.DataFrame,
    criteria: list[tuple[str, str]],
    *,
    labels: dict[str, str],
    lang: str = "en",
    name: str = "screening-heatmap",
) -> Chart:
    """Sectors × criteria: pass (blue, ✓), fail (vermillion, ✗), unknown (grey, ?) — readable without colour.

    ``results`` has ``sector``, ``status`` and one column per criterion name with ``pass/fail/unknown``;
    ``criteria`` lists ``(name, title)``.
    """
    colour = {"pass": OKABE_ITO["blue"], "fail": OKABE_ITO["vermillion"], "unknown": "#BBBBBB"}
    mark = {"pass": "✓", "fail": "✗", "unknown": "?"}
    with plt.rc_context(STYLE):
        fig, ax = _figure(1.6 + 1.2 * len(criteria), 0.4 * len(results) + 1.4)
        for i, row in enumerate(results.itertuples(index=False)):
            r = row._asdict()
            for j, (crit, _) in enumerate(criteria):
                v = r[crit]
                ax.add_patch(plt.Rectangle((j, i), 0.95, 0.9, color=colour[v]))
                ax.text(
                    j + 0.475,
                    i + 0.45,
                    mark[v],
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=10,
                )
        ax.set_xlim(0, len(criteria))
        ax.set_ylim(len(results), 0)
        ax.set_xticks(
            np.arange(len(criteria)) + 0.475, [c[1] for c in criteria], rotation=20, ha="right"
        )
        ax.set_yticks(
            np.arange(len(results)) + 0.45,
            [
                f"{labels.get(s, s)} — {t(st, lang)}"
                for s, st in zip(results["sector"], results["status"], strict=True)
            ],
        )
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
    n_pass = {c: int((results[c] == "pass").sum()) for c, _ in criteria}
    items = "; ".join(
        t("alt_heatmap_item", lang, title=title, k=n_pass[c], n=len(results))
        for c, title in criteria
    )
    alt = t("alt_heatmap", lang, items=items)
    return Chart(name, fig, alt)


def lq_chart(
    lq: pd.DataFrame,
    *,
    labels: dict[str, str],
    lang: str = "en",
    year: int,
    name: str = "lq",
    key: str = "sector",
    highlight: str | None = None,
) -> Chart:
    """Horizontal bars of the LQ per sector (or per region with ``key="region"``) with a line at 1
    (specialised to the right); ``highlight`` draws one bar in the accent colour."""
    d = lq.dropna(subset=["lq"]).sort_values("lq")
    colours = np.where(d["lq"] >= 1, OKABE_ITO["blue"], OKABE_ITO["orange"])
    colours = np.where(d[key] == highlight, OKABE_ITO["vermillion"], colours)
    n = len(d)
    # ascending as before (the tooltips' order), drawn with the largest LQ at the top
    bars = [
        HBar(
            n - 1 - i,
            float(v),
            str(c),
            label=fmt_index(v, lang, 2),
            tip=f"{labels.get(s, s)}: LQ {fmt_index(v, lang, 2)}",
        )
        for i, (s, v, c) in enumerate(zip(d[key], d["lq"], colours, strict=True))
    ]
    drawing = hbar_chart(
        [labels.get(s, s) for s in d[key].iloc[::-1]],
        bars,
        x_title=t("chart_lq", lang) + f" {year}",
        x_label=lambda v, decimals: fmt_index(v, lang, max(decimals, 1)),
        ref_lines=[RefLine(1.0, "#000000")],
        name=name,
    )
    above = d.loc[d["lq"] >= 1, key].tolist()
    alt = t(
        "alt_lq",
        lang,
        year=year,
        above=", ".join(sector_tag(s, lang) for s in above) or t("alt_none", lang),
    )
    return SvgChart(name, drawing, alt, drawing.tips)


def index_chart(
    series: pd.DataFrame,
    *,
    labels: dict[str, str],
    lang: str = "en",
    base_year: int,
    name: str = "index",
) -> Chart:
    """One line per sector of the index (``base_year`` = 100) over the years, with a line at 100.

    ``series`` has ``sector, year, index`` (from :func:`speerpunt.measures.index_series`); each line is
    labelled at its end.
    """
    colours = [
        c for k, c in OKABE_ITO.items() if k != "yellow"
    ]  # yellow is unreadable as a thin line
    lines = []
    for i, (code, g) in enumerate(series.groupby("sector", sort=False)):
        g = g.sort_values("year")
        shown = ", ".join(
            f"{int(y)} {fmt_index(v, lang, 0)}"
            for y, v in zip(g["year"], g["index"], strict=True)
            if v == v
        )
        lines.append(
            Series(
                g["year"].to_numpy(float),
                g["index"].to_numpy(float),
                colours[i % len(colours)],
                marker="",
                width=1.6,
                label=labels.get(code, code),
                tip=f"{labels.get(code, code)}: {shown}",
                gid=f"{name}-{i}",
            )
        )
    panel = LinePanel(
        "",
        lines,
        lambda v, decimals: fmt_index(v, lang, decimals),
        ref_lines=[RefLine(100.0)],
        y_title=t("chart_index", lang, year=base_year),
        x_margin=0.02,
        empty=t("no_data", lang),
    )
    drawing = line_chart([panel], width=7.0, height=3.6)
    alt = t("alt_index", lang, n=len(lines), year=base_year)
    return SvgChart(name, drawing, alt, drawing.tips)
