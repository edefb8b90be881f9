"""Facts that were wrong in the curated data, each checked against the seed text it comes from.

Every test reads the cited line(s) of ``../shared/seeds`` and compares the curated record with them,
so a later edit of the data file that loses the fact fails here.
"""

from __future__ import annotations

import csv
import math

import pytest
import yaml

from speerpunt.geo import GAZETTEER, geocode_features
from speerpunt.registry import analyses as an
from speerpunt.registry import doubt
from speerpunt.registry.curated import DATA, ambiguities


def _feature(data, **where) -> list[dict]:
    return [f for f in data["features"] if all(f[k] == v for k, v in where.items())]


def test_vlaams_brabant_connection_is_named_limburg(seed, data):
    # 001 line 5192: " Limburg Provincie Vlaams-Brabant (2013) Cleantech platform / Energyille";
    # lines 5190-5191 are the remark of the connection Leuven (RESOC Halle-Vilvoorde, line 5185)
    text = seed("001", 5192)
    name, rest = text.split(" Provincie Vlaams-Brabant (2013) ")
    (conn,) = _feature(data, province="prov-vlaams-brabant", line=5192)
    assert (conn["name"], conn["kind"], conn["remark"]) == (name, "connection", rest)
    assert name == "Limburg"
    remark = f"{seed('001', 5190)} {seed('001', 5191)}"
    (leuven,) = _feature(data, province="prov-vlaams-brabant", line=5185)
    assert seed("001", 5185) == leuven["name"] == "Leuven"
    assert leuven["remark"] == remark
    assert not any("Aansluiting" in f["name"] for f in data["features"])


def test_agropolis_is_a_zone_of_cleantech_limburg(seed, data):
    # 001 lines 5675-5688: the zones of figure 45 (cleantech Limburg) are Proeftuin Quadratic and
    # Agropolis (Kinrooi), each with its own remark
    assert seed("001", 5681) == "Agropolis (Kinrooi)"
    zones = {
        f["name"]: f
        for f in _feature(data, province="prov-limburg", sector="cleantech", kind="zone")
    }
    assert zones["Agropolis (Kinrooi)"]["line"] == 5681
    assert zones["Agropolis (Kinrooi)"]["remark"].startswith(
        " ".join(seed("001", n) for n in (5685, 5686, 5687, 5688))
    )
    quadratic = zones["Proeftuin Quadratic"]
    assert quadratic["remark"] == f"{seed('001', 5677)} {seed('001', 5678)}"
    assert "Agropolis" not in quadratic["remark"]


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dx = (a[0] - b[0]) * 111.32 * math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot(dx, (a[1] - b[1]) * 111.32)


def test_waterfront_is_placed_in_niel_not_on_a_region_centroid(seed, data, shared_dir):
    # 000 line 1499 and 1647: "Wetenschapspark Waterfront Antwerpen, een samenwerking tussen de
    # Universiteit Antwerpen en de POM"; 001 line 2579: RESOC Antwerpen (arrondissement Antwerpen)
    assert "Wetenschapspark Waterfront" in seed("000", 1499)
    assert "Universiteit Antwerpen en de Provinciale" in seed("000", 1647)
    assert "RESOC Antwerpen met Wetenschapspark Waterfront" in seed("001", 2579)
    with GAZETTEER.open(encoding="utf-8") as fh:
        gaz = {r["name"]: r for r in csv.DictReader(fh)}
    wf = gaz["Waterfront"]
    assert wf["precision"] != "region" and wf["nis"]
    # the NIS code is a municipality of arrondissement Antwerpen (11xxx) called Niel (Statbel REFNIS)
    refnis = (shared_dir / "data/geo/belgium/REFNIS_2019.csv").read_text(encoding="utf-8-sig")
    names = {row.split(";")[0]: row.split(";")[4] for row in refnis.splitlines()[1:]}
    assert wf["nis"].startswith("11") and names[wf["nis"]] == "Niel"
    # ~20 km from where it was (the province's centroid), within ~15 km of Antwerp's town hall
    point = (float(wf["lon"]), float(wf["lat"]))
    assert _distance_km(point, (4.721035, 51.231901)) > 20
    assert _distance_km(point, (4.3997, 51.2213)) < 15
    # both Waterfront points of the annex (001 lines 3694 and 3898) get that place
    feats = [f for f in data["features"] if f["name"] == "Waterfront"]
    assert {f["line"] for f in feats} == {3694, 3898}
    for f in geocode_features(feats):
        assert f["properties"]["precision"] == "municipality"
        assert tuple(f["geometry"]["coordinates"]) == pytest.approx(point)


def test_kantorenbeleid_cell_is_most_likely_mechelens(seed, data):
    # 000 Tabel 13 lines 3059-3062: the province's "Zakelijke dienstverlening" and a second cell
    # "Zakelijke dienstverlening (kantorenbeleid)"; 001 Tabel 5 lines 1673-1677: RESOC Antwerpen
    # "Shared Service Centers", RESOC Mechelen "Kantoren: Hoofdkantoren en back offices"
    assert seed("000", 3060) == "Zakelijke dienstverlening"
    assert seed("000", 3062) == "(kantorenbeleid)"
    assert (seed("001", 1676), seed("001", 1677)) == ("Kantoren:", "Hoofdkantoren en back offices")
    assert seed("001", 1674) == "Shared Service Centers"
    cell = [s for s in data["selections"] if (s["doc"], s["line"]) == ("000", 3060)]
    assert [(s["actor"], s["label"]) for s in cell] == [
        ("resoc-mechelen", "Zakelijke dienstverlening (kantorenbeleid)")
    ]
    assert cell[0]["ambiguous"] and "1676" in cell[0]["note"]
    (entry,) = [a for a in ambiguities() if (a["doc"], a["line"]) == ("000", 3060)]
    assert entry["loaded_as"] == "resoc-mechelen"
    assert set(entry["candidates"]) == {"resoc-mechelen", "resoc-antwerpen"}


