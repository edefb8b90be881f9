"""The dense core gives the numbers a straightforward pandas computation of the long table gives.

Random panels with zeros, missing (NaN, flagged ``c``) and flagged (``p``) cells and absent rows; the
reference implementations below work on the long table with ``groupby``/``merge`` only, never on the core.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speerpunt.measures import location_quotient
from speerpunt.measures.shift_share_variants import shift_share_variant
from speerpunt.panel import Panel

REGIONS = ["XX", "XX1", "XX2", "XX3", "XX4"]
SECTORS = ["A", "B", "C", "D"]
YEARS = [2000, 2001, 2002, 2003]


@st.composite
def panels(draw) -> pd.DataFrame:
    n = len(REGIONS) * len(SECTORS) * len(YEARS)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    grid = pd.MultiIndex.from_product([REGIONS, SECTORS, YEARS], names=["region", "sector", "year"])
    df = grid.to_frame(index=False)
    df["variable"] = "x"
    df["value"] = np.where(rng.random(n) < 0.1, 0.0, rng.gamma(2.0, 20.0, n).round(2))
    df["flag"] = np.where(rng.random(n) < 0.15, "p", "")
    missing = rng.random(n) < draw(st.sampled_from([0.0, 0.05, 0.15]))
    df.loc[missing, "value"] = np.nan
    df.loc[missing, "flag"] = "c"
    absent = rng.random(n) < draw(st.sampled_from([0.0, 0.05]))
    return df[~absent].reset_index(drop=True)


def reference_lq(df: pd.DataFrame, ref: str) -> pd.DataFrame:
    """LQ per (year, region, sector) from the long table: totals are sums over the sectors (NaN if any is)."""
    d = df.set_index(["year", "region", "sector"])["value"]
    full = d.reindex(pd.MultiIndex.from_product([YEARS, REGIONS, SECTORS])).rename("value")
    full.index.names = ["year", "region", "sector"]
    total = full.groupby(["year", "region"]).sum(min_count=len(SECTORS))
    count = full.notna().groupby(["year", "region"]).sum()
    total = total.where(count == len(SECTORS))
    out = full.reset_index()
    out["total"] = out.set_index(["year", "region"]).index.map(total)
    r = out[out["region"] == ref].set_index(["year", "sector"])
    key = out.set_index(["year", "sector"]).index
    out["reference_value"] = key.map(r["value"])
    out["reference_total"] = key.map(r["total"])
    lq = (out["value"] / out["total"]) / (out["reference_value"] / out["reference_total"])
    out["lq"] = lq.where(np.isfinite(lq))
    return out[out["region"] != ref].reset_index(drop=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels())
def test_lq_of_all_years_in_one_pass_matches_a_pandas_groupby(df):
    got = location_quotient(
        Panel(df), variable="x", year=YEARS, reference="XX", regions=REGIONS[1:], sectors=SECTORS
    )
    want = reference_lq(df, "XX")
    assert (
        got[["year", "region", "sector"]]
        .astype(str)
        .equals(want[["year", "region", "sector"]].astype(str))
    )
    for col in ("value", "total", "reference_value", "reference_total", "lq"):
        np.testing.assert_allclose(got[col], want[col], rtol=1e-12, atol=0, equal_nan=True)
    # a missing or absent cell is never a number, and its note says so
    gone = want["value"].isna().to_numpy()
    assert got.loc[gone, "lq"].isna().all()
    assert got.loc[gone, "note"].str.contains("region value missing").all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels())
def test_one_year_call_equals_its_slice_of_the_all_years_call(df):
    p = Panel(df)
    both = location_quotient(p, variable="x", year=YEARS, reference="XX", regions=REGIONS[1:])
    for y in (YEARS[0], YEARS[-1]):
        one = location_quotient(p, variable="x", year=y, reference="XX", regions=REGIONS[1:])
        pd.testing.assert_frame_equal(one, both[both["year"] == y].reset_index(drop=True))


def reference_dynamic(df: pd.DataFrame, ref: str) -> pd.DataFrame:
    """Σ over consecutive years of Dunn's parts, from merged long tables (regional shift as remainder)."""
    d = df.set_index(["year", "region", "sector"])["value"]
    full = d.reindex(pd.MultiIndex.from_product([YEARS, REGIONS, SECTORS])).rename("value")
    full.index.names = ["year", "region", "sector"]
    rows = []
    for a, b in zip(YEARS[:-1], YEARS[1:], strict=True):
        x0, x1 = full.loc[a], full.loc[b]
        r0, r1 = x0.loc[ref], x1.loc[ref]
        big_g = r1.sum(min_count=len(SECTORS)) / r0.sum(min_count=len(SECTORS)) - 1
        if r0.isna().any() or r1.isna().any():
            big_g = np.nan
        step = pd.DataFrame({"x0": x0, "x1": x1}).reset_index()
        step["r0"] = step["sector"].map(r0)
        step["r1"] = step["sector"].map(r1)
        national = step["x0"] * big_g
        mix = np.where(
            step["x0"] == 0, 0.0, step["x0"] / step["r0"] * step["r1"] - step["x0"] * (1 + big_g)
        )
        mix = pd.Series(mix).where(np.isfinite(mix) | step["x0"].isna() | step["x1"].isna())
        step["national_share"] = national
        step["industry_mix"] = mix
        step["regional_shift"] = step["x1"] - step["x0"] - national - mix
        rows.append(step)
    parts = ["national_share", "industry_mix", "regional_shift"]
    stacked = pd.concat(rows)
    return stacked.groupby(["region", "sector"])[parts].sum(min_count=len(YEARS) - 1).reset_index()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels())
