"""Maps: rendered files are non-blank, carry the Table 10 legend, and GeoJSON/choropleths are right.

Colours are read back from the files themselves (SVG fill of each region's ``<g id>``; PNG pixels
at region centroids), never from the drawing code's variables.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from speerpunt import geo
from speerpunt.errors import ConfigError
from speerpunt.registry import maps
from speerpunt.report.choropleth import choropleth, save_figure

FILL = re.compile(r'<g id="([\w-]+)">\s*<path d="[^"]*"[^>]*?style="fill: ([^;"]+)', re.S)


@pytest.fixture(scope="module")
def geo_dir(shared_dir):
    return shared_dir / "data" / "geo" / "belgium"


def svg_fills(path) -> dict[str, str]:
    return dict(FILL.findall(path.read_text(encoding="utf-8")))


def png_stats(path) -> tuple[float, int]:
    img = mpimg.imread(path)[..., :3]
    colours = np.unique((img * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    return float(img.var()), len(colours)


def luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def rgb_luminance(rgb) -> float:
    r, g, b = rgb
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --------------------------------------------------------------------------- project maps
@pytest.fixture(scope="module")
def antwerp_files(tmp_path_factory, geo_dir):
    out = tmp_path_factory.mktemp("maps")
    files = {ext: out / f"antwerpen_logistiek.{ext}" for ext in ("png", "svg", "geojson")}
    for path in files.values():
        maps.render_map(path, province="Antwerpen", sector="logistics", geo_dir=geo_dir)
    return files


def test_png_is_not_blank(antwerp_files):
    variance, colours = png_stats(antwerp_files["png"])
    assert variance > 0.005
    assert colours > 50


def test_svg_has_title_legend_and_entries(antwerp_files):
    text = antwerp_files["svg"].read_text(encoding="utf-8")
    assert "Logistiek — provincie Antwerpen" in text
    with open(maps.DATA / "legend.yaml", encoding="utf-8") as fh:
        legend = yaml.safe_load(fh)["legend"]
    for entry in legend:  # the four symbols of Table 10, in Dutch (long texts are shortened)
        assert entry["nl"][:40] in text
    for name in (
        "Haven van Antwerpen",
        "Havencentrum Lillo",
        "Waaslandhaven",
        "Punten",
        "Zones",
        "Verbindingen",
        "≈ gem.",
    ):
        assert name in text
    # symbols per kind of place: the port and the airport of Antwerpen are points on this map
    legend_texts = re.findall(r"<text[^>]*>([^<]*)</text>", text)
    assert "haven" in legend_texts and "luchthaven" in legend_texts
    assert "ziekenhuis" not in legend_texts  # only kinds present on the map
    # the points, zones and connections are drawn, each under its own id
    ids = set(re.findall(r'<g id="((?:point|zone|connection)-[\w]+)"', text))
    assert {"point-1", "point-5", "zone-Z1", "connection-V1"} <= ids


def test_geojson_valid(antwerp_files):
    data = json.loads(antwerp_files["geojson"].read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert data["properties"]["sector"] == "logistics"
    feats = data["features"]
    curated = maps.curated_features()
    expected = curated[
        (curated["province"] == "prov-antwerpen") & (curated["sector"] == "logistics")
    ]
    assert len(feats) == len(expected)
    kinds = {
        "point": {"Point"},
        "zone": {"Point", "MultiPolygon"},
        "connection": {"LineString", "MultiLineString"},
    }
    for f in feats:
        p = f["properties"]
        assert f["type"] == "Feature"
        assert f["geometry"]["type"] in kinds[p["kind"]]
        assert p["precision"] in geo.PRECISIONS
        assert {"source", "year", "geo_source"} <= set(p)
        pts = np.asarray(list(_coords(f["geometry"])), float)
        assert pts[:, 0].min() > -5 and pts[:, 0].max() < 15  # lon
        assert pts[:, 1].min() > 45 and pts[:, 1].max() < 56  # lat
    port = next(f for f in feats if f["properties"]["name"] == "Havencentrum Lillo")
    assert port["properties"]["precision"] == "exact"
    assert port["properties"]["year"] == "2007"


def _coords(g):
    t, c = g["type"], g["coordinates"]
    if t == "Point":
        yield c
    elif t == "LineString":
        yield from c
    elif t == "MultiLineString":
        for line in c:
            yield from line
    else:
        for poly in c:
            for ring in poly:
                yield from ring


def test_overview_covers_all_five_provinces(tmp_path, geo_dir):
    feats = maps.overview_features(maps.curated_features(), "logistics", geo_dir)
    provinces = {f["properties"]["province"] for f in feats}
    assert provinces == {
        "prov-antwerpen",
        "prov-limburg",
        "prov-oost-vlaanderen",
        "prov-vlaams-brabant",
        "prov-west-vlaanderen",
    }
    out = maps.render_map(tmp_path / "overview.svg", sector="logistics", geo_dir=geo_dir, lang="en")
    text = out.read_text(encoding="utf-8")
    assert "Logistics — Flanders" in text and "Table 10" in text
    # five province outlines
    assert len(re.findall(r'<g id="outline-\d+"', text)) == 5


def test_unknown_province_or_sector(geo_dir, tmp_path):
    with pytest.raises(ConfigError, match="Flemish provinces"):
        maps.render_map(tmp_path / "x.svg", province="Namen", sector="logistics", geo_dir=geo_dir)
    with pytest.raises(ConfigError, match="unknown sector"):
        maps.render_map(tmp_path / "x.svg", province="Limburg", sector="quantum", geo_dir=geo_dir)
    with pytest.raises(ConfigError, match="use .svg"):
        maps.render_map(tmp_path / "x.pdf", province="Limburg", sector="care", geo_dir=geo_dir)


def test_province_forms_resolve(geo_dir):
    for form in ("Limburg", "Provincie Limburg", "prov-limburg", "70000", "BE22"):
        assert maps.resolve_province(form, geo_dir)[:2] == ("70000", "prov-limburg")


# --------------------------------------------------------------------------- choropleth
KNOWN = pd.DataFrame(
    {"region": ["BE211", "BE212", "BE213", "BE242"], "value": [0.5, 1.0, 2.0, 1.5]}
)


def test_choropleth_colours_follow_the_values(tmp_path, geo_dir):
    fig = choropleth(KNOWN, "arrondissement", geo_dir, title="test", legend_label="LQ", lang="en")
    path = save_figure(fig, tmp_path / "c.svg")
    fills = svg_fills(path)
    values = {"11000": 0.5, "12000": 1.0, "13000": 2.0, "24000": 1.5}
    colours = [fills[k] for k in values]
    assert len(set(colours)) == 4
    # cividis gets lighter with the value: luminance must rank like the values
    order = sorted(values, key=values.get)
    lum = [luminance(fills[k]) for k in order]
    assert lum == sorted(lum)
    # every other arrondissement is hatched "no data"
    assert fills["44000"].startswith("url(#") and fills["62000"].startswith("url(#")
    assert "no data" in path.read_text(encoding="utf-8")


def test_choropleth_diverging_around_one(tmp_path, geo_dir):
    fig = choropleth(KNOWN, "arrondissement", geo_dir, legend_label="LQ", center=1.0)
    fills = svg_fills(save_figure(fig, tmp_path / "d.svg"))
    # the value 1 sits at the palette's neutral middle: nearly grey (small channel spread)
    r, g, b = (int(fills["12000"][i : i + 2], 16) for i in (1, 3, 5))
    assert max(r, g, b) - min(r, g, b) < 20 and min(r, g, b) > 200
    # below and above 1 go to opposite hues: red-vs-blue ordering flips
    lo, hi = fills["11000"], fills["13000"]
    assert (int(lo[1:3], 16) - int(lo[5:7], 16)) * (int(hi[1:3], 16) - int(hi[5:7], 16)) < 0


def test_choropleth_png_pixels_at_centroids(tmp_path, geo_dir):
    fig = choropleth(KNOWN, "arrondissement", geo_dir, legend_label="LQ")
    path = save_figure(fig, tmp_path / "c.png")
    img = mpimg.imread(path)[..., :3]
    height = img.shape[0]
    ax = fig.axes[0]
    scale = 150 / fig.dpi  # save_figure writes PNG at 150 dpi
    arrs = {f["id"]: f for f in geo.load_belgium(geo_dir, "arrondissement")}

    def pixel(nis):
        x, y = ax.transData.transform(geo.centroid(arrs[nis]["geometry"]))
        return img[int(height - y * scale), int(x * scale)]

    low, high, none = pixel("11000"), pixel("13000"), pixel("62000")
    assert np.abs(low - high).sum() > 0.3  # clearly different colours
    assert rgb_luminance(high) > rgb_luminance(low)
    assert np.abs(none - low).sum() > 0.3


def test_choropleth_nuts_geometry(tmp_path, geo_dir):
    fig = choropleth(KNOWN, "nuts3", geo_dir, legend_label="LQ", vintage=2016)
    fills = svg_fills(save_figure(fig, tmp_path / "n.svg"))
    be = {k for k in fills if k.startswith("BE")}
    assert len(be) == 44
    assert len({fills[k] for k in KNOWN["region"]}) == 4
    assert fills["BE336"].startswith("url(#")


def test_choropleth_rejects_duplicates(geo_dir):
    dup = pd.DataFrame({"region": ["BE211", "BE211"], "value": [1.0, 2.0]})
    with pytest.raises(Exception, match="more than one value"):
        choropleth(dup, "arrondissement", geo_dir)


# --------------------------------------------------------------------------- CLI
def test_cli_choropleth_of_lq(tmp_path, geo_dir):
    from speerpunt.cli.main import _register_all, app

    _register_all()
    out = tmp_path / "lq.svg"
    res = CliRunner().invoke(
        app,
        [
            "map",
            "choropleth",
            "--data",
            "be-employment",
            "--sector",
            "C",
            "--year",
            "2018",
            "--level",
            "arrondissement",
            "--out",
            str(out),
            "--geo-dir",
            str(geo_dir),
        ],
    )
    assert res.exit_code == 0, res.output
    fills = svg_fills(out)
    # Brussels (LQ of manufacturing far below 1) and Tielt (far above) get opposite hues;
    # Wallonia is only in the data at province level: its arrondissements are hatched
    bru, tielt = fills["21000"], fills["37000"]
    assert (int(bru[1:3], 16) - int(bru[5:7], 16)) * (int(tielt[1:3], 16) - int(tielt[5:7], 16)) < 0
    assert fills["62000"].startswith("url(#")
    assert "LQ C 2018" in out.read_text(encoding="utf-8")


def test_cli_projects_needs_geometry(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != geo.GEO_ENV}
    exe = Path(sys.executable).with_name("speerpunt")
    res = subprocess.run(
        [
            str(exe),
            "map",
            "projects",
            "--province",
            "Limburg",
            "--sector",
            "care",
            "--out",
            str(tmp_path / "x.svg"),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert res.returncode == 2
    assert res.stderr.strip().startswith("error:") and "--geo-dir" in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "x.svg").exists()


def test_registry_map_reads_the_database(tmp_path, geo_dir):
    from speerpunt.cli.main import _register_all, app

    _register_all()
    db = f"sqlite:///{tmp_path / 'reg.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["registry", "init", "--db", db]).exit_code == 0
    out = tmp_path / "care.geojson"
    res = runner.invoke(
        app,
        [
            "registry",
            "map",
            "--sector",
            "care",
            "--province",
            "Antwerpen",
            "--out",
            str(out),
            "--geo-dir",
            str(geo_dir),
            "--db",
            db,
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"Licalab", "In-Ham"} <= names  # annex legend of care in the province of Antwerpen
    assert all(f["geometry"] is not None for f in data["features"])


@pytest.mark.parametrize("sector", ["cleantech", "chemistry_life_sciences", "care"])
def test_overview_maps_of_the_study_sectors(tmp_path, geo_dir, sector):
    # the study drew Flanders-wide maps for logistics (tested above) and these three
    out = maps.render_map(tmp_path / f"{sector}.png", sector=sector, geo_dir=geo_dir)
    variance, colours = png_stats(out)
    assert variance > 0.005 and colours > 50


def test_points_outside_the_frame_are_flagged(tmp_path, geo_dir):
    # Dourges (France) is a point of the West-Flemish logistics legend: listed, marked off-map
    out = maps.render_map(
        tmp_path / "wvl.svg", province="West-Vlaanderen", sector="logistics", geo_dir=geo_dir
    )
    text = out.read_text(encoding="utf-8")
    line = next(t for t in re.findall(r"<text[^>]*>([^<]*Dourges[^<]*)</text>", text))
    assert "buiten kaartbeeld" in line
    assert "buiten kaartbeeld" not in next(
        t for t in re.findall(r"<text[^>]*>([^<]*Kortrijk-Wevelgem[^<]*)</text>", text)
    )


def test_choropleth_municipalities_within_a_province(tmp_path, geo_dir):
    values = pd.DataFrame({"region": ["71022", "71016", "72020"], "value": [10.0, 20.0, 30.0]})
    fig = choropleth(values, "municipality", geo_dir, within=["70000"], legend_label="jobs")
    fills = svg_fills(save_figure(fig, tmp_path / "m.svg"))
    munis = {k for k in fills if k.isdigit() and len(k) == 5 and not k.endswith("000")}
    assert munis and all(k[0] == "7" for k in munis)  # only Limburg's municipalities drawn
    assert len(munis) == 42  # Limburg had 42 municipalities in 2019 (REFNIS)
    assert len({fills[k] for k in values["region"]}) == 3
    assert "outline-70000" in fills


def test_zone_polygons_are_closed_rings(antwerp_files):
    data = json.loads(antwerp_files["geojson"].read_text(encoding="utf-8"))
    polys = [f["geometry"] for f in data["features"] if f["geometry"]["type"] == "MultiPolygon"]
    assert polys
    for g in polys:
        for poly in g["coordinates"]:
            for ring in poly:
                assert ring[0] == ring[-1] and len(ring) >= 4


def test_diverging_lq_scale_is_symmetric_in_ratio(tmp_path, geo_dir):
    values = pd.DataFrame({"region": ["BE211", "BE213"], "value": [0.5, 2.0]})
    fig = choropleth(values, "arrondissement", geo_dir, center=1.0)
    fills = svg_fills(save_figure(fig, tmp_path / "r.svg"))
    # LQ 0.5 and 2 are equally far from 1 as ratios: both ends of the palette
    assert fills["11000"] == "#2d004b" and fills["13000"] == "#7f3b08"  # PuOr_r extremes
    bar = fig.axes[1]
    assert min(bar.get_ylim()) == pytest.approx(0.5) and max(bar.get_ylim()) == pytest.approx(2.0)
