"""Geometry and geocoding without network: Statbel TopoJSON, Eurostat NUTS GeoJSON, a gazetteer.

The geometry is never embedded in the package: it is read from a folder given by the caller
(``--geo-dir``) or by the environment variable ``SPEERPUNT_GEO_DIR``. The folder may be the one
holding ``belgium.json`` / ``REFNIS_2019.csv`` and the ``NUTS_RG_20M_*`` files, or its parent with
the sub-folders ``belgium/`` and ``nuts2016-20m/`` / ``nuts2021-20m/`` (sibling folders of the one
given are searched too, so ``geo/belgium`` also finds ``geo/nuts2016-20m``).

Features are GeoJSON-like dicts (``{"type": "Feature", "id", "properties", "geometry"}``) in
longitude/latitude (EPSG:4326), so they serialise with :func:`json.dumps` unchanged.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from speerpunt.errors import ConfigError, DataError, RegistryError

GEO_ENV = "SPEERPUNT_GEO_DIR"
LEVELS = ("municipality", "arrondissement", "province")
PRECISIONS = ("exact", "municipality", "region")
GAZETTEER = Path(__file__).with_name("data") / "gazetteer.csv"
GAZETTEER_COLUMNS = [
    "name",
    "aliases",
    "kind",
    "country",
    "lon",
    "lat",
    "nis",
    "regions",
    "members",
    "precision",
    "source",
    "note",
]
MUNI_SOURCE = "municipality centroid from Statbel geometry"
REGION_SOURCE = "region centroid from Statbel geometry"
NUTS_SOURCE = "region centroid from Eurostat NUTS 2016 geometry"
KNOWN_SOURCE = "known location"
# (lon_min, lat_min, lon_max, lat_max) of the TopoJSON's own bbox, rounded outwards.
BELGIUM_BBOX = (2.54, 49.49, 6.41, 51.51)
_KM_PER_DEGREE = 111.32
# NUTS 2016 arrondissements of Hainaut whose borders the 2019 reform changed (the NUTS 2021 file
# gives them new codes): a value for one of them cannot be drawn on a NIS 2019 arrondissement.
_CHANGED_BY_2019_REFORM = {"BE321", "BE322", "BE324", "BE325", "BE326", "BE327"}


# --------------------------------------------------------------------------- folders and files
def resolve_geo_dir(geo_dir: str | Path | None = None) -> Path:
    """The geometry folder: the argument, else ``$SPEERPUNT_GEO_DIR``; an error when neither."""
    value = geo_dir if geo_dir not in (None, "") else os.environ.get(GEO_ENV)
    if not value:
        raise ConfigError(
            f"no geometry folder: pass --geo-dir DIR or set {GEO_ENV}", column="--geo-dir"
        )
    path = Path(value).expanduser()
    if not path.is_dir():
        raise ConfigError(f"geometry folder {path} does not exist", column="--geo-dir")
    return path


def _find(geo_dir: str | Path | None, name: str, subdirs: Iterable[str]) -> Path:
    base = resolve_geo_dir(geo_dir)
    # the folder itself, its sub-folders, or siblings (geo/belgium given, geo/nuts2016-20m wanted)
    for folder in (base, *(base / s for s in subdirs), *(base.parent / s for s in subdirs)):
        if (folder / name).is_file():
            return folder / name
    raise ConfigError(
        f"{name} not found in {base} (nor in {', '.join(subdirs)})", column="--geo-dir"
    )


# --------------------------------------------------------------------------- TopoJSON
def _decode_arcs(topology: Mapping) -> list[np.ndarray]:
    """Absolute lon/lat arrays of every arc (delta-decoded and de-quantised)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        xy = np.asarray(arc, dtype=float)
        if transform:
            xy = np.cumsum(xy, axis=0) * transform["scale"] + transform["translate"]
        arcs.append(xy)
    return arcs


def _ring(indices: list[int], arcs: list[np.ndarray]) -> list[list[float]]:
    """Join arcs into one closed ring; ``~i`` is arc ``i`` reversed; shared end points once."""
    parts = []
    for k, i in enumerate(indices):
        xy = arcs[~i][::-1] if i < 0 else arcs[i]
        parts.append(xy if k == 0 else xy[1:])
    return np.round(np.concatenate(parts), 7).tolist()


