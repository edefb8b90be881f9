"""Horizontal bar charts written straight to SVG: one bar per category, value labels, reference lines.

The companion of :mod:`speerpunt.report.svg_linechart` (same primitives, ticks and text): matplotlib's
``barh`` adds each bar as a patch and measures every label for the tight layout, a second or more for the
64 sectors of a European report; laying the bars out directly takes milliseconds. Category labels are
measured with the DejaVu Sans metrics (:func:`~speerpunt.report.svg_linechart.text_width`) so the longest
one fits left of the axis.

>>> d = hbar_chart(["A", "B"], [HBar(0, 2.0, "#0072B2"), HBar(1, 0.5, "#E69F00")], x_title="LQ",
...                x_label=lambda v, d: f"{v:.{d}f}")
>>> [g for g, _ in d.groups]
['axes', 'bar-0', 'bar-1']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from speerpunt.report.svg_linechart import (
    SPINE,
    TICK,
    TICK_FONT,
    Box,
    Drawing,
    Item,
    Label,
    Polyline,
    RefLine,
    nice_ticks,
    text_width,
    tick_decimals,
)

BAR_LABEL_FONT = 7.0
BAR_SHARE = 0.8  # a bar fills 80 % of its row (matplotlib's default)
LEGEND_FONT = 7.0
LEGEND_ROW = 16.0  # the legend's line under the axis title (pt)


@dataclass(frozen=True)
class HBar:
    """One bar in row ``row`` (0 = top) from 0 to ``value``; ``label`` is written past its end and
    ``tip`` is its tooltip on a web page. A missing value draws no bar (never a bar of zero)."""

    row: int
    value: float
    colour: str
    label: str = ""
    tip: str = ""
    #: where in its row (centre offset, downwards) and how thick, in rows: grouped bars share a row
    offset: float = 0.0
    thickness: float = BAR_SHARE
    gid: str = ""  # the group id (default ``<name>-<i>``)


def x_ticks_from_zero(values: Sequence[float], *, nbins: int = 6) -> list[float]:
    """Nice ticks covering 0 and the values, with 3 % room past the ends away from zero.

    >>> x_ticks_from_zero([0.4, 1.27])
    [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5]
    """
    lo, hi = min(0.0, *values), max(0.0, *values)
    if hi == lo:
        hi = 1.0
    pad = 0.03 * (hi - lo)
    return nice_ticks(lo - pad if lo < 0 else lo, hi + pad if hi > 0 else hi, nbins=nbins)


def hbar_chart(
    categories: Sequence[str],
    bars: Sequence[HBar],
    *,
    x_title: str,
    x_label: Callable[[float, int], str],
    ref_lines: Sequence[RefLine] = (),
    legend: Sequence[tuple[str, str]] = (),
    width: float = 7.0,
    height: float | None = None,
    name: str = "bar",
) -> Drawing:
    """Bars per category (listed top to bottom) on a ``width`` × ``height`` inch canvas (``height``
    defaults to 0.32 in per category + 1.3 in). Each bar is its own group (``HBar.gid``, by default
    ``<name>-<i>`` with i its position in ``bars``) carrying its tooltip; ``legend`` lists
    ``(text, colour)`` swatches in one row under the axis title."""
    n = max(len(categories), 1)
    w, h = width * 72, (height if height is not None else 0.32 * n + 1.3) * 72
    values = [b.value for b in bars if math.isfinite(b.value)]
    xt = x_ticks_from_zero(values + [r.y for r in ref_lines])
    decimals = tick_decimals(xt)
    tick_texts = [x_label(v, decimals) for v in xt]
    label_w = max((text_width(c, TICK_FONT) for c in categories), default=0.0)
    end_w = max((text_width(b.label, BAR_LABEL_FONT) for b in bars if b.label), default=0.0)
    box_l = 6.0 + label_w + 2 * TICK
    box_r = w - max(6.0 + end_w, text_width(tick_texts[-1], TICK_FONT) / 2 + 4.0)
    below = 2 * TICK + 2 * TICK_FONT + 14.0 + (LEGEND_ROW if legend else 0.0)
    box_t, box_b = 8.0, h - below
    row = (box_b - box_t) / n

    def x_at(v: float) -> float:
        return box_l + (v - xt[0]) / (xt[-1] - xt[0]) * (box_r - box_l)

    def centre(i: int) -> float:
        return box_t + (i + 0.5) * row

    axes: list[Item] = [
        Polyline(((box_l, box_t), (box_l, box_b), (box_r, box_b)), "#000000", SPINE, kind="spine")
    ]
    for v, text in zip(xt, tick_texts, strict=True):
        x = x_at(v)
        axes.append(Polyline(((x, box_b), (x, box_b + TICK)), "#000000", SPINE, kind="tick"))
        axes.append(Label(x, box_b + 2 * TICK + 0.76 * TICK_FONT, text, TICK_FONT))
    for i, cat in enumerate(categories):
        y = centre(i)
        axes.append(Polyline(((box_l - TICK, y), (box_l, y)), "#000000", SPINE, kind="tick"))
        axes.append(
            Label(box_l - 2 * TICK, y + 0.35 * TICK_FONT, cat, TICK_FONT, "end", "category")
        )
    title_base = h - 6.0 - (LEGEND_ROW if legend else 0.0)
    axes.append(Label((box_l + box_r) / 2, title_base, x_title, TICK_FONT, kind="axis-title"))
    drawing = Drawing(w, h, [("axes", axes)])
    if legend:
        drawing.groups.append(("legend", _legend(legend, (box_l + box_r) / 2, h - 6.0)))
    for k, b in enumerate(bars):
        gid = b.gid or f"{name}-{k}"
        if not math.isfinite(b.value):
            continue
        x0, x1 = sorted((x_at(0.0), x_at(b.value)))
        y = centre(b.row) + b.offset * row
        thick = b.thickness * row
        items: list[Item] = [Box(x0, y - thick / 2, x1 - x0, thick, b.colour)]
        if b.label:
            right = b.value >= 0
            at = (x1 + 2.0) if right else (x0 - 2.0)
            base = y + 0.35 * BAR_LABEL_FONT
            items.append(
                Label(at, base, b.label, BAR_LABEL_FONT, "start" if right else "end", "bar-label")
            )
        drawing.groups.append((gid, items))
        if b.tip:
            drawing.tips[gid] = b.tip
    # a reference line is vertical here: its ``y`` is the value on the bars' axis (LQ = 1)
    refs: list[Item] = [
        Polyline(((x_at(r.y), box_t), (x_at(r.y), box_b)), r.colour, r.width, r.dash, "ref")
        for r in ref_lines
    ]
    if refs:
        drawing.groups.append(("ref-lines", refs))
    return drawing


def _legend(entries: Sequence[tuple[str, str]], centre: float, base: float) -> list[Item]:
    """Swatches and their texts in one row centred on ``centre``, text baseline at ``base``."""
    swatch, gap, space = 10.0, 3.0, 12.0
    widths = [swatch + gap + text_width(text, LEGEND_FONT) for text, _ in entries]
    x = centre - (sum(widths) + space * (len(entries) - 1)) / 2
    items: list[Item] = []
    for (text, colour), w in zip(entries, widths, strict=True):
        items.append(
            Box(x, base - 0.7 * LEGEND_FONT, swatch, 0.7 * LEGEND_FONT, colour, kind="swatch")
        )
        items.append(Label(x + swatch + gap, base, text, LEGEND_FONT, "start", "legend"))
        x += w + space
    return items
