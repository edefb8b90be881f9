"""Registry map features (points, zones, connections) as GeoJSON features placed on local geometry."""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from speerpunt.errors import DataError, RegistryError, Text
from speerpunt.geo.boundaries import GEO_ENV, region_geometries
from speerpunt.geo.gazetteer import (
    _RANK,
    GAZETTEER,
    PRECISIONS,
    _candidates,
    _codes,
    _context_name,
    _lookup,
    geocode,
    place_regions,
)
from speerpunt.geo.geometry import centroid, merge_geometries


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
            raise RegistryError(Text("geo_feature_nothing"), column="place")
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
                Text("geo_connection_end", place=place, name=origin or context),
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
