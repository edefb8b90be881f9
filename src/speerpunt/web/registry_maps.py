"""Province × sector maps of the registry as interactive SVG (layers and popups, no tile server).

The features are geocoded by :func:`speerpunt.registry.maps.province_sector_features`; the basemap is the
province's municipalities from :mod:`speerpunt.geo`. Both need the geometry folder
(``SPEERPUNT_GEO_DIR`` / ``--geo-dir``); without it the page lists the features without a map.
"""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from speerpunt.errors import SpeerpuntError
from speerpunt.web.maps import GEO_DIR, layered_map


def popup(props: Mapping, lang: str) -> str:
    """Popup text: name, place, actors, year, source, location precision."""
    src = "Bron" if lang == "nl" else "Source"
    parts = [str(props.get("name") or props.get("id"))]
    if props.get("place"):
        parts.append(str(props["place"]))
    if props.get("actors"):
        actors = props["actors"]
        parts.append(", ".join(actors) if isinstance(actors, list) else str(actors))
    if props.get("year"):
        parts.append(str(props["year"]))
    parts.append(f"{src}: {props.get('source') or '—'}")
    if props.get("precision") and props["precision"] != "exact":
        parts.append(f"≈ {props['precision']}")
    return " · ".join(parts)


def feature_map(
    reg, province: str, sector: str, lang: str
) -> tuple[Markup | None, list[dict], str | None]:
    """(SVG or None, the geocoded features, a problem message or None)."""
    from speerpunt import geo
    from speerpunt.registry.maps import province_sector_features, resolve_province

    try:
        nis, _, name = resolve_province(province, GEO_DIR["path"])
        feats = province_sector_features(reg.features(), province, sector, GEO_DIR["path"])
        base = [
            f
            for f in geo.load_belgium(GEO_DIR["path"], "municipality")
            if f["properties"]["province"] == nis
        ]
    except SpeerpuntError as exc:
        return None, [], exc.one_line()
    from speerpunt.registry.maps import mark_doubt

    mark_doubt(feats, reg.selections(sector=sector))
    by_kind: dict[str, list[dict]] = {"zone": [], "connection": [], "point": []}
    for f in feats:
        gtype = (f.get("geometry") or {}).get("type")
        if gtype in ("Polygon", "MultiPolygon"):
            by_kind["zone"].append(f)
        elif gtype in ("LineString", "MultiLineString"):
            by_kind["connection"].append(f)
        elif gtype == "Point":
            by_kind["point"].append(f)
    svg = layered_map(
        base,
        by_kind["zone"],
        by_kind["connection"],
        by_kind["point"],
        title=f"{sector} — {name}",
        desc=f"{len(feats)} features",
        popup=lambda p: popup(p, lang),
    )
    return svg, feats, None
