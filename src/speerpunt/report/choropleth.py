"""Maps drawn with matplotlib only (no tiles, no network): shared drawing code and choropleths.

Every region is drawn as one ``PathPatch`` whose ``gid`` is its code, so an SVG keeps
``<g id="BE211">`` groups that tools (and the tests) can read back. Text stays text in SVG.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, TwoSlopeNorm, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from speerpunt.errors import ConfigError, DataError

TEXTS = {
    "nl": {"no_data": "geen gegevens", "source": "Bron", "geometry": "Geometrie"},
    "en": {"no_data": "no data", "source": "Source", "geometry": "Geometry"},
}
CHORO_LEVELS = ("municipality", "arrondissement", "province", "nuts0", "nuts1", "nuts2", "nuts3")
SEQUENTIAL = "cividis"  # colour-blind safe, monotone in lightness
DIVERGING = "PuOr_r"  # ColorBrewer PuOr: colour-blind safe; purple above the centre
NO_DATA_FACE = "#e6e6e6"
NO_DATA_HATCH = "////"
BASE_FACE = "#f2f2f2"
BASE_EDGE = "#bdbdbd"
#: The widest ratio a diverging LQ scale shows (0.25 … 4 around 1).
MAX_RATIO = 4.0


def texts(lang: str) -> dict[str, str]:
    """The fixed words of a map in ``lang`` ("nl" or "en")."""
    if lang not in TEXTS:
        raise ConfigError(f"unknown language '{lang}' (choose nl or en)", column="--lang")
    return TEXTS[lang]


# --------------------------------------------------------------------------- drawing primitives
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
        raise ConfigError(f"cannot write a map as '{suffix}' (use .svg or .png)", column="--out")
    path.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "speerpunt"}):
        fig.savefig(path, format=suffix[1:], dpi=150 if suffix == ".png" else None)
    return path


# --------------------------------------------------------------------------- choropleth
def _geometry_for(level: str, codes: list[str], geo_dir, vintage: int) -> tuple[list, dict, str]:
    """(features, value code → feature id, note) for the level; NUTS codes mapped to NIS."""
    from speerpunt.registry import geo

    if level.startswith("nuts"):
        countries = sorted({c[:2] for c in codes})
        feats = [f for cc in countries for f in geo.load_nuts(geo_dir, vintage, int(level[-1]), cc)]
        return feats, {c: c for c in codes}, f"NUTS {vintage} (Eurostat, 1:20 million)"
    feats = geo.load_belgium(geo_dir, level)
    ids = {f["id"] for f in feats}
    if all(c in ids for c in codes):
        return feats, {c: c for c in codes}, "Statbel 2019"
    if level == "municipality":
        raise DataError("municipality values need NIS codes", column="region")
    table = geo.nuts_to_nis(geo_dir, vintage, level)
    mapping = {c: (c if c in ids else table.get(c)) for c in codes}
    lost = sorted(c for c, n in mapping.items() if n is None)
    note = f"Statbel 2019; NUTS {vintage} codes mapped to NIS"
    if lost:
        note += f"; not drawn (no 1:1 NIS 2019 arrondissement): {', '.join(lost)}"
    return feats, {c: n for c, n in mapping.items() if n}, note


def choropleth(
    values: pd.DataFrame,
    level: str = "arrondissement",
    geo_dir=None,
    title: str | None = None,
    legend_label: str = "",
    lang: str = "nl",
    *,
    vintage: int = 2016,
    center: float | None = None,
    source: str | None = None,
    within: Iterable[str] | None = None,
    cmap: str | None = None,
) -> Figure:
    """A choropleth of one value per region.

    Parameters
    ----------
    values : DataFrame with columns ``region`` (NIS or NUTS codes) and ``value``.
    level : "municipality", "arrondissement", "province" (Statbel 2019 geometry; NUTS codes are
        mapped to NIS one-to-one) or "nuts0" … "nuts3" (Eurostat geometry of ``vintage``).
    center : draw a diverging palette centred on this value (1 for location quotients); else a
        sequential one (cividis).
    within : only draw regions whose id (or, for Belgian levels, province/region) is listed.

    Regions without a value are white, hatched and listed in the legend as "no data".
    """
    t = texts(lang)
    if level not in CHORO_LEVELS:
        raise ConfigError(
            f"unknown level '{level}' (choose from {', '.join(CHORO_LEVELS)})", column="--level"
        )
    if not {"region", "value"} <= set(values.columns):
        raise DataError("choropleth values need columns region and value", column="region")
    vals = values.dropna(subset=["value"]).astype({"region": str})
    if vals["region"].duplicated().any():
        dup = vals.loc[vals["region"].duplicated(), "region"].iloc[0]
        raise DataError(f"region {dup} has more than one value", column="region")
    feats, mapping, geo_note = _geometry_for(
        level, list(values["region"].astype(str)), geo_dir, vintage
    )
    if within is not None:
        keep = set(within)
        feats = [f for f in feats if keep & {f["id"], *map(str, f["properties"].values())}]
    by_id = {
        mapping[r]: v for r, v in zip(vals["region"], vals["value"], strict=True) if r in mapping
    }
    data = [f for f in feats if f["id"] in by_id]
    empty = [f for f in feats if f["id"] not in by_id]
    if not data:
        raise DataError(f"no region of the values lies on the {level} map", column="region")
    arr = np.array([by_id[f["id"]] for f in data], dtype=float)
    norm, cmap_name = (
        value_norm(arr, center),
        cmap or (DIVERGING if center is not None else SEQUENTIAL),
    )
    colormap = matplotlib.colormaps[cmap_name]
    fig = new_figure()
    from speerpunt.registry.geo import bounds

    ax = map_axes(fig, bounds(feats), rect=(0.02, 0.1, 0.78, 0.8))
    colours = {f["id"]: to_hex(colormap(norm(v))) for f, v in zip(data, arr, strict=True)}
    draw_regions(ax, data, facecolor=colours, edgecolor="#ffffff", linewidth=0.4)
    draw_regions(
        ax, empty, facecolor=NO_DATA_FACE, edgecolor=BASE_EDGE, linewidth=0.4, hatch=NO_DATA_HATCH
    )
    if level in ("municipality", "arrondissement"):
        from speerpunt.registry.geo import load_belgium

        provinces = [
            p
            for p in load_belgium(geo_dir, "province")
            if p["id"] in {f["properties"]["province"] for f in feats}
        ]
        draw_regions(
            ax, provinces, edgecolor="#555555", linewidth=0.9, zorder=2, gid_prefix="outline-"
        )
    cax = fig.add_axes((0.83, 0.3, 0.025, 0.45))
    clipped = bool(np.nanmin(arr) < norm.vmin or np.nanmax(arr) > norm.vmax)
    bar = fig.colorbar(
        ScalarMappable(norm=norm, cmap=colormap), cax=cax, extend="both" if clipped else "neither"
    )
    bar.set_label(legend_label)
    if empty:
        fig.legend(
            handles=[
                Patch(
                    facecolor=NO_DATA_FACE,
                    edgecolor=BASE_EDGE,
                    hatch=NO_DATA_HATCH,
                    label=t["no_data"],
                )
            ],
            loc="lower right",
            bbox_to_anchor=(0.98, 0.12),
            frameon=False,
        )
    add_notes(
        fig, title, [f"{t['source']}: {source}" if source else "", f"{t['geometry']}: {geo_note}"]
    )
    return fig


def value_norm(arr: np.ndarray, center: float | None) -> Normalize:
    """The colour scale of a choropleth (web and print): sequential without ``center``; diverging around it
    otherwise, symmetric in ratio for LQs (capped at :data:`MAX_RATIO`)."""
    lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
    if center is None:
        return Normalize(lo, hi if hi > lo else lo + 1)
    if center > 0 and lo > 0:
        # ratios (LQs): symmetric in ratio, so 0.5 and 2 get the same colour strength and the
        # scale never runs below zero; capped at ×4 so one extreme region (Brussels' LQ of 0.01 in
        # agriculture) does not wash out every other colour — beyond it the colour stays the strongest
        factor = min(max(hi / center, center / lo, 1.0 + 1e-9), MAX_RATIO)
        return TwoSlopeNorm(vcenter=center, vmin=center / factor, vmax=center * factor)
    span = max(abs(hi - center), abs(center - lo)) or 1.0
    return TwoSlopeNorm(vcenter=center, vmin=center - span, vmax=center + span)
