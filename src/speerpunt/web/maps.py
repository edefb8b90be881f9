"""Maps: the LQ / growth choropleth over NUTS regions as GeoJSON for the page's Leaflet map (the registry's
project maps are in :mod:`speerpunt.web.registry_maps`).

Geometry comes from :mod:`speerpunt.geo` (read from the folder in ``SPEERPUNT_GEO_DIR`` /
``speerpunt serve --geo-dir``; no tile server, nothing fetched). Each region carries its tooltip (name,
value) and a link to that region with the same selection.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from speerpunt.errors import SpeerpuntError
from speerpunt.i18n import fmt_number, fmt_percent, gettext, region_name, sector_name
from speerpunt.web.selection import Selection

GEO_DIR: dict[str, str | None] = {"path": None}


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
    frame: pd.DataFrame,
    sel: Selection,
    lang: str,
    sector: str,
    measure: str = "lq",
    members: Sequence[str] = (),
) -> dict | None:
    """Regions of ``frame`` (``region`` and ``measure`` columns) as a GeoJSON FeatureCollection for the
    page's Leaflet map: each feature carries its value, the formatted tooltip, its fill colour and a link
    to that region with the same selection; ``legend`` lists the colour steps. ``None`` without geometry.

    Colours come from the reports' diverging scheme (:data:`speerpunt.report.choropleth.DIVERGING`,
    centred on LQ = 1 or on zero growth), so the web map and the printed map read the same way.
    A territory is marked by its ``members`` (the regions it sums).
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
                    "selected": code == sel.region or code in members,
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
