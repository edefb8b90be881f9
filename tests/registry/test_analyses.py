"""Analyses: hand-checked matrix, overlap, counts, overview rule, generation changes and coherence."""

from __future__ import annotations

import csv
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from speerpunt.panel import Panel
from speerpunt.registry import analyses as an
from speerpunt.registry.curated import DATA


def _study(registry):
    return an.study_selections(registry.selections())


def test_logistics_is_chosen_by_most_actors(registry):
    # independent count straight from the curated CSV and documents: the 20 sub-regional actors,
    # documents of the 2007-2013 generation and the 2013 update
    import yaml

    docs = {
        d["id"]: d["generation"]
        for d in yaml.safe_load((DATA / "documents.yaml").read_text())["documents"]
    }
    actors = {
        a["id"]: a["type"] for a in yaml.safe_load((DATA / "actors.yaml").read_text())["actors"]
    }
    chosen: dict[str, set[str]] = defaultdict(set)
    with (DATA / "selections.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if docs[row["document"]] in an.STUDY_GENERATIONS and actors[row["actor"]] in (
                "province",
                "RESOC",
            ):
                chosen[row["sector"]].add(row["actor"])
    counts = an.sector_counts(_study(registry))
    assert counts.iloc[0]["sector"] == "logistics"
    assert (
        counts.iloc[0]["actors"] == len(chosen["logistics"]) == max(len(v) for v in chosen.values())
    )
    assert dict(zip(counts["sector"], counts["actors"], strict=True)) == {
        k: len(v) for k, v in chosen.items()
    }
    # 001 part 3: logistics is named in every province
    assert counts.iloc[0]["provinces"] == 5


def test_overview_rule_against_the_studys_four(registry):
    ov = an.overview_sectors(_study(registry))
    chosen = set(ov.loc[ov["selected"], "sector"])
    # the default rule (≥ 10 of 20 actors, ≥ 4 of 5 provinces) finds the study's four ...
    assert set(an.STUDY_OVERVIEW) <= chosen
    # ... and one more: agriculture & food is chosen by more actors than cleantech or chemistry, so no
    # count threshold can reproduce the study's four without special-casing a sector
    assert chosen - set(an.STUDY_OVERVIEW) == {"agrifood"}
    counts = ov.set_index("sector")["actors"]
    assert counts["agrifood"] > counts["cleantech"] >= counts["chemistry_life_sciences"]
    assert set(ov.loc[ov["agreement"] == "rule only", "sector"]) == {"agrifood"}
    assert not (ov["agreement"] == "study only").any()
    strict = an.overview_sectors(_study(registry), min_actors=15, min_provinces=5)
    assert set(strict.loc[strict["selected"], "sector"]) == {"logistics"}


def test_matrix_hand_checked_rows(registry):
    sub = registry.actors().query("type in ['province', 'RESOC']")["id"]
    m = an.actor_sector_matrix(_study(registry), actors=list(sub)).set_index("actor")
    assert m.shape[0] == 20 and set(np.unique(m.to_numpy())) <= {0, 1}
    # RESOC Kempen, read from 001 Tabel 5 and lines 2484-2631 by hand
    kempen = {s for s in m.columns if m.at["resoc-kempen", s] == 1}
    assert kempen == {
        "logistics",
        "chemistry_life_sciences",
        "metal",
        "construction",
        "agrifood",
        "cleantech",
        "care",
    }
    # Provincie Vlaams-Brabant, 001 Tabel 8 and lines 2125-2141
    vb = {s for s in m.columns if m.at["prov-vlaams-brabant", s] == 1}
    assert vb == {
        "logistics",
        "cleantech",
        "chemistry_life_sciences",
        "agrifood",
        "care",
        "creative",
    }


def test_overlap_hand_checked(registry):
    ov = an.jaccard_overlap(_study(registry))
    row = ov[(ov["a"] == "resoc-halle-vilvoorde") & (ov["b"] == "resoc-leuven")].iloc[0]
    # Halle-Vilvoorde {logistics, cleantech, life sciences, creative}; Leuven adds agrifood (FFH)
    assert (row["shared"], row["union"]) == (4, 5) and row["jaccard"] == pytest.approx(0.8)
    prov = an.jaccard_overlap(_study(registry), by="province")
    assert len(prov) == 10  # 5 provinces, 10 pairs
    assert prov["jaccard"].between(0, 1).all()


def test_generation_changes_in_antwerp(registry):
    ch = an.generation_changes(registry.selections(), list(an.STUDY_GENERATIONS), ["synthese-2014"])
    # 000 Tabel 13 has no cleantech cell for RESOC Antwerpen, which 001 attributes to it
    assert {"actor": "resoc-antwerpen", "sector": "cleantech", "change": "dropped"} in ch[
        ["actor", "sector", "change"]
    ].to_dict("records")
    assert set(ch["actor"]) <= {
        "prov-antwerpen",
        "resoc-antwerpen",
        "resoc-kempen",
        "resoc-mechelen",
    }


