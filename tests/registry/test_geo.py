"""Geometry reading, centroids, NUTS↔NIS and the gazetteer, checked against independent facts.

Reference values: Statbel REFNIS 2019 (581 municipalities, 43 arrondissements), Belgium's land area
30 689 km² (Statbel), municipal areas Gent 156.2 km², Antwerpen 204.5 km², Leuven 56.6 km²
(Statbel "Oppervlakte" tables), and city locations read off any atlas.
"""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.path import Path as MplPath

from speerpunt import geo
from speerpunt.errors import ConfigError, RegistryError


@pytest.fixture(scope="module")
def geo_dir(shared_dir):
    return shared_dir / "data" / "geo" / "belgium"


@pytest.fixture(scope="module")
def refnis(geo_dir):
    with open(geo_dir / "REFNIS_2019.csv", encoding="utf-8-sig") as fh:
        return {r[0]: r[4] for r in csv.reader(fh, delimiter=";") if r and r[0].isdigit()}


@pytest.fixture(scope="module")
def municipalities(geo_dir):
    return {f["id"]: f for f in geo.load_belgium(geo_dir, "municipality")}


# --------------------------------------------------------------------------- TopoJSON decoding
def test_decode_quantised_topology_with_reversed_shared_arc():
    # two unit squares sharing the edge x=1; arc 1 is used forwards by A and reversed (~1) by B
    topo = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        "arcs": [
            [[2, 0], [-2, 0], [0, 4], [2, 0]],  # (1,0)→(0,0)→(0,1)→(1,1) in world units
            [[2, 4], [0, -4]],  # (1,1)→(1,0): the shared edge
            [[2, 4], [2, 0], [0, -4], [-2, 0]],  # (1,1)→(2,1)→(2,0)→(1,0)
        ],
        "objects": {
            "sq": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"nis": "A"}},
                    {"type": "Polygon", "arcs": [[~1, 2]], "properties": {"nis": "B"}},
                ],
            }
        },
    }
    a, b = geo.decode_topojson(topo, "sq")
    assert a["id"] == "A"
    assert a["geometry"]["coordinates"] == [[[11, 20], [10, 20], [10, 21], [11, 21], [11, 20]]]
    # ~1 walks the shared edge upwards: (1,0)→(1,1), then arc 2 closes the ring
    assert b["geometry"]["coordinates"] == [[[11, 20], [11, 21], [12, 21], [12, 20], [11, 20]]]
    assert geo.centroid(a["geometry"]) == (10.5, 20.5)
    assert geo.centroid(b["geometry"]) == (11.5, 20.5)


@given(
    st.lists(st.tuples(st.integers(-50, 50), st.integers(-50, 50)), min_size=2, max_size=30),
    st.floats(0.001, 2),
    st.floats(-10, 10),
)
@settings(max_examples=50, deadline=None)
def test_delta_decoding_is_cumulative_sum(deltas, scale, shift):
    topo = {
        "transform": {"scale": [scale, scale], "translate": [shift, -shift]},
        "arcs": [[list(d) for d in deltas]],
    }
    decoded = geo.boundaries._decode_arcs(topo)[0]
    expected = np.cumsum(np.array(deltas, float), axis=0) * scale + [shift, -shift]
    np.testing.assert_allclose(decoded, expected)


@given(st.floats(-10, 10), st.floats(40, 60), st.floats(0.01, 3), st.floats(0.01, 3))
@settings(max_examples=50, deadline=None)
def test_centroid_of_rectangle_with_hole(x, y, w, h):
    outer = [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]
    # a hole in the left quarter moves the centroid right by a known amount
    hole = [[x, y], [x, y + h], [x + w / 4, y + h], [x + w / 4, y], [x, y]]
    cx, cy = geo.centroid({"type": "Polygon", "coordinates": [outer, hole]})
    assert cx == pytest.approx(x + w * (5 / 8), abs=1e-5)
    assert cy == pytest.approx(y + h / 2, abs=1e-5)


