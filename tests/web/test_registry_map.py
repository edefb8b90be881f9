"""The registry's Leaflet map against a real ``speerpunt serve``: the GeoJSON endpoint over HTTP, the map in
Debian's Chromium. Expected values come from the curated files (features.csv, gazetteer.csv) and from Statbel's
TopoJSON, read here with the csv and json modules, never from the code under test."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
from playwright.sync_api import expect

DATA = Path(__file__).resolve().parents[2] / "src" / "speerpunt" / "registry" / "data"


def _curated(province: str) -> list[dict]:
    with (DATA / "features.csv").open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["province"] == province]


def _gazetteer() -> dict[str, tuple[float, float]]:
    with (DATA / "gazetteer.csv").open(encoding="utf-8") as f:
        return {r["name"]: (float(r["lon"]), float(r["lat"])) for r in csv.DictReader(f)}


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine, R = 6371 km) between two (lon, lat) points."""
    (lo1, la1), (lo2, la2) = (map(math.radians, p) for p in (a, b))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def _municipality_vertices(geo: Path, nis: str) -> np.ndarray:
    """lon/lat of every vertex of one municipality, decoded from the quantised TopoJSON by hand."""
    topo = json.loads((geo / "belgium" / "belgium.json").read_text(encoding="utf-8"))
    scale, shift = np.array(topo["transform"]["scale"]), np.array(topo["transform"]["translate"])
    arcs = [np.cumsum(np.array(a, dtype=float), axis=0) * scale + shift for a in topo["arcs"]]
    (geom,) = [
        g for g in topo["objects"]["municipalities"]["geometries"] if g["properties"]["nis"] == nis
    ]
    rings = geom["arcs"] if geom["type"] == "Polygon" else [r for p in geom["arcs"] for r in p]
    return np.concatenate([arcs[i if i >= 0 else ~i] for ring in rings for i in ring])


def test_geojson_matches_the_curated_registry(anon, shared_dir):
    r = anon.get("/api/registry/map", params={"province": "Antwerpen", "lang": "en"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    gj = r.json()
    assert gj["type"] == "FeatureCollection"
    curated = {row["id"]: row for row in _curated("prov-antwerpen")}
    by_id = {f["properties"]["id"]: f for f in gj["features"]}
    assert set(by_id) == set(curated)  # every sector of the province, nothing else
    places = _gazetteer()
    checked = 0
    for fid, row in curated.items():
        p = by_id[fid]["properties"]
        # an empty cell of the CSV is null in the GeoJSON
        assert (p["name"], p["sector"], p["kind"], p["source"] or "", str(p["year"] or "")) == (
            row["name"],
            row["sector"],
            row["kind"],
            row["source"],
            row["year"],
        )
        assert p["actors"] == row["actors"].split(";")
        if row["kind"] == "point" and row["place"] in places:
            # the curated place's coordinates, unrounded
            assert by_id[fid]["geometry"]["coordinates"] == list(places[row["place"]])
            checked += 1
    assert checked >= 20
    # numbered as the study's annex: points 1…n, zones Z1…, connections V1…
    points = [f["properties"]["n"] for f in gj["features"] if f["properties"]["kind"] == "point"]
    assert points == [str(i) for i in range(1, len(points) + 1)]
    assert {f["properties"]["role"] for f in gj["boundaries"]["features"]} == {"base", "outline"}


def test_waterfront_lies_by_antwerp(anon, shared_dir):
    """The issue saw Waterfront drawn 20 km from Antwerp: that is the distance to Antwerp's centroid, which
    lies in the port. The science park (UBCA, Galileilaan) is in Niel, 4 km beyond the city's southern
    boundary and 13 km from its Grote Markt; the map puts it at Niel's centre (municipality precision)."""
    gj = anon.get(
        "/api/registry/map", params={"province": "prov-antwerpen", "sector": "care"}
    ).json()
    (water,) = [f for f in gj["features"] if f["properties"]["name"] == "Waterfront"]
    point = tuple(water["geometry"]["coordinates"])
    assert point == _gazetteer()["Waterfront"]
    assert water["properties"]["precision"] == "municipality"
    city = _municipality_vertices(shared_dir / "data" / "geo", "11002")  # Antwerpen
    to_boundary = min(_km(point, tuple(v)) for v in city)
    assert to_boundary < 5
    assert 10 < _km(point, (4.3997, 51.2213)) < 15  # the Grote Markt


def test_registry_map_in_the_browser(page, artifacts, anon, shared_dir):
    gj = anon.get("/api/registry/map", params={"province": "prov-antwerpen", "lang": "en"}).json()
    curated = _curated("prov-antwerpen")
    points = [r for r in curated if r["kind"] == "point"]
    page.goto("/registry/map?province=prov-antwerpen&lang=en")
    leaflet = page.get_by_test_id("registry-map")
    expect(leaflet).to_have_attribute("data-ready", "true")
    # boundaries: the province's municipalities (NIS codes 1xxxx in Statbel's TopoJSON) and its outline
    topo = json.loads((shared_dir / "data" / "geo" / "belgium" / "belgium.json").read_text())
    antwerp = [
        g
        for g in topo["objects"]["municipalities"]["geometries"]
        if g["properties"]["nis"][0] == "1"
    ]
    expect(leaflet.locator("path[data-boundary='base']")).to_have_count(len(antwerp))
    expect(leaflet.locator("path[data-boundary='outline']")).to_have_count(1)
    pins = leaflet.locator(".reg-pin")
    expect(pins).to_have_count(len(points))
    assert sorted(int(t) for t in pins.all_inner_texts()) == list(range(1, len(points) + 1))
    expect(leaflet.locator(".reg-label", has_text="Waterfront").first).to_be_visible()
    page.screenshot(path=artifacts / "registry-map.png", full_page=True)

    # a click on Waterfront's pin opens its popup with source and year
    n = next(
        f["properties"]["n"]
        for f in gj["features"]
        if f["properties"]["name"] == "Waterfront" and f["properties"]["sector"] == "care"
    )
    leaflet.locator(f".reg-pin[data-n='{n}']").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Waterfront")
    expect(popup.locator("[data-field='source']")).to_have_text("Source: provincie Antwerpen")
    expect(popup.locator("[data-field='year']")).to_have_text("Year: 2007")

    # the sector filter hides the other sectors' points, on the map and in the table
    page.get_by_test_id("map-filter-sector").select_option("care")
    care = [r for r in points if r["sector"] == "care"]
    assert care and len(care) < len(points)
    expect(leaflet.locator(".reg-pin[data-sector='care']").first).to_be_visible()
    for pin in leaflet.locator(".reg-pin").all():
        if pin.get_attribute("data-sector") != "care":
            expect(pin).to_be_hidden()
    expect(leaflet.locator(".reg-pin:visible")).to_have_count(len(care))
    expect(page.locator("tr[data-feature]:visible")).to_have_count(
        sum(r["sector"] == "care" for r in curated)
    )
    # and the actor filter narrows further: RESOC Kempen's care points only
    page.get_by_test_id("map-filter-actor").select_option("resoc-kempen")
    kempen = [r for r in care if "resoc-kempen" in r["actors"].split(";")]
    expect(leaflet.locator(".reg-pin:visible")).to_have_count(len(kempen))
    page.screenshot(path=artifacts / "registry-map-care.png", full_page=True)
