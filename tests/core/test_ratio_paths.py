"""The vectorised fast paths of the measures give the numbers of a plain per-row computation.

Random panels (``panels`` of ``test_engine_core``: zeros, missing ``c`` and flagged ``p`` cells, absent
rows); each reference below loops over regions and years with plain NumPy on the long table.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speerpunt.measures.specialisation import specialisation_table
from speerpunt.panel import Panel
from tests.core.test_engine_core import REGIONS, SECTORS, YEARS, panels

# A grouping whose members are not neighbours in the sector order (A with C, B with D): the group sums
# take the gathering branch. The default groups NACE sections into Eurostat's A*10: A alone, B–D in B-E.
SPLIT_GROUPS = {"A": "g1", "B": "g2", "C": "g1", "D": "g2"}
A10_GROUPS = {"A": "A", "B": "B-E", "C": "B-E", "D": "B-E"}
RCA_COLUMNS = ["region", "sector", "year", "variable", "value", "rca", "m", "note"]


def reference_row(x: np.ndarray, r: np.ndarray, groups: list[str]) -> dict[str, float]:
    """Every specialisation measure of one region-year, by the textbook formulas over the sectors with a
    value in both the region and the reference."""
    keep = ~np.isnan(x) & ~np.isnan(r)
    x, r, g = x[keep], r[keep], [grp for grp, k in zip(groups, keep, strict=True) if k]
    if keep.sum() == 0 or x.sum() == 0 or r.sum() == 0:
        return {}
    s, q = x / x.sum(), r / r.sum()
    k = float(np.sum(np.abs(s - q)))
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = s / q
    lq = np.sort(lq[np.isfinite(lq)])
    if len(lq):
        mean = lq.mean()
        with np.errstate(invalid="ignore", divide="ignore"):  # all LQs 0: mean 0, Gini undefined
            gini = sum((i + 1) * (v - mean) for i, v in enumerate(lq)) * 2.0 / (len(lq) ** 2 * mean)
    else:
        gini = np.nan
    h = float(np.sum(s**2))
    n = len(s)
    entropy = -sum(v * math.log2(v) for v in s if v > 0)
    theil = sum(
        v * math.log(v / w) if w > 0 else math.inf for v, w in zip(s, q, strict=True) if v > 0
    )
    p = {grp: sum(v for v, gg in zip(s, g, strict=True) if gg == grp) for grp in set(g)}
    unrelated = -sum(v * math.log2(v) for v in p.values() if v > 0)
    related = 0.0
    for grp, pg in p.items():
        inner = [v / pg for v, gg in zip(s, g, strict=True) if gg == grp and v > 0]
        related += pg * -sum(w * math.log2(w) for w in inner)
    return {
        "krugman": k,
        "hoover": k / 2,
        "gini": gini,
        "herfindahl": h,
        "herfindahl_norm": (h - 1 / n) / (1 - 1 / n) if n > 1 else np.nan,
        "entropy": entropy,
        "theil_relative": theil,
        "unrelated_variety": unrelated,
        "related_variety": related,
        "rdi": 1 / k if k > 0 else np.nan,
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels(), st.sampled_from([None, SPLIT_GROUPS]))
def test_every_specialisation_measure_matches_a_per_row_computation(df, groups):
    got = specialisation_table(
        Panel(df),
        variable="x",
        year=YEARS,
        reference="XX",
        regions=REGIONS[1:],
        sectors=SECTORS,
        groups=groups,
    )
    d = df.set_index(["year", "region", "sector"])["value"]
    cube = d.reindex(pd.MultiIndex.from_product([YEARS, REGIONS, SECTORS])).to_numpy()
    cube = cube.reshape(len(YEARS), len(REGIONS), len(SECTORS))
    labels = [(groups or A10_GROUPS)[s] for s in SECTORS]
    for i, row in got.iterrows():
        y, reg = YEARS.index(row["year"]), REGIONS.index(row["region"])
        want = reference_row(cube[y, reg], cube[y, 0], labels)
        for measure in ("krugman", "gini", "herfindahl", "entropy", "theil_relative"):
            if not want:
                assert np.isnan(row[measure]), (i, measure)
                continue
            assert row[measure] == pytest_approx(want[measure]), (i, measure, row[measure])
        for measure in ("hoover", "herfindahl_norm", "unrelated_variety", "related_variety", "rdi"):
            expected = want.get(measure, np.nan)
            assert row[measure] == pytest_approx(expected), (i, measure, row[measure], expected)


def pytest_approx(v: float):
    import pytest

    return pytest.approx(v, rel=1e-12, abs=1e-12, nan_ok=True)


def balassa(values: pd.DataFrame) -> pd.Series:
    """Balassa RCA by region and sector from plain pandas sums of a complete long table."""
    region_total = values.groupby("region")["value"].transform("sum")
    sector_total = values.groupby("sector")["value"].transform("sum")
    rca = (values["value"] / region_total) / (sector_total / values["value"].sum())
    return pd.Series(rca.to_numpy(), index=pd.MultiIndex.from_frame(values[["region", "sector"]]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_rca_frame_over_years_with_and_without_left_out_cells(seed, gap):
    """Year 1 may miss XX2's B (flag c): XX2 has 1/4 of its cells missing, B 1/5, so XX2 is left out
    (the largest share first) with a note; the other year has no note at all. Each year's RCA equals
    Balassa's from pandas sums over the regions kept; notes are empty strings elsewhere."""
    from speerpunt.measures.relatedness import rca

    rng = np.random.default_rng(seed)
    grid = pd.MultiIndex.from_product(
        [REGIONS, SECTORS, YEARS[:2]], names=["region", "sector", "year"]
    )
    df = grid.to_frame(index=False).assign(variable="x", flag="")
    df["value"] = np.where(rng.random(len(df)) < 0.1, 0.0, rng.gamma(2.0, 20.0, len(df))) + 0.5
    hole = (df["region"] == "XX2") & (df["sector"] == "B") & (df["year"] == YEARS[1])
    if gap:
        df.loc[hole, ["value", "flag"]] = [np.nan, "c"]
    got = rca(Panel(df), variable="x", year=YEARS[:2], sectors=SECTORS, level="all")
    assert list(got.columns) == RCA_COLUMNS
    assert got["note"].dtype == "str" and got["region"].dtype == "str"
    assert len(got) == 2 * len(REGIONS) * len(SECTORS)
    for y in YEARS[:2]:
        part = got[got["year"] == y]
        left_out = gap and y == YEARS[1]
        kept = df[(df["year"] == y) & ~((df["region"] == "XX2") & left_out)]
        want = balassa(kept.sort_values(["region", "sector"]))
        key = pd.MultiIndex.from_frame(part[["region", "sector"]].astype(object))
        expected = want.reindex(key).to_numpy()
        np.testing.assert_allclose(part["rca"].to_numpy(), expected, rtol=1e-12)
        np.testing.assert_array_equal(
            part["m"].to_numpy(), np.where(np.isnan(expected), np.nan, expected >= 1)
        )
        dropped = part["region"].eq("XX2").to_numpy() & left_out
        assert part.loc[dropped, "note"].str.startswith("left out: 1 of 4 sectors missing").all()
        assert part.loc[~dropped, "note"].eq("").all()


