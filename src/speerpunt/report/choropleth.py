"""Choropleths drawn with matplotlib only (no tiles, no network), with the primitives of :mod:`speerpunt.geo.render`.

Every region is drawn as one ``PathPatch`` whose ``gid`` is its code, so an SVG keeps
``<g id="BE211">`` groups that tools (and the tests) can read back. Text stays text in SVG.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, TwoSlopeNorm, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from speerpunt.errors import ConfigError, DataError, Text
from speerpunt.geo import bounds, load_belgium, load_nuts, nuts_to_nis
from speerpunt.geo.render import (  # noqa: F401  (re-exported: the report's maps draw with them)
    BASE_EDGE,
    BASE_FACE,
    add_notes,
    draw_regions,
    geometry_path,
    map_axes,
    new_figure,
    save_figure,
)

TEXTS = {
    "nl": {"no_data": "geen gegevens", "source": "Bron", "geometry": "Geometrie"},
    "en": {"no_data": "no data", "source": "Source", "geometry": "Geometry"},
}
CHORO_LEVELS = ("municipality", "arrondissement", "province", "nuts0", "nuts1", "nuts2", "nuts3")
SEQUENTIAL = "cividis"  # colour-blind safe, monotone in lightness
DIVERGING = "PuOr_r"  # ColorBrewer PuOr: colour-blind safe; purple above the centre
NO_DATA_FACE = "#e6e6e6"
NO_DATA_HATCH = "////"
#: The widest ratio a diverging LQ scale shows (0.25 … 4 around 1).
MAX_RATIO = 4.0


def texts(lang: str) -> dict[str, str]:
    """The fixed words of a map in ``lang`` ("nl" or "en")."""
    if lang not in TEXTS:
        raise ConfigError(Text("cli_unknown_lang", lang=lang), column="--lang")
    return TEXTS[lang]


# --------------------------------------------------------------------------- choropleth
def _geometry_for(level: str, codes: list[str], geo_dir, vintage: int) -> tuple[list, dict, str]:
    """(features, value code → feature id, note) for the level; NUTS codes mapped to NIS."""
    if level.startswith("nuts"):
        countries = sorted({c[:2] for c in codes})
        feats = [f for cc in countries for f in load_nuts(geo_dir, vintage, int(level[-1]), cc)]
        return feats, {c: c for c in codes}, f"NUTS {vintage} (Eurostat, 1:20 million)"
    feats = load_belgium(geo_dir, level)
    ids = {f["id"] for f in feats}
    if all(c in ids for c in codes):
        return feats, {c: c for c in codes}, "Statbel 2019"
    if level == "municipality":
        raise DataError(Text("rp_municipality_nis"), column="region")
    table = nuts_to_nis(geo_dir, vintage, level)
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
            Text("cli_unknown_level", level=level, choices=", ".join(CHORO_LEVELS)),
            column="--level",
        )
    if not {"region", "value"} <= set(values.columns):
        raise DataError(Text("rp_choropleth_columns"), column="region")
    vals = values.dropna(subset=["value"]).astype({"region": str})
    if vals["region"].duplicated().any():
        dup = vals.loc[vals["region"].duplicated(), "region"].iloc[0]
        raise DataError(Text("rp_region_twice", region=dup), column="region")
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
        raise DataError(Text("rp_no_region_on_map", level=level), column="region")
    arr = np.array([by_id[f["id"]] for f in data], dtype=float)
    norm, cmap_name = (
        value_norm(arr, center),
        cmap or (DIVERGING if center is not None else SEQUENTIAL),
    )
    colormap = matplotlib.colormaps[cmap_name]
    fig = new_figure()
    ax = map_axes(fig, bounds(feats), rect=(0.02, 0.1, 0.78, 0.8))
    colours = {f["id"]: to_hex(colormap(norm(v))) for f, v in zip(data, arr, strict=True)}
    draw_regions(ax, data, facecolor=colours, edgecolor="#ffffff", linewidth=0.4)
    draw_regions(
        ax, empty, facecolor=NO_DATA_FACE, edgecolor=BASE_EDGE, linewidth=0.4, hatch=NO_DATA_HATCH
    )
    if level in ("municipality", "arrondissement"):
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
