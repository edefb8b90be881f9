"""Server-rendered SVG charts drawn from library results (no JavaScript, no external assets).

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>``; every mark has its own
``<title>`` (shown as a tooltip) and the pages put the same numbers in a table as the text alternative.
The functions only place numbers they are given: they compute nothing but coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape
from itertools import count

from markupsafe import Markup

PALETTE = [
    "#2f6fab",
    "#f2b134",
    "#c8553d",
    "#1e7b4a",
    "#7a4fa0",
    "#3aa5a0",
    "#8c6d31",
    "#d16ba5",
    "#5b6775",
    "#9ab73d",
]
_ids = count(1)
Fmt = Callable[[float], str]


def _finite(x: object) -> bool:
    return isinstance(x, int | float) and math.isfinite(x)


def _open(width: int, height: int, title: str, desc: str, cls: str) -> tuple[str, list[str]]:
    uid = f"c{next(_ids)}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart {cls}" aria-labelledby="{uid}t {uid}d" font-size="12" '
        f'font-family="system-ui, DejaVu Sans, sans-serif">'
        f'<title id="{uid}t">{escape(title)}</title><desc id="{uid}d">{escape(desc)}</desc>'
    )
    return uid, [head]


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=raw)
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step) + 1)]


class _Plot:
    """A plotting area: data → pixel coordinates, and the grid lines with their labels."""

    def __init__(
        self,
        box: tuple[float, float, float, float],
        xs: tuple[float, float],
        ys: tuple[float, float],
    ) -> None:
        self.left, self.top, self.pw, self.ph = box
        (self.xlo, self.xhi), (self.ylo, self.yhi) = xs, ys

    def sx(self, v: float) -> float:
        return self.left + (v - self.xlo) / (self.xhi - self.xlo) * self.pw

    def sy(self, v: float) -> float:
        return self.top + self.ph - (v - self.ylo) / (self.yhi - self.ylo) * self.ph

    def y_grid(self, fmt: Fmt) -> str:
        return "".join(
            f'<line x1="{self.left}" x2="{self.left + self.pw}" y1="{self.sy(t):.1f}" y2="{self.sy(t):.1f}" '
            f'stroke="#eef1f5"/><text x="{self.left - 6}" y="{self.sy(t) + 4:.1f}" text-anchor="end" '
            f'fill="#5b6775">{escape(fmt(t))}</text>'
            for t in _ticks(self.ylo, self.yhi)
        )

    def x_grid(self, fmt: Fmt, lines: bool = True) -> str:
        return "".join(
            (
                f'<line x1="{self.sx(t):.1f}" x2="{self.sx(t):.1f}" y1="{self.top}" y2="{self.top + self.ph}" '
                f'stroke="#eef1f5"/>'
                if lines
                else ""
            )
            + f'<text x="{self.sx(t):.1f}" y="{self.top + self.ph + 17}" text-anchor="middle" '
            f'fill="#5b6775">{escape(fmt(t))}</text>'
            for t in _ticks(self.xlo, self.xhi)
        )


def bar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    desc: str,
    fmt: Fmt,
    reference: float | None = None,
    width: int = 640,
    highlight: str | None = None,
) -> Markup:
    """Horizontal bars (e.g. LQ per sector) with an optional reference line (LQ = 1)."""
    label_w, bar_h, gap, top = 210, 18, 6, 10
    height = top + len(rows) * (bar_h + gap) + 28
    vals = [v for _, v in rows if _finite(v)] + ([reference] if reference is not None else [])
    hi = max(vals + [0.0]) * 1.08 or 1.0
    lo = min(vals + [0.0])
    plot_w = width - label_w - 60
    sx = lambda v: label_w + (v - lo) / (hi - lo) * plot_w  # noqa: E731
    _, out = _open(width, height, title, desc, "bars")
    for tick in _ticks(lo, hi):
        x = sx(tick)
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 22}" stroke="#e3e8ee"/>'
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" fill="#5b6775">'
            f"{escape(fmt(tick))}</text>"
        )
    for i, (label, v) in enumerate(rows):
        y = top + i * (bar_h + gap)
        short = label if len(label) <= 32 else label[:31] + "…"
        out.append(
            f'<text x="{label_w - 8}" y="{y + bar_h - 4}" text-anchor="end" fill="#1d2733">'
            f"{escape(short)}</text>"
        )
        if not _finite(v):
            out.append(f'<text x="{label_w + 4}" y="{y + bar_h - 4}" fill="#5b6775">/</text>')
            continue
        x0, x1 = sorted((sx(0.0 if lo >= 0 else 0.0), sx(v)))
        colour = (
            "#f2b134"
            if label == highlight
            else ("#2f6fab" if reference is None or v >= reference else "#9db8d6")
        )
        out.append(
            f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" height="{bar_h}" rx="2" '
            f'fill="{colour}"><title>{escape(label)}: {escape(fmt(v))}</title></rect>'
            f'<text x="{x1 + 4:.1f}" y="{y + bar_h - 4}" fill="#1d2733">{escape(fmt(v))}</text>'
        )
    if reference is not None:
        x = sx(reference)
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{height - 22}" stroke="#c8553d" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def scatter(
    points: Sequence[dict],
    *,
    title: str,
    desc: str,
    xfmt: Fmt,
    yfmt: Fmt,
    xlabel: str,
    ylabel: str,
    xref: float | None = None,
    yref: float | None = None,
    width: int = 640,
    height: int = 420,
) -> Markup:
    """Portfolio chart: ``points`` are dicts with ``label, x, y, size`` (area ∝ size)."""
    pts = [p for p in points if _finite(p["x"]) and _finite(p["y"])]
    left, right, top, bottom = 60, 20, 15, 45
    xs = [p["x"] for p in pts] + ([xref] if xref is not None else [])
    ys = [p["y"] for p in pts] + ([yref] if yref is not None else [])
    xlo, xhi = (min(xs), max(xs)) if xs else (0.0, 1.0)
    ylo, yhi = (min(ys), max(ys)) if ys else (0.0, 1.0)
    padx, pady = (xhi - xlo) * 0.12 or 0.1, (yhi - ylo) * 0.15 or 0.1
    xlo, xhi, yhi = xlo - padx, xhi + padx, yhi + pady
    ylo = ylo - pady if ylo < 0 else max(ylo - pady, 0.0)
    pw, ph = width - left - right, height - top - bottom
    plot = _Plot((left, top, pw, ph), (xlo, xhi), (ylo, yhi))
    sx, sy = plot.sx, plot.sy
    _, out = _open(width, height, title, desc, "scatter")
    out.append(plot.x_grid(xfmt) + plot.y_grid(yfmt))
    if xref is not None:
        out.append(
            f'<line x1="{sx(xref):.1f}" x2="{sx(xref):.1f}" y1="{top}" y2="{top + ph}" '
            f'stroke="#c8553d" stroke-dasharray="4 3"/>'
        )
    if yref is not None:
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{sy(yref):.1f}" y2="{sy(yref):.1f}" '
            f'stroke="#c8553d" stroke-dasharray="4 3"/>'
        )
    out.append(
        f'<text x="{left + pw / 2}" y="{height - 6}" text-anchor="middle" fill="#1d2733">'
        f'{escape(xlabel)}</text><text transform="translate(14 {top + ph / 2}) rotate(-90)" '
        f'text-anchor="middle" fill="#1d2733">{escape(ylabel)}</text>'
    )
    biggest = max((p["size"] for p in pts if _finite(p["size"])), default=1.0) or 1.0
    for i, p in enumerate(sorted(pts, key=lambda p: -(p["size"] if _finite(p["size"]) else 0))):
        r = 4 + 22 * math.sqrt(max(p["size"], 0) / biggest) if _finite(p["size"]) else 5
        colour = PALETTE[i % len(PALETTE)]
        out.append(
            f'<g><circle cx="{sx(p["x"]):.1f}" cy="{sy(p["y"]):.1f}" r="{r:.1f}" fill="{colour}" '
            f'fill-opacity=".55" stroke="{colour}"><title>{escape(p["label"])}: '
            f"{escape(xlabel)} {escape(xfmt(p['x']))}, {escape(ylabel)} {escape(yfmt(p['y']))}"
            f'</title></circle><text x="{sx(p["x"]):.1f}" y="{sy(p["y"]) + 4:.1f}" '
            f'text-anchor="middle" font-size="10" fill="#1d2733">{escape(p["code"])}</text></g>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[float]]],
    parts: Sequence[str],
    *,
    title: str,
    desc: str,
    fmt: Fmt,
    width: int = 640,
) -> Markup:
    """Diverging stacked horizontal bars (shift-share components per sector), with a legend."""
    label_w, bar_h, gap, top = 210, 16, 8, 30
    height = top + len(rows) * (bar_h + gap) + 26
    pos = [sum(v for v in vals if _finite(v) and v > 0) for _, vals in rows]
    neg = [sum(v for v in vals if _finite(v) and v < 0) for _, vals in rows]
    lo, hi = min(neg + [0.0]), max(pos + [0.0])
    if hi == lo:
        hi = lo + 1.0
    span = hi - lo
    lo, hi = lo - span * 0.03, hi + span * 0.03
    plot_w = width - label_w - 20
    sx = lambda v: label_w + (v - lo) / (hi - lo) * plot_w  # noqa: E731
    _, out = _open(width, height, title, desc, "stacked")
    x = 10.0
    for j, name in enumerate(parts):
        out.append(
            f'<rect x="{x:.0f}" y="6" width="12" height="12" fill="{PALETTE[j]}"/>'
            f'<text x="{x + 16:.0f}" y="16" fill="#1d2733">{escape(name)}</text>'
        )
        x += 16 + 7.0 * len(name) + 18
    for tick in _ticks(lo, hi):
        out.append(
            f'<line x1="{sx(tick):.1f}" x2="{sx(tick):.1f}" y1="{top - 4}" y2="{height - 20}" '
            f'stroke="#eef1f5"/><text x="{sx(tick):.1f}" y="{height - 6}" text-anchor="middle" '
            f'fill="#5b6775">{escape(fmt(tick))}</text>'
        )
    out.append(
        f'<line x1="{sx(0):.1f}" x2="{sx(0):.1f}" y1="{top - 4}" y2="{height - 20}" stroke="#5b6775"/>'
    )
    for i, (label, vals) in enumerate(rows):
        y = top + i * (bar_h + gap)
        short = label if len(label) <= 32 else label[:31] + "…"
        out.append(
            f'<text x="{label_w - 8}" y="{y + bar_h - 3}" text-anchor="end">{escape(short)}</text>'
        )
        up, down = 0.0, 0.0
        for j, v in enumerate(vals):
            if not _finite(v) or v == 0:
                continue
            a, b = (up, up + v) if v > 0 else (down + v, down)
            if v > 0:
                up += v
            else:
                down += v
            out.append(
                f'<rect x="{sx(a):.1f}" y="{y}" width="{max(sx(b) - sx(a), 0.5):.1f}" height="{bar_h}" '
                f'fill="{PALETTE[j]}"><title>{escape(label)} — {escape(parts[j])}: '
                f"{escape(fmt(v))}</title></rect>"
            )
    out.append("</svg>")
    return Markup("".join(out))


def line_chart(
    series: Sequence[tuple[str, Sequence[tuple[int, float]]]],
    *,
    title: str,
    desc: str,
    fmt: Fmt,
    width: int = 640,
    height: int = 320,
    reference: float | None = None,
) -> Markup:
    """One line per series of (year, value); missing values break the line."""
    left, right, top, bottom = 55, 150, 12, 30
    pts = [(x, y) for _, s in series for x, y in s if _finite(y)]
    xs, ys = [p[0] for p in pts] or [0, 1], [p[1] for p in pts] or [0.0, 1.0]
    if reference is not None:
        ys = ys + [reference]
    xlo, xhi = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    ylo, yhi = min(ys), max(ys)
    pad = (yhi - ylo) * 0.08 or 1.0
    ylo, yhi = ylo - pad, yhi + pad
    pw, ph = width - left - right, height - top - bottom
    plot = _Plot((left, top, pw, ph), (xlo, xhi), (ylo, yhi))
    sx, sy = plot.sx, plot.sy
    _, out = _open(width, height, title, desc, "lines")
    out.append(plot.y_grid(fmt) + plot.x_grid(lambda v: str(int(round(v))), lines=False))
    if reference is not None:
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{sy(reference):.1f}" y2="{sy(reference):.1f}" '
            f'stroke="#c8553d" stroke-dasharray="4 3"/>'
        )
    label_y = _spread_labels(
        [next((sy(y) for _, y in reversed(s) if _finite(y)), None) for _, s in series],
        top,
        top + ph,
    )
    for i, (name, s) in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        segs, cur = [], []
        for x, y in s:
            if _finite(y):
                cur.append(f"{sx(x):.1f},{sy(y):.1f}")
            elif cur:
                segs.append(cur)
                cur = []
        if cur:
            segs.append(cur)
        last = next(((x, y) for x, y in reversed(s) if _finite(y)), None)
        body = "".join(
            f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            for seg in segs
        )
        label = ""
        if last is not None:
            short = name if len(name) <= 22 else name[:21] + "…"
            label = (
                f'<text x="{left + pw + 6}" y="{label_y[i] + 4:.1f}" fill="{colour}">'
                f"{escape(short)}</text>"
            )
        out.append(
            f"<g><title>{escape(name)}: "
            + ", ".join(f"{x} {fmt(y)}" for x, y in s if _finite(y))
            + f"</title>{body}{label}</g>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def _spread_labels(
    ys: Sequence[float | None], lo: float, hi: float, gap: float = 13.0
) -> list[float]:
    """Move end-of-line labels apart vertically (at least ``gap`` px) keeping their order."""
    order = sorted((y, i) for i, y in enumerate(ys) if y is not None)
    placed: dict[int, float] = {}
    prev = lo - gap
    for y, i in order:
        prev = max(y, prev + gap)
        placed[i] = prev
    overflow = prev - hi
    if overflow > 0:
        placed = {i: y - overflow for i, y in placed.items()}
    return [placed.get(i, 0.0) for i in range(len(ys))]


def colour_scale(value: float, lo: float, mid: float, hi: float) -> str:
    """Diverging blue (above ``mid``) / orange (below) scale; grey for missing."""
    if not _finite(value):
        return "#e1e4e8"
    if value >= mid:
        f = min((value - mid) / ((hi - mid) or 1.0), 1.0)
        a, b = (0xE8, 0xEF, 0xF6), (0x1F, 0x4E, 0x79)
    else:
        f = min((mid - value) / ((mid - lo) or 1.0), 1.0)
        a, b = (0xFB, 0xEE, 0xE6), (0xC8, 0x55, 0x3D)
    rgb = [round(x + (y - x) * f) for x, y in zip(a, b, strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)
