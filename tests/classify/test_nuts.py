"""NUTS hierarchy against the GeoJSON files, the Eurostat CSVs, REFNIS and the Belgian 2016→2021 changes."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speerpunt.classify import (
    is_nuts,
    nis_nuts,
    nis_to_nuts,
    nuts_ancestors,
    nuts_changes,
    nuts_children,
    nuts_country,
    nuts_level,
    nuts_name,
    nuts_parent,
    nuts_recode,
    nuts_table,
    nuts_to_nis,
)
from speerpunt.errors import ClassificationError


def _geojson_units(geo: Path, vintage: str) -> list[dict]:
    units = []
    for level in range(4):
        path = geo / f"nuts{vintage}-20m" / f"NUTS_RG_20M_{vintage}_4326_LEVL_{level}.geojson"
        units += [f["properties"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]
    return units


@pytest.mark.parametrize("vintage", ["2016", "2021"])
def test_every_geojson_code_resolves_with_level_and_parent(shared_dir: Path, vintage: str) -> None:
    units = _geojson_units(shared_dir / "data" / "geo", vintage)
    assert len(units) > 2000
    ids = {u["NUTS_ID"] for u in units}
    table = nuts_table(vintage).set_index("code")
    for u in units:
        code, level = u["NUTS_ID"], int(u["LEVL_CODE"])
        assert is_nuts(code, vintage), code
        assert nuts_level(code) == level, code
        assert int(table.loc[code, "level"]) == level
        assert nuts_country(code) == u["CNTR_CODE"]
        parent = nuts_parent(code, vintage)
        if level == 0:
            assert parent is None
        else:
            # The parent is a unit of the same file set, one level up.
            assert parent in ids and nuts_level(parent) == level - 1, code
            assert code in nuts_children(parent, vintage)
    assert set(table[table["kind"] == "nuts"].index) == ids


def test_every_geo_code_of_the_eurostat_csvs_resolves(shared_dir: Path) -> None:
    codes: set[str] = set()
    for path in sorted((shared_dir / "data" / "eurostat").glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            codes |= {row["geo"] for row in csv.DictReader(f)}
    assert {"BEZZ", "NLZZZ", "EU27_2020", "EU28", "BE21", "DE600"} <= codes
    for code in codes:
        assert nuts_name(code)
        assert nuts_name(code, "nl")
        level = nuts_level(code)
        if code.startswith("EU"):
            assert level is None and nuts_country(code) is None
        else:
            assert level == len(code) - 2
            assert nuts_country(code) == code[:2]
    assert nuts_name("EU27_2020", "nl").startswith("Europese Unie")
    assert nuts_ancestors("NLZZZ") == ["NLZZ", "NLZ", "NL"]


def test_belgian_dutch_names() -> None:
    assert nuts_name("BE", "nl") == "België"
    assert nuts_name("BE21", "nl") == "Provincie Antwerpen"
    assert nuts_name("BE211", "nl") == "Arr. Antwerpen"
    assert nuts_name("BE32", "nl") == "Provincie Henegouwen"
    assert nuts_name("BE329", "nl") == "Arr. La Louvière"
    assert nuts_name("BE21", "en") == "Prov. Antwerpen"
    for vintage in ("2016", "2021"):
        be = nuts_table(vintage).query("country == 'BE'")
        assert len(be) > 40
        assert (be["name_nl"] != "").all(), vintage


def test_dutch_arrondissement_names_match_refnis(shared_dir: Path) -> None:
    """For every NIS↔NUTS pair of 2021, the Dutch NUTS name is REFNIS's Dutch name ('Arr.' shortened)."""
    t = nis_nuts().query("vintage == '2021' and level == 'arrondissement' and relation == 'equal'")
    assert len(t) == 42  # the 43 arrondissements of 2019 less Verviers, which NUTS splits in two
    for nis, nuts, name in t[["nis", "nuts", "name_nis_nl"]].itertuples(index=False):
        expected = name.replace("Arrondissement ", "Arr. ").replace(
            "Brussel Hoofdstad", "Brussel-Hoofdstad"
        )
        assert nuts_name(nuts, "nl") == expected, (nis, nuts)


def test_nis_mapping() -> None:
    assert nis_to_nuts("10000") == ["BE21"]
    assert nis_to_nuts("11000") == ["BE211"]
    assert nis_to_nuts("71000", "2016") == ["BE221"]
    assert nis_to_nuts("71000", "2021") == ["BE224"]
    assert nis_to_nuts("63000") == ["BE335", "BE336"]
    assert nuts_to_nis("BE329", "2021") == "58000"
    with pytest.raises(ClassificationError):
        nis_to_nuts("58000", "2016")  # La Louvière did not exist before 2019
    # Every Belgian province and arrondissement of both vintages has a NIS code.
    for vintage in ("2016", "2021"):
        be = nuts_table(vintage).query("country == 'BE' and kind == 'nuts' and level >= 2")
        for code in be["code"]:
            if code != "BE10":
                assert re.fullmatch(r"\d{5}", nuts_to_nis(code, vintage)), code


