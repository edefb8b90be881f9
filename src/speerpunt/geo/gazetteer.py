"""The gazetteer: places named in the documents (ports, campuses, parks, networks, every municipality,
arrondissement and province) with coordinates, precision and source; geocoding by name without network.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from speerpunt.errors import DataError, RegistryError, Text
from speerpunt.geo.boundaries import LEVELS, load_belgium, load_nuts, norm_name, region_geometries
from speerpunt.geo.geometry import centroid, union_centroid

PRECISIONS = ("exact", "municipality", "region")
# curated data of the registry (also read by speerpunt.firms), so it stays in the registry's data folder
GAZETTEER = Path(__file__).resolve().parents[1] / "registry" / "data" / "gazetteer.csv"
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


# --------------------------------------------------------------------------- gazetteer
@lru_cache(maxsize=2)
def _gazetteer_cached(path: str) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(GAZETTEER_COLUMNS) - set(df.columns)
    if missing:
        raise DataError(Text("geo_gazetteer_columns", columns=str(sorted(missing))), file=path)
    df["lon"] = pd.to_numeric(df["lon"])
    df["lat"] = pd.to_numeric(df["lat"])
    bad = df.index[~df["precision"].isin(PRECISIONS)]
    if len(bad):
        raise DataError(
            Text("geo_precision", choices=str(PRECISIONS)),
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
            index.setdefault(norm_name(n), i)
    return index


def _lookup(name: str, path: str) -> pd.Series | None:
    i = _index(path).get(norm_name(name))
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
    raise RegistryError(Text("geo_place_unknown", name=name), column="place")


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


def _codes(value) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [c.strip() for c in re.split(r"[;,\s]+", value) if c.strip()]
    return [str(c) for c in value]


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
                muni_names.add(norm_name(p["name_nl"]))
            elif norm_name(short) not in muni_names:
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
        raise DataError(Text("geo_unknown_nuts", codes=str(codes)), column="regions")
    return union_centroid(geoms)


if __name__ == "__main__":  # python -m speerpunt.geo.gazetteer DIR: refresh the gazetteer
    import sys

    refresh_gazetteer(sys.argv[1] if len(sys.argv) > 1 else None)