# --------------------------------------------------------------------------- Statbel geometry
def test_581_municipalities_matching_refnis(municipalities, refnis):
    assert len(municipalities) == 581
    admin = ("Arrondissement", "Provincie", "Gewest", "HET RIJK", "VLAAMS", "WAALS", "BRUSSELS")
    refnis_munis = {c for c, n in refnis.items() if not n.startswith(admin)}
    assert set(municipalities) == refnis_munis
    assert municipalities["11002"]["properties"]["name_nl"] == "Antwerpen"
    assert municipalities["57081"]["properties"]["name_fr"] == "Tournai"


def test_every_arrondissement_present(geo_dir, refnis, municipalities):
    arrs = {f["id"] for f in geo.load_belgium(geo_dir, "arrondissement")}
    expected = {c for c, n in refnis.items() if n.startswith("Arrondissement")}
    assert len(arrs) == 43
    assert arrs == expected
    assert {f["properties"]["arrondissement"] for f in municipalities.values()} == arrs
    # 2019 reform and the Mesen enclave: the file's own arr_nis property gets these wrong
    assert municipalities["58001"]["properties"]["arrondissement"] == "58000"  # La Louvière
    assert municipalities["55086"]["properties"]["arrondissement"] == "55000"  # Manage
    assert municipalities["33016"]["properties"]["arrondissement"] == "33000"  # Mesen


def test_provinces_and_brussels(geo_dir):
    provs = {f["id"]: f["properties"]["name_nl"] for f in geo.load_belgium(geo_dir, "province")}
    assert set(provs) == {
        "04000",
        "10000",
        "20001",
        "20002",
        "30000",
        "40000",
        "50000",
        "60000",
        "70000",
        "80000",
        "90000",
    }
    assert provs["70000"] == "Provincie Limburg"


@pytest.mark.parametrize(
    ("nis", "lon", "lat"),
    [
        ("11002", 4.40, 51.22),  # Antwerpen (the port stretches north: within 0.1°)
        ("44021", 3.72, 51.05),  # Gent
        ("24062", 4.70, 50.88),  # Leuven
        ("62063", 5.57, 50.63),  # Liège
        ("35013", 2.92, 51.22),  # Oostende
    ],
)
def test_centroids_of_known_cities(municipalities, nis, lon, lat):
    cx, cy = geo.centroid(municipalities[nis]["geometry"])
    assert abs(cx - lon) < 0.1 and abs(cy - lat) < 0.1


def test_centroid_agrees_with_raster_estimate(municipalities):
    # independent estimate: mean of grid points inside the polygon (matplotlib point-in-polygon)
    geom = municipalities["11002"]["geometry"]
    inside = []
    xs, ys = np.meshgrid(np.linspace(4.2, 4.5, 300), np.linspace(51.13, 51.38, 300))
    pts = np.column_stack([xs.ravel(), ys.ravel()])
    mask = np.zeros(len(pts), bool)
    for poly in geo.polygons(geom):
        m = MplPath(np.asarray(poly[0])).contains_points(pts)
        for hole in poly[1:]:
            m &= ~MplPath(np.asarray(hole)).contains_points(pts)
        mask |= m
    inside = pts[mask]
    cx, cy = geo.centroid(geom)
    assert abs(inside[:, 0].mean() - cx) < 0.003
    assert abs(inside[:, 1].mean() - cy) < 0.003


def test_areas_positive_and_sum_to_belgium(municipalities):
    areas = {k: geo.area_km2(f["geometry"]) for k, f in municipalities.items()}
    assert min(areas.values()) > 0
    assert sum(areas.values()) == pytest.approx(30689, rel=0.01)
    assert areas["44021"] == pytest.approx(156.2, rel=0.05)
    assert areas["11002"] == pytest.approx(204.5, rel=0.12)
    assert areas["24062"] == pytest.approx(56.6, rel=0.12)


