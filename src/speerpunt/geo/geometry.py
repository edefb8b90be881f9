"""Planar measures of GeoJSON-like geometries in longitude/latitude: polygons, centroid, area, bounds.

Plain numpy on the coordinates (shoelace formulas): over a Belgian province the lon/lat plane shifts a
centroid by far less than the width of a map symbol, so no projection library is needed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

from speerpunt.errors import DataError, Text

_KM_PER_DEGREE = 111.32


def polygons(geometry: Mapping) -> list[list[list[list[float]]]]:
    """The polygons (each a list of rings) of a Polygon or MultiPolygon geometry."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise DataError(Text("geo_not_polygon", kind=geometry["type"]))


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
        raise DataError(Text("geo_zero_area"))
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
    raise DataError(Text("geo_unsupported", kind=t))


def merge_geometries(geometries: Iterable[Mapping]) -> dict:
    """One MultiPolygon holding every polygon (adjacent parts are kept, not dissolved)."""
    return {"type": "MultiPolygon", "coordinates": [p for g in geometries for p in polygons(g)]}


def union_centroid(geometries: Iterable[Mapping]) -> tuple[float, float]:
    """Area-weighted centroid of several polygons taken together."""
    return centroid(merge_geometries(geometries))