def reference_notes(df: pd.DataFrame, start: int, end: int, em: bool) -> list[str]:
    """The ``note`` of every Dunn row (regions XX1–XX4 against XX, sectors then ``TOTAL``), rule by
    rule from the long table; ``em`` adds the Esteban-Marquillas note on a missing region total."""
    from speerpunt.panel import describe_flag

    d = df.set_index(["region", "sector", "year"])
    value = {k: v for k, v in d["value"].items()}
    flag = {k: v for k, v in d["flag"].items()}

    def val(r, s, y):
        return value.get((r, s, y), np.nan)

    def total(r, y):  # a sum that touches a missing or absent cell is missing
        return sum(val(r, s, y) for s in SECTORS)

    out = []
    for reg in REGIONS[1:]:
        gaps = []
        for sec in SECTORS:
            x0, x1 = val(reg, sec, start), val(reg, sec, end)
            r0, r1 = val("XX", sec, start), val("XX", sec, end)
            notes = []
            for y, x in ((start, x0), (end, x1)):
                if np.isnan(x):
                    f = flag.get((reg, sec, y), ":")
                    notes.append(f"{y} missing: {describe_flag(f)}" if f else "")
            if (np.isnan(r0) or np.isnan(r1)) and not (np.isnan(x0) or np.isnan(x1)):
                notes.append("reference value missing")
            t0, t1 = total("XX", start), total("XX", end)
            if np.isnan(t0) or np.isnan(t1) or t0 == 0:
                notes.append("reference total missing")
            if x0 == 0:
                notes.append(f"zero in {start}: the whole change counts as regional shift")
            if r0 == 0 and x0 > 0:
                notes.append("reference has zero in this sector: industry mix undefined")
            if em and np.isnan(total(reg, start)):
                notes.append("region total missing: homothetic value undefined")
            out.append(_joined_notes(notes))
            if np.isnan(x1 - x0):
                gaps.append(sec)
        out.append(f"sum without {', '.join(gaps)} (missing)" if gaps else "")
    return out


def _joined_notes(notes: list[str]) -> str:
    text = ""
    for n in notes:  # an empty message leaves an empty note as it is, as the library's joining does
        text = n if text == "" else f"{text}; {n}"
    return text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels(), st.sampled_from(["dunn", "esteban-marquillas"]))
def test_shift_share_notes_match_a_rule_by_rule_reference(df, method):
    from speerpunt.measures.shift_share_variants import shift_share_variant

    period = {"start": YEARS[0], "end": YEARS[-1], "reference": "XX", "regions": REGIONS[1:]}
    got = shift_share_variant(Panel(df), method=method, variable="x", sectors=SECTORS, **period)
    want = reference_notes(df, YEARS[0], YEARS[-1], em=method != "dunn")
    assert got["note"].dtype == "str"
    assert got["note"].tolist() == want