def test_dynamic_shift_share_matches_summed_yearly_dunn_from_the_long_table(df):
    have = df[df["region"] == "XX"]
    if have["value"].isna().any() or len(have) < len(SECTORS) * len(YEARS):
        df = pd.concat([df[df["region"] != "XX"], _complete_reference(df)], ignore_index=True)
    got = shift_share_variant(
        Panel(df),
        method="dynamic",
        variable="x",
        start=YEARS[0],
        end=YEARS[-1],
        reference="XX",
        regions=REGIONS[1:],
        sectors=SECTORS,
    )
    body = got[got["sector"] != "TOTAL"].reset_index(drop=True)
    want = reference_dynamic(df, "XX")
    want = want[want["region"] != "XX"].reset_index(drop=True)
    assert body[["region", "sector"]].astype(str).equals(want[["region", "sector"]].astype(str))
    for col in ("national_share", "industry_mix", "regional_shift"):
        np.testing.assert_allclose(body[col], want[col], rtol=1e-10, atol=1e-9, equal_nan=True)


def _complete_reference(df: pd.DataFrame) -> pd.DataFrame:
    """A reference region with every cell present and positive (so G and G_i exist)."""
    grid = pd.MultiIndex.from_product([["XX"], SECTORS, YEARS], names=["region", "sector", "year"])
    ref = grid.to_frame(index=False)
    ref["variable"] = "x"
    ref["value"] = 100.0 + np.arange(len(ref)) * 3.0
    ref["flag"] = ""
    return ref


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels())
def test_specialisation_of_all_years_matches_pandas_shares(df):
    from speerpunt.measures.specialisation import specialisation_table

    p = Panel(df)
    got = specialisation_table(
        p, variable="x", year=YEARS, reference="XX", regions=REGIONS[1:], sectors=SECTORS
    )
    # Krugman and Herfindahl from the long table: shares over the sectors present in both.
    full = (
        df.set_index(["year", "region", "sector"])["value"]
        .reindex(pd.MultiIndex.from_product([YEARS, REGIONS, SECTORS]))
        .rename("x")
        .rename_axis(["year", "region", "sector"])
        .reset_index()
    )
    ref = full[full["region"] == "XX"].set_index(["year", "sector"])["x"]
    full["r"] = full.set_index(["year", "sector"]).index.map(ref)
    full = full[full["region"] != "XX"]
    full = full[full["x"].notna() & full["r"].notna()]
    g = full.groupby(["year", "region"])
    full["s"] = full["x"] / g["x"].transform("sum")
    full["rs"] = full["r"] / g["r"].transform("sum")
    full["d"] = (full["s"] - full["rs"]).abs()
    full["s2"] = full["s"] ** 2
    want = full.groupby(["year", "region"])[["d", "s2"]].sum()
    idx = pd.MultiIndex.from_frame(got[["year", "region"]].astype({"region": object}))
    want = want.reindex(idx)
    ok = got["note"].str.contains("no ").eq(False).to_numpy() & want["d"].notna().to_numpy()
    np.testing.assert_allclose(got["krugman"][ok], want["d"][ok], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got["herfindahl"][ok], want["s2"][ok], rtol=1e-12)
    for y in (YEARS[0], YEARS[-1]):
        one = specialisation_table(
            p, variable="x", year=y, reference="XX", regions=REGIONS[1:], sectors=SECTORS
        )
        pd.testing.assert_frame_equal(one, got[got["year"] == y].reset_index(drop=True))


