"""The memory-saving paths of the whole-table checks give the same table as the plain ones.

Suppressed-looking zeros are looked for a batch of regions at a time (only the groups holding a zero);
the expected flags below are worked out by hand from the rule of
:func:`speerpunt.io.aggregates_check.flag_suppressed`: a zero part of a group is flagged ``q`` when
``parent − Σ parts > (k + 1) · h`` (``k`` parts, ``h`` half a unit of the last published digit).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from speerpunt.io.aggregates_check import AggregateReport, flag_suppressed

FOUND = [("B", "B-E"), ("C", "B-E"), ("D", "B-E"), ("E", "B-E")]
NAN = float("nan")
# region, year, B-E, B, C, D, E, flag of B (the other cells have no flag)
GROUPS = [
    ("R1", 2018, 100, 0, 50, 10, 15, ""),  # 100 − 75 = 25 > 5 · 0.5: B flagged
    ("R1", 2019, 100, 0, 60, 25, 15, ""),  # the parts add up: no flag
    ("R2", 2018, 200, 20, 150, 20, 10, ""),  # no zero
    ("R2", 2019, 100, 0, NAN, 25, 15, ""),  # C missing: the gap is unknown, no flag
    ("R3", 2018, 100, 0, 50, 0, 10, ""),  # 100 − 60 = 40: B and D flagged
    ("R4", 2019, 100, 0, 50, 10, 15, "p"),  # flagged, keeping its p: "pq"
    ("R5", 2018, 100, 0, 50, 10, 15, "q"),  # already flagged: unchanged, not counted
    ("R6", 2019, 100.2, 0, 50.1, 50, 0.1, ""),  # 100.2 − 100.2 = 0: no flag
]
FLAGGED = {("R1", "B", 2018): "q", ("R3", "B", 2018): "q", ("R3", "D", 2018): "q"}
FLAGGED[("R4", "B", 2019)] = "pq"


def _frame(categorical: bool) -> pd.DataFrame:
    rows = []
    for region, year, whole, b, c, d, e, flag in GROUPS:
        for sector, value in (("B-E", whole), ("B", b), ("C", c), ("D", d), ("E", e)):
            gap = ":" if np.isnan(value) else ""
            rows.append((region, sector, year, "employment", value, flag if sector == "B" else gap))
    df = pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value", "flag"])
    # Unsorted rows, as a batch must find its groups wherever they are.
    df = df.iloc[np.random.default_rng(3).permutation(len(df))].reset_index(drop=True)
    if categorical:
        flags = sorted({*df["flag"], "q", "pq"})
        df = df.astype({c: "category" for c in ("region", "sector", "variable")})
        df["flag"] = pd.Categorical(df["flag"], categories=flags)
    else:
        df = df.astype({c: object for c in ("region", "sector", "variable", "flag")})
    return df


@pytest.mark.parametrize("categorical", [False, True])
@pytest.mark.parametrize("batch_rows", [1, 10, 12, None])
def test_suppressed_zeros_flagged_the_same_in_batches(categorical, batch_rows):
    df = _frame(categorical)
    before = df.copy()
    report = AggregateReport()
    flag_suppressed(df, FOUND, report, batch_rows=batch_rows)
    expected = [
        FLAGGED.get((r, s, y), f)
        for r, s, y, f in before[["region", "sector", "year", "flag"]].values
    ]
    assert df["flag"].astype(str).tolist() == expected
    # Nothing but the flags changed, dtypes included.
    pd.testing.assert_frame_equal(df.drop(columns="flag"), before.drop(columns="flag"))
    assert df["flag"].dtype == before["flag"].dtype
    assert report.suppressed == 4
    # The first three in (region, year, variable) order, whatever the batches.
    assert report.suppressed_examples == [
        "R1 B 2018 (inside B-E)",
        "R3 B 2018 (inside B-E)",
        "R3 D 2018 (inside B-E)",
    ]


def test_no_zero_part_leaves_the_table_alone():
    df = _frame(categorical=True)
    df = df[df["value"] != 0].reset_index(drop=True)
    before = df.copy()
    report = AggregateReport()
    flag_suppressed(df, FOUND, report, batch_rows=1)
    pd.testing.assert_frame_equal(df, before)
    assert report.suppressed == 0 and report.suppressed_examples == []
