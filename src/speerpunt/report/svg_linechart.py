"""Line charts written straight to SVG: panels side by side, nice ticks, gaps where a value is missing.

The report draws one small two-panel time-series chart per chosen sector; building and saving each with
matplotlib costs about a quarter of a second, most of a region's report. This module lays the chart out
itself and writes the SVG text directly (a few milliseconds). Text stays ``<text>`` in DejaVu Sans (the
PDF's text layer and the web's language checks read it), colours and line styles are presentation
attributes (no ``style``: the web pages forbid inline styles), and nothing outside the document is
referenced. The same :class:`Drawing` can be handed to matplotlib for a PNG (:meth:`Drawing.figure`), so
the raster and the vector show the same ticks and labels.

Coordinates are points (1/72 in) from the top left, as in SVG. A missing value (NaN, ±inf) breaks the
line: it is never drawn as zero.

>>> nice_ticks(3, 97)
[0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
>>> nice_ticks(2000, 2018, integer=True)
[2000.0, 2005.0, 2010.0, 2015.0, 2020.0]
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

FONT = "DejaVu Sans"
#: Mantissas of the tick steps (× 10^k), as matplotlib's ``MaxNLocator`` default.
STEPS = (1.0, 2.0, 2.5, 5.0)
TICK = 3.5  # tick length and gap to its label (pt), matplotlib's defaults
TICK_FONT = 9.0
TITLE_FONT = 10.0
END_FONT = 7.0  # a line's label at its end
SPINE = 0.8
#: matplotlib's ``--`` for a 0.8 pt line (3.7, 1.6 × line width).
DASHED = (2.96, 1.28)


# --- ticks -------------------------------------------------------------------------------------------


def nice_ticks(lo: float, hi: float, *, nbins: int = 6, integer: bool = False) -> list[float]:
    """Evenly spaced round ticks covering ``[lo, hi]`` in at most ``nbins`` intervals.

    The step is the smallest of 1, 2, 2.5, 5 × 10^k (integers only with ``integer=True``) for which
    ``floor(lo/step)·step … ceil(hi/step)·step`` has at most ``nbins`` steps.

    >>> nice_ticks(0.8, 1.27)
    [0.8, 0.9, 1.0, 1.1, 1.2, 1.3]
    >>> nice_ticks(-3, 7, nbins=4)
    [-5.0, 0.0, 5.0, 10.0]
    """
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo or nbins < 1:
        raise ValueError(f"nice_ticks needs finite lo < hi and nbins ≥ 1, got {lo}, {hi}, {nbins}")
    k = math.floor(math.log10((hi - lo) / nbins))
    while True:
        for m in STEPS:
            step = m * 10.0**k
            if integer and (step < 1 or step != int(step)):
                continue
            first = math.floor(lo / step + 1e-9)
            last = math.ceil(hi / step - 1e-9)
            if last - first <= nbins:
                digits = max(0, 2 - k)  # 2.5 × 10^k needs one decimal more than 10^k
                return [round(i * step, digits) + 0.0 for i in range(first, last + 1)]
        k += 1


def tick_decimals(ticks: Sequence[float]) -> int:
    """The fewest decimals that show every tick exactly: ``[0.25, 0.5] → 2``, ``[1000, 1500] → 0``."""
    for d in range(11):
        if all(abs(round(v, d) - v) <= 1e-9 * max(1.0, abs(v)) for v in ticks):
            return d
    return 10


_FONT_LOCK = threading.Lock()


@functools.cache
def _font():
    """DejaVu Sans as FreeType sees it (matplotlib's bundled copy): to measure text, not to draw it."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    return FT2Font(font_manager.findfont(font_manager.FontProperties(family=FONT)))


def text_width(text: str, size: float) -> float:
    """The advance width of ``text`` in DejaVu Sans at ``size`` points (kerned), in points: the room
    a tick or category label needs beside the plot. ``text_width("35.000", 9)`` ≈ 31.45."""
    from matplotlib.ft2font import LoadFlags

    with _FONT_LOCK:  # one FreeType face, shared: measure one string at a time
        font = _font()
        font.set_size(size, 72)
        font.set_text(text, 0.0, flags=LoadFlags.NO_HINTING)
        return font.get_width_height()[0] / 64


# --- what to draw ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One line: ``x`` and ``y`` of equal length; a non-finite ``y`` is a gap. ``marker`` is ``"o"``
    (circle), ``"s"`` (square) or ``""``; sizes in points like matplotlib's ``lw`` and ``ms``."""

    x: Sequence[float]
    y: Sequence[float]
    colour: str
    marker: str = "o"
    width: float = 1.5
    marker_size: float = 3.0
    label: str = ""  # written in the line's colour just right of its last point
    tip: str = ""  # its tooltip on a web page (then the line is its own group ``gid``)
    gid: str = ""


@dataclass(frozen=True)
class RefLine:
    """A horizontal reference line across the plot (e.g. LQ = 1); its ``y`` is always in view."""

    y: float
    colour: str = "#444444"
    width: float = SPINE
    dash: tuple[float, float] | None = DASHED


@dataclass(frozen=True)
class LinePanel:
    """One plot: its title, lines, reference lines and tick labels.

    ``y_label(value, decimals)`` formats a y tick (the report passes its language's number format);
    ``x_ticks`` are drawn as given (``None``: round integer ticks); ``empty`` is written in the plot when
    no line has a value.
    """

    title: str
    series: Sequence[Series]
    y_label: Callable[[float, int], str]
    ref_lines: Sequence[RefLine] = ()
    x_ticks: Sequence[float] | None = None
    empty: str = ""
    y_title: str = ""
    x_margin: float = 0.05  # share of the years' span left free on each side


# --- drawing primitives ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    colour: str
    width: float
    dash: tuple[float, float] | None = None
    kind: str = "line"  # "line", "spine", "tick" or "ref": the SVG class (tests and stylesheets)


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    kind: str  # "o" or "s"
    size: float
    colour: str


@dataclass(frozen=True)
class Box:
    """A filled rectangle (a bar): top-left corner, width and height in points."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    edge: str = "#000000"
    edge_width: float = 0.3
    kind: str = "bar"  # the SVG class: "bar" or "swatch" (a legend's key)


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    size: float
    anchor: str = "middle"  # "start", "middle" or "end"
    kind: str = "tick"
    colour: str = "#000000"
    angle: float = 0.0  # degrees, counter-clockwise about (x, y): 90 for a y-axis title


Item = Polyline | Mark | Box | Label


@dataclass
class Drawing:
    """A chart as primitives in points (y down); :meth:`svg` writes it, :meth:`figure` hands it to
    matplotlib (for a PNG)."""

    width: float
    height: float
    groups: list[tuple[str, list[Item]]] = field(default_factory=list)
    #: group id → tooltip, written as the group's ``<title>`` in the web form (a browser shows it on hover)
    tips: dict[str, str] = field(default_factory=dict)

    def svg(self, *, alt: str | None = None) -> str:
        """The SVG document. With ``alt`` it is the inline form for a web page: no fixed size (it scales
        to its container), ``role="img"`` and the alt text as ``aria-label`` and ``<title>``."""
        w, h = _num(self.width), _num(self.height)
        head = f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 {w} {h}"'
        if alt is None:
            head += f' width="{w}pt" height="{h}pt"'
        else:
            head += f' role="img" class="chart" aria-label="{escape(alt)}"'
        head += f' font-family="{FONT}" stroke-linecap="butt" stroke-linejoin="round">'
        out = [head]
        if alt is not None:
            out.append(f"<title>{escape(alt)}</title>")
        out.append(f'<rect width="{w}" height="{h}" fill="#ffffff"/>')
        for gid, items in self.groups:
            out.append(f'<g id="{escape(gid)}">')
            if alt is not None and gid in self.tips:
                out.append(f"<title>{escape(self.tips[gid])}</title>")
            out.extend(_svg_item(item) for item in items)
            out.append("</g>")
        out.append("</svg>")
        return "\n".join(out) + "\n"

    def figure(self):
        """The same drawing as a matplotlib ``Figure`` of the same size (imported only when asked)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
        from matplotlib.patches import Rectangle
        from matplotlib.transforms import Affine2D

        fig = Figure(figsize=(self.width / 72, self.height / 72), facecolor="white")
        FigureCanvasAgg(fig)
        # points from the top left → inches from the bottom left → display
        to_display = (
            Affine2D().scale(1 / 72, -1 / 72).translate(0, self.height / 72) + fig.dpi_scale_trans
        )
        for _, items in self.groups:
            for item in items:
                if isinstance(item, Polyline):
                    xs, ys = zip(*item.points, strict=True)
                    line = Line2D(xs, ys, color=item.colour, lw=item.width, transform=to_display)
                    if item.dash:
                        line.set_dashes((item.dash[0] / item.width, item.dash[1] / item.width))
                    fig.add_artist(line)
                elif isinstance(item, Box):
                    fig.add_artist(
                        Rectangle(
                            (item.x, item.y),  # y grows downwards here, as in SVG
                            item.width,
                            item.height,
                            facecolor=item.colour,
                            edgecolor=item.edge,
                            linewidth=item.edge_width,
                            transform=to_display,
                        )
                    )
                elif isinstance(item, Mark):
                    fig.add_artist(
                        Line2D(
                            [item.x],
                            [item.y],
                            ls="none",
                            marker=item.kind,
                            ms=item.size,
                            color=item.colour,
                            mew=1.0,
                            transform=to_display,
                        )
                    )
                else:
                    ha = {"start": "left", "middle": "center", "end": "right"}[item.anchor]
                    fig.text(
                        item.x,
                        item.y,
                        item.text,
                        transform=to_display,
                        ha=ha,
                        va="baseline",
                        fontsize=item.size,
                        family=FONT,
                        color=item.colour,
                        rotation=item.angle,
                        rotation_mode="anchor",
                    )
        return fig


def _num(v: float) -> str:
    """A coordinate with at most two decimals, no trailing zeros: ``12.50 → '12.5'``, ``3.0 → '3'``."""
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _svg_item(item: Item) -> str:
    if isinstance(item, Polyline):
        d = "M" + " L".join(f"{_num(x)} {_num(y)}" for x, y in item.points)
        dash = f' stroke-dasharray="{_num(item.dash[0])} {_num(item.dash[1])}"' if item.dash else ""
        return (
            f'<path class="{item.kind}" d="{d}" fill="none" stroke="{item.colour}" '
            f'stroke-width="{_num(item.width)}"{dash}/>'
        )
    if isinstance(item, Box):
        return (
            f'<rect class="{item.kind}" x="{_num(item.x)}" y="{_num(item.y)}" width="{_num(item.width)}" '
            f'height="{_num(item.height)}" fill="{item.colour}" stroke="{item.edge}" '
            f'stroke-width="{_num(item.edge_width)}"/>'
        )
    if isinstance(item, Mark):
        paint = f'fill="{item.colour}" stroke="{item.colour}" stroke-width="1"'
        if item.kind == "s":
            half = item.size / 2
            return (
                f'<rect class="point" x="{_num(item.x - half)}" y="{_num(item.y - half)}" '
                f'width="{_num(item.size)}" height="{_num(item.size)}" {paint}/>'
            )
        return (
            f'<circle class="point" cx="{_num(item.x)}" cy="{_num(item.y)}" '
            f'r="{_num(item.size / 2)}" {paint}/>'
        )
    turn = (
        f' transform="rotate({_num(-item.angle)} {_num(item.x)} {_num(item.y)})"'
        if item.angle
        else ""
    )
    return (
        f'<text class="{item.kind}" x="{_num(item.x)}" y="{_num(item.y)}" '
        f'font-size="{_num(item.size)}" text-anchor="{item.anchor}" fill="{item.colour}"{turn}>'
        f"{escape(item.text)}</text>"
    )


# --- layout ------------------------------------------------------------------------------------------


def _finite(values: Sequence[float]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def x_view(xs: Sequence[float], margin: float = 0.05) -> tuple[float, float]:
    """The x range shown: the data's range with ``margin`` (5 %) on each side (± 0.5 around a single x)."""
    lo, hi = min(xs), max(xs)
    pad = margin * (hi - lo) if hi > lo else 0.5
    return lo - pad, hi + pad


def y_ticks(values: Sequence[float], *, nbins: int = 6) -> list[float]:
    """Nice ticks covering the values with a 3 % margin; the axis runs from the first to the last tick.

    A constant (or single) value ``v`` is given ± 5 % of ``|v|`` (± 1 at zero) so it sits mid-plot.
    """
    lo, hi = min(values), max(values)
    flat = 0.05 * abs(lo) if lo else 1.0
    pad = 0.03 * (hi - lo) if hi > lo else flat
    return nice_ticks(lo - pad, hi + pad, nbins=nbins)


def _scale(v: float, lo: float, hi: float, a: float, b: float) -> float:
    """The linear map of ``[lo, hi]`` onto ``[a, b]``."""
    return a + (v - lo) / (hi - lo) * (b - a)


def _segments(x: Sequence[float], y: Sequence[float]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points (in x order) whose y is finite: a missing value ends a run."""
    runs: list[list[tuple[float, float]]] = [[]]
    pairs = zip(x, y, strict=True)
    points = sorted(((float(a), b) for a, b in pairs if math.isfinite(a)), key=lambda p: p[0])
    for xi, yi in points:
        if yi is not None and math.isfinite(float(yi)):
            runs[-1].append((float(xi), float(yi)))
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def line_chart(
    panels: Sequence[LinePanel], *, title: str = "", width: float = 7.0, height: float = 2.8
) -> Drawing:
    """Lay ``panels`` out side by side under ``title`` on a ``width`` × ``height`` inch canvas."""
    w, h = width * 72, height * 72
    drawing = Drawing(w, h)
    top = 8.0
    if title:
        drawing.groups.append(("title", [Label(w / 2, 14.0, title, TITLE_FONT, kind="title")]))
        top = 22.0
    col = w / len(panels)
    for i, panel in enumerate(panels):
        items, lines = _panel(panel, left=i * col, right=(i + 1) * col, top=top, bottom=h)
        drawing.groups.append((f"panel-{i + 1}", items))
        for s, group in lines:
            drawing.groups.append((s.gid, group))
            if s.tip:
                drawing.tips[s.gid] = s.tip
    return drawing


def _panel(
    panel: LinePanel, *, left: float, right: float, top: float, bottom: float
) -> tuple[list[Item], list[tuple[Series, list[Item]]]]:
    """One panel's primitives inside the column ``left … right``, ``top … bottom`` (points), and the
    lines that have a ``gid`` as groups of their own (a web page shows their tooltip)."""
    xs = _finite([x for s in panel.series for x in s.x])
    ys = _finite([y for s in panel.series for y in s.y])
    items: list[Item] = []
    yt = y_ticks(ys + [r.y for r in panel.ref_lines]) if ys else []
    decimals = tick_decimals(yt)
    y_texts = [panel.y_label(v, decimals) for v in yt]
    label_w = max((text_width(s, TICK_FONT) for s in y_texts), default=0.0)
    y_title = 1.2 * TICK_FONT if panel.y_title else 0.0
    box_l = left + 6.0 + y_title + label_w + 2 * TICK
    ends = [text_width(s.label, END_FONT) + 6.0 for s in panel.series if s.label]
    box_r = right - max([14.0, *ends])  # room for the last x tick label or the lines' end labels
    box_t = top + (20.0 if panel.title else 6.0)
    box_b = bottom - (2 * TICK + TICK_FONT + 6.0)
    if panel.title:
        items.append(Label((box_l + box_r) / 2, box_t - 8.0, panel.title, TITLE_FONT, kind="title"))
    spines = ((box_l, box_t), (box_l, box_b), (box_r, box_b))
    items.append(Polyline(spines, "#000000", SPINE, kind="spine"))
    if panel.y_title:
        at = (left + 6.0 + TICK_FONT * 0.8, (box_t + box_b) / 2)
        items.append(Label(*at, panel.y_title, TICK_FONT, kind="axis-title", angle=90.0))
    lines: list[tuple[Series, list[Item]]] = []
    if not xs:
        return items, lines
    x0, x1 = x_view(xs, panel.x_margin)
    x_at = lambda v: _scale(v, x0, x1, box_l, box_r)  # noqa: E731
    if panel.x_ticks is not None:
        xt = list(panel.x_ticks)
    else:
        xt = [v for v in nice_ticks(min(xs), max(xs) + (max(xs) == min(xs)), integer=True)]
    for v in xt:
        if x0 <= v <= x1:
            x = x_at(v)
            items.append(Polyline(((x, box_b), (x, box_b + TICK)), "#000000", SPINE, kind="tick"))
            base = box_b + 2 * TICK + 0.76 * TICK_FONT  # cap height of DejaVu Sans ≈ 0.73 em
            items.append(Label(x, base, str(int(round(v))), TICK_FONT))
    if not ys:
        mid = ((box_l + box_r) / 2, (box_t + box_b) / 2 + 0.35 * TICK_FONT)
        items.append(Label(*mid, panel.empty, TICK_FONT, kind="empty"))
        return items, lines
    y_at = lambda v: _scale(v, yt[0], yt[-1], box_b, box_t)  # noqa: E731
    for v, text in zip(yt, y_texts, strict=True):
        y = y_at(v)
        items.append(Polyline(((box_l - TICK, y), (box_l, y)), "#000000", SPINE, kind="tick"))
        items.append(Label(box_l - 2 * TICK, y + 0.35 * TICK_FONT, text, TICK_FONT, anchor="end"))
    for ref in panel.ref_lines:
        y = y_at(ref.y)
        items.append(Polyline(((box_l, y), (box_r, y)), ref.colour, ref.width, ref.dash, "ref"))
    for s in panel.series:
        group = items if not s.gid else []
        runs = _segments(s.x, s.y)
        for run in runs:
            if len(run) > 1:
                pts = tuple((x_at(x), y_at(y)) for x, y in run)
                group.append(Polyline(pts, s.colour, s.width))
        if s.marker:
            group += [
                Mark(x_at(x), y_at(y), s.marker, s.marker_size, s.colour)
                for r in runs
                for x, y in r
            ]
        if s.label and runs:
            x, y = runs[-1][-1]
            base = y_at(y) + 0.35 * END_FONT
            end = Label(x_at(x) + 4.0, base, s.label, END_FONT, "start", "end-label", s.colour)
            group.append(end)
        if s.gid:
            lines.append((s, group))
    return items, lines
