"""Boundaries without network: Statbel TopoJSON (municipalities, arrondissements, provinces 2019), Eurostat
NUTS GeoJSON, and the NUTS ↔ NIS correspondence.

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
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from speerpunt.errors import ConfigError, DataError, Text
from speerpunt.geo.geometry import polygons

GEO_ENV = "SPEERPUNT_GEO_DIR"
LEVELS = ("municipality", "arrondissement", "province")
# (lon_min, lat_min, lon_max, lat_max) of the TopoJSON's own bbox, rounded outwards.
BELGIUM_BBOX = (2.54, 49.49, 6.41, 51.51)
# NUTS 2016 arrondissements of Hainaut whose borders the 2019 reform changed (the NUTS 2021 file
# gives them new codes): a value for one of them cannot be drawn on a NIS 2019 arrondissement.
_CHANGED_BY_2019_REFORM = {"BE321", "BE322", "BE324", "BE325", "BE326", "BE327"}


# --------------------------------------------------------------------------- folders and files
def resolve_geo_dir(geo_dir: str | Path | None = None) -> Path:
    """The geometry folder: the argument, else ``$SPEERPUNT_GEO_DIR``; an error when neither."""
    value = geo_dir if geo_dir not in (None, "") else os.environ.get(GEO_ENV)
    if not value:
        raise ConfigError(Text("geo_no_folder", env=GEO_ENV), column="--geo-dir")
    path = Path(value).expanduser()
    if not path.is_dir():
        raise ConfigError(Text("geo_folder_missing", path=str(path)), column="--geo-dir")
    return path


def _find(geo_dir: str | Path | None, name: str, subdirs: Iterable[str]) -> Path:
    base = resolve_geo_dir(geo_dir)
    # the folder itself, its sub-folders, or siblings (geo/belgium given, geo/nuts2016-20m wanted)
    for folder in (base, *(base / s for s in subdirs), *(base.parent / s for s in subdirs)):
        if (folder / name).is_file():
            return folder / name
    raise ConfigError(
        Text("geo_not_found", name=name, base=str(base), subdirs=", ".join(subdirs)),
        column="--geo-dir",
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
            raise DataError(Text("geo_topojson_type", kind=geom["type"]), column=obj)
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
            Text("cli_unknown_level", level=level, choices=", ".join(LEVELS)), column="level"
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
        raise ConfigError(Text("geo_nuts_level", level=level), column="level")
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


# --------------------------------------------------------------------------- NUTS ↔ NIS
def norm_name(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: the key names are matched on.

    Typographic apostrophes separate words like the plain one; they are replaced before the accents
    go, which would drop them (``l’Evêque`` → ``leveque``, against ``l eveque`` for ``l'Evêque``).

    >>> norm_name("Fontaine-l’Evêque") == norm_name("FONTAINE L'EVEQUE") == "fontaine l eveque"
    True
    """
    text = re.sub(r"[’‘ʼ`´]", "'", str(text))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def _admin_key(name: str) -> str:
    """Name without the administrative prefix: "Prov. Liège" and "Province de Liège" → "liege"."""
    key = norm_name(re.sub(r"\((BE|NL)\)", "", name))
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
            raise DataError(Text("geo_no_nis", region=c, vintage=vintage), column="regions")
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
        raise DataError(Text("geo_unknown_nis", codes=", ".join(missing)), column="regions")
    return out