def test_readme_recodes(shared_dir: Path) -> None:
    """README-be: 'Limburg is BE221/BE222/BE223 (2021: BE224/BE225/BE223) and Hainaut BE321..BE327
    (2021: BE323,BE328,BE329,BE32A..BE32D)'."""
    note = (shared_dir / "data" / "eurostat" / "README-be.md").read_text(encoding="utf-8")
    m = re.search(r"Limburg is (\S+) \(2021: (\S+)\)", note)
    old, new = m.group(1).split("/"), m.group(2).split("/")
    assert [nuts_recode(c, "2016", "2021")[0] for c in old] == new
    assert "BE321..BE327" in note and "BE323,BE328,BE329,BE32A..BE32D" in note
    hainaut_2016 = [f"BE32{i}" for i in range(1, 8)]
    hainaut_2021 = ["BE323", "BE328", "BE329", "BE32A", "BE32B", "BE32C", "BE32D"]
    assert nuts_children("BE32", "2016") == hainaut_2016
    assert nuts_children("BE32", "2021") == hainaut_2021
    successors = {c for old_code in hainaut_2016 for c in nuts_recode(old_code, "2016", "2021")}
    assert successors == set(hainaut_2021)
    assert nuts_recode("BE221") == ["BE224"]
    assert nuts_recode("BE324") == nuts_recode("BE327") == ["BE328"]
    assert nuts_recode("BE325") == ["BE32C", "BE32A", "BE329"]
    assert nuts_recode("BE328", "2021", "2016") == ["BE324", "BE327"]
    assert nuts_recode("BE211") == ["BE211"]
    with pytest.raises(ClassificationError, match="BE224"):
        nuts_recode("BE224", "2016", "2021")


def test_changes_match_the_municipalities_that_moved(shared_dir: Path) -> None:
    """belgium.json keeps each municipality's pre-2019 arrondissement (arr_nis); REFNIS 2019 lists the new
    one. Every move old→new must appear in the change table as a NUTS link."""
    geo = shared_dir / "data" / "geo" / "belgium"
    topo = json.loads((geo / "belgium.json").read_text(encoding="utf-8"))
    old_arr = {
        g["properties"]["nis"]: g["properties"]["arr_nis"]
        for g in topo["objects"]["municipalities"]["geometries"]
    }
    new_arr, current = {}, None
    with (geo / "REFNIS_2019.csv").open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter=";"):
            code = row[3].strip() if len(row) > 3 else ""
            if re.fullmatch(r"\d{2}000", code):
                current = code
            elif re.fullmatch(r"\d{5}", code) and current:
                new_arr[code] = current
    # belgium.json puts Mesen (33016) in Tournai-Mouscron; it has always been in Arr. Ieper (NIS 33000).
    old_arr["33016"] = "33000"
    moved = {m for m in old_arr if m in new_arr and old_arr[m] != new_arr[m]}
    assert moved == {
        "55085",
        "55086",
        "51067",
        "51068",
        "51069",
        "58001",
        "58002",
        "58003",
        "58004",
    }
    moves = {(old_arr[m], new_arr[m]) for m in moved}
    links = set(map(tuple, nuts_changes()[["old_code", "new_code"]].to_numpy()))
    for old_nis, new_nis in moves:
        old_nuts, new_nuts = nis_to_nuts(old_nis, "2016"), nis_to_nuts(new_nis, "2021")
        assert any((o, n) in links for o in old_nuts for n in new_nuts), (old_nis, new_nis)


def test_unknown_codes_are_named() -> None:
    with pytest.raises(ClassificationError, match="'XX9'"):
        nuts_level("XX9")
    with pytest.raises(ClassificationError, match="vintage '2013'"):
        nuts_table("2013")


def test_table_columns() -> None:
    t = nuts_table("2016")
    assert list(t.columns) == [
        "code",
        "vintage",
        "level",
        "parent",
        "country",
        "kind",
        "name",
        "name_nl",
    ]
    assert isinstance(t, pd.DataFrame) and t["code"].is_unique


@settings(deadline=None)
@given(st.sampled_from(sorted(set(nuts_table("2016")["code"]) | set(nuts_table("2021")["code"]))))
def test_ancestor_chain_property(code: str) -> None:
    """Ancestors climb one level at a time to the country; aggregates have none."""
    chain = nuts_ancestors(code)
    level = nuts_level(code)
    if level is None:
        assert chain == [] and nuts_country(code) is None
        return
    assert [nuts_level(c) for c in chain] == list(range(level - 1, -1, -1))
    assert (chain[-1] if chain else code) == nuts_country(code)


def test_shipped_tables_are_what_the_build_script_makes(
    shared_dir: Path, repo_dir: Path, tmp_path: Path
) -> None:
    import importlib.util

    script = repo_dir / "scripts" / "build_nuts_table.py"
    spec = importlib.util.spec_from_file_location("build_nuts_table", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["build_nuts_table.py", str(shared_dir / "data" / "geo"), str(tmp_path)])
    package = repo_dir / "src" / "speerpunt" / "classify"
    for name in ("nuts.csv", "nis_nuts.csv"):
        assert (tmp_path / name).read_bytes() == (package / name).read_bytes(), name