def decode_topojson(topology: Mapping, obj: str) -> list[dict]:
    """The geometries of object ``obj`` of a TopoJSON topology as GeoJSON features.

    Handles quantised (``transform``) and plain topologies, Polygon and MultiPolygon.

    >>> topo = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
    ...         "arcs": [[[0, 0], [2, 0], [0, 2], [-2, 0], [0, -2]]],
    ...         "objects": {"sq": {"type": "GeometryCollection", "geometries": [
    ...             {"type": "Polygon", "arcs": [[0]], "properties": {"nis": "1"}}]}}}
    >>> decode_topojson(topo, "sq")[0]["geometry"]["coordinates"]
    [[[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]]]
    """
    arcs = _decode_arcs(topology)
    out = []
    for geom in topology["objects"][obj]["geometries"]:
        if geom["type"] == "Polygon":
            coords = [_ring(r, arcs) for r in geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            coords = [[_ring(r, arcs) for r in poly] for poly in geom["arcs"]]
        else:
            raise DataError(f"unsupported TopoJSON geometry {geom['type']}", column=obj)
        props = dict(geom.get("properties", {}))
        out.append(
            {
                "type": "Feature",
                "id": props.get("nis", geom.get("id")),
                "properties": props,
                "geometry": {"type": geom["type"], "coordinates": coords},
            }
        )
    return out


@lru_cache(maxsize=16)
def _topology(path: str) -> dict:
    """A parsed JSON file (TopoJSON or GeoJSON), read once per process."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=4)
def region_names(path: str) -> dict[str, tuple[str, str]]:
    """NIS code → (Dutch name, French name) from Statbel's REFNIS table."""
    names = {}
    with open(path, encoding="utf-8-sig") as fh:
        for row in csv.reader(fh, delimiter=";"):
            if row and row[0].isdigit():
                names[row[0]] = (row[4].strip(), row[1].strip())
    return names


def province_of(nis: str) -> str:
    """The province (or, for Brussels, region 04000) of a municipality or arrondissement code.

    >>> province_of("24062"), province_of("21004"), province_of("25072"), province_of("71022")
    ('20001', '04000', '20002', '70000')
    """
    if nis.startswith("21"):
        return "04000"
    if nis[0] == "2":
        return "20002" if nis.startswith("25") else "20001"
    return nis[0] + "0000"


def load_belgium(geo_dir: str | Path | None = None, level: str = "municipality") -> list[dict]:
    """Belgian municipalities, arrondissements or provinces (2019) as GeoJSON-like features.

    Each feature's ``id`` and ``properties["nis"]`` is the NIS code; properties also carry
    ``name_nl``, ``name_fr`` (REFNIS 2019), ``level``, ``province`` and, below province level,
    ``arrondissement``. The Brussels-Capital Region is the "province" ``04000``.
    """
    if level not in LEVELS:
        raise ConfigError(
            f"unknown level '{level}' (choose from {', '.join(LEVELS)})", column="level"
        )
    topo_path = str(_find(geo_dir, "belgium.json", ["belgium"]))
    names_path = str(_find(geo_dir, "REFNIS_2019.csv", ["belgium"]))
    # decoded once per file and level; callers get fresh feature/property dicts
    return [
        {**f, "properties": dict(f["properties"])} for f in _belgium(topo_path, names_path, level)
    ]


@lru_cache(maxsize=8)
def _belgium(topo_path: str, names_path: str, level: str) -> tuple[dict, ...]:
    topo = _topology(topo_path)
    names = region_names(names_path)
    feats = decode_topojson(topo, {"municipality": "municipalities"}.get(level, level + "s"))
    for f in feats:
        p = f["properties"]
        nis = p.get("nis") or p["reg_nis"]  # the Brussels region has no province code
        name_nl, name_fr = names.get(
            nis, (p.get("name_nl", p.get("reg_nl")), p.get("name_fr", p.get("reg_fr")))
        )
        props = {
            "nis": nis,
            "name_nl": name_nl,
            "name_fr": name_fr,
            "level": level,
            "province": province_of(nis),
            "region": p["reg_nis"],
        }
        if level == "municipality":
            # from the code, not the file's arr_nis: that property predates the 2019 reform
            # (La Louvière under 55000, Manage under 52000) and puts Mesen in 57000
            props["arrondissement"] = nis[:2] + "000"
        elif level == "arrondissement":
            props["arrondissement"] = nis
        f["id"], f["properties"] = nis, props
    return tuple(feats)


def load_nuts(
    geo_dir: str | Path | None = None,
    vintage: int = 2016,
    level: int = 2,
    country: str | None = None,
) -> list[dict]:
    """Eurostat NUTS regions (1:20 million) of one vintage and level, optionally one country.

    Feature ``id`` is the NUTS code; properties ``nuts``, ``name``, ``level``, ``country``.
    """
    if int(level) not in (0, 1, 2, 3):
        raise ConfigError(f"NUTS level must be 0–3, not {level}", column="level")
    name = f"NUTS_RG_20M_{vintage}_4326_LEVL_{int(level)}.geojson"
    data = _topology(str(_find(geo_dir, name, [f"nuts{vintage}-20m"])))
    out = []
    for f in data["features"]:
        p = f["properties"]
        if country and p["CNTR_CODE"] != country:
            continue
        out.append(
            {
                "type": "Feature",
                "id": p["NUTS_ID"],
                "geometry": f["geometry"],
                "properties": {
                    "nuts": p["NUTS_ID"],
                    "name": p["NUTS_NAME"],
                    "level": int(level),
                    "country": p["CNTR_CODE"],
                },
            }
        )
    return out


# --------------------------------------------------------------------------- planar measures
def polygons(geometry: Mapping) -> list[list[list[list[float]]]]:
    """The polygons (each a list of rings) of a Polygon or MultiPolygon geometry."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise DataError(f"not a polygon geometry: {geometry['type']}")


def _ring_moments(ring: list[list[float]]) -> tuple[float, float, float]:
    """Signed area and first moments (shoelace) of one ring, in degrees²."""
    xy = np.asarray(ring, dtype=float)
    x, y = xy[:, 0], xy[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    return cross.sum() / 2, ((x + x1) * cross).sum() / 6, ((y + y1) * cross).sum() / 6


def centroid(geometry: Mapping) -> tuple[float, float]:
    """Area-weighted centroid (lon, lat) of a (Multi)Polygon; holes subtract.

    Computed in plain lon/lat, which over an area the size of a province shifts the point by far
    less than the width of a map symbol.

    >>> centroid({"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 2], [0, 2], [0, 0]]]})
    (2.0, 1.0)
    """
    a = mx = my = 0.0
    for poly in polygons(geometry):
        for k, ring in enumerate(poly):
            ra, rx, ry = _ring_moments(ring)
            sign = 1.0 if k == 0 else -1.0  # outer ring adds, holes subtract, whatever the winding
            s = math.copysign(1.0, ra) * sign
            a, mx, my = a + s * ra, mx + s * rx, my + s * ry
    if a == 0:
        raise DataError("geometry has zero area")
    return round(float(mx / a), 6), round(float(my / a), 6)


def area_km2(geometry: Mapping) -> float:
    """Approximate area in km² (each ring scaled by cos(latitude) at its centroid)."""
    total = 0.0
    for poly in polygons(geometry):
        for k, ring in enumerate(poly):
            ra, _, ry = _ring_moments(ring)
            lat = ry / ra if ra else ring[0][1]
            km2 = abs(ra) * _KM_PER_DEGREE**2 * math.cos(math.radians(lat))
            total += km2 if k == 0 else -km2
    return total


def bounds(features: Iterable[Mapping]) -> tuple[float, float, float, float]:
    """(lon_min, lat_min, lon_max, lat_max) over the features' polygons, lines and points."""
    pts = np.concatenate(
        [
            np.asarray(c, dtype=float).reshape(-1, 2)
            for f in features
            for c in _flat_coords(f["geometry"])
        ]
    )
    return (*pts.min(axis=0).tolist(), *pts.max(axis=0).tolist())


def _flat_coords(geometry: Mapping) -> list[list]:
    t, c = geometry["type"], geometry["coordinates"]
    if t == "Point":
        return [[c]]
    if t in ("LineString",):
        return [c]
    if t in ("Polygon", "MultiLineString"):
        return list(c)
    if t == "MultiPolygon":
        return [ring for poly in c for ring in poly]
    raise DataError(f"unsupported geometry {t}")


# --------------------------------------------------------------------------- NUTS ↔ NIS
def _norm(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: the key names are matched on."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower().replace("’", "'"))
    return re.sub(r"\s+", " ", text).strip()


def _admin_key(name: str) -> str:
    """Name without the administrative prefix: "Prov. Liège" and "Province de Liège" → "liege"."""
    key = _norm(re.sub(r"\((BE|NL)\)", "", name))
    key = re.sub(r"^(arr|arrondissement|prov|provincie|province|bezirk)\s+", "", key)
    return re.sub(r"^(de la|de|du|d|van|des)\s+", "", key)


def nuts_to_nis(
    geo_dir: str | Path | None = None, vintage: int = 2016, level: str = "arrondissement"
) -> dict[str, str]:
    """NUTS code → NIS 2019 code for Belgian provinces (NUTS 2) or arrondissements (NUTS 3).

    Uses the classification's ``nis_nuts.csv`` (relation "equal") when it is installed, else
    matches the names in the NUTS GeoJSON against REFNIS 2019 (Dutch or French). Only one-to-one
    matches onto the 2019 geometry are returned: the NUTS 2016 Hainaut arrondissements redrawn in
    2019 and the two halves of Verviers have no NIS 2019 counterpart and are left out on purpose.
    (NUTS 2016 Hasselt and Maaseik are kept: they differ from 2019 by one municipality,
    Opglabbeek.)
    """
    return dict(_nuts_to_nis(str(resolve_geo_dir(geo_dir)), vintage, level))


@lru_cache(maxsize=8)
def _nuts_to_nis(geo_dir: str, vintage: int, level: str) -> tuple[tuple[str, str], ...]:
    nis_ids = {f["id"] for f in load_belgium(geo_dir, level)}
    table = _classify_table(vintage, level)
    out = table if table is not None else _match_names(geo_dir, vintage, level)
    return tuple(
        (n, c)
        for n, c in out.items()
        if c in nis_ids and not (vintage < 2021 and n in _CHANGED_BY_2019_REFORM)
    )


def _classify_table(vintage: int, level: str) -> dict[str, str] | None:
    path = Path(__file__).resolve().parents[1] / "classify" / "nis_nuts.csv"
    if not path.is_file():
        return None
    df = pd.read_csv(path, dtype=str)
    keep = (
        (df["vintage"] == str(vintage))
        & (df["relation"] == "equal")
        & (df["level"].isin([level, "region"]) if level == "province" else df["level"] == level)
    )
    keep &= df["nuts"].str.len() == (4 if level == "province" else 5)
    return dict(zip(df.loc[keep, "nuts"], df.loc[keep, "nis"], strict=True))


def _match_names(geo_dir: str | Path | None, vintage: int, level: str) -> dict[str, str]:
    by_name: dict[str, str] = {}
    for f in load_belgium(geo_dir, level):
        for n in (f["properties"]["name_nl"], f["properties"]["name_fr"]):
            by_name[_admin_key(n)] = f["id"]
    out = {}
    for f in load_nuts(geo_dir, vintage, {"province": 2, "arrondissement": 3}[level], "BE"):
        for part in f["properties"]["name"].split("/"):
            if _admin_key(part) in by_name:
                out[f["id"]] = by_name[_admin_key(part)]
                break
    # Brussels: "Région de Bruxelles-Capitale" is a region, not a province, in REFNIS
    out.setdefault(
        "BE10" if level == "province" else "BE100", "04000" if level == "province" else "21000"
    )
    return out


# --------------------------------------------------------------------------- gazetteer
@lru_cache(maxsize=2)
def _gazetteer_cached(path: str) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(GAZETTEER_COLUMNS) - set(df.columns)
    if missing:
        raise DataError(f"gazetteer lacks columns {sorted(missing)}", file=path)
    df["lon"] = pd.to_numeric(df["lon"])
    df["lat"] = pd.to_numeric(df["lat"])
    bad = df.index[~df["precision"].isin(PRECISIONS)]
    if len(bad):
        raise DataError(
            f"precision must be one of {PRECISIONS}",
            file=path,
            row=int(bad[0]) + 2,
            column="precision",
        )
    return df


def load_gazetteer(path: str | Path | None = None) -> pd.DataFrame:
    """The gazetteer table (one row per place; ``aliases`` separated by ``|``)."""
    return _gazetteer_cached(str(path or GAZETTEER)).copy()


@lru_cache(maxsize=2)
def _index(path: str) -> dict[str, int]:
    """Normalised name and alias → row number; the first row wins (curated rows come first)."""
    df = _gazetteer_cached(path)
    index: dict[str, int] = {}
    for i, (name, aliases) in enumerate(zip(df["name"], df["aliases"], strict=True)):
        for n in [name, *filter(None, aliases.split("|"))]:
            index.setdefault(_norm(n), i)
    return index


def _lookup(name: str, path: str) -> pd.Series | None:
    i = _index(path).get(_norm(name))
    return None if i is None else _gazetteer_cached(path).iloc[i]


def _candidates(name: str) -> list[tuple[str, str | None]]:
    """Names to try, best first, each with the precision it caps the answer at.

    "De Winkelhaak (Antwerpen)" → the whole name, the name without brackets, then the place in
    brackets (at municipality precision, since the bracket names the town, not the building).
    """
    out: list[tuple[str, str | None]] = [(name, None)]
    bare = re.sub(r"\([^)]*\)", " ", name).strip()
    if bare and bare != name:
        out.append((bare, None))
    out += [(inner, "municipality") for inner in re.findall(r"\(([^)]*)\)", name)]
    return out


_RANK = {p: i for i, p in enumerate(PRECISIONS)}


def geocode(
    name: str, context: str | None = None, *, gazetteer: str | Path | None = None
) -> tuple[float, float, str, str]:
    """(lon, lat, precision, source) of a place named in the documents.

    Looks the name (or an alias) up in the gazetteer; a bracketed town ("Agropolis (Kinrooi)")
    serves as a fallback at municipality precision; failing that, ``context`` (a province, RESOC
    or other territory name or registry actor id such as ``prov-limburg``) gives a point at region
    precision. Raises :class:`RegistryError` when nothing matches.

    >>> geocode("Luchthaven Kortrijk-Wevelgem")[2:]
    ('exact', 'known location')
    """
    path = str(gazetteer or GAZETTEER)
    for cand, cap in _candidates(name):
        row = _lookup(cand, path)
        if row is not None:
            precision = row["precision"]
            if cap and _RANK[precision] < _RANK[cap]:
                precision = cap
            return float(row["lon"]), float(row["lat"]), precision, row["source"]
    if context:
        row = _lookup(_context_name(context), path)
        if row is not None:
            return (
                float(row["lon"]),
                float(row["lat"]),
                "region",
                f"not in the gazetteer: centre of {row['name']} ({row['source']})",
            )
    raise RegistryError(
        f"place '{name}' is not in the gazetteer and has no usable context", column="place"
    )


def _context_name(context: str) -> str:
    """Registry actor ids ("prov-oost-vlaanderen", "resoc-kempen") → gazetteer names."""
    m = re.match(r"^(prov|resoc)-(.+)$", context)
    if not m:
        return context
    return ("provincie " if m.group(1) == "prov" else "resoc ") + m.group(2).replace("-", " ")


def place_regions(name: str, *, gazetteer: str | Path | None = None) -> list[str]:
    """NIS codes of the area a place stands for (RESOCs, provinces, zones), else ``[]``."""
    for cand, _ in _candidates(name):
        row = _lookup(cand, str(gazetteer or GAZETTEER))
        if row is not None:
            return [c for c in row["regions"].split(";") if c]
    return []


# --------------------------------------------------------------------------- regions by code
def nis_level(code: str) -> str:
    """ "municipality", "arrondissement", "province" or "region" for a NIS code.

    >>> [nis_level(c) for c in ("11002", "11000", "10000", "20001", "04000", "02000")]
    ['municipality', 'arrondissement', 'province', 'province', 'province', 'region']
    """
    if code in ("01000", "02000", "03000"):
        return "region"
    if code.endswith("0000") or code in ("20001", "20002", "04000"):
        return "province"
    return "arrondissement" if code.endswith("000") else "municipality"


_NUTS_REGIONS = {"BE1": "04000", "BE2": "02000", "BE3": "03000"}


def to_nis(
    codes: Iterable[str], geo_dir: str | Path | None = None, vintage: int = 2016
) -> list[str]:
    """NIS codes for a mix of NIS and Belgian NUTS codes (NUTS mapped one-to-one, else an error)."""
    codes = list(codes)
    table: dict[str, str] = dict(_NUTS_REGIONS)
    if any(len(c) == 4 and c[:2] == "BE" for c in codes):
        table |= nuts_to_nis(geo_dir, vintage, "province")
    if any(len(c) == 5 and c[:2] == "BE" for c in codes):
        table |= nuts_to_nis(geo_dir, vintage, "arrondissement")
    out = []
    for c in codes:
        if c.isdigit():
            out.append(c)
        elif c in table:
            out.append(table[c])
        else:
            raise DataError(
                f"region {c} has no NIS 2019 counterpart (NUTS {vintage})", column="regions"
            )
    return out


def region_geometries(codes: Iterable[str], geo_dir: str | Path | None = None) -> dict[str, dict]:
    """Geometry of each code: NIS municipalities, arrondissements, provinces, the three regions,
    or Belgian NUTS 2016 codes with a one-to-one NIS counterpart (keyed by the code given)."""
    given = list(codes)
    nis = to_nis(given, geo_dir)
    found = _nis_geometries(nis, geo_dir)
    return {g: found[n] for g, n in zip(given, nis, strict=True)}


def _nis_geometries(codes: list[str], geo_dir: str | Path | None) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for level in LEVELS:
        wanted = {c for c in codes if nis_level(c) == level}
        if level == "province":
            wanted |= {"region"} if any(nis_level(c) == "region" for c in codes) else set()
        if not wanted:
            continue
        for f in load_belgium(geo_dir, level):
            if f["id"] in wanted:
                out[f["id"]] = f["geometry"]
            region = f["properties"]["region"]
            if level == "province" and region in codes and region != "04000":
                polys = out.setdefault(region, {"type": "MultiPolygon", "coordinates": []})
                polys["coordinates"] += polygons(f["geometry"])
    missing = [c for c in codes if c not in out]
    if missing:
        raise DataError(f"unknown NIS code(s) {', '.join(missing)}", column="regions")
    return out


def merge_geometries(geometries: Iterable[Mapping]) -> dict:
    """One MultiPolygon holding every polygon (adjacent parts are kept, not dissolved)."""
    return {"type": "MultiPolygon", "coordinates": [p for g in geometries for p in polygons(g)]}


def union_centroid(geometries: Iterable[Mapping]) -> tuple[float, float]:
    """Area-weighted centroid of several polygons taken together."""
    return centroid(merge_geometries(geometries))


# --------------------------------------------------------------------------- features
def _codes(value) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [c.strip() for c in re.split(r"[;,\s]+", value) if c.strip()]
    return [str(c) for c in value]


def _endpoints(place: str, path: str) -> list[str]:
    """The places a connection joins: the name itself if known, else its parts.

    "Haven van Gent - Terneuzen" → ["Haven van Gent", "Terneuzen"]; "Bi-pool Leuven-Tienen" →
    ["Leuven", "Tienen"]; "Leuven & Antwerpen" → ["Leuven", "Antwerpen"].
    """
    if any(_lookup(c, path) is not None for c, _ in _candidates(place)):
        return [place]
    bare = re.sub(r"\([^)]*\)", " ", place).strip()
    core = re.sub(r"^(as|bi-pool|richting|via)\s+", "", bare, flags=re.I)
    for sep in (r"\s+[-–]\s+", r"\s*&\s*", r"\s+en\s+", r"-"):
        parts = [p.strip() for p in re.split(sep, core) if p.strip()]
        if len(parts) >= 2 and all(_lookup(p, path) is not None for p in parts):
            return parts
    return [core]


def _worst(precisions: Iterable[str]) -> str:
    return max(precisions, key=_RANK.__getitem__)


def geocode_features(
    features: Iterable[Mapping] | pd.DataFrame,
    *,
    geo_dir: str | Path | None = None,
    gazetteer: str | Path | None = None,
    on_error: str = "raise",
) -> list[dict]:
    """GeoJSON features for the registry's map features (points, zones, connections).

    Parameters
    ----------
    features : records or DataFrame
        Each needs ``kind`` (point / zone / connection) and ``place`` (or ``name``); optional
        ``regions`` (NIS or Belgian NUTS codes, list or ``;``/space-separated), ``polygon``
        (GeoJSON Polygon coordinates), ``lon``/``lat``, ``actors`` and ``province`` (context).
    geo_dir : folder with the geometry (default ``$SPEERPUNT_GEO_DIR``); without it zones stay
        points.
    on_error : "raise" (default) or "keep": a feature that cannot be placed then gets geometry
        ``None``, precision ``None`` and the reason in ``geo_source``.

    Returns
    -------
    list of dict
        GeoJSON Features with the input fields plus ``precision`` (exact, municipality, region),
        ``geo_source``, ``place_kind`` and ``regions`` in their properties.

    Notes
    -----
    Order of evidence: a registry polygon, then registry coordinates, then the gazetteer (see
    :func:`geocode`). Zones with region codes become MultiPolygons of those regions. A connection
    joins the two places it names ("Haven van Gent - Terneuzen"); naming one place, it starts at
    its first actor's territory (else its province); to a network (ELAt) it reaches every member.

    Examples
    --------
    >>> f = geocode_features([{"kind": "point", "place": "Haven van Zeebrugge"}])[0]
    >>> f["geometry"]["type"], f["properties"]["precision"], f["properties"]["place_kind"]
    ('Point', 'exact', 'port')
    """
    records = features.to_dict("records") if isinstance(features, pd.DataFrame) else features
    path = str(gazetteer or GAZETTEER)
    have_geo = bool(geo_dir or os.environ.get(GEO_ENV))
    out = []
    for rec in records:
        props = {k: v for k, v in dict(rec).items() if k != "geometry"}
        place = str(props.get("place") or props.get("name") or "").strip()
        kind = props.get("kind", "point")
        context = props.get("province") or props.get("actor")
        try:
            geometry, precision, source = _feature_geometry(
                props, place, kind, context, path, geo_dir, have_geo
            )
        except (RegistryError, DataError) as exc:
            if on_error == "raise":
                raise
            geometry, precision, source = None, None, f"not mapped: {exc.one_line()}"
        props.update(
            place=place, precision=precision, geo_source=source, place_kind=_place_kind(place, path)
        )
        out.append({"type": "Feature", "geometry": geometry, "properties": props})
    return out


def _place_kind(place: str, path: str) -> str | None:
    """The gazetteer's kind of the place (port, airport, campus, …), for the map symbol."""
    row = _lookup(place, path) if place else None
    return None if row is None else row["kind"]


def _number(value) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _polygon(value) -> list | None:
    """A registry polygon (GeoJSON Polygon coordinates, as a list or JSON text), else ``None``."""
    if isinstance(value, str) and value.strip().startswith("["):
        value = json.loads(value)
    if isinstance(value, list) and value and isinstance(value[0], list):
        return value if isinstance(value[0][0], list) else [value]  # one bare ring is accepted
    return None


def _first_actor(props: Mapping) -> str | None:
    actors = _codes(props.get("actors"))
    return actors[0] if actors else None


def _feature_geometry(
    props: dict, place: str, kind: str, context: str | None, path: str, geo_dir, have_geo: bool
) -> tuple[dict, str, str]:
    regions = _codes(props.get("regions")) or place_regions(place, gazetteer=path)
    props["regions"] = regions
    if not place:
        if not (regions and have_geo):
            raise RegistryError("map feature has neither place nor region codes", column="place")
        geometry = merge_geometries(region_geometries(regions, geo_dir).values())
        if kind != "zone":
            geometry = {"type": "Point", "coordinates": list(centroid(geometry))}
        return geometry, "region", "centroid of the feature's region codes"
    if kind == "connection":
        return _connection(place, _first_actor(props) or context, context, path)
    polygon = _polygon(props.get("polygon"))
    if polygon is not None:
        given = props.get("precision")
        geometry = {"type": "Polygon", "coordinates": polygon}
        if kind != "zone":
            geometry = {"type": "Point", "coordinates": list(centroid(geometry))}
        return geometry, given if given in PRECISIONS else "exact", "polygon given in the registry"
    if _number(props.get("lon")) is not None and _number(props.get("lat")) is not None:
        # coordinates entered in the registry win over the gazetteer
        given = props.get("precision")
        return (
            {"type": "Point", "coordinates": [_number(props["lon"]), _number(props["lat"])]},
            given if given in PRECISIONS else "exact",
            "coordinates given in the registry",
        )
    lon, lat, precision, source = geocode(place, context, gazetteer=path)
    geometry = {"type": "Point", "coordinates": [lon, lat]}
    if kind == "zone" and regions and have_geo:
        geometry = merge_geometries(region_geometries(regions, geo_dir).values())
    return geometry, precision, source


def _members(place: str, path: str) -> list[str]:
    """The places a network stands for ("ELAt" → Eindhoven, Leuven, Aachen), else ``[]``."""
    for cand, _ in _candidates(place):
        row = _lookup(cand, path)
        if row is not None:
            return [m for m in row["members"].split("|") if m]
    return []


def _connection(
    place: str, origin: str | None, context: str | None, path: str
) -> tuple[dict, str, str]:
    members = _members(place, path)
    if members:
        # a network (ELAt, Eurometropool): one line from the actor to each member
        lines = [_connection(m, origin, context, path) for m in members]
        coords = [g["coordinates"] for g, _, _ in lines]
        return (
            {"type": "MultiLineString", "coordinates": coords},
            _worst(p for _, p, _ in lines),
            "; ".join(dict.fromkeys(s for *_, s in lines)),
        )
    ends = [geocode(p, context, gazetteer=path) for p in _endpoints(place, path)]
    if len(ends) == 1:
        start = next(
            (
                row
                for row in (_lookup(_context_name(c), path) for c in (origin, context) if c)
                if row is not None
            ),
            None,
        )
        if start is None:
            raise RegistryError(
                f"connection '{place}' names one end and its actor or province "
                f"'{origin or context}' is not in the gazetteer",
                column="place",
            )
        ends.insert(
            0, (float(start["lon"]), float(start["lat"]), start["precision"], start["source"])
        )
    coords = [[e[0], e[1]] for e in ends]
    return (
        {"type": "LineString", "coordinates": coords},
        _worst(e[2] for e in ends),
        "; ".join(dict.fromkeys(e[3] for e in ends)),
    )


# --------------------------------------------------------------------------- gazetteer upkeep
_ADMIN_KINDS = ("municipality", "arrondissement", "province", "region")


def admin_rows(geo_dir: str | Path | None = None) -> pd.DataFrame:
    """Gazetteer rows for every municipality, arrondissement, province and region (centroids)."""
    rows = []
    muni_names = set()
    for level in LEVELS:
        for f in load_belgium(geo_dir, level):
            p = f["properties"]
            lon, lat = centroid(f["geometry"])
            aliases = [p["name_fr"]] if p["name_fr"] != p["name_nl"] else []
            short = re.sub(r"^(Provincie|Arrondissement)\s+", "", p["name_nl"])
            if level == "municipality":
                muni_names.add(_norm(p["name_nl"]))
            elif _norm(short) not in muni_names:
                aliases.append(short)
            rows.append(
                {
                    "name": p["name_nl"],
                    "aliases": "|".join(aliases),
                    "kind": "region" if f["id"] == "04000" else level,
                    "country": "BE",
                    "lon": lon,
                    "lat": lat,
                    "nis": f["id"],
                    "regions": "" if level == "municipality" else f["id"],
                    "members": "",
                    "precision": "municipality" if level == "municipality" else "region",
                    "source": MUNI_SOURCE if level == "municipality" else REGION_SOURCE,
                    "note": "",
                }
            )
    return pd.DataFrame(rows, columns=GAZETTEER_COLUMNS)


def refresh_gazetteer(
    geo_dir: str | Path | None = None, path: str | Path | None = None
) -> pd.DataFrame:
    """Recompute every coordinate that comes from the geometry and rewrite the gazetteer.

    Curated rows keep their name, kind, codes and sources; rows at municipality or region
    precision with a NIS code or region codes get the centroid of that territory; the
    administrative rows are regenerated from the geometry and appended after the curated ones.
    """
    path = Path(path or GAZETTEER)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    generated = df["source"].isin([MUNI_SOURCE, REGION_SOURCE]) & df["kind"].isin(_ADMIN_KINDS)
    curated = df[~generated].copy()
    admin = admin_rows(geo_dir)
    where = {
        n: (lo, la) for n, lo, la in zip(admin["nis"], admin["lon"], admin["lat"], strict=True)
    }
    for i, row in curated.iterrows():
        codes = _codes(row["regions"]) if row["precision"] == "region" else [row["nis"]]
        if row["source"] == NUTS_SOURCE:
            lon, lat = _nuts_centroid(codes, geo_dir)
        elif row["source"] not in (MUNI_SOURCE, REGION_SOURCE):
            continue
        elif len(codes) == 1 and codes[0] in where:
            lon, lat = where[codes[0]]
        else:
            lon, lat = union_centroid(region_geometries(codes, geo_dir).values())
        curated.loc[i, ["lon", "lat"]] = [str(lon), str(lat)]
    out = pd.concat([curated, admin.astype(str)], ignore_index=True)[GAZETTEER_COLUMNS]
    out.to_csv(path, index=False, lineterminator="\n")
    _gazetteer_cached.cache_clear()
    _index.cache_clear()
    return out


def _nuts_centroid(codes: list[str], geo_dir: str | Path | None) -> tuple[float, float]:
    geoms = [
        f["geometry"]
        for level in {len(c) - 2 for c in codes}
        for f in load_nuts(geo_dir, 2016, level)
        if f["id"] in codes
    ]
    if len(geoms) != len(codes):
        raise DataError(f"unknown NUTS 2016 code among {codes}", column="regions")
    return union_centroid(geoms)


if __name__ == "__main__":  # python -m speerpunt.registry.geo DIR: refresh the gazetteer
    import sys

    refresh_gazetteer(sys.argv[1] if len(sys.argv) > 1 else None)