def test_geo_dir_from_environment_and_parent(monkeypatch, geo_dir):
    monkeypatch.setenv(geo.GEO_ENV, str(geo_dir))
    assert len(geo.load_belgium(None, "province")) == 11
    # the parent folder finds belgium/ and nuts2016-20m/ below it
    assert len(geo.load_nuts(geo_dir.parent, 2016, 2, "BE")) == 11
    monkeypatch.delenv(geo.GEO_ENV)
    with pytest.raises(ConfigError, match="SPEERPUNT_GEO_DIR"):
        geo.load_belgium(None)
    with pytest.raises(ConfigError, match="unknown level"):
        geo.load_belgium(geo_dir, "commune")


# --------------------------------------------------------------------------- NUTS
def test_load_nuts_levels(geo_dir):
    be3 = geo.load_nuts(geo_dir, 2016, 3, "BE")
    assert len(be3) == 44 and {f["id"] for f in be3} >= {"BE211", "BE100", "BE336"}
    assert {f["properties"]["country"] for f in geo.load_nuts(geo_dir, 2021, 0)} >= {"BE", "NL"}
    assert "BE329" in {f["id"] for f in geo.load_nuts(geo_dir, 2021, 3, "BE")}


def test_nuts_to_nis_hand_checked(geo_dir):
    a16 = geo.nuts_to_nis(geo_dir, 2016, "arrondissement")
    assert a16["BE211"] == "11000" and a16["BE234"] == "44000" and a16["BE258"] == "38000"
    assert a16["BE100"] == "21000" and a16["BE310"] == "25000" and a16["BE352"] == "92000"
    # redrawn in 2019 (Hainaut) or split (Verviers): no one-to-one NIS 2019 arrondissement
    assert not {"BE321", "BE322", "BE324", "BE325", "BE326", "BE327", "BE335"} & set(a16)
    a21 = geo.nuts_to_nis(geo_dir, 2021, "arrondissement")
    assert a21["BE32B"] == "52000" and a21["BE329"] == "58000" and a21["BE328"] == "57000"
    p16 = geo.nuts_to_nis(geo_dir, 2016, "province")
    assert p16 == {
        "BE10": "04000",
        "BE21": "10000",
        "BE22": "70000",
        "BE23": "40000",
        "BE24": "20001",
        "BE25": "30000",
        "BE31": "20002",
        "BE32": "50000",
        "BE33": "60000",
        "BE34": "80000",
        "BE35": "90000",
    }


def test_name_matching_agrees_with_classification_table(geo_dir):
    # the fallback (names) and the classification's table must give the same 1:1 pairs
    by_names = geo.boundaries._match_names(geo_dir, 2021, "arrondissement")
    assert by_names == geo.nuts_to_nis(geo_dir, 2021, "arrondissement")


# --------------------------------------------------------------------------- gazetteer
@pytest.fixture(scope="module")
def gaz():
    return geo.load_gazetteer()


def test_gazetteer_rows_valid(gaz):
    assert set(gaz["precision"]) <= set(geo.PRECISIONS)
    assert (gaz["source"].str.len() > 0).all()
    assert np.isfinite(gaz["lon"]).all() and np.isfinite(gaz["lat"]).all()
    x0, y0, x1, y1 = geo.BELGIUM_BBOX
    be = gaz[gaz["country"] == "BE"]
    assert be["lon"].between(x0, x1).all() and be["lat"].between(y0, y1).all()
    abroad = gaz[gaz["country"] != "BE"]
    assert abroad["lon"].between(-5, 15).all() and abroad["lat"].between(45, 55).all()
    assert (gaz["kind"] == "municipality").sum() == 581


