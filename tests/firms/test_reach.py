"""Instrument reach and the difference-in-differences on hand-countable registers, both engines."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from speerpunt.errors import DataError, MeasureError
from speerpunt.firms.effectiveness import effectiveness
from speerpunt.firms.reach import load_support, reach
from tests.firms.conftest import register

FIRMS = register(
    [
        (1, 2020, "11002", "25110", 4),
        (1, 2021, "11002", "25110", 5),
        (2, 2020, "11002", "25110", 12),
        (3, 2020, "11002", "20140", 300),
        (4, 2020, "11002", "20140", 8),
    ]
)
SUPPORT = pd.DataFrame(
    [
        (1, "A", 2020, 1000),
        (1, "A", 2021, 500),
        (2, "A", 2020, 2000),
        (3, "A", 2020, 5000),
        (99, "A", 2020, 700),  # firm not in the register
        (4, "A", 2019, 100),  # firm in the register, but no record in 2019
        (4, "B", 2020, 300),
    ],
    columns=["firm_id", "instrument", "year", "amount"],
)


def test_reach_by_hand(load):
    recs = load(FIRMS)
    r = reach(recs, SUPPORT).set_index("instrument")
    a = r.loc["A"]
    assert a[["support_records", "firms_reached", "sme_reached", "employees"]].tolist() == [
        4,
        3,
        2,
        316,
    ]
    assert a[["sectors", "regions", "amount"]].tolist() == [2, 1, 8500.0]
    # target: SMEs with a record in 2019, 2020 or 2021 = firms 1, 2 and 4
    assert a["target_firms"] == 3 and a["reach_share"] == pytest.approx(2 / 3)
    assert a[
        ["unknown_firms", "unknown_records", "unknown_amount", "inactive_records"]
    ].tolist() == [1, 1, 700.0, 1]
    b = r.loc["B"]
    assert b[["firms_reached", "employees", "amount", "target_firms"]].tolist() == [1, 8, 300.0, 3]
    assert b["reach_share"] == pytest.approx(1 / 3)
    s = reach(recs, SUPPORT, by_sector=True).set_index(["instrument", "sector"])
    assert s.loc[
        ("A", "25"), ["firms_reached", "employees", "amount", "target_firms"]
    ].tolist() == [2, 16, 3500.0, 2]
    assert s.loc[("A", "20"), ["sme_reached", "target_firms", "reach_share"]].tolist() == [
        0,
        1,
        0.0,
    ]


def test_support_file_errors(tmp_path):
    path = tmp_path / "support.csv"
    path.write_text("firm_id,instrument,year,amount\n1,A,2020,100\n2,A,2020,-5\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_support(path)
    assert (
        str(err.value)
        == "support.csv, line 3, column 'amount': '-5' is not a non-negative amount (firm 2)"
    )


DID = register(
    [
        # cell X: Antwerpen, division 25, 0-9 — supported firm 1 (+4) vs unsupported 2 (+1) and 3 (0)
        (1, 2019, "11002", "25110", 5),
        (1, 2022, "11002", "25110", 9),
        (2, 2019, "11002", "25110", 5),
        (2, 2022, "11002", "25110", 6),
        (3, 2019, "11002", "25110", 4),
        (3, 2022, "11002", "25110", 4),
        # cell Y: division 20, 10-49 — supported 4 (+10) and 5 (exits: −15) vs 6 (+2) and 7 (−2)
        (4, 2019, "11002", "20140", 20),
        (4, 2022, "11002", "20140", 30),
        (5, 2019, "11002", "20140", 15),
        (6, 2019, "11002", "20140", 20),
        (6, 2022, "11002", "20140", 22),
        (7, 2019, "11002", "20140", 30),
        (7, 2022, "11002", "20140", 28),
        # supported firm 8 has no comparison firm in its cell (division 46)
        (8, 2019, "11002", "46900", 5),
        (8, 2022, "11002", "46900", 5),
        # firm 9 got another instrument: never a comparison firm
        (9, 2019, "11002", "25110", 5),
        (9, 2022, "11002", "25110", 50),
    ]
)
DID_SUPPORT = pd.DataFrame(
    [
        (1, "X", 2020, 1),
        (4, "X", 2020, 1),
        (5, "X", 2020, 1),
        (8, "X", 2020, 1),
        (9, "Z", 2020, 1),
        (10, "X", 2025, 1),
    ],
    columns=["firm_id", "instrument", "year", "amount"],
)


def test_difference_in_differences_by_hand(load):
    e = effectiveness(load(DID), DID_SUPPORT, "X", horizon=2).set_index("cohort")
    row = e.loc[2020]
    assert row[["treated", "matched", "unmatched", "controls"]].tolist() == [4, 3, 1, 4]
    assert row[["exits_treated", "exits_controls"]].tolist() == [1, 0]
    # DiD = (1 · (4 − 0.5) + 2 · (−2.5 − 0)) / 3
    assert row["did"] == pytest.approx(-0.5)
    assert row["mean_change_treated"] == pytest.approx(-1 / 3)
    assert row["mean_change_controls"] == pytest.approx(1 / 6)
    # se² = (1/3)² · (0 + 0.5/2) + (2/3)² · (312.5/2 + 8/2) = 71.25
    assert row["se"] == pytest.approx(math.sqrt(71.25))
    assert "needs records for 2024 and 2027" in e.loc[2025, "note"]
    assert len(e.attrs["caveats"]) >= 4
    with pytest.raises(MeasureError, match="instrument 'Q' is not in the support records"):
        effectiveness(load(DID, name="did2"), DID_SUPPORT, "Q")
