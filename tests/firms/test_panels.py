"""Firm records → Panel with the confidentiality rule, on crafted cells (hand-counted), both engines."""

from __future__ import annotations

import math

import pandas as pd

from speerpunt.firms.expressions import Confidentiality
from speerpunt.firms.panels import firm_panel
from speerpunt.firms.sizeclass import size_class_table, sme_share
from tests.firms.conftest import register

CELLS = register(
    [
        # A: Antwerpen (arr. 11000), division 20 — three equal firms: published
        (1, 2020, "11002", "20140", 10),
        (2, 2020, "11004", "20160", 10),
        (3, 2020, "11002", "20110", 10),
        # B: 11000, division 46 — one firm has 90 of 100 employees (> 85 %): confidential
        (4, 2020, "11002", "46900", 90),
        (5, 2020, "11002", "46900", 5),
        (6, 2020, "11002", "46900", 5),
        # C: Mechelen (12000), division 20 — two firms only: confidential
        (7, 2020, "12025", "20140", 4),
        (8, 2020, "12025", "20140", 6),
        # D: Turnhout (13000), division 46 — largest exactly 85 %: published (the rule is "more than")
        (9, 2020, "13040", "46900", 85),
        (10, 2020, "13040", "46900", 10),
        (11, 2020, "13040", "46900", 5),
        # E: 11000, division 25 — three firms without employees: published, no dominance
        (12, 2020, "11002", "25110", 0),
        (13, 2020, "11002", "25110", 0),
        (14, 2020, "11002", "25110", 0),
    ]
)


def _cells(panel) -> dict[tuple[str, str, str], tuple[float, str]]:
    d = panel.data
    return {(r.region, r.sector, r.variable): (r.value, r.flag) for r in d.itertuples(index=False)}


def test_confidentiality_rule_on_crafted_cells(load):
    recs = load(CELLS)
    cells = _cells(firm_panel(recs, territory="arrondissement", nace_level="division"))
    assert cells[("11000", "20", "employees")] == (30.0, "")
    assert cells[("11000", "20", "firms")] == (3.0, "")
    for key in (("11000", "46"), ("12000", "20")):
        for var in ("employees", "firms"):
            value, flag = cells[(*key, var)]
            assert math.isnan(value) and flag == "c", (key, var)
    assert cells[("13000", "46", "employees")] == (100.0, "")
    assert cells[("11000", "25", "employees")] == (0.0, "")

    # Looser rule: two firms and 95 % dominance publish B and C.
    loose = _cells(
        firm_panel(
            recs,
            territory="arrondissement",
            nace_level="division",
            confidentiality=Confidentiality(min_firms=2, dominance=0.95),
        )
    )
    assert loose[("11000", "46", "employees")] == (100.0, "")
    assert loose[("12000", "20", "employees")] == (10.0, "")

    # Province, NACE class, and a municipality union: sums by hand.
    prov = _cells(
        firm_panel(recs, territory="province", nace_level="division", confidentiality=None)
    )
    assert prov[("10000", "20", "employees")] == (40.0, "")
    assert prov[("10000", "20", "firms")] == (5.0, "")
    cls = _cells(firm_panel(recs, territory="country", nace_level="class", confidentiality=None))
    assert cls[("BE", "20.14", "employees")] == (20.0, "")
    assert cls[("BE", "20.16", "firms")] == (1.0, "")
    union = _cells(
        firm_panel(
            recs,
            territory={"Stad": ["11002", "12025"], "Kempen": ["13000"]},
            nace_level="section",
            confidentiality=None,
        )
    )
    # Stad: firms 1 and 3 in Antwerpen (20) and 7 and 8 in Mechelen (10); firm 2 is in Boechout.
    assert union[("Stad", "C", "employees")] == (20.0 + 10.0, "")
    assert union[("Stad", "G", "firms")] == (3.0, "")
    assert union[("Kempen", "G", "employees")] == (100.0, "")
    assert ("Kempen", "C", "employees") not in union  # Boechout 11004 is outside both areas


def test_policy_sectors_and_missing_amounts(load):
    rows = CELLS.copy()
    rows["value_added"] = [1.0] * len(rows)
    rows.loc[0, "value_added"] = (
        None  # firm 1 has no value added: its cell is ':' not a partial sum
    )
    recs = load(rows)
    p = firm_panel(recs, territory="province", nace_level="division", confidentiality=None)
    cells = _cells(p)
    value, flag = cells[("10000", "20", "value_added")]
    assert math.isnan(value) and flag == ":"
    assert cells[("10000", "46", "value_added")] == (6.0, "")
    chem = _cells(
        firm_panel(
            recs,
            territory="country",
            sectors={"chemie": ["20"], "handel": ["46"]},
            confidentiality=None,
        )
    )
    assert chem[("BE", "chemie", "employees")] == (40.0, "")
    assert chem[("BE", "handel", "employees")] == (200.0, "")


SIZES = register(
    [(i + 1, 2020, "11002", "25110", e) for i, e in enumerate([0, 9, 10, 49, 50, 249, 250, 1000])]
)


def test_size_classes_and_sme_share(load):
    recs = load(SIZES)
    t = size_class_table(recs, territory=None, nace_level=None, confidentiality=None)
    assert t["size_class"].tolist() == ["0-9", "10-49", "50-249", "250+"]
    assert t["firms"].tolist() == [2, 2, 2, 2]
    assert t["employees"].tolist() == [9, 59, 299, 1250]
    assert t["employee_share"].iloc[3] == 1250 / 1617
    s = sme_share(recs, territory=None, nace_level=None).iloc[0]
    assert (s["firms"], s["sme_firms"], s["sme_firm_share"]) == (8, 6, 0.75)
    assert s["sme_employee_share"] == (9 + 59 + 299) / 1617
    custom = size_class_table(
        recs, territory=None, nace_level=None, bounds=(5, 100), confidentiality=None
    )
    assert custom["size_class"].tolist() == ["0-4", "5-99", "100+"]
    assert custom["firms"].tolist() == [1, 4, 3]
    # With the default rule every class cell of 2 firms is confidential: employees hidden, counts kept.
    pub = size_class_table(recs, territory=None, nace_level=None)
    assert pub["flag"].tolist() == ["c"] * 4
    assert pub["employees"].isna().all() and pub["firms"].tolist() == [2, 2, 2, 2]
    assert isinstance(pub, pd.DataFrame)


def test_codes_of_every_depth_reach_their_section_and_division(load):
    # Codes at four depths and the unknown activity, each mapped once (a code table joined to the
    # records): a section code stays itself, deeper codes give their section, XXXXX stays XXXXX.
    recs = load(
        register(
            [
                (1, 2020, "11002", "C", 3),
                (2, 2020, "11002", "20.14", 4),
                (3, 2020, "11002", "2014", 5),
                (4, 2020, "11002", "46900", 6),
                (5, 2020, "11002", "XXXXX", 7),
                (5, 2021, "11002", "XXXXX", 8),
                (6, 2021, "11002", "20", 1),
            ]
        )
    )
    by_section = firm_panel(recs, territory="country", nace_level="section", confidentiality=None)
    got = {
        (r.year, r.sector): r.value
        for r in by_section.data[by_section.data["variable"] == "employees"].itertuples()
    }
    assert got == {
        (2020, "C"): 3.0 + 4.0 + 5.0,
        (2020, "G"): 6.0,
        (2020, "XXXXX"): 7.0,
        (2021, "C"): 1.0,
        (2021, "XXXXX"): 8.0,
    }
