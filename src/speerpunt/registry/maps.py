"""Maps of the registry's projects: points, zones and connections per province × sector.

Drawn in the style of Table 10 and the annex of document ``001``: a light basemap of
municipalities (or arrondissements), the province outline, numbered points, shaded zones, solid
(infrastructural) and dashed (organisational) connections, the symbol legend of Table 10 and a
numbered list with each entry's source, year and location precision. Output is SVG, PNG or
GeoJSON; everything is drawn from local geometry (see :mod:`speerpunt.geo`).

The web's Leaflet map and the printed map draw the same layer (:func:`map_layer`): the same features,
numbers, doubt marks and style (colour, dash, symbol, fill by location precision).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import yaml
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch

from speerpunt import geo
from speerpunt.errors import ConfigError, RegistryError, Text
from speerpunt.geo.gazetteer import _codes
from speerpunt.geo.render import (
    add_notes,
    draw_regions,
    geometry_path,
    map_axes,
    new_figure,
    save_figure,
)
from speerpunt.report.choropleth import texts

DATA = Path(__file__).with_name("data")
FLEMISH_PROVINCES = ("10000", "20001", "30000", "40000", "70000")
# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
POINT_COLOUR = "#0072B2"
ZONE_COLOUR = "#E69F00"
INFRA_COLOUR = "#D55E00"
ORG_COLOUR = "#009E73"
# symbol per kind of place (gazetteer kind): marker and its legend words (nl, en)
PLACE_MARKERS = {
    "port": ("s", "haven", "port"),
    "airport": ("^", "luchthaven", "airport"),
    "campus": ("D", "campus / kennisinstelling", "campus / knowledge institution"),
    "research centre": ("D", "campus / kennisinstelling", "campus / knowledge institution"),
    "science park": ("p", "wetenschapspark / bedrijventerrein", "science or business park"),
    "business park": ("p", "wetenschapspark / bedrijventerrein", "science or business park"),
    "hospital": ("P", "ziekenhuis", "hospital"),
}
PRECISION_FACE = {"exact": 1.0, "municipality": 0.45, "region": 0.0}  # fill opacity of a point
#: matplotlib marker → the symbol's name in the layer (the web map draws the same shapes in CSS)
SYMBOLS = {
    "o": "circle",
    "s": "square",
    "^": "triangle",
    "D": "diamond",
    "p": "pentagon",
    "P": "plus",
}
WORDS = {
    "nl": {
        "points": "Punten",
        "zones": "Zones",
        "connections": "Verbindingen",
        "precision": "Locatie: ● exact  ◐ gemeente  ○ regio",
        "more": "… en {n} meer (zie GeoJSON)",
        "overview": "Vlaanderen",
        "unmapped": "niet op kaart",
        "off_map": "buiten kaartbeeld",
        "ambiguous": "dubbelzinnige tabelcel",
        "note": "Indicatieve geografie van beleidsinitiatieven (Tabel 10 en annex van 001); "
        "geen inventaris.",
        "source": "Registerdata: {docs}",
    },
    "en": {
        "points": "Points",
        "zones": "Zones",
        "connections": "Connections",
        "precision": "Location: ● exact  ◐ municipality  ○ region",
        "more": "… and {n} more (see GeoJSON)",
        "overview": "Flanders",
        "unmapped": "not mapped",
        "off_map": "outside the frame",
        "ambiguous": "ambiguous table cell",
        "note": "Indicative geography of policy initiatives (Table 10 and annex of 001); "
        "not an inventory.",
        "source": "Registry data: {docs}",
    },
}
_PRECISION_MARK = {"exact": "", "municipality": " (≈ gem.)", "region": " (≈ regio)"}


# --------------------------------------------------------------------------- inputs
def legend_entries(lang: str = "nl") -> list[dict]:
    """The four symbols of Table 10 (kind, subtype, text in ``lang``) from ``data/legend.yaml``."""
    with open(DATA / "legend.yaml", encoding="utf-8") as fh:
        entries = yaml.safe_load(fh)["legend"]
    return [{"kind": e["kind"], "subtype": e.get("subtype"), "text": e[lang]} for e in entries]


def curated_features() -> pd.DataFrame:
    """The curated map features (``data/features.csv``) as shipped with the package."""
    return pd.read_csv(DATA / "features.csv", dtype=str, keep_default_na=False)


def sector_label(sector: str, lang: str = "nl") -> tuple[str, str]:
    """(canonical id, label in ``lang``) for an id or a label of ``data/sectors.yaml``."""
    with open(DATA / "sectors.yaml", encoding="utf-8") as fh:
        sectors = yaml.safe_load(fh)["sectors"]
    key = geo.norm_name(sector)
    for s in sectors:
        if key in {geo.norm_name(s["id"]), geo.norm_name(s["en"]), geo.norm_name(s["nl"])}:
            return s["id"], s[lang]
    raise ConfigError(Text("rg_unknown_sector", sector=sector), column="--sector")


def resolve_province(name: str, geo_dir=None) -> tuple[str, str, str]:
    """(NIS code, registry actor id, Dutch name) of a Flemish province given in any usual form.

    Accepts "Antwerpen", "Provincie Antwerpen", "prov-antwerpen", "10000" or "BE21".
    """
    key = geo.norm_name(re.sub(r"^prov-", "", name.strip(), flags=re.I))
    key = re.sub(r"^(provincie|province|prov) ", "", key)
    nuts_of = {v: k.lower() for k, v in geo.nuts_to_nis(geo_dir, 2016, "province").items()}
    for f in geo.load_belgium(geo_dir, "province"):
        if f["id"] not in FLEMISH_PROVINCES:
            continue
        short = re.sub(r"^Provincie ", "", f["properties"]["name_nl"])
        if key in {geo.norm_name(short), f["id"], nuts_of.get(f["id"])}:
            return f["id"], "prov-" + geo.norm_name(short).replace(" ", "-"), short
    raise ConfigError(Text("rg_not_province", name=name), column="--province")


def select_features(features, *, province: str | None, sector: str | None) -> list[dict]:
    """Records of one sector (every sector when ``None``; one province actor id, when given) as plain
    dicts."""
    df = features if isinstance(features, pd.DataFrame) else pd.DataFrame(list(features))
    if df.empty:
        return []
    keep = df["sector"].astype(str) == sector if sector else pd.Series(True, index=df.index)
    if province:
        keep &= df["province"].astype(str) == province
    return df[keep].to_dict("records")


# --------------------------------------------------------------------------- the layer
def feature_style(props: Mapping) -> dict:
    """The one style of a feature on every registry map, web and print.

    Points: blue, filled by location precision (exact full, municipality half, region empty), shaped
    by the kind of place; zones: orange, faint when they stand for a whole region; connections:
    vermilion and solid when infrastructural, green and dashed when organisational (Table 10).

    >>> feature_style({"kind": "connection", "subtype": "organisational"})["dash"]
    [5, 3]
    """
    kind = props.get("kind")
    if kind == "zone":
        fill = 0.15 if props.get("precision") == "region" else 0.4
        return {"colour": ZONE_COLOUR, "fill": fill, "weight": 0.8, "dash": None, "symbol": None}
    if kind == "connection":
        infra = props.get("subtype") == "infrastructural"
        return {
            "colour": INFRA_COLOUR if infra else ORG_COLOUR,
            "fill": 0.0,
            "weight": 2.2 if infra else 1.6,
            "dash": None if infra else [5, 3],
            "symbol": None,
        }
    marker = PLACE_MARKERS.get(props.get("place_kind") or "", ("o",))[0]
    return {
        "colour": POINT_COLOUR,
        "fill": PRECISION_FACE.get(props.get("precision") or "", 0.0),
        "weight": 1.4,
        "dash": None,
        "symbol": SYMBOLS[marker],
    }


def _sector_labels(lang: str) -> dict[str, str]:
    with open(DATA / "sectors.yaml", encoding="utf-8") as fh:
        return {s["id"]: s.get(lang) or s["en"] for s in yaml.safe_load(fh)["sectors"]}


def map_layer(
    features,
    province: str | None,
    sector: str | None = None,
    geo_dir=None,
    *,
    selections=None,
    lang: str = "nl",
) -> dict:
    """The registry map of one Flemish province (``None``: all five) and one sector (``None``: every
    sector) as a GeoJSON FeatureCollection — the layer the web's Leaflet map and the printed map draw.

    Each feature is geocoded (:func:`speerpunt.geo.geocode_features`) and numbered as in the study's
    annex (points 1, 2, …; zones Z1 …; connections V1 …); its properties keep the registry's fields
    (``id``, ``name``, ``place``, ``actors`` as a list, ``sector``, ``source``, ``year``) and add
    ``n``, ``sector_label``, ``precision``, ``geo_source``, ``place_kind``, ``style``
    (:func:`feature_style`) and, with the registry's ``selections``, ``ambiguous``/``ambiguity``
    (:func:`mark_doubt`). The collection's ``properties`` name the province, its NIS code(s) and the
    sector, and hold the ``legend`` (Table 10's symbols, each with its style).
    """
    if province:
        nis, actor, name = resolve_province(province, geo_dir)
        provinces = [nis]
    else:
        actor, name, provinces = None, WORDS[lang]["overview"], list(FLEMISH_PROVINCES)
    sid = sector_label(sector)[0] if sector else None
    feats = _geocoded(features, actor, sid, geo_dir)
    labels = _sector_labels(lang)
    for f in feats:
        p = f["properties"]
        p["actors"] = _codes(p.get("actors"))
        p["sector_label"] = labels.get(p.get("sector"), p.get("sector"))
        p["style"] = feature_style(p)
    mark_doubt(feats, selections)
    return to_geojson(
        feats,
        province=actor or "Vlaanderen",
        province_name=name,
        provinces=provinces,
        sector=sid,
        lang=lang,
        legend=[
            {**e, "style": feature_style({**e, "precision": "exact"})} for e in legend_entries(lang)
        ],
    )


def basemap(provinces: list[str], geo_dir=None, level: str = "municipality") -> dict[str, list]:
    """The boundaries under a registry map: ``inside`` (``level`` regions of the provinces),
    ``outside`` (the rest of Belgium) and ``outline`` (the provinces themselves)."""
    if level not in ("municipality", "arrondissement"):
        raise ConfigError(Text("rg_basemap"), column="--basemap")
    base = geo.load_belgium(geo_dir, level)
    return {
        "inside": [f for f in base if f["properties"]["province"] in provinces],
        "outside": [f for f in base if f["properties"]["province"] not in provinces],
        "outline": [f for f in geo.load_belgium(geo_dir, "province") if f["id"] in provinces],
    }


# --------------------------------------------------------------------------- GeoJSON
def _clean(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def to_geojson(features: Iterable[Mapping], **metadata) -> dict:
    """A GeoJSON FeatureCollection; each feature keeps source, year, precision and geo_source.

    ``metadata`` (e.g. province, sector) goes into the collection's ``properties``.
    """
    out = []
    for f in features:
        props = {k: _clean(v) for k, v in f["properties"].items()}
        for key in ("source", "year", "precision"):
            props.setdefault(key, None)
        out.append(
            {
                "type": "Feature",
                "id": props.get("id"),
                "geometry": f["geometry"],
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "properties": metadata, "features": out}


# --------------------------------------------------------------------------- drawing
def _spread(points: list[tuple[float, float]], radius: float) -> list[tuple[float, float]]:
    """Fan out points that share a location (several facilities on one municipality centroid)."""
    groups: dict[tuple[float, float], list[int]] = {}
    for i, (x, y) in enumerate(points):
        groups.setdefault((round(x, 4), round(y, 4)), []).append(i)
    out = list(points)
    for idx in groups.values():
        if len(idx) > 1:
            for k, i in enumerate(idx):
                a = 2 * math.pi * k / len(idx)
                x, y = points[i]
                out[i] = (
                    x + radius * math.cos(a) / math.cos(math.radians(y)),
                    y + radius * math.sin(a),
                )
    return out


def _extent(geometry: Mapping) -> float:
    if geometry["type"] == "Point":
        return 0.0
    x0, y0, x1, y1 = geo.bounds([{"geometry": geometry}])
    return (x1 - x0) * (y1 - y0)


def _draw_features(ax, feats: list[dict], extent_width: float) -> None:
    zones = [f for f in feats if f["properties"]["kind"] == "zone" and f["geometry"]]
    # large zones first, and faint when they only stand for a whole region, so they do not hide
    # the precise zones and points on top of them
    zones.sort(key=lambda z: -_extent(z["geometry"]))
    for z in zones:
        style = z["properties"]["style"]
        alpha = style["fill"]
        g = z["geometry"]
        if g["type"] == "Point":
            ax.scatter(
                *g["coordinates"],
                s=900,
                color=style["colour"],
                alpha=alpha,
                zorder=3,
                linewidths=1,
                edgecolors=style["colour"],
                gid=f"zone-{z['properties']['n']}",
            )
        else:
            patch = PathPatch(
                geometry_path(g),
                facecolor=style["colour"],
                alpha=alpha,
                edgecolor=style["colour"],
                linewidth=0.8,
                hatch="..",
                zorder=3,
            )
            patch.set_gid(f"zone-{z['properties']['n']}")
            ax.add_artist(patch)
    for c in (f for f in feats if f["properties"]["kind"] == "connection" and f["geometry"]):
        style = c["properties"]["style"]
        g = c["geometry"]
        for k, line in enumerate(
            [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        ):
            xs, ys = zip(*line, strict=True)
            ax.plot(
                xs,
                ys,
                color=style["colour"],
                linewidth=style["weight"],
                linestyle=(0, tuple(style["dash"])) if style["dash"] else "-",
                zorder=4,
                gid=f"connection-{c['properties']['n']}" + (f"-{k}" if k else ""),
                solid_capstyle="round",
            )
    points = [f for f in feats if f["properties"]["kind"] == "point" and f["geometry"]]
    xy = _spread([tuple(p["geometry"]["coordinates"]) for p in points], extent_width / 60)
    for p, (x, y) in zip(points, xy, strict=True):
        style = p["properties"]["style"]
        fill = style["fill"]
        marker = {v: k for k, v in SYMBOLS.items()}[style["symbol"]]
        ax.scatter(
            [x],
            [y],
            s=110,
            marker=marker,
            facecolors=[(*to_rgb(style["colour"]), fill)],
            edgecolors=style["colour"],
            linewidths=style["weight"],
            zorder=5,
            gid=f"point-{p['properties']['n']}",
        )
        ax.annotate(
            str(p["properties"]["n"]),
            (x, y),
            xytext=(6, 5),
            textcoords="offset points",
            fontsize=7,
            zorder=6,
            color="#1a1a1a",
        )


def _place_handles(feats: list[dict], lang: str) -> list:
    """One legend entry per kind of place drawn with its own symbol (only the kinds present)."""
    seen: dict[str, str] = {}
    for f in feats:
        kind = f["properties"].get("place_kind")
        if f["properties"]["kind"] == "point" and kind in PLACE_MARKERS:
            marker, nl, en = PLACE_MARKERS[kind]
            seen.setdefault(nl if lang == "nl" else en, marker)
    return [
        Line2D(
            [],
            [],
            marker=m,
            linestyle="",
            markersize=7,
            markerfacecolor=POINT_COLOUR,
            markeredgecolor=POINT_COLOUR,
            label=label,
        )
        for label, m in seen.items()
    ]


def _symbol_handles(lang: str) -> list:
    handles = []
    for e in legend_entries(lang):
        text = e["text"] if len(e["text"]) < 70 else e["text"][:67].rsplit(" ", 1)[0] + " …"
        if e["kind"] == "connection":
            infra = e["subtype"] == "infrastructural"
            handles.append(
                Line2D(
                    [],
                    [],
                    color=INFRA_COLOUR if infra else ORG_COLOUR,
                    linestyle="-" if infra else (0, (5, 3)),
                    linewidth=2,
                    label=text,
                )
            )
        elif e["kind"] == "zone":
            handles.append(
                Patch(
                    facecolor=ZONE_COLOUR, alpha=0.35, edgecolor=ZONE_COLOUR, hatch="..", label=text
                )
            )
        else:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    markersize=8,
                    markerfacecolor=POINT_COLOUR,
                    markeredgecolor=POINT_COLOUR,
                    label=text,
                )
            )
    return handles


def _entry_line(f: Mapping, box: tuple[float, float, float, float], lang: str) -> str:
    p = f["properties"]
    src = str(p.get("source") or "").strip()
    year = str(p.get("year") or "").strip()
    where = f" — {src}{f' ({year})' if year and year not in src else ''}" if src or year else ""
    mark = _PRECISION_MARK.get(p.get("precision") or "", f" ({WORDS[lang]['unmapped']})")
    g = f["geometry"]
    if g and g["type"] == "Point":
        x, y = g["coordinates"]
        if not (box[0] <= x <= box[2] and box[1] <= y <= box[3]):
            mark += f" ({WORDS[lang]['off_map']})"
    if p.get("ambiguous"):
        mark += f" ({WORDS[lang]['ambiguous']})"
    text, room = f"{p['n']}  {p['name']}{where}", 88 - len(mark)
    # shorten the name and source, never the precision marks
    return (text if len(text) <= room else text[: room - 2] + " …") + mark


def _listing(
    fig: Figure,
    feats: list[dict],
    lang: str,
    max_lines: int,
    box: tuple[float, float, float, float],
) -> None:
    """The annex-style list: points, zones, connections, each numbered with source and year."""
    w = WORDS[lang]
    lines: list[tuple[str, bool]] = []
    for kind, head in (
        ("point", w["points"]),
        ("zone", w["zones"]),
        ("connection", w["connections"]),
    ):
        items = [f for f in feats if f["properties"]["kind"] == kind]
        if items:
            lines.append((head, True))
            lines += [(_entry_line(f, box, lang), False) for f in items]
    if len(lines) > max_lines:
        rest = len(lines) - max_lines + 1
        lines = lines[: max_lines - 1] + [(w["more"].format(n=rest), False)]
    y = 0.6
    step = min(0.022, 0.5 / max(len(lines), 1))
    for text, head in lines:
        fig.text(
            0.69,
            y,
            text,
            fontsize=8 if head else 6.3,
            fontweight="bold" if head else None,
            va="top",
            ha="left",
        )
        y -= step


def _number(feats: list[dict]) -> None:
    """Number entries per kind as in the annex: points 1, 2, …; zones Z1…; connections V1…."""
    counters = {"point": 0, "zone": 0, "connection": 0}
    prefix = {"point": "", "zone": "Z", "connection": "V"}
    for f in feats:
        kind = f["properties"]["kind"]
        counters[kind] = counters.get(kind, 0) + 1
        f["properties"]["n"] = f"{prefix.get(kind, '')}{counters[kind]}"


def _draw_map(
    feats: list[dict], provinces: list[str], title: str, lang: str, geo_dir, level: str
) -> Figure:
    t, w = texts(lang), WORDS[lang]
    base = basemap(provinces, geo_dir, level)
    x0, y0, x1, y1 = geo.bounds(base["outline"])
    fig = new_figure(13, 7.5)
    ax = map_axes(fig, (x0, y0, x1, y1), margin=0.06, rect=(0.01, 0.08, 0.66, 0.82))
    draw_regions(
        ax,
        base["outside"],
        facecolor="#fafafa",
        edgecolor="#dddddd",
        linewidth=0.3,
        zorder=0.5,
        gid_prefix="base-",
    )
    draw_regions(
        ax,
        base["inside"],
        facecolor="#efefef",
        edgecolor="#ffffff",
        linewidth=0.5,
        zorder=1,
        gid_prefix="base-",
    )
    draw_regions(
        ax, base["outline"], edgecolor="#444444", linewidth=1.2, zorder=2, gid_prefix="outline-"
    )
    _draw_features(ax, feats, x1 - x0)
    fig.legend(
        handles=_symbol_handles(lang) + _place_handles(feats, lang),
        loc="upper left",
        bbox_to_anchor=(0.68, 0.9),
        fontsize=7,
        frameon=False,
        title="Tabel 10" if lang == "nl" else "Table 10",
        title_fontsize=8,
        alignment="left",
    )
    fig.text(0.69, 0.635, w["precision"], fontsize=7, color="#333333")
    (bx0, bx1), (by0, by1) = ax.get_xlim(), ax.get_ylim()
    _listing(fig, feats, lang, max_lines=24, box=(bx0, by0, bx1, by1))
    docs = sorted({f"{p.get('doc') or '001'}" for p in (f["properties"] for f in feats)})
    skipped = [f["properties"]["n"] for f in feats if f["geometry"] is None]
    notes = [
        w["note"],
        w["source"].format(docs=", ".join(docs) or "001"),
        f"{t['geometry']}: Statbel 2019",
    ]
    if skipped:
        notes.append(f"{w['unmapped']}: {', '.join(skipped)}")
    add_notes(fig, title, notes)
    return fig


# --------------------------------------------------------------------------- public API
def province_sector_features(
    features, province: str, sector: str, geo_dir=None, selections=None
) -> list[dict]:
    """Geocoded, numbered features of one province × sector (GeoJSON-like dicts).

    With the registry's ``selections``, a feature whose choice rests only on ambiguous table cells gets
    ``ambiguous`` and ``ambiguity`` (document and line) in its properties (see :func:`mark_doubt`).
    """
    return map_layer(features, province, sector, geo_dir, selections=selections)["features"]


def mark_doubt(feats: list[dict], selections) -> list[dict]:
    """Mark the features whose sector choice rests only on ambiguous cells (``selections`` ``None``:
    unchanged). The study's generations of ``selections`` decide, as for every derived output."""
    if selections is None:
        return feats
    from speerpunt.registry.analyses import study_selections
    from speerpunt.registry.doubt import feature_doubt

    marks = feature_doubt([f["properties"] for f in feats], study_selections(selections))
    for f, why in zip(feats, marks, strict=True):
        f["properties"]["ambiguous"] = bool(why)
        f["properties"]["ambiguity"] = why
    return feats


def province_sector_map(
    features,
    province: str,
    sector: str,
    geo_dir=None,
    *,
    lang: str = "nl",
    basemap: str = "municipality",
    selections=None,
) -> Figure:
    """Map of one Flemish province × one sector: points, zones and connections with the legend."""
    nis, _, name = resolve_province(province, geo_dir)
    _, label = sector_label(sector, lang)
    feats = province_sector_features(features, province, sector, geo_dir, selections)
    title = f"{label} — {'provincie' if lang == 'nl' else 'province of'} {name}"
    return _draw_map(feats, [nis], title, lang, geo_dir, basemap)


def overview_features(features, sector: str, geo_dir=None, selections=None) -> list[dict]:
    """Geocoded, numbered features of one sector in all five Flemish provinces (doubt marked as in
    :func:`province_sector_features`)."""
    return map_layer(features, None, sector, geo_dir, selections=selections)["features"]


def _geocoded(features, actor: str | None, sector_id: str | None, geo_dir) -> list[dict]:
    """The features of one province (``None``: all five) and sector (``None``: all), geocoded and
    numbered."""
    feats = geo.geocode_features(
        select_features(features, province=actor, sector=sector_id),
        geo_dir=geo.resolve_geo_dir(geo_dir),
        on_error="keep",
    )
    _number(feats)
    return feats


def flanders_overview_map(
    features,
    sector: str,
    geo_dir=None,
    *,
    lang: str = "nl",
    basemap: str = "arrondissement",
    selections=None,
) -> Figure:
    """Flanders-wide map of one sector (all five provinces), as the study drew for four sectors."""
    _, label = sector_label(sector, lang)
    feats = overview_features(features, sector, geo_dir, selections)
    return _draw_map(
        feats,
        list(FLEMISH_PROVINCES),
        f"{label} — {WORDS[lang]['overview']}",
        lang,
        geo_dir,
        basemap,
    )


def render_map(
    out: str | Path,
    *,
    sector: str,
    province: str | None = None,
    features=None,
    geo_dir=None,
    lang: str = "nl",
    basemap: str | None = None,
    selections=None,
) -> Path:
    """Write a province × sector map (or, without ``province``, the Flanders overview).

    The file's extension chooses the format: ``.svg``, ``.png`` or ``.geojson`` / ``.json``.
    ``features`` defaults to the curated dataset shipped with the package. With the registry's
    ``selections``, features resting only on ambiguous table cells are marked (GeoJSON properties
    ``ambiguous``/``ambiguity``; a mark in the map's listing).
    """
    out = Path(out)
    features = curated_features() if features is None else features
    geo_dir = geo.resolve_geo_dir(geo_dir)
    suffix = out.suffix.lower()
    if suffix in (".geojson", ".json"):
        layer = map_layer(features, province, sector, geo_dir, selections=selections, lang=lang)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(layer, ensure_ascii=False, indent=1), encoding="utf-8")
        return out
    if suffix not in (".svg", ".png"):
        raise ConfigError(Text("rg_map_suffix", suffix=suffix), column="--out")
    if province:
        fig = province_sector_map(
            features,
            province,
            sector,
            geo_dir,
            lang=lang,
            basemap=basemap or "municipality",
            selections=selections,
        )
    else:
        fig = flanders_overview_map(
            features,
            sector,
            geo_dir,
            lang=lang,
            basemap=basemap or "arrondissement",
            selections=selections,
        )
    return save_figure(fig, out)


def check_places(features, gazetteer=None, geo_dir=None) -> list[str]:
    """Features that cannot be placed, each "id: reason" (empty list = all resolve)."""
    bad = []
    for f in geo.geocode_features(features, gazetteer=gazetteer, geo_dir=geo_dir, on_error="keep"):
        if f["geometry"] is None:
            bad.append(f"{f['properties'].get('id')}: {f['properties']['geo_source']}")
    return bad


def register_cli(registry_app) -> None:
    """Add ``map`` to the ``speerpunt registry`` sub-app (called by :mod:`speerpunt.cli.registry`)."""
    from speerpunt.cli.maps import registry_map

    registry_app.command("map")(registry_map)


__all__ = [
    "RegistryError",
    "check_places",
    "curated_features",
    "flanders_overview_map",
    "legend_entries",
    "overview_features",
    "province_sector_features",
    "province_sector_map",
    "register_cli",
    "render_map",
    "resolve_province",
    "sector_label",
    "to_geojson",
]
