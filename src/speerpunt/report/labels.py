"""Non-overlapping text labels for scatter charts: a small, deterministic repulsion.

Each label starts just beside its point; overlapping label boxes (in display pixels) are pushed apart along
the line between their centres, and every label is pulled gently back towards its point, until nothing
overlaps or an iteration limit is reached. A thin leader line joins a label that moved to its point.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.text import Text


def _boxes(texts: list[Text], renderer) -> np.ndarray:
    out = []
    for t in texts:
        bb = t.get_window_extent(renderer=renderer).expanded(1.08, 1.25)
        out.append([bb.x0, bb.y0, bb.x1, bb.y1])
    return np.array(out)


def overlaps(boxes: np.ndarray) -> list[tuple[int, int]]:
    """Pairs of overlapping boxes ``[x0, y0, x1, y1]``.

    >>> overlaps(np.array([[0, 0, 2, 2], [1, 1, 3, 3], [5, 5, 6, 6]]))
    [(0, 1)]
    """
    pairs = []
    for i in range(len(boxes)):
        a = boxes[i]
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                pairs.append((i, j))
    return pairs


def repel_labels(
    ax: Axes,
    xs: np.ndarray,
    ys: np.ndarray,
    labels: list[str],
    *,
    fontsize: float = 8,
    iterations: int = 300,
    step: float = 3.0,
) -> list[Text]:
    """Place ``labels`` near the points ``(xs, ys)`` of ``ax`` without overlaps; returns the Text objects."""
    fig = ax.figure
    texts = [
        ax.text(x, y, lab, fontsize=fontsize, ha="left", va="bottom", zorder=5)
        for x, y, lab in zip(xs, ys, labels, strict=True)
    ]
    if not texts:
        return texts
    renderer = fig.canvas.get_renderer()
    anchor = ax.transData.transform(np.column_stack([xs, ys]))
    pos = anchor + np.array([4.0, 4.0])
    inv = ax.transData.inverted()
    axbox = ax.get_window_extent(renderer=renderer)
    for _ in range(iterations):
        for t, p in zip(texts, pos, strict=True):
            t.set_position(inv.transform(p))
        boxes = _boxes(texts, renderer)
        pairs = overlaps(boxes)
        if not pairs:
            break
        centres = np.column_stack(
            [(boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2]
        )
        push = np.zeros_like(pos)
        for i, j in pairs:
            d = centres[i] - centres[j]
            if not np.any(d):
                d = np.array([0.0, 1.0 if i < j else -1.0])
            d = d / np.linalg.norm(d)
            push[i] += d * step
            push[j] -= d * step
        pos += push + 0.02 * (anchor + 4.0 - pos)
        width = boxes[:, 2] - boxes[:, 0]
        height = boxes[:, 3] - boxes[:, 1]
        pos[:, 0] = np.clip(pos[:, 0], axbox.x0, axbox.x1 - width)
        pos[:, 1] = np.clip(pos[:, 1], axbox.y0, axbox.y1 - height)
    for t, p, a in zip(texts, pos, anchor, strict=True):
        t.set_position(inv.transform(p))
        if np.hypot(*(p - a - 4.0)) > 12:
            xa, ya = inv.transform(a)
            xp, yp = inv.transform(p)
            ax.plot([xa, xp], [ya, yp], color="#666666", lw=0.5, zorder=4)
    return texts
