"""The registry's project maps in the web app: the layer of :func:`speerpunt.registry.maps.map_layer` (the
one the printed maps draw) as GeoJSON for the page's Leaflet map, with the province's boundaries.

Both need the geometry folder (``SPEERPUNT_GEO_DIR`` / ``speerpunt serve --geo-dir``); without it the page
says so and lists nothing on a map.
"""

from __future__ import annotations

from speerpunt.errors import SpeerpuntError
from speerpunt.web.maps import GEO_DIR, _rounded


def registry_layer(
    reg, province: str, sector: str | None, lang: str
) -> tuple[dict | None, str | None]:
    """(the FeatureCollection or ``None``, a problem message or ``None``) of one province and one sector
    (``None`` or ``""``: every sector). The collection's foreign member ``boundaries`` holds the
    province's municipalities and outline (``role`` ``base`` / ``outline``); their coordinates and those
    of zones and connections are rounded to about 10 m (points keep theirs); features resting only on
    ambiguous table cells carry ``ambiguous``/``ambiguity``."""
    from speerpunt.registry.maps import basemap, map_layer

    try:
        layer = map_layer(
            reg.features(),
            province,
            sector or None,
            GEO_DIR["path"],
            selections=reg.selections(sector=sector) if sector else reg.selections(),
            lang=lang,
        )
        base = basemap(layer["properties"]["provinces"], GEO_DIR["path"])
    except SpeerpuntError as exc:
        return None, exc.one_line()
    for f in layer["features"]:
        if (
            f["geometry"] and f["geometry"]["type"] != "Point"
        ):  # zones span whole regions: ~10 m is plenty
            f["geometry"] = _rounded(f["geometry"])
    layer["actor_names"] = reg.actors().set_index("id")["name"].to_dict()
    layer["boundaries"] = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": f["id"],
                "geometry": _rounded(f["geometry"]),
                "properties": {"name": f["properties"]["name_nl"], "role": role},
            }
            for role, part in (("base", "inside"), ("outline", "outline"))
            for f in base[part]
        ],
    }
    return layer, None
