"""One geo layer below ``report``, ``registry`` and ``web``: boundaries, geometry, gazetteer, map features
and map rendering, all from local files (no network).

* :mod:`~speerpunt.geo.boundaries` — Statbel and Eurostat NUTS geometry from the ``--geo-dir`` folder,
  NUTS ↔ NIS codes;
* :mod:`~speerpunt.geo.geometry` — centroid, area and bounds of GeoJSON-like geometries;
* :mod:`~speerpunt.geo.gazetteer` — places named in the documents and geocoding by name;
* :mod:`~speerpunt.geo.features` — registry map features (points, zones, connections) as GeoJSON;
* :mod:`~speerpunt.geo.render` — the matplotlib primitives of every printed map.

>>> from speerpunt import geo
>>> geo.centroid({"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]})
(1.0, 1.0)
"""

from speerpunt.geo.boundaries import (
    BELGIUM_BBOX,
    GEO_ENV,
    LEVELS,
    decode_topojson,
    load_belgium,
    load_nuts,
    nis_level,
    norm_name,
    nuts_to_nis,
    province_of,
    region_geometries,
    region_names,
    resolve_geo_dir,
    to_nis,
)
from speerpunt.geo.features import geocode_features
from speerpunt.geo.gazetteer import (
    GAZETTEER,
    GAZETTEER_COLUMNS,
    KNOWN_SOURCE,
    MUNI_SOURCE,
    NUTS_SOURCE,
    PRECISIONS,
    REGION_SOURCE,
    admin_rows,
    geocode,
    load_gazetteer,
    place_regions,
    refresh_gazetteer,
)
from speerpunt.geo.geometry import (
    area_km2,
    bounds,
    centroid,
    merge_geometries,
    polygons,
    union_centroid,
)

__all__ = [
    "BELGIUM_BBOX",
    "GAZETTEER",
    "GAZETTEER_COLUMNS",
    "GEO_ENV",
    "KNOWN_SOURCE",
    "LEVELS",
    "MUNI_SOURCE",
    "NUTS_SOURCE",
    "PRECISIONS",
    "REGION_SOURCE",
    "admin_rows",
    "area_km2",
    "bounds",
    "centroid",
    "decode_topojson",
    "geocode",
    "geocode_features",
    "load_belgium",
    "load_gazetteer",
    "load_nuts",
    "merge_geometries",
    "nis_level",
    "norm_name",
    "nuts_to_nis",
    "place_regions",
    "polygons",
    "province_of",
    "refresh_gazetteer",
    "region_geometries",
    "region_names",
    "resolve_geo_dir",
    "to_nis",
    "union_centroid",
]
