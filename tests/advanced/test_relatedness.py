"""RCA, proximity, density and entry/exit on hand-calculated examples; the missing-cell policy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from speerpunt.errors import MeasureError
from speerpunt.measures.complexity import complexity, diversification
from speerpunt.measures.relatedness import density, entry_exit, proximity, rca
from speerpunt.panel import Panel


def _panel(table: dict[str, list[float]], sectors: list[str], year: int = 2020) -> Panel:
    rows = [
        (r, s, year, "employment", v)
        for r, values in table.items()
        for s, v in zip(sectors, values, strict=True)
    ]
    return Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))


# Three regions each specialised in two of three sectors (RCA = 5/11 · 3 = 1.36 or 1/11 · 3 = 0.27):
# M = P{A,B}, Q{A,C}, R{B,C}; every ubiquity is 2, every pair co-occurs once, so φ_ij = 1/2 (i ≠ j).
RING = {"P": [5, 5, 1], "Q": [5, 1, 5], "R": [1, 5, 5]}


def test_rca_by_hand():
    r = rca(_panel(RING, list("ABC")), variable="employment", year=2020).set_index(
        ["region", "sector"]
    )
    assert r.loc[("P", "A"), "rca"] == pytest.approx(15 / 11)
    assert r.loc[("P", "C"), "rca"] == pytest.approx(3 / 11)
    assert r["m"].to_dict() == {
        ("P", "A"): 1,
        ("P", "B"): 1,
        ("P", "C"): 0,
        ("Q", "A"): 1,
        ("Q", "B"): 0,
        ("Q", "C"): 1,
        ("R", "A"): 0,
        ("R", "B"): 1,
        ("R", "C"): 1,
    }


def test_threshold_is_configurable_and_inclusive():
    # RCA of P in A is exactly 1.5 here: (3/4) / (1/2).
    p = _panel({"P": [3, 1], "Q": [1, 3]}, ["A", "B"])
    at = rca(p, variable="employment", year=2020, threshold=1.5).set_index(["region", "sector"])
    assert at.loc[("P", "A"), "rca"] == pytest.approx(1.5)
    assert at.loc[("P", "A"), "m"] == 1
    above = rca(p, variable="employment", year=2020, threshold=1.6).set_index(["region", "sector"])
    assert above["m"].sum() == 0


def test_proximity_by_hand():
    phi = proximity(_panel(RING, list("ABC")), variable="employment", year=2020)
    table = phi.pivot(index="sector_i", columns="sector_j", values="proximity")
    expected = np.full((3, 3), 0.5)
    np.fill_diagonal(expected, 1.0)
    np.testing.assert_allclose(table.to_numpy(), expected)
    assert (phi["co_occurrence"] == np.where(phi["sector_i"] == phi["sector_j"], 2, 1)).all()


def test_proximity_uses_the_larger_ubiquity():
    # M: P{A,B}, Q{A}, S{A} → u_A = 3, u_B = 1, co-occurrence 1 → φ_AB = 1 / max(3, 1) = 1/3.
    p = _panel(
        {"P": [10, 10, 0.1], "Q": [10, 0.1, 0.1], "S": [10, 0.1, 0.1], "T": [0.1, 0.1, 50]},
        list("ABC"),
    )
    phi = proximity(p, variable="employment", year=2020).set_index(["sector_i", "sector_j"])
    assert phi.loc[("A", "B"), "ubiquity_i"] == 3 and phi.loc[("A", "B"), "ubiquity_j"] == 1
    assert phi.loc[("A", "B"), "proximity"] == pytest.approx(1 / 3)
    assert phi.loc[("B", "A"), "proximity"] == pytest.approx(1 / 3)


def test_density_by_hand_both_conventions():
    p = _panel(RING, list("ABC"))
    stata = density(p, variable="employment", year=2020, region="P").set_index("sector")["density"]
    # Stata: own sector left out. A: (M_B·½ + M_C·½) / (½ + ½) = ½; C: (½ + ½) / 1 = 1.
    assert stata.to_dict() == pytest.approx({"A": 0.5, "B": 0.5, "C": 1.0})
    py = density(p, variable="employment", year=2020, region="P", convention="py-ecomplexity")
    # Python: φ_ii = 1 counts. A: (1 + ½ + 0) / 2 = ¾; C: (0 + ½ + ½) / 2 = ½.
    assert py.set_index("sector")["density"].to_dict() == pytest.approx(
        {"A": 0.75, "B": 0.75, "C": 0.5}
    )


def test_missing_cell_leaves_the_region_out_never_zero():
    values = {"P": [4, 2, 2], "Q": [2, 4, 2], "R": [2, 2, 4], "S": [1, np.nan, 9]}
    r = rca(_panel(values, list("ABC")), variable="employment", year=2020)
    s_rows = r[r["region"] == "S"]
    assert s_rows["rca"].isna().all() and s_rows["m"].isna().all()
    assert (s_rows["note"] == "left out: 1 of 3 sectors missing (B)").all()
    assert s_rows["value"].tolist()[0] == 1.0  # the value as read stays visible
    # P, Q, R alone: totals 8 each, sector totals 8 each → RCA_PA = (4/8) / (8/24) = 1.5.
    rest = r[r["region"] != "S"].set_index(["region", "sector"])
    assert rest.loc[("P", "A"), "rca"] == pytest.approx(1.5)
    assert rest.loc[("P", "B"), "rca"] == pytest.approx(0.75)
    assert (rest["note"] == "").all()


def test_mostly_missing_sector_is_left_out():
    values = {"P": [4, 2, 2, np.nan], "Q": [2, 4, 2, np.nan], "R": [2, 2, 4, 1.0]}
    res = complexity(_panel(values, list("ABCD")), variable="employment", year=2020)
    d = res.sectors.set_index("sector")
    assert (
        np.isnan(d.loc["D", "pci"])
        and d.loc["D", "note"] == "left out: missing in 2 of 3 regions (P, Q)"
    )
    assert d.loc[["A", "B", "C"], "pci"].notna().all()
    assert (res.regions["note"] == "").all()


def test_totals_and_sub_aggregates_are_excluded_by_default():
    a10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]
    extra = [
        "C",
        "G-J",
        "K-N",
        "O-U",
        "TOTAL",
    ]  # sub-totals and totals in Eurostat's regional tables
    rng = np.random.default_rng(0)
    table = {r: list(rng.uniform(1, 100, len(a10) + len(extra))) for r in ("BE21", "BE22", "BE23")}
    r = rca(_panel(table, a10 + extra), variable="employment", year=2020)
    assert sorted(r["sector"].unique()) == sorted(a10)


def test_regions_of_one_nuts_level_by_default():
    table = {code: [5.0, 3.0, 2.0] for code in ("BE", "BE2", "BE3")}
    table.update({"BE21": [3, 1, 1], "BE22": [1, 3, 1], "BE23": [1, 1, 3], "BE31": [2, 2, 1]})
    p = _panel(table, list("ABC"))
    assert complexity(p, variable="employment", year=2020).regions["region"].tolist() == [
        "BE21",
        "BE22",
        "BE23",
        "BE31",
    ]
    one = complexity(p, variable="employment", year=2020, level=1).regions["region"].tolist()
    assert one == ["BE2", "BE3"]
    # A region asked about brings its own level.
    d = diversification(p, variable="employment", year=2020, region="BE2")
    assert d["region"].unique().tolist() == ["BE2"]


def test_entry_exit_by_hand():
    # 2010: each region specialised in "its" sector (RCA 1.8). 2020: P moves from A to B, R gains A.
    y2010 = {"P": [30, 10, 10], "Q": [10, 30, 10], "R": [10, 10, 30]}
    y2020 = {"P": [10, 30, 10], "Q": [10, 30, 10], "R": [30, 10, 30]}
    long = pd.concat([_panel(y2010, list("ABC"), 2010).data, _panel(y2020, list("ABC"), 2020).data])
    ee = entry_exit(Panel(long), variable="employment", start=2010, end=2020)
    change = ee.set_index(["region", "sector"])["change"].to_dict()
    # 2020 totals A 50, B 70, C 50 of 170: RCA_PB = (30/50)/(70/170) = 1.457 → entry; RCA_PA = 0.68 → exit.
    assert change[("P", "A")] == "exit" and change[("P", "B")] == "entry"
    assert change[("Q", "B")] == "kept" and change[("Q", "A")] == "absent"
    assert change[("R", "A")] == "entry" and change[("R", "C")] == "kept"
    assert ee.set_index(["region", "sector"]).loc[("P", "B"), "rca_end"] == pytest.approx(
        0.6 / (70 / 170)
    )


def test_entry_exit_with_a_gap_in_one_year_is_explained():
    y2010 = {"P": [30, 10, 10], "Q": [10, 30, 10], "R": [20, 20, 20]}
    y2020 = {"P": [30, 10, 10], "Q": [10, 30, 10], "R": [np.nan, 20, 20]}
    long = pd.concat([_panel(y, list("ABC"), t).data for y, t in ((y2010, 2010), (y2020, 2020))])
    ee = entry_exit(Panel(long), variable="employment", start=2010, end=2020, region="R")
    ee = ee.set_index("sector")
    # A is missing for R in 2020: no verdict, and the note says why.
    assert ee.loc["A", "change"] == "" and ee.loc["A", "note"] == "2020: left out: missing for R"
    # 2020 without A: RCA_RB = (20/40)/(60/100) = 0.83, RCA_RC = (20/40)/(40/100) = 1.25;
    # 2010: RCA_RB = (20/60)/(60/150) = 0.83, RCA_RC = (20/60)/(40/150) = 1.25.
    assert ee.loc["B", "change"] == "absent" and ee.loc["C", "change"] == "kept"
    assert ee.loc["C", "rca_end"] == pytest.approx(1.25)
    # Without a region, R is left out of 2020 instead (it lacks 1 of 3 sectors, A lacks 1 of 3 regions).
    every = entry_exit(Panel(long), variable="employment", start=2010, end=2020)
    r = every[every["region"] == "R"]
    assert (r["change"] == "").all()
    assert (r["note"] == "2020: left out: 1 of 3 sectors missing (A)").all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 0}, "threshold"),
        ({"convention": "econgeo"}, "unknown convention 'econgeo'"),
        ({"level": "x"}, "level must be"),
    ],
)
def test_bad_arguments_raise_one_clear_error(kwargs, message):
    with pytest.raises(MeasureError, match=message):
        diversification(_panel(RING, list("ABC")), variable="employment", year=2020, **kwargs)


def test_left_out_region_cannot_be_analysed():
    values = {"P": [4, 2, 2], "Q": [2, 4, 2], "R": [2, 2, 4], "S": [0, 0, 0]}
    with pytest.raises(MeasureError, match="region S cannot be analysed: left out: zero total"):
        diversification(_panel(values, list("ABC")), variable="employment", year=2020, region="S")
