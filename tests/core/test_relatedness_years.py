"""RCA and density for every region over many years: written into the result columns year by year and
shared between two cores (``speerpunt._parallel``). The numbers come from plain pandas sums
(Balassa) and from the peer econcomplex, year by year; the split must never change a number, a note or
which error is reported."""

from __future__ import annotations

import threading
import time

import econcomplex
import numpy as np
import pandas as pd
import pytest

from speerpunt import _parallel as _split
from speerpunt.errors import MeasureError
from speerpunt.measures.relatedness import co_occurrence, density, rca
from speerpunt.panel import Panel

REGIONS = [f"R{i:03d}" for i in range(240)]
SECTORS = [f"S{i:02d}" for i in range(60)]
YEARS = list(range(1995, 2025))  # 240 × 60 × 30 = 432,000 cells: above the split's threshold
HOLE_YEAR, ZERO_YEAR, SHORT_YEAR = 2001, 2012, 2020


def _long(seed: int = 0) -> pd.DataFrame:
    """A complete panel with three irregular years: a missing cell (flag ``c``) in ``HOLE_YEAR``, a
    region without any employment in ``ZERO_YEAR`` and a region absent from ``SHORT_YEAR``."""
    rng = np.random.default_rng(seed)
    grid = pd.MultiIndex.from_product([REGIONS, SECTORS, YEARS], names=["region", "sector", "year"])
    df = grid.to_frame(index=False).assign(variable="x", flag="")
    df["value"] = np.round(rng.gamma(2.0, 30.0, len(df))) + 1.0
    at = (df["region"] == "R007") & (df["sector"] == "S03") & (df["year"] == HOLE_YEAR)
    df.loc[at, ["value", "flag"]] = [np.nan, "c"]
    df.loc[(df["region"] == "R100") & (df["year"] == ZERO_YEAR), "value"] = 0.0
    return df[~((df["region"] == "R200") & (df["year"] == SHORT_YEAR))].reset_index(drop=True)


LEFT_OUT = {HOLE_YEAR: "R007", ZERO_YEAR: "R100"}


@pytest.fixture(scope="module")
def long() -> pd.DataFrame:
    return _long()


@pytest.fixture(scope="module")
def panel(long) -> Panel:
    return Panel(long)


def _kept(long: pd.DataFrame, year: int) -> pd.DataFrame:
    d = long[long["year"] == year]
    return d[d["region"] != LEFT_OUT.get(year)].sort_values(["region", "sector"])


def _matrix(d: pd.DataFrame) -> pd.DataFrame:
    return d.pivot(index="region", columns="sector", values="value")


def test_the_workload_is_split():
    assert len(REGIONS) * len(SECTORS) * len(YEARS) >= _split.MIN_CELLS


def test_rca_of_every_year_equals_pandas_balassa_with_the_irregular_years_noted(long, panel):
    got = rca(panel, variable="x", year=YEARS, sectors="all", level="all")
    expected_rows = len(REGIONS) * len(SECTORS) * len(YEARS) - len(SECTORS)  # R200 absent once
    assert len(got) == expected_rows
    for year in YEARS:
        part = got[got["year"] == year]
        kept = _kept(long, year)
        region_total = kept.groupby("region")["value"].transform("sum")
        sector_total = kept.groupby("sector")["value"].transform("sum")
        balassa = (kept["value"] / region_total) / (sector_total / kept["value"].sum())
        want = pd.Series(
            balassa.to_numpy(), index=pd.MultiIndex.from_frame(kept[["region", "sector"]])
        )
        key = pd.MultiIndex.from_frame(part[["region", "sector"]].astype(object))
        expected = want.reindex(key).to_numpy()
        np.testing.assert_allclose(part["rca"].to_numpy(), expected, rtol=1e-12)
        np.testing.assert_array_equal(
            part["m"].to_numpy(), np.where(np.isnan(expected), np.nan, expected >= 1)
        )
        out = part["region"].eq(LEFT_OUT.get(year, "")).to_numpy()
        assert out.sum() == (len(SECTORS) if year in LEFT_OUT else 0)
        assert part.loc[~out, "note"].eq("").all()
        np.testing.assert_array_equal(
            part["value"].to_numpy(),
            long[long["year"] == year].sort_values(["region", "sector"])["value"].to_numpy(),
        )
    assert (
        got.loc[got["year"].eq(HOLE_YEAR) & got["region"].eq("R007"), "note"]
        .str.startswith("left out: 1 of 60 sectors missing (S03)")
        .all()
    )
    assert (
        got.loc[got["year"].eq(ZERO_YEAR) & got["region"].eq("R100"), "note"]
        .eq("left out: zero total")
        .all()
    )
    assert "R200" not in set(got.loc[got["year"] == SHORT_YEAR, "region"])


def test_density_of_every_year_equals_econcomplex(long, panel):
    got = density(panel, variable="x", year=YEARS, sectors="all", level="all")
    for year in YEARS:
        part = got[got["year"] == year]
        mat = _matrix(_kept(long, year))
        theirs = econcomplex.relatedness_density(mat.to_numpy())  # percent, φ_ii = 0 (Stata)
        ours = part.pivot(index="region", columns="sector", values="density")
        ours = ours.reindex(index=mat.index, columns=mat.columns)
        np.testing.assert_allclose(ours.to_numpy() * 100, theirs, rtol=1e-12, atol=1e-12)
        if year in LEFT_OUT:
            assert part.loc[part["region"] == LEFT_OUT[year], "density"].isna().all()


