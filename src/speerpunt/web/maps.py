"""Maps: the LQ / growth choropleth over NUTS regions as GeoJSON for the page's Leaflet map, and the
registry's server-drawn SVG layers (zones, connections, points).

Geometry comes from :mod:`speerpunt.geo` (read from the folder in ``SPEERPUNT_GEO_DIR`` /
``speerpunt serve --geo-dir``; no tile server, nothing fetched). Coordinates are projected with an
equirectangular projection scaled by cos(mean latitude), which at the scale of Belgium is visually exact.
Every shape carries a ``<title>`` (the popup: name, value, source), and each shape is a focusable link so
keyboard users can step through them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape

import pandas as pd
from markupsafe import Markup

from speerpunt.errors import SpeerpuntError
from speerpunt.i18n import fmt_number, fmt_percent, gettext, region_name, sector_name
from speerpunt.web.selection import Selection

GEO_DIR: dict[str, str | None] = {"path": None}


class Projection:
    """lon/lat → SVG x/y fitted to a box."""

    def __init__(
        self, bbox: tuple[float, float, float, float], width: int, height: int, pad: int = 8
    ):
        lon0, lat0, lon1, lat1 = bbox
        self.k = math.cos(math.radians((lat0 + lat1) / 2))
        w, h = (lon1 - lon0) * self.k or 1e-6, (lat1 - lat0) or 1e-6
        self.scale = min((width - 2 * pad) / w, (height - 2 * pad) / h)
        self.lon0, self.lat1, self.pad = lon0, lat1, pad
        self.width = int(round(w * self.scale + 2 * pad))
        self.height = int(round(h * self.scale + 2 * pad))

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.pad + (lon - self.lon0) * self.k * self.scale,
            self.pad + (self.lat1 - lat) * self.scale,
        )

    def path(self, geometry: Mapping) -> str:
        polys = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        parts = []
        for poly in polys:
            for ring in poly:
                pts = [self(x, y) for x, y in ring[:: max(1, len(ring) // 400)]]
                parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in pts) + "Z")
        return "".join(parts)


def _bbox(features: Iterable[Mapping]) -> tuple[float, float, float, float]:
    from speerpunt.geo import bounds

    return bounds(list(features))


def nuts_features(codes: Sequence[str]) -> list[dict]:
    """NUTS 2016 geometry of the given codes (all at one level); empty when no geometry folder is set."""
    if not codes:
        return []
    from speerpunt.geo import load_nuts

    level = max(len(codes[0]) - 2, 0)
    try:
        feats = load_nuts(GEO_DIR["path"], vintage=2016, level=level)
    except SpeerpuntError:
        return []
    wanted = set(codes)
    return [f for f in feats if f["id"] in wanted]


def choropleth(
    frame: pd.DataFrame, sel: Selection, lang: str, sector: str, measure: str = "lq"
) -> dict | None:
    """Regions of ``frame`` (``region`` and ``measure`` columns) as a GeoJSON FeatureCollection for the
    page's Leaflet map: each feature carries its value, the formatted tooltip, its fill colour and a link
    to that region with the same selection; ``legend`` lists the colour steps. ``None`` without geometry.

    Colours come from the reports' diverging scheme (:data:`speerpunt.report.choropleth.DIVERGING`,
    centred on LQ = 1 or on zero growth), so the web map and the printed map read the same way.
    """
    import matplotlib
    import numpy as np
    from matplotlib.colors import to_hex

    from speerpunt.report.choropleth import DIVERGING, NO_DATA_FACE, value_norm

    values = {r: float(v) for r, v in zip(frame["region"], frame[measure], strict=True)}
    feats = nuts_features(sorted(values))
    if not feats:
        return None
    centre = 1.0 if measure == "lq" else 0.0
    shown = {f["id"] for f in feats}
    finite = [v for r, v in values.items() if r in shown and math.isfinite(v)] or [centre]
    norm = value_norm(np.array(finite), centre)
    lo, hi = norm.vmin, norm.vmax
    cmap = matplotlib.colormaps[DIVERGING]
    label = gettext(lang, "lq" if measure == "lq" else "growth")

    def show(v: float) -> str:
        return fmt_number(v, lang, 2, fixed=True) if measure == "lq" else fmt_percent(v, lang, 1)

    def colour(v: float) -> str:
        return to_hex(cmap(norm(v))) if math.isfinite(v) else NO_DATA_FACE

    out = []
    for f in feats:
        code = f["id"]
        v = values.get(code, float("nan"))
        out.append(
            {
                "type": "Feature",
                "id": code,
                "geometry": _rounded(f["geometry"]),
                "properties": {
                    "code": code,
                    "name": region_name(code, lang),
                    "value": v if math.isfinite(v) else None,
                    "tooltip": f"{region_name(code, lang)} ({code}): {label} {show(v)}",
                    "fill": colour(v),
                    "selected": code == sel.region,
                    "href": sel.url("/region", region=code, sector=sector, measure=measure),
                },
            }
        )
    steps = [lo, (lo + centre) / 2, centre, (centre + hi) / 2, hi]
    texts = [show(v) for v in steps]
    if min(finite) < lo:
        texts[0] = f"≤ {texts[0]}"
    if max(finite) > hi:
        texts[-1] = f"≥ {texts[-1]}"
    return {
        "type": "FeatureCollection",
        "features": out,
        "title": f"{label}: {sector_name(sector, lang)} {sel.end}",
        "legend": [
            {"colour": colour(v), "label": text} for v, text in zip(steps, texts, strict=True)
        ]
        + [{"colour": NO_DATA_FACE, "label": gettext(lang, "no_data")}],
    }


def _rounded(geometry: Mapping, digits: int = 4) -> dict:
    """Coordinates to ``digits`` decimals (about 10 m), which keeps the page's GeoJSON small."""

    def walk(c: list) -> list:
        if isinstance(c[0], list | tuple):
            return [walk(x) for x in c]
        return [round(float(x), digits) for x in c]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def _svg_open(proj: Projection, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {proj.width} {proj.height + 30}" '
        f'role="img" class="chart map" font-size="11" font-family="system-ui, DejaVu Sans, sans-serif">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )


def layered_map(
    base: list[dict],
    zones: list[dict],
    lines: list[dict],
    points: list[dict],
    *,
    title: str,
    desc: str,
    popup: Callable[[Mapping], str],
) -> Markup:
    """Base polygons (grey), then layers ``zones``, ``connections`` and ``points`` (GeoJSON-like features
    with properties). Each layer is a ``<g data-layer-group>`` the page's checkboxes can hide."""
    everything = base + zones + lines + points
    if not everything:
        return Markup("")
    proj = Projection(_bbox(everything), 640, 520)
    out = [_svg_open(proj, title, desc)]
    out.append(
        '<g class="base">'
        + "".join(
            f'<path d="{proj.path(f["geometry"])}" fill="#eef1f5" stroke="#b9c3cf" stroke-width=".6">'
            f"<title>{escape(str(f['properties'].get('name') or f['properties'].get('name_nl') or f['id']))}"
            f"</title></path>"
            for f in base
            if f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        )
        + "</g>"
    )
    out.append(
        '<g data-layer-group="zones">'
        + "".join(
            f'<g tabindex="0" role="img" aria-label="{escape(popup(f["properties"]))}"><path d="{proj.path(f["geometry"])}" '
            f'fill="#2f6fab" fill-opacity=".25" stroke="#2f6fab" stroke-width="1.2">'
            f"<title>{escape(popup(f['properties']))}</title></path></g>"
            for f in zones
            if f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        )
        + "</g>"
    )
    segs = []
    for f in lines:
        g = f["geometry"]
        coords = (
            g["coordinates"]
            if g["type"] == "LineString"
            else [c for part in g["coordinates"] for c in part]
        )
        pts = " ".join("{:.1f},{:.1f}".format(*proj(x, y)) for x, y in coords)
        organisational = f["properties"].get("subtype") == "organisational"
        style = 'stroke="#1e7b4a" stroke-dasharray="6 4"' if organisational else 'stroke="#c8553d"'
        segs.append(
            f'<g tabindex="0" role="img" aria-label="{escape(popup(f["properties"]))}"><polyline points="{pts}" '
            f'fill="none" {style} stroke-width="2.2" stroke-linecap="round">'
            f"<title>{escape(popup(f['properties']))}</title></polyline></g>"
        )
    out.append('<g data-layer-group="connections">' + "".join(segs) + "</g>")
    dots = []
    for f in points:
        x, y = proj(*f["geometry"]["coordinates"][:2])
        dots.append(
            f'<g tabindex="0" role="img" aria-label="{escape(popup(f["properties"]))}"><circle cx="{x:.1f}" '
            f'cy="{y:.1f}" r="5" fill="#f2b134" stroke="#1d2733" stroke-width="1">'
            f"<title>{escape(popup(f['properties']))}</title></circle></g>"
        )
    out.append('<g data-layer-group="points">' + "".join(dots) + "</g></svg>")
    return Markup("".join(out))
