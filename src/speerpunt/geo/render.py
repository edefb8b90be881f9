"""The drawing primitives of every printed map (matplotlib, no tiles, no network).

Every region is drawn as one ``PathPatch`` whose ``gid`` is its code, so an SVG keeps
``<g id="BE211">`` groups that tools (and the tests) can read back. Text stays text in SVG.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from speerpunt.errors import ConfigError, Text

BASE_FACE = "#f2f2f2"
BASE_EDGE = "#bdbdbd"


def _oriented(ring: list, outer: bool) -> np.ndarray:
    """Outer rings counter-clockwise, holes clockwise, so holes stay empty under any fill rule."""
    xy = np.asarray(ring, dtype=float)
    x, y = xy[:, 0], xy[:, 1]
    ccw = (x * np.roll(y, -1) - np.roll(x, -1) * y).sum() > 0
    return xy if ccw == outer else xy[::-1]


def geometry_path(geometry: Mapping) -> MplPath:
    """One compound matplotlib path for a Polygon or MultiPolygon (holes included)."""
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    verts, codes = [], []
    for poly in polys:
        for k, ring in enumerate(poly):
            xy = _oriented(ring, outer=k == 0)
            verts.append(xy)
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(np.concatenate(verts), codes)


def draw_regions(
    ax,
    features: Iterable[Mapping],
    *,
    facecolor="none",
    edgecolor=BASE_EDGE,
    linewidth: float = 0.3,
    hatch: str | None = None,
    zorder: float = 1,
    alpha: float | None = None,
    gid_prefix: str = "",
) -> list[PathPatch]:
    """Add one patch per polygon feature (``gid`` = prefix + feature id); colours per feature.

    ``facecolor`` is one colour or a mapping feature id → colour.
    """
    patches = []
    for f in features:
        face = facecolor.get(f["id"], "none") if isinstance(facecolor, Mapping) else facecolor
        patch = PathPatch(
            geometry_path(f["geometry"]),
            facecolor=face,
            edgecolor=edgecolor,
            linewidth=linewidth,
            hatch=hatch,
            zorder=zorder,
            alpha=alpha,
        )
        patch.set_gid(f"{gid_prefix}{f['id']}")
        # add_artist, not add_patch: the limits are set by map_axes, and add_patch's data-limit
        # update walks every Bézier segment (seconds for 581 municipalities)
        ax.add_artist(patch)
        patches.append(patch)
    return patches


def map_axes(
    fig: Figure,
    bbox: tuple[float, float, float, float],
    *,
    margin: float = 0.03,
    rect: tuple[float, float, float, float] = (0.02, 0.1, 0.7, 0.8),
):
    """Axes framed on ``bbox`` (lon/lat), no ticks, equal distances at the map's mean latitude."""
    ax = fig.add_axes(rect)
    x0, y0, x1, y1 = bbox
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    ax.set_xlim(x0 - dx, x1 + dx)
    ax.set_ylim(y0 - dy, y1 + dy)
    # one degree of longitude is cos(latitude) degrees of latitude long: a plate carrée with that
    # aspect keeps Belgium's shape without a projection library
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
    ax.set_axis_off()
    return ax


def new_figure(width: float = 9.0, height: float = 7.0) -> Figure:
    """A figure outside pyplot: no backend switch, no window, no leak across calls."""
    return Figure(figsize=(width, height), dpi=100)


def add_notes(fig: Figure, title: str | None, notes: Iterable[str]) -> None:
    """Title on top, source and caveat lines at the bottom left."""
    if title:
        fig.suptitle(title, x=0.02, y=0.97, ha="left", fontsize=13, fontweight="bold")
    lines = [n for n in notes if n]
    if lines:
        fig.text(
            0.02,
            0.015,
            "\n".join(lines),
            ha="left",
            va="bottom",
            fontsize=7,
            color="#444444",
            wrap=True,
        )


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Write SVG or PNG by the file's extension; SVG keeps text as text."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise ConfigError(Text("geo_map_suffix", suffix=suffix), column="--out")
    path.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "speerpunt"}):
        fig.savefig(path, format=suffix[1:], dpi=150 if suffix == ".png" else None)
    return path