def test_small_cases():
    s = pd.DataFrame(
        {
            "actor": ["a", "a", "b", "c"],
            "sector": ["x", "y", "y", "z"],
            "actor_province": ["p", "p", "p", "q"],
            "generation": ["g"] * 4,
        }
    )
    m = an.actor_sector_matrix(s, actors=["a", "b", "c", "d"])
    assert m.to_dict("records")[3] == {"actor": "d", "x": 0, "y": 0, "z": 0}
    j = an.jaccard_overlap(s).set_index(["a", "b"])["jaccard"]
    assert j[("a", "b")] == pytest.approx(1 / 2) and j[("a", "c")] == 0
    pc = an.province_counts(s).set_index(["province", "sector"])["actors"]
    assert pc[("p", "y")] == 2 and pc[("q", "z")] == 1
    jp = an.jaccard_overlap(s, by="province")
    assert jp.iloc[0]["jaccard"] == 0


@given(
    st.lists(
        st.tuples(st.sampled_from("abcde"), st.sampled_from("uvwxyz")), min_size=1, max_size=30
    )
)
def test_jaccard_properties(pairs):
    s = pd.DataFrame(pairs, columns=["actor", "sector"])
    j = an.jaccard_overlap(s)
    sets = s.groupby("actor")["sector"].agg(set)
    for r in j.itertuples():
        a, b = sets[r.a], sets[r.b]
        assert r.jaccard == pytest.approx(len(a & b) / len(a | b))
    m = an.actor_sector_matrix(s)
    assert m.drop(columns="actor").to_numpy().sum() == len(set(pairs))


def _panel() -> Panel:
    rows = []
    values = {  # region: {sector: (2008, 2018)}
        "BE": {"C": (30, 40), "G-I": (70, 80), "TOTAL": (200, 230)},
        "BE251": {"C": (20, 30), "G-I": (30, 30), "TOTAL": (100, 120)},
        "BE252": {"C": (10, 10), "G-I": (40, 50), "TOTAL": (100, 110)},
    }
    for region, secs in values.items():
        for sector, (v0, v1) in secs.items():
            rows += [
                (region, sector, 2008, "employment", float(v0)),
                (region, sector, 2018, "employment", float(v1)),
            ]
    return Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))


def test_coherence_hand_calculated():
    sectors = pd.DataFrame(
        {
            "id": ["metal", "logistics", "cleantech"],
            "nace": [["C24", "C25"], ["H49"], []],
            "aggregate": ["C", "G-I", None],
            "aggregate_note": ["manufacturing", "trade and transport", None],
        }
    )
    actors = pd.DataFrame({"id": ["x", "y"], "territory": [["BE251"], ["BE251", "BE252"]]})
    sel = pd.DataFrame(
        {
            "actor": ["x", "x", "x", "y"],
            "sector": ["metal", "logistics", "cleantech", "logistics"],
            "label": ["Metaal", "Logistiek", "Cleantech", "Logistiek"],
        }
    )
    out = an.coherence(sel, actors, sectors, _panel(), start=2008, end=2018).set_index(
        ["actor", "sector"]
    )
    assert "cleantech" not in out.index.get_level_values("sector")  # no NACE definition
    metal = out.loc[("x", "metal")]
    assert metal["lq_end"] == pytest.approx((30 / 120) / (40 / 230))
    assert metal["lq_start"] == pytest.approx((20 / 100) / (30 / 200))
    assert metal["growth"] == pytest.approx(0.5)
    assert metal["regional_shift"] == pytest.approx(20 * (0.5 - 10 / 30))
    assert metal["national_share"] + metal["industry_mix"] + metal[
        "regional_shift"
    ] == pytest.approx(10)
    assert bool(metal["supported"]) and metal["flag"] == ""
    assert "aggregate C" in metal["note"]
    logi = out.loc[("x", "logistics")]
    assert logi["lq_end"] == pytest.approx((30 / 120) / (80 / 230))
    assert logi["regional_shift"] == pytest.approx(30 * (0 - 10 / 70))
    assert logi["flag"] == "not supported"
    # a territory of two arrondissements is their sum: here the whole country, so LQ = 1
    y = out.loc[("y", "logistics")]
    assert y["region"] == "BE251+BE252" and y["lq_end"] == pytest.approx(1.0)


def test_coherence_on_the_embedded_panel(registry):
    from speerpunt.io import read_panel

    out = an.coherence(
        _study(registry),
        registry.actors(),
        registry.records("sectors"),
        read_panel("be-employment"),
        start=2008,
        end=2018,
    )
    assert set(out["flag"]) <= {"", "not supported", "no data"}
    assert (out["flag"] == "not supported").any() and (out["flag"] == "").any()
    assert out["note"].str.contains("measured by aggregate").all()
    # RESOC Westhoek is the sum of arrondissements Diksmuide, Ieper and Veurne
    assert "BE252+BE253+BE258" in set(out.loc[out["actor"] == "resoc-westhoek", "region"])