def test_the_split_changes_nothing(panel, monkeypatch):
    split = density(panel, variable="x", year=YEARS, sectors="all", level="all")
    monkeypatch.setattr(_split, "cores", lambda: 1)
    one = density(panel, variable="x", year=YEARS, sectors="all", level="all")
    pd.testing.assert_frame_equal(split, one, check_exact=True)


def test_the_first_failing_year_is_reported_when_two_years_fail(long):
    """Every region but R000 has no employment in 1996 and 2023 (most likely one in each thread):
    the error names 1996, as a plain loop over the years would."""
    df = long.copy()
    df.loc[df["year"].isin([1996, 2023]) & (df["region"] != "R000"), "value"] = 0.0
    with pytest.raises(MeasureError, match="in 1996"):
        rca(Panel(df), variable="x", year=YEARS, sectors="all", level="all")
    df.loc[df["year"] == 1996, "value"] = 5.0
    with pytest.raises(MeasureError, match="in 2023"):
        rca(Panel(df), variable="x", year=YEARS, sectors="all", level="all")


def test_each_runs_every_item_once_and_raises_the_first_failure():
    seen: list[tuple[int, str]] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        time.sleep(0.01)  # long enough for the worker to pick up its half before the caller is done
        with lock:
            seen.append((i, threading.current_thread().name))

    _split.each(work, [1000] * 8, min_cells=1)
    assert sorted(i for i, _ in seen) == list(range(8))
    if _split.cores() >= 2:
        assert any(name.startswith("speerpunt-worker") for _, name in seen)

    ran: list[int] = []

    def fail(i: int) -> None:
        time.sleep(0.03 if i == 2 else 0.01)  # item 6 may fail in the other thread before item 2
        if i in (2, 6):
            raise ValueError(f"item {i}")
        with lock:
            ran.append(i)

    with pytest.raises(ValueError, match="item 2"):
        _split.each(fail, [1000] * 8, min_cells=1)
    assert {0, 1} <= set(ran)  # every item before the first failure has run


def test_a_busy_worker_leaves_the_work_to_the_caller():
    release = threading.Event()
    busy = _split.worker().submit(release.wait, 30)
    try:
        names: list[str] = []
        _split.each(lambda i: names.append(threading.current_thread().name), [1000] * 6, 1)
        assert len(names) == 6
        assert set(names) == {threading.current_thread().name}
    finally:
        release.set()
        busy.result()


def test_co_occurrence_counts_exactly():
    rng = np.random.default_rng(3)
    m = (rng.random((5000, 40)) < 0.4).astype(float)
    counts = np.array(
        [[int(np.sum((m[:, i] == 1) & (m[:, j] == 1))) for j in range(40)] for i in range(40)]
    )
    got = co_occurrence(m)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, counts)


def test_a_sector_the_variable_does_not_have_is_left_out_with_a_note():
    """Sector Z exists only for variable ``y``: asked for with ``x`` it is missing in every region, so
    it is left out (share of missing cells 1) and RCA is computed over A and B."""
    rows = [
        (r, s, "x", v)
        for r, vals in (("P", (30, 10)), ("Q", (10, 50)))
        for s, v in zip("AB", vals, strict=True)
    ]
    rows += [("P", "Z", "y", 1.0), ("Q", "Z", "y", 2.0)]
    df = pd.DataFrame(rows, columns=["region", "sector", "variable", "value"]).assign(year=2020)
    got = rca(Panel(df), variable="x", year=2020, sectors=["A", "B", "Z"], level="all")
    by = got.set_index(["region", "sector"])
    assert by.loc[("P", "A"), "rca"] == pytest.approx((30 / 40) / (40 / 100), rel=1e-15)
    assert by.loc[("Q", "B"), "rca"] == pytest.approx((50 / 60) / (60 / 100), rel=1e-15)
    assert by.loc[("P", "Z"), "rca"] != by.loc[("P", "Z"), "rca"]  # NaN
    assert by.loc[("P", "Z"), "note"].startswith("left out: missing in 2 of 2 regions")


def test_years_in_any_order_and_one_region_give_the_same_rows(panel):
    """Years asked for backwards (the stack is then gathered, not sliced, from the core) and one
    region's rows (the per-year path) equal the rows of the forward call exactly."""
    forward = rca(panel, variable="x", year=YEARS, sectors="all", level="all")
    backward = rca(panel, variable="x", year=YEARS[::-1], sectors="all", level="all")
    key = ["year", "region", "sector"]
    pd.testing.assert_frame_equal(
        backward.sort_values(key).reset_index(drop=True),
        forward.sort_values(key).reset_index(drop=True),
        check_exact=True,
    )
    one = rca(panel, variable="x", year=YEARS, sectors="all", level="all", region="R042")
    mine = forward[forward["region"] == "R042"].reset_index(drop=True)
    pd.testing.assert_frame_equal(one, mine, check_exact=True)
