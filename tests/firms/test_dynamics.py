"""Transitions, demography and concentration on hand-countable registers, both engines."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from speerpunt.errors import MeasureError
from speerpunt.firms.concentration import concentration, productivity
from speerpunt.firms.demography import demography, survival
from speerpunt.firms.transitions import transition_matrix, transition_summary
from tests.firms.conftest import register

MOVES = register(
    [
        (1, 2015, "11002", "25110", 5),
        (1, 2019, "11002", "25110", 6),  # stayed 0-9
        (2, 2015, "11002", "25110", 5),
        (2, 2019, "11002", "25110", 12),  # grew 0-9 → 10-49
        (3, 2015, "11002", "25110", 20),
        (3, 2019, "11002", "25110", 8),  # shrank
        (4, 2015, "12025", "20140", 20),
        (4, 2019, "12025", "20140", 25),  # stayed 10-49
        (5, 2015, "12025", "20140", 60),
        (5, 2019, "12025", "20140", 300),  # grew 50-249 → 250+
        (6, 2015, "12025", "20140", 3),  # exited
        (7, 2015, "12025", "20140", 300),
        (7, 2019, "12025", "20140", 280),  # stayed 250+
        (8, 2019, "11002", "25110", 4),  # entered
        (9, 2017, "11002", "25110", 4),  # in neither year
    ]
)


def test_transitions_by_hand(load):
    recs = load(MOVES)
    s = transition_summary(recs, 2015, 2019).set_index("initial_class")
    assert s.loc["all", ["firms", "stayed", "grew", "shrank", "exited", "entered"]].tolist() == [
        7,
        3,
        2,
        1,
        1,
        1,
    ]
    assert s.loc["0-9", ["stayed", "grew", "exited"]].tolist() == [1, 1, 1]
    assert s.loc["0-9", "grew_share"] == pytest.approx(1 / 3)
    assert s.loc["10-49", ["stayed", "shrank"]].tolist() == [1, 1]
    assert s.loc["50-249", "grew_share"] == 1.0
    sme = transition_summary(recs, 2015, 2019, sme_only=True).set_index("initial_class")
    assert sme.loc["all", ["firms", "stayed", "grew", "shrank", "exited"]].tolist() == [
        6,
        2,
        2,
        1,
        1,
    ]
    assert "250+" not in sme.index
    by = transition_summary(recs, 2015, 2019, by="sector").set_index(["sector", "initial_class"])
    assert by.loc[("25", "all"), ["firms", "stayed", "grew", "shrank", "entered"]].tolist() == [
        3,
        1,
        1,
        1,
        1,
    ]
    assert by.loc[("20", "all"), ["firms", "stayed", "grew", "exited", "entered"]].tolist() == [
        4,
        2,
        1,
        1,
        0,
    ]
    m = transition_matrix(recs, 2015, 2019)
    row = m[m["from_class"] == "0-9"].set_index("to_class")
    assert row["firms"].to_dict() == {"0-9": 1, "10-49": 1, "(exit)": 1}
    assert row["share"].tolist() == pytest.approx([1 / 3] * 3)
    assert m[m["from_class"] == "(entry)"]["firms"].tolist() == [1]
    with pytest.raises(MeasureError, match="year 2021 is outside the records"):
        transition_summary(recs, 2015, 2021)


def _serv_register() -> pd.DataFrame:
    """200 SMEs in 2005: 148 stay in their class, 15 grow, 30 shrink, 7 stop by 2011 (SERV: 74/7.5/18.5 %)."""
    rows = []
    fid = 0
    for n, (e0, e1) in ((148, (5, 7)), (15, (30, 60)), (30, (30, 5)), (7, (5, None))):
        for _ in range(n):
            fid += 1
            rows.append((fid, 2005, "11002", "25110", e0))
            if e1 is not None:
                rows.append((fid, 2011, "11002", "25110", e1))
    return register(rows)


def test_reproduces_the_serv_statement(load):
    s = transition_summary(load(_serv_register()), 2005, 2011, sme_only=True).set_index(
        "initial_class"
    )
    row = s.loc["all"]
    assert row["stayed_share"] == pytest.approx(0.74)
    assert row["grew_share"] == pytest.approx(0.075)
    assert row["shrank_share"] + row["exited_share"] == pytest.approx(0.185)


LIVES = register(
    [(1, y, "11002", "25110", 2) for y in range(2016, 2021)]
    + [(2, 2016, "11002", "25110", 1), (2, 2017, "11002", "25110", 1)]
    + [(3, y, "11002", "25110", 1) for y in range(2017, 2021)]
    + [(4, 2018, "11002", "25110", 1)]
    + [(5, 2019, "11002", "25110", 1), (5, 2020, "11002", "25110", 1)]
)


def test_demography_and_survival_by_hand(load):
    recs = load(LIVES)
    d = demography(recs, nace_level=None).set_index("year")
    assert d["active"].tolist() == [2, 3, 3, 3, 3]
    assert math.isnan(d.loc[2016, "births"]) and math.isnan(d.loc[2020, "deaths"])
    assert d.loc[2017:2020, "births"].tolist() == [1, 1, 1, 0]
    assert d.loc[2016:2019, "deaths"].tolist() == [0, 1, 1, 0]
    assert d.loc[2017, "birth_rate"] == pytest.approx(1 / 3)
    s = survival(recs, nace_level=None).set_index("cohort")
    assert s.loc[2017, ["births", "survived_1", "survived_3"]].tolist() == [1, 1, 1]
    assert math.isnan(s.loc[2017, "survival_5"])
    assert s.loc[2018, "survival_1"] == 0.0 and math.isnan(s.loc[2018, "survival_3"])
    assert s.loc[2019, "survival_1"] == 1.0
    # With birth_year / death_year columns the register's edges are countable.
    rows = LIVES.copy()
    rows["birth_year"] = rows["firm_id"].map({1: 2016, 2: 2001, 3: 2017, 4: 2018, 5: 2019})
    rows["death_year"] = rows["firm_id"].map({2: 2017, 4: 2018, 5: 2020})
    d2 = demography(load(rows, name="lives2"), nace_level=None).set_index("year")
    assert d2["births"].tolist() == [1, 1, 1, 1, 0]
    assert d2["deaths"].tolist() == [0, 1, 1, 0, 1]


def test_concentration_and_productivity_by_hand(load):
    emp = [40, 20, 10, 10, 5, 5, 4, 3, 2, 1]
    rows = register(
        [(i + 1, 2020, "11002", "25110", e) for i, e in enumerate(emp)]
        + [
            (11, 2020, "11002", "46900", 5),
            (12, 2020, "11002", "46900", 5),
            (13, 2020, "11002", "46900", 0),
        ]
    )
    rows["value_added"] = [4e6] + [1e5] * 9 + [None, 2e5, 1e5]
    recs = load(rows)
    c = concentration(recs, nace_level="division").set_index("sector")
    assert c.loc["25", "top_firms"] == 2 and c.loc["25", "top_share"] == pytest.approx(0.6)
    assert c.loc["25", "herfindahl"] == pytest.approx(2280 / 10000)
    assert c.loc["46", "top_share"] == pytest.approx(0.5)
    assert c.loc["46", "herfindahl"] == pytest.approx(0.5)
    p = productivity(recs, nace_level="division").set_index("sector")
    assert p.loc["25", "va_per_employee"] == pytest.approx((4e6 + 9 * 1e5) / 100)
    assert p.loc["46", "firms_without_va"] == 1
    assert p.loc["46", "va_per_employee"] == pytest.approx(3e5 / 5)


def test_sector_profile_keeps_to_the_sector(load):
    from speerpunt.firms.profile import sector_profile

    # MOVES: firms 4–7 are in division 20 (chemistry) at the start; 1–3 and 8 in division 25.
    tables = sector_profile(load(MOVES), {"chemie": ["20"]}, start=2015, end=2019)
    t = tables["transitions"].set_index("initial_class")
    assert t.loc["all", ["firms", "stayed", "grew", "exited", "entered"]].tolist() == [
        4,
        2,
        1,
        1,
        0,
    ]
    sizes = tables["size_classes"]
    assert sizes["firms"].sum() == 3  # firms 4, 5, 7 in 2019
    assert tables["sme_share"]["sme_firms"].tolist() == [1]