def test_gazetteer_names_the_documents_places(gaz):
    kinds = set(gaz["kind"])
    assert {
        "port",
        "airport",
        "science park",
        "campus",
        "business park",
        "municipality",
        "hospital",
        "resoc",
        "province",
        "arrondissement",
    } <= kinds
    for place in (
        "Haven van Antwerpen",
        "Haven van Gent",
        "Zeehaven Oostende",
        "Haven van Zeebrugge",
        "Brussels Airport",
        "Luchthaven Kortrijk-Wevelgem",
        "Universiteit Gent",
        "KU Leuven",
        "Technologiepark Zwijnaarde",
        "RESOC Kempen",
        "RESOC Turnhout",
        "Provincie West-Vlaanderen",
    ):
        assert geo.geocode(place)[2] in geo.PRECISIONS


def test_known_locations_lie_in_their_municipality(gaz, municipalities):
    # every coordinate marked exact must fall inside the bounding box of its NIS municipality
    exact = gaz[(gaz["precision"] == "exact") & (gaz["nis"] != "")]
    assert len(exact) >= 15
    for row in exact.itertuples():
        x0, y0, x1, y1 = geo.bounds([municipalities[row.nis]])
        assert x0 <= row.lon <= x1 and y0 <= row.lat <= y1, row.name


def test_fallback_rows_carry_their_territory_centroid(gaz, municipalities):
    munis = gaz[(gaz["precision"] == "municipality") & (gaz["nis"] != "")]
    for row in munis.itertuples():
        assert (row.lon, row.lat) == pytest.approx(
            geo.centroid(municipalities[row.nis]["geometry"]), abs=1e-6
        ), row.name
    assert geo.geocode("RESOC Westhoek")[2] == "region"


def test_gazetteer_is_current_with_the_geometry(tmp_path, geo_dir):
    copy = tmp_path / "gazetteer.csv"
    copy.write_bytes(geo.GAZETTEER.read_bytes())
    geo.refresh_gazetteer(geo_dir, copy)
    assert copy.read_text(encoding="utf-8") == geo.GAZETTEER.read_text(encoding="utf-8")


def test_geocode_fallbacks(municipalities):
    lon, lat, precision, source = geo.geocode("Agropolis (Kinrooi)")
    assert precision == "municipality" and "Statbel" in source
    assert (lon, lat) == pytest.approx(geo.centroid(municipalities["72018"]["geometry"]))
    # an unknown facility with its town in brackets lands on the town, never better than that
    lon, lat, precision, _ = geo.geocode("Onbekend bedrijf (Genk)")
    assert precision == "municipality"
    assert (lon, lat) == pytest.approx(geo.centroid(municipalities["71016"]["geometry"]))
    lon, lat, precision, source = geo.geocode("Nergens bekend", context="prov-limburg")
    assert precision == "region" and "Provincie Limburg" in source
    with pytest.raises(RegistryError, match="not in the gazetteer"):
        geo.geocode("Nergens bekend")
    assert geo.geocode("zeehaven  OOOSTENDE")[2] == "exact"  # spelling as printed in the annex


# --------------------------------------------------------------------------- features
def test_geocode_features_kinds(geo_dir):
    feats = geo.geocode_features(
        [
            {"kind": "point", "place": "Universiteit Antwerpen", "province": "prov-antwerpen"},
            {"kind": "zone", "place": "Campina-project", "province": "prov-antwerpen"},
            {"kind": "zone", "place": "", "regions": "BE213", "province": "prov-antwerpen"},
            {
                "kind": "connection",
                "place": "Haven van Gent - Terneuzen",
                "province": "prov-oost-vlaanderen",
            },
            {
                "kind": "connection",
                "place": "Leuven",
                "actors": "resoc-halle-vilvoorde",
                "province": "prov-vlaams-brabant",
            },
        ],
        geo_dir=geo_dir,
    )
    point, zone, zone_codes, line, line_one = feats
    assert point["geometry"]["type"] == "Point" and point["properties"]["precision"] == "exact"
    assert zone["geometry"]["type"] == "MultiPolygon"
    assert len(zone["geometry"]["coordinates"]) >= 4  # Mol, Geel, Dessel, Retie
    assert zone["properties"]["regions"] == ["13025", "13008", "13006", "13036"]
    assert zone_codes["geometry"]["type"] == "MultiPolygon"
    assert line["geometry"]["type"] == "LineString"
    (x0, y0), (x1, y1) = line["geometry"]["coordinates"]
    assert y1 > y0 and abs(x1 - 3.83) < 0.01  # ends in Terneuzen, north of the port of Gent
    # one named end: the line starts at the actor's territory (arrondissement Halle-Vilvoorde)
    start = line_one["geometry"]["coordinates"][0]
    assert start == pytest.approx(list(geo.geocode("RESOC Halle-Vilvoorde")[:2]))
    assert line_one["properties"]["precision"] == "region"


