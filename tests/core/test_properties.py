"""Properties of shares, location quotients and shift-share on random panels (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from speerpunt.measures import location_quotient, shift_share
from speerpunt.panel import Panel

# Zero or a realistic magnitude: subnormal floats lose relative precision when rescaled, which says
# nothing about the formulas.
values = st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1e6))


@st.composite
def panels(draw, zeros: bool = True):
    """Regions R0..Rk whose sum is the nation N, sectors S0..Sm, years 2000 and 2010."""
    n_reg = draw(st.integers(2, 5))
    n_sec = draw(st.integers(2, 6))
    elements = values if zeros else st.floats(min_value=1.0, max_value=1e6)
    x = draw(arrays(np.float64, (2, n_reg, n_sec), elements=elements))
    for t in range(2):  # every sector exists somewhere in the nation
        x[t][:, x[t].sum(axis=0) == 0] = 1.0
    x[:, :, 0] += 1.0  # every region has a positive total
    rows = []
    for t, year in enumerate((2000, 2010)):
        nation = x[t].sum(axis=0)
        for i in range(n_sec):
            rows.append(("N", f"S{i}", year, "x", nation[i]))
            for r in range(n_reg):
                rows.append((f"R{r}", f"S{i}", year, "x", x[t, r, i]))
    df = pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"])
    return Panel(df), [f"R{r}" for r in range(n_reg)], [f"S{i}" for i in range(n_sec)]


@settings(max_examples=60, deadline=None)
@given(panels())
def test_shares_sum_to_one_and_weighted_lq_is_one(case):
    panel, regions, sectors = case
    lq = location_quotient(
        panel, variable="x", year=2000, reference="N", regions=regions, sectors=sectors
    )
    shares = lq.groupby("region")["share"].sum()
    assert np.allclose(shares, 1.0)
    ok = lq.dropna(subset=["lq"])
    weighted = (ok["reference_share"] * ok["lq"]).groupby(ok["region"]).sum()
    assert np.allclose(weighted, 1.0)


@settings(max_examples=40, deadline=None)
@given(panels(), st.floats(min_value=1e-3, max_value=1e3))
def test_lq_invariant_to_unit_and_row_order(case, factor):
    panel, regions, sectors = case
    base = location_quotient(
        panel, variable="x", year=2010, reference="N", regions=regions, sectors=sectors
    )
    scaled = panel.data.assign(value=panel.data["value"] * factor).sample(frac=1.0, random_state=1)
    other = location_quotient(
        Panel(scaled), variable="x", year=2010, reference="N", regions=regions, sectors=sectors
    )
    pd.testing.assert_series_equal(base["lq"], other["lq"], rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(panels())
def test_region_against_itself_has_lq_one(case):
    panel, regions, sectors = case
    lq = location_quotient(
        panel, variable="x", year=2000, reference=regions[0], regions=[regions[0]], sectors=sectors
    )
    assert np.allclose(lq["lq"].dropna(), 1.0)


@settings(max_examples=60, deadline=None)
@given(panels())
def test_shift_share_parts_add_up_and_stay_finite(case):
    panel, regions, sectors = case
    ss = shift_share(
        panel, variable="x", start=2000, end=2010, reference="N", regions=regions, sectors=sectors
    )
    parts = ss[["national_share", "industry_mix", "regional_shift"]]
    assert np.isfinite(parts.to_numpy()).all()
    assert np.allclose(parts.sum(axis=1), ss["actual_change"], rtol=1e-9, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(panels(zeros=False))
def test_regional_shifts_sum_to_zero_over_a_partition_of_the_reference(case):
    panel, regions, sectors = case
    ss = shift_share(
        panel, variable="x", start=2000, end=2010, reference="N", regions=regions, sectors=sectors
    )
    by_sector = ss[ss["sector"] != "TOTAL"].groupby("sector")["regional_shift"].sum()
    scale = ss["value_start"].abs().max()
    assert np.allclose(by_sector, 0.0, atol=1e-9 * scale)