def test_tabel_13_keeps_one_care_cell_for_antwerpen_or_mechelen(seed, registry):
    # 000 line 3066: "Welzijn, zorg en life sciences Zorg" — RESOC Kempen's cell and ONE "Zorg";
    # 001 line 1683 had "Zorg Zorg" for both RESOC Antwerpen and RESOC Mechelen
    assert seed("000", 3066).endswith("life sciences Zorg")
    assert seed("001", 1683).endswith("x Zorg Zorg")
    ch = doubt.changes(registry.selections(), list(an.STUDY_GENERATIONS), ["synthese-2014"])
    care = ch.frame[ch.frame["sector"] == "care"].set_index("actor")
    # both "dropped care" rows remain possible, but neither is reported as certain
    assert set(care.index) == {"resoc-antwerpen", "resoc-mechelen"}
    assert care["ambiguous"].all()
    assert care["ambiguity"].str.contains("000 line 3066").all()


def test_tabel_13_tourism_record_and_note_agree(seed, data):
    # 000 line 3064: a single "Toerisme" cell, column lost; 001 line 1680 "Toerisme Toerisme en
    # recreatie" puts "Toerisme" first (the province's column) — the only evidence for the province
    assert seed("000", 3064) == "Toerisme"
    assert seed("001", 1680) == "Toerisme Toerisme en recreatie"
    (cell,) = [s for s in data["selections"] if (s["doc"], s["line"]) == ("000", 3064)]
    assert cell["actor"] == "prov-antwerpen" and cell["ambiguous"]
    assert "province" in cell["note"] and "RESOC Antwerpen" not in cell["note"]
    (entry,) = [a for a in ambiguities() if (a["doc"], a["line"]) == ("000", 3064)]
    assert entry["loaded_as"] == cell["actor"]


def test_westhoek_note_is_whole(seed, data):
    # the note has commas: unquoted in a YAML flow mapping it was cut into a key "Ieper and Veurne"
    assert seed("001", 823) == "RESOC Westhoek"
    raw = yaml.safe_load((DATA / "actors.yaml").read_text(encoding="utf-8"))["actors"]
    allowed = {"id", "type", "name", "province", "territory", "aliases", "doc", "line", "note"}
    allowed.add("country")
    assert all(set(a) <= allowed for a in raw), [set(a) - allowed for a in raw]
    (westhoek,) = [a for a in data["actors"] if a["id"] == "resoc-westhoek"]
    assert westhoek["note"] == "arrondissements Diksmuide, Ieper and Veurne"


def test_every_curated_yaml_record_has_only_known_keys():
    # a comma in an unquoted flow-mapping value creates a key with a null value: none may exist
    for name in ("actors.yaml", "clusters.yaml", "criteria.yaml", "ambiguities.yaml"):
        doc = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
        for records in doc.values():
            for r in records:
                nulls = [
                    k for k, v in r.items() if v is None and k not in ("sector", "note", "province")
                ]
                assert not nulls, (name, r.get("id") or r.get("line"), nulls)


def test_automotive_in_the_joint_limburg_column_is_recorded_for_both(seed, data):
    # 001 line 2038: Tabel 7 has one column "Provincie / RESOC Limburg (2008 - 2013)"; line 2056
    assert seed("001", 2038).startswith("Provincie / RESOC Limburg")
    assert seed("001", 2056) == "Automotive"
    cell = [s for s in data["selections"] if (s["doc"], s["line"]) == ("001", 2056)]
    assert {s["actor"] for s in cell} == {"prov-limburg", "resoc-limburg"}
    assert all(s["ambiguous"] and s["sector"] == "automotive" for s in cell)


def test_refreshing_an_older_release_removes_its_wrong_records(registry):
    # an older release loaded Tabel 13's 'kantorenbeleid' cell for RESOC Antwerpen (000 line 3060);
    # refreshing with the current data removes it, but keeps a record a person has edited since
    old = registry.get("selections", "000-3060-resoc-mechelen-business_services")
    wrong = {**old, "id": "000-3060-resoc-antwerpen-business_services", "actor": "resoc-antwerpen"}
    edited = {**old, "id": "000-3060-resoc-x-business_services", "actor": "resoc-antwerpen"}
    for rec in (wrong, edited):
        path_rec = {k: v for k, v in rec.items() if k != "version"}
        registry.add_record("selections", path_rec, user="curated-data")
    registry.update_record(
        "selections",
        edited["id"],
        {"note": "checked by hand"},
        user="ann",
        expected_version=1,
    )
    registry.load_curated()
    ids = set(registry.records("selections")["id"])
    assert wrong["id"] not in ids and edited["id"] in ids
    gone = registry.history("selections", wrong["id"])
    assert list(gone["action"]) == ["insert", "delete"] and gone.iloc[-1]["after"] is None