def test_every_curated_feature_place_resolves(geo_dir):
    from speerpunt.registry.maps import check_places, curated_features

    df = curated_features()
    assert len(df) > 200
    assert check_places(df, geo_dir=geo_dir) == []
    # features with a place name resolve from the gazetteer alone, without any geometry
    named = df[df["place"].str.strip() != ""]
    assert check_places(named) == []


def test_unplaceable_feature_kept_with_reason():
    out = geo.geocode_features([{"kind": "point", "place": "Nergens"}], on_error="keep")
    assert out[0]["geometry"] is None and "not mapped" in out[0]["properties"]["geo_source"]


def test_registry_coordinates_win_over_gazetteer():
    out = geo.geocode_features(
        [
            {
                "kind": "point",
                "place": "Haven van Antwerpen",
                "lon": "4.3",
                "lat": "51.3",
                "precision": "municipality",
            },
            {"kind": "point", "place": "Haven van Antwerpen", "lon": "", "lat": None},
        ]
    )
    assert out[0]["geometry"]["coordinates"] == [4.3, 51.3]
    assert out[0]["properties"]["precision"] == "municipality"
    assert out[1]["geometry"]["coordinates"] == [4.33, 51.28]  # the gazetteer's known location


def test_registry_polygon_is_used_for_zones():
    ring = [[4.0, 51.0], [4.2, 51.0], [4.2, 51.1], [4.0, 51.1], [4.0, 51.0]]
    zone, point = geo.geocode_features(
        [
            {"kind": "zone", "place": "Zone Mechelen", "polygon": json.dumps([ring])},
            {"kind": "point", "place": "Zone Mechelen", "polygon": [ring]},
        ]
    )
    assert zone["geometry"] == {"type": "Polygon", "coordinates": [ring]}
    assert zone["properties"]["geo_source"] == "polygon given in the registry"
    assert point["geometry"]["coordinates"] == pytest.approx([4.1, 51.05])


@given(st.data())
@settings(max_examples=40, deadline=None)
def test_geocode_ignores_case_accents_and_punctuation(data):
    gaz = geo.load_gazetteer()
    i = data.draw(st.integers(0, len(gaz) - 1))
    name = gaz["name"].iloc[i]
    variant = data.draw(
        st.sampled_from(
            [
                name.upper(),
                name.lower(),
                f"  {name} ",
                name.replace("-", " "),
                name.replace("'", "’"),
            ]
        )
    )
    assert geo.geocode(variant)[:2] == geo.geocode(name)[:2]


def test_connection_to_a_network_reaches_every_member():
    (elat,) = geo.geocode_features(
        [
            {
                "kind": "connection",
                "place": "ELAt",
                "actors": "resoc-limburg",
                "province": "prov-limburg",
            }
        ]
    )
    g = elat["geometry"]
    assert g["type"] == "MultiLineString" and len(g["coordinates"]) == 3
    starts = {tuple(line[0]) for line in g["coordinates"]}
    assert starts == {tuple(geo.geocode("RESOC Limburg")[:2])}
    ends = [line[-1] for line in g["coordinates"]]
    # Eindhoven (north, in the Netherlands), Leuven (west), Aachen (east, in Germany)
    assert ends[0][1] > 51.4 and ends[1][0] < 4.8 and ends[2][0] > 6.0
