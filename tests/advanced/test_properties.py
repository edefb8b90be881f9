"""Properties of the advanced measures on random panels (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from speerpunt.measures.lq_variants import lq_confidence, lq_variants
from speerpunt.measures.shift_share_variants import shift_share_variant
from speerpunt.measures.specialisation import MEASURES, krugman_matrix, specialisation_table
from speerpunt.panel import Panel

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DIVISIONS = ["C10", "C11", "C20", "G46", "G47", "J62", "J63", "M70"]


@st.composite
def panels(draw, n_years: int = 2, min_value: int = 0, sectors: list[str] | None = None):
    """Regions R0… partitioning the nation N, with integer values (zeros allowed) over ``n_years`` years."""
    n_reg = draw(st.integers(2, 4))
    secs = sectors or [f"S{i}" for i in range(draw(st.integers(2, 5)))]
    values = draw(
        st.lists(
            st.lists(
                st.lists(st.integers(min_value, 1000), min_size=len(secs), max_size=len(secs)),
                min_size=n_reg,
                max_size=n_reg,
            ),
            min_size=n_years,
            max_size=n_years,
        )
    )
    arr = np.array(values, dtype=float)  # years × regions × sectors
    rows = []
    for t in range(n_years):
        nation = arr[t].sum(axis=0)
        for j, s in enumerate(secs):
            rows.append(("N", s, 2000 + t, "employment", nation[j]))
            rows += [(f"R{r}", s, 2000 + t, "employment", arr[t, r, j]) for r in range(n_reg)]
    panel = Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))
    return panel, [f"R{r}" for r in range(n_reg)], secs


def _nation_has_every_sector(panel: Panel, secs: list[str]) -> bool:
    w = panel.data[panel.data["region"] == "N"]
    return bool((w["value"] > 0).all())


def _ss(panel, method, regs, secs, start=2000, end=2001, **kw):
    return shift_share_variant(
        panel,
        method=method,
        variable="employment",
        start=start,
        end=end,
        reference="N",
        regions=regs,
        sectors=secs,
        **kw,
    )


@SETTINGS
@given(panels())
def test_esteban_marquillas_parts_sum_to_regional_shift(case):
    panel, regs, secs = case
    em = _ss(panel, "esteban-marquillas", regs, secs)
    ok = em["regional_shift"].notna()
    np.testing.assert_allclose(
        (em["homothetic_competitive"] + em["allocation_effect"])[ok],
        em["regional_shift"][ok],
        atol=1e-6,
    )
    # The TOTAL rows never go missing because of one sector.
    assert em.loc[em["sector"] == "TOTAL", "allocation_effect"].notna().all()


@SETTINGS
@given(panels())
def test_arcelus_parts_sum_to_regional_shift(case):
    panel, regs, secs = case
    ar = _ss(panel, "arcelus", regs, secs)
    ok = ar["regional_shift"].notna()
    np.testing.assert_allclose(
        (ar["regional_growth_effect"] + ar["regional_industry_mix_effect"])[ok],
        ar["regional_shift"][ok],
        atol=1e-6,
    )
    np.testing.assert_allclose(
        (ar["homothetic_regional_growth"] + ar["allocation_regional_growth"])[ok],
        ar["regional_growth_effect"][ok],
        atol=1e-6,
    )
    np.testing.assert_allclose(
        (ar["homothetic_regional_industry_mix"] + ar["allocation_regional_industry_mix"])[ok],
        ar["regional_industry_mix_effect"][ok],
        atol=1e-6,
    )


def _dunn_by_hand(x0: float, x1: float, n0: float, n1: float, big_g: float) -> tuple[float, ...]:
    """Dunn's parts of one cell, written out from the formula (not through the library).

    national = x0·G, mix = x0·(G_i − G), regional = x0·(g_ri − G_i); a cell that is zero at the start
    has no growth rate, so its whole change is the regional shift (national and mix are 0).
    """
    if x0 == 0:
        return x1 - x0, 0.0, 0.0, x1 - x0
    big_gi = n1 / n0 - 1  # n0 ≥ x0 > 0: the nation is the sum of the regions
    return x1 - x0, x0 * big_g, x0 * (big_gi - big_g), x0 * ((x1 / x0 - 1) - big_gi)


@SETTINGS
@given(panels(n_years=3))
def test_dynamic_is_the_sum_of_yearly_dunn_parts_by_hand(case):
    """Dynamic shift-share 2000→2002 = Dunn 2000→01 + Dunn 2001→02, each computed by hand here."""
    panel, regs, secs = case
    v = panel.data.set_index(["region", "sector", "year"])["value"]
    totals = {y: sum(v[("N", s, y)] for s in secs) for y in (2000, 2001, 2002)}
    assume(all(t > 0 for t in totals.values()))
    dyn = _ss(panel, "dynamic", regs, secs, end=2002)
    got = dyn.set_index(["region", "sector"])
    cols = ["actual_change", "national_share", "industry_mix", "regional_shift"]
    for r in regs:
        region_total = np.zeros(4)
        for s in secs:
            expected = np.zeros(4)
            for y0, y1 in ((2000, 2001), (2001, 2002)):
                big_g = totals[y1] / totals[y0] - 1
                expected += _dunn_by_hand(
                    v[(r, s, y0)], v[(r, s, y1)], v[("N", s, y0)], v[("N", s, y1)], big_g
                )
            # the actual change telescopes to the change over the whole period
            assert expected[0] == pytest.approx(v[(r, s, 2002)] - v[(r, s, 2000)], abs=1e-9)
            np.testing.assert_allclose(
                got.loc[(r, s), cols].to_numpy(float), expected, rtol=1e-9, atol=1e-6
            )
            region_total += expected
        np.testing.assert_allclose(
            got.loc[(r, "TOTAL"), cols].to_numpy(float), region_total, rtol=1e-9, atol=1e-6
        )


@SETTINGS
@given(panels(n_years=3))
def test_dynamic_parts_add_up_to_the_change(case):
    panel, regs, secs = case
    dyn = _ss(panel, "dynamic", regs, secs, end=2002, yearly=True)
    period = dyn[dyn["span"] == "period"]
    total = period["national_share"] + period["industry_mix"] + period["regional_shift"]
    ok = total.notna()
    np.testing.assert_allclose(total[ok], period["actual_change"][ok], atol=1e-6)
    assert (dyn["span"] == "year").sum() == 2 * len(period)


@SETTINGS
@given(panels(sectors=DIVISIONS))
def test_related_plus_unrelated_variety_is_entropy(case):
    panel, regs, secs = case
    t = specialisation_table(
        panel, variable="employment", year=2000, reference="N", regions=regs, sectors=secs
    )
    ok = t["entropy"].notna()
    np.testing.assert_allclose(
        (t["related_variety"] + t["unrelated_variety"])[ok], t["entropy"][ok], atol=1e-9
    )
    assert (t["related_variety"][ok] >= -1e-12).all() and (
        t["unrelated_variety"][ok] >= -1e-12
    ).all()


@SETTINGS
@given(panels())
def test_krugman_of_a_region_with_itself_is_zero(case):
    panel, regs, secs = case
    t = specialisation_table(
        panel, variable="employment", year=2000, reference=regs[0], regions=[regs[0]], sectors=secs
    )
    if t.loc[0, "n_sectors"] and np.nansum(panel.wide("employment", 2000).loc[regs[0], secs]) > 0:
        assert t.loc[0, "krugman"] == pytest.approx(0.0, abs=1e-12)
        assert t.loc[0, "theil_relative"] == pytest.approx(0.0, abs=1e-12)
    m = krugman_matrix(
        panel, variable="employment", year=2000, regions=regs, sectors=secs
    ).to_numpy()
    np.testing.assert_allclose(m, m.T, atol=1e-12, equal_nan=True)
    diag = np.diag(m)
    assert np.all((diag == 0) | np.isnan(diag))
    assert np.all((m[np.isfinite(m)] >= 0) & (m[np.isfinite(m)] <= 2 + 1e-12))


@SETTINGS
@given(panels(), st.sampled_from([0.001, 3.0, 1000.0]))
def test_invariance_to_units(case, factor):
    panel, regs, secs = case
    scaled = Panel(panel.data.assign(value=panel.data["value"] * factor))
    a = specialisation_table(
        panel, variable="employment", year=2000, reference="N", regions=regs, sectors=secs
    )
    b = specialisation_table(
        scaled, variable="employment", year=2000, reference="N", regions=regs, sectors=secs
    )
    # atol: an index that is 0 for identical structures comes out as 0 or a rounding residue (1e-16)
    np.testing.assert_allclose(
        a[MEASURES].to_numpy(float),
        b[MEASURES].to_numpy(float),
        rtol=1e-9,
        atol=1e-12,
        equal_nan=True,
    )
    va = lq_variants(
        panel, variable="employment", year=2000, reference="N", regions=regs, sectors=secs
    )
    vb = lq_variants(
        scaled, variable="employment", year=2000, reference="N", regions=regs, sectors=secs
    )
    cols = ["lq", "lq_rest", "log_lq", "lq_std"]
    np.testing.assert_allclose(
        va[cols].to_numpy(float), vb[cols].to_numpy(float), rtol=1e-9, atol=1e-12, equal_nan=True
    )
    ea = _ss(panel, "esteban-marquillas", regs, secs)
    eb = _ss(scaled, "esteban-marquillas", regs, secs)
    cols = ["homothetic_competitive", "allocation_effect"]
    np.testing.assert_allclose(
        ea[cols].to_numpy(float) * factor,
        eb[cols].to_numpy(float),
        rtol=1e-9,
        atol=1e-9 * factor,
        equal_nan=True,
    )


@SETTINGS
@given(
    panels(min_value=1), st.sampled_from(["delta", "fieller"]), st.sampled_from([0.8, 0.95, 0.99])
)
def test_lq_interval_contains_the_lq(case, method, level):
    panel, regs, secs = case
    ci = lq_confidence(
        panel,
        variable="employment",
        year=2000,
        reference="N",
        regions=regs,
        sectors=secs,
        method=method,
        level=level,
    )
    ok = ci["lower"].notna()
    assert (ci.loc[ok, "lower"] <= ci.loc[ok, "lq"] * (1 + 1e-12)).all()
    assert (ci.loc[ok, "lq"] <= ci.loc[ok, "upper"] * (1 + 1e-12)).all()


@SETTINGS
@given(panels(min_value=1), st.sampled_from([2.0, 10.0, 100.0]))
def test_delta_intervals_shrink_as_counts_grow(case, k):
    panel, regs, secs = case
    small = lq_confidence(
        panel, variable="employment", year=2000, reference="N", regions=regs, sectors=secs
    )
    large = lq_confidence(
        panel, variable="employment", year=2000, reference="N", regions=regs, sectors=secs, scale=k
    )
    ok = small["lower"].notna() & large["lower"].notna() & (small["upper"] > small["lower"])
    width_small = np.log(small.loc[ok, "upper"]) - np.log(small.loc[ok, "lower"])
    width_large = np.log(large.loc[ok, "upper"]) - np.log(large.loc[ok, "lower"])
    assert (width_large < width_small).all()
    np.testing.assert_allclose(width_large, width_small / np.sqrt(k), rtol=1e-9)
