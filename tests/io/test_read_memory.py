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


@pytest.mark.parametrize("categorical", [False, True])
@pytest.mark.parametrize("years", ["one", "spread"])
def test_parts_excess_with_group_numbers_made_a_slice_at_a_time(categorical, years):
    """Parts A + B = 3 against TOTAL 3, except four region-years whose TOTAL is 1 (excess 2, above
    the rounding allowance 3 × 0.5): found whether the group numbers pack densely (one year) or not
    (30,000 regions over years 1000–2999: 60 M possible groups for 90,000 rows), rows shuffled over
    two slice borders."""
    from speerpunt.io.validate import parts_excess

    k = 30_000
    regions = [f"R{i:05d}" for i in range(k)]
    year = 2000 if years == "one" else np.repeat(1000 + np.arange(k) % 2000, 3)
    value = np.tile([1.0, 2.0, 3.0], k)
    bad = [0, 21_845, 21_846, k - 1]
    for g in bad:
        value[3 * g + 2] = 1.0
    df = pd.DataFrame(
        {
            "region": np.repeat(regions, 3),
            "sector": np.tile(["A", "B", "TOTAL"], k),
            "year": year,
            "variable": "employment",
            "value": value,
        }
    )
    df = df.iloc[np.random.default_rng(5).permutation(len(df))].reset_index(drop=True)
    kind = "category" if categorical else object
    df = df.astype({c: kind for c in ("region", "sector", "variable")})
    out = parts_excess(df, ["A", "B"])
    assert out["region"].astype(str).tolist() == [regions[g] for g in bad]
    expected_years = [2000] * 4 if years == "one" else [1000 + g % 2000 for g in bad]
    assert out["year"].tolist() == expected_years
    assert out["parts_sum"].tolist() == [3.0] * 4
    assert out["total"].tolist() == [1.0] * 4
    assert out["excess"].tolist() == [2.0] * 4
    assert out["allowed"].tolist() == [1.5] * 4


def _aggregates_rows() -> list[tuple[str, str, int, float]]:
    """Three regions × two years: TOTAL, B-E with its parts B, C, D, E, and F; R1's B in 2018 is a
    zero its parent says is suppressed (B-E 100 against B + C + D + E = 0 + 50 + 10 + 15)."""
    rows = []
    for region in ("R1", "R2", "R3"):
        for year in (2018, 2019):
            b = 0.0 if (region, year) == ("R1", 2018) else 25.0
            parts = {"B": b, "C": 50.0, "D": 10.0, "E": 15.0}
            rows += [(region, s, year, v) for s, v in parts.items()]
            rows += [(region, "B-E", year, 100.0), (region, "F", year, 40.5)]
            rows.append((region, "TOTAL", year, 150.5))
    return rows


@pytest.mark.parametrize("order", ["sorted", "shuffled", "reversed"])
@pytest.mark.parametrize("block_size", [None, 200])
def test_streamed_and_in_memory_reads_give_the_expected_table(tmp_path, order, block_size):
    """The table sorted by key (pandas' own sort, written here), the one suppressed-looking zero
    flagged, whatever the order of the file's rows and whether it is streamed in many blocks."""
    from speerpunt.io import read_panel

    rows = _aggregates_rows()
    if order == "shuffled":
        rows = [rows[i] for i in np.random.default_rng(7).permutation(len(rows))]
    elif order == "reversed":
        rows = rows[::-1]
    path = tmp_path / "p.csv"
    path.write_text(
        "region,sector,year,variable,value\n"
        + "".join(f"{r},{s},{y},employment,{v}\n" for r, s, y, v in rows)
    )
    panel = read_panel(path, allow_overlaps=True, block_size=block_size)
    expected = (
        pd.DataFrame(rows, columns=["region", "sector", "year", "value"])
        .assign(variable="employment")
        .sort_values(["region", "sector", "year", "variable"])
        .reset_index(drop=True)
    )
    got = panel.data
    for col in ("region", "sector", "year", "variable", "value"):
        assert got[col].tolist() == expected[col].tolist(), col
    flags = [
        "q" if (r, s, y) == ("R1", "B", 2018) else ""
        for r, s, y in got[["region", "sector", "year"]].astype(object).itertuples(index=False)
    ]
    assert got["flag"].astype(str).tolist() == flags
    assert got["year"].dtype == np.int64 and got["value"].dtype == np.float64
    if block_size is not None:  # streamed: categorical labels
        assert all(isinstance(got[c].dtype, pd.CategoricalDtype) for c in ("region", "sector"))
    assert panel.meta.reading["suppressed"] == 1