def reference_rca(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """Balassa RCA over every region and sector of a complete year, from pandas sums."""
    d = df[df["year"] == year]
    region_total = d.groupby("region")["value"].transform("sum")
    sector_total = d.groupby("sector")["value"].transform("sum")
    out = d[["region", "sector"]].copy()
    out["rca"] = (d["value"] / region_total) / (sector_total / d["value"].sum())
    return out.sort_values(["region", "sector"]).reset_index(drop=True)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_rca_of_several_years_matches_pandas_balassa_and_single_years(seed):
    from speerpunt.measures.relatedness import density, rca

    rng = np.random.default_rng(seed)
    grid = pd.MultiIndex.from_product([REGIONS, SECTORS, YEARS], names=["region", "sector", "year"])
    df = grid.to_frame(index=False).assign(variable="x")
    df["value"] = rng.gamma(2.0, 20.0, len(df)) + 1.0
    p = Panel(df)
    every = rca(p, variable="x", year=YEARS, sectors=SECTORS, level="all")
    for y in YEARS:
        want = reference_rca(df, y)
        got = every[every["year"] == y].reset_index(drop=True)
        assert list(got["region"]) == list(want["region"])
        assert list(got["sector"]) == list(want["sector"])
        np.testing.assert_allclose(got["rca"], want["rca"], rtol=1e-12)
    one = rca(p, variable="x", year=YEARS[1], sectors=SECTORS, level="all")
    pd.testing.assert_frame_equal(one, every[every["year"] == YEARS[1]].reset_index(drop=True))
    d_all = density(p, variable="x", year=YEARS, sectors=SECTORS, level="all", region="XX1")
    d_one = density(p, variable="x", year=YEARS[2], sectors=SECTORS, level="all", region="XX1")
    pd.testing.assert_frame_equal(d_one, d_all[d_all["year"] == YEARS[2]].reset_index(drop=True))
    assert set(d_all["region"]) == {"XX1"} and len(d_all) == len(YEARS) * len(SECTORS)


def test_dunn_total_row_sums_the_sectors_with_a_result_and_names_the_others():
    """By hand: R has A 10 → 20, B missing in 2000 (flag c), C 30 → 30; the reference N has A 100 → 150,
    B 50 → 50, C 200 → 220, so G = 420/350 − 1 = 0.2, G_A = 0.5, G_C = 0.1. R's TOTAL sums A and C only:
    value 40 → 50 (growth 0.25), change 10, national 2 + 6 = 8, mix 10·0.3 + 30·(−0.1) = 0, regional 2.
    N against itself has no gap: its TOTAL is the plain sum (change 50 + 0 + 20 = 70)."""
    from speerpunt.measures import shift_share

    rows = [
        ("R", "A", 10, 20),
        ("R", "B", np.nan, 5),
        ("R", "C", 30, 30),
        ("N", "A", 100, 150),
        ("N", "B", 50, 50),
        ("N", "C", 200, 220),
    ]
    df = pd.DataFrame(
        [
            {"region": r, "sector": s, "year": y, "variable": "x", "value": v, "flag": f}
            for r, s, v0, v1 in rows
            for y, v, f in ((2000, v0, "c" if np.isnan(v0) else ""), (2010, v1, ""))
        ]
    )
    out = shift_share(
        Panel(df), variable="x", start=2000, end=2010, reference="N", regions=["R", "N"]
    )
    total = out[out["sector"] == "TOTAL"].set_index("region")
    cols = ["value_start", "value_end", "actual_change", "national_share", "industry_mix"]
    assert total.loc["R", cols].tolist() == pytest.approx([40, 50, 10, 8, 0], abs=1e-12)
    assert total.loc["R", "regional_shift"] == pytest.approx(2, abs=1e-12)
    assert total.loc["R", "regional_growth"] == pytest.approx(0.25)
    assert total.loc["R", "note"] == "sum without B (missing)"
    assert total.loc["N", "actual_change"] == pytest.approx(70)
    assert total.loc["N", "value_start"] == pytest.approx(350)
    assert total.loc["N", "note"] == ""
