"""Shift-share variants, LQ variants and LQ confidence intervals on small examples computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from speerpunt.errors import MeasureError
from speerpunt.measures.concentration import concentration
from speerpunt.measures.lq_variants import lq_confidence, lq_variants
from speerpunt.measures.shift_share_variants import shift_share_variant
from speerpunt.measures.specialisation import specialisation_table
from speerpunt.panel import Panel

Z95 = 1.959963984540054


def _panel(rows: list[tuple]) -> Panel:
    return Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))


def _ss_panel() -> Panel:
    """Region R (A 10→20, B 30→30) against the nation N (A 100→110, B 100→90)."""
    data = {
        ("R", "A"): (10, 20),
        ("R", "B"): (30, 30),
        ("N", "A"): (100, 110),
        ("N", "B"): (100, 90),
    }
    rows = []
    for (reg, sec), (v0, v1) in data.items():
        rows += [(reg, sec, 2000, "employment", v0), (reg, sec, 2001, "employment", v1)]
    return _panel(rows)


def _run(method: str, panel: Panel | None = None, **kw) -> pd.DataFrame:
    return shift_share_variant(
        panel or _ss_panel(),
        method=method,
        variable="employment",
        start=2000,
        end=2001,
        reference="N",
        regions=["R"],
        **kw,
    ).set_index("sector")


def test_esteban_marquillas_by_hand():
    em = _run("esteban-marquillas")
    # x_r = 40, x_R = 200: x̂_A = 40·100/200 = 20, x̂_B = 20. G = 0, G_A = 0.1, G_B = −0.1.
    # g_A = 1.0, g_B = 0.0. Regional shift A = 10·(1.0 − 0.1) = 9, B = 30·(0 + 0.1) = 3.
    assert em.loc["A", "regional_shift"] == pytest.approx(9.0)
    assert em.loc["A", "homothetic_competitive"] == pytest.approx(20 * 0.9)
    assert em.loc["A", "allocation_effect"] == pytest.approx((10 - 20) * 0.9)
    assert em.loc["B", "homothetic_competitive"] == pytest.approx(20 * 0.1)
    assert em.loc["B", "allocation_effect"] == pytest.approx((30 - 20) * 0.1)
    assert em.loc["TOTAL", "homothetic_competitive"] == pytest.approx(18 + 2)
    assert em.loc["TOTAL", "allocation_effect"] == pytest.approx(-9 + 1)
    assert em.loc["TOTAL", "homothetic_value"] == pytest.approx(40.0)


def test_arcelus_by_hand():
    ar = _run("arcelus")
    # g_r = 50/40 − 1 = 0.25, G = 0: regional growth effect = x·0.25.
    # Regional industry mix A: 10·[(1.0 − 0.25) − (0.1 − 0)] = 6.5; B: 30·[(0 − 0.25) − (−0.1)] = −4.5.
    assert ar.loc["A", "regional_growth_effect"] == pytest.approx(2.5)
    assert ar.loc["B", "regional_growth_effect"] == pytest.approx(7.5)
    assert ar.loc["A", "regional_industry_mix_effect"] == pytest.approx(6.5)
    assert ar.loc["B", "regional_industry_mix_effect"] == pytest.approx(-4.5)
    # Homothetic splits with x̂ = 20 in both sectors.
    assert ar.loc["A", "homothetic_regional_growth"] == pytest.approx(20 * 0.25)
    assert ar.loc["A", "allocation_regional_growth"] == pytest.approx((10 - 20) * 0.25)
    assert ar.loc["A", "homothetic_regional_industry_mix"] == pytest.approx(20 * 0.65)
    assert ar.loc["B", "allocation_regional_industry_mix"] == pytest.approx((30 - 20) * -0.15)
    assert ar.loc["TOTAL", "regional_growth_effect"] == pytest.approx(10.0)
    assert ar.loc["TOTAL", "regional_industry_mix_effect"] == pytest.approx(2.0)
    assert ar.loc["TOTAL", "regional_shift"] == pytest.approx(12.0)


def test_dynamic_by_hand_over_two_years():
    rows = [
        ("R", "A", 2000, 10),
        ("R", "A", 2001, 20),
        ("R", "A", 2002, 20),
        ("R", "B", 2000, 10),
        ("R", "B", 2001, 10),
        ("R", "B", 2002, 15),
        ("N", "A", 2000, 100),
        ("N", "A", 2001, 100),
        ("N", "A", 2002, 120),
        ("N", "B", 2000, 100),
        ("N", "B", 2001, 100),
        ("N", "B", 2002, 100),
    ]
    p = _panel([(r, s, y, "employment", v) for r, s, y, v in rows])
    dyn = shift_share_variant(
        p,
        method="dynamic",
        variable="employment",
        start=2000,
        end=2002,
        reference="N",
        regions=["R"],
        yearly=True,
    )
    total = dyn[dyn["span"] == "period"].set_index("sector")
    # 2000→01: G = 0, G_i = 0: national 0, mix 0; shifts A +10, B 0.
    # 2001→02: G = 20/200 = 0.1, G_A = 0.2, G_B = 0; A: national 2, mix 20·0.1 = 2, shift 0 − 4 = −4;
    #          B: national 1, mix 10·(−0.1) = −1, shift 5 − 0 = 5.
    assert total.loc["A", "national_share"] == pytest.approx(2.0)
    assert total.loc["A", "industry_mix"] == pytest.approx(2.0)
    assert total.loc["A", "regional_shift"] == pytest.approx(10 - 4)
    assert total.loc["B", "national_share"] == pytest.approx(1.0)
    assert total.loc["B", "industry_mix"] == pytest.approx(-1.0)
    assert total.loc["B", "regional_shift"] == pytest.approx(5.0)
    assert total.loc["TOTAL", "regional_shift"] == pytest.approx(11.0)
    assert total.loc["TOTAL", "actual_change"] == pytest.approx(15.0)
    yearly = dyn[dyn["span"] == "year"]
    assert sorted(yearly["start"].unique()) == [2000, 2001]
    assert len(yearly) == 2 * 3


def test_zero_base_puts_change_in_regional_shift_and_allocation():
    rows = [
        ("R", "A", 2000, 0),
        ("R", "A", 2001, 5),
        ("R", "B", 2000, 10),
        ("R", "B", 2001, 10),
        ("N", "A", 2000, 50),
        ("N", "A", 2001, 60),
        ("N", "B", 2000, 50),
        ("N", "B", 2001, 50),
    ]
    p = _panel([(r, s, y, "employment", v) for r, s, y, v in rows])
    em = _run("esteban-marquillas", p)
    assert em.loc["A", "regional_shift"] == pytest.approx(5.0)
    assert em.loc["A", "homothetic_competitive"] == 0.0
    assert em.loc["A", "allocation_effect"] == pytest.approx(5.0)
    assert "zero in 2000" in em.loc["A", "note"]
    ar = _run("arcelus", p)
    assert ar.loc["A", "regional_growth_effect"] == 0.0
    assert ar.loc["A", "regional_industry_mix_effect"] == pytest.approx(5.0)
    assert not np.isnan(ar.loc["TOTAL", "regional_industry_mix_effect"])


def test_missing_cell_is_missing_for_that_sector_only():
    rows = [
        ("R", "A", 2000, 10),
        ("R", "A", 2001, None),
        ("R", "B", 2000, 10),
        ("R", "B", 2001, 12),
        ("N", "A", 2000, 50),
        ("N", "A", 2001, 60),
        ("N", "B", 2000, 50),
        ("N", "B", 2001, 50),
    ]
    p = _panel([(r, s, y, "employment", v) for r, s, y, v in rows])
    for method in ("esteban-marquillas", "arcelus", "dynamic"):
        res = _run(method, p)
        col = {
            "esteban-marquillas": "allocation_effect",
            "arcelus": "regional_growth_effect",
            "dynamic": "regional_shift",
        }[method]
        assert np.isnan(res.loc["A", col]), method
        assert not np.isnan(res.loc["B", col]), method
        assert not np.isnan(res.loc["TOTAL", col]), method
        assert "missing" in res.loc["A", "note"], method


def test_unknown_method_and_yearly_misuse_raise():
    with pytest.raises(MeasureError, match="unknown shift-share method"):
        _run("gerfin")
    with pytest.raises(MeasureError, match="only for method 'dynamic'"):
        _run("arcelus", yearly=True)


def _lq_panel() -> Panel:
    """Regions R1 (A 30, B 70) and R2 (A 10, B 90) in the nation N = R1 + R2 (A 40, B 160)."""
    rows = [
        ("R1", "A", 30),
        ("R1", "B", 70),
        ("R2", "A", 10),
        ("R2", "B", 90),
        ("N", "A", 40),
        ("N", "B", 160),
    ]
    return _panel([(r, s, 2020, "employment", v) for r, s, v in rows])


def test_lq_variants_by_hand():
    v = lq_variants(
        _lq_panel(), variable="employment", year=2020, reference="N", regions=["R1", "R2"]
    ).set_index(["region", "sector"])
    lq_r1a = (30 / 100) / (40 / 200)  # 1.5
    lq_r2a = (10 / 100) / (40 / 200)  # 0.5
    assert v.loc[("R1", "A"), "lq"] == pytest.approx(lq_r1a)
    assert v.loc[("R1", "A"), "lq_rest"] == pytest.approx((30 / 100) / (10 / 100))
    assert v.loc[("R1", "A"), "log_lq"] == pytest.approx(math.log(1.5))
    # z-scores across the two regions: mean 1.0, sample sd = sqrt(2·0.5²) = 0.7071.
    sd = math.sqrt(((lq_r1a - 1) ** 2 + (lq_r2a - 1) ** 2) / 1)
    assert v.loc[("R1", "A"), "lq_std"] == pytest.approx((lq_r1a - 1) / sd)
    assert v.loc[("R2", "A"), "lq_std"] == pytest.approx((lq_r2a - 1) / sd)


def test_delta_interval_by_hand():
    ci = lq_confidence(
        _lq_panel(), variable="employment", year=2020, reference="N", regions=["R1"], scale=10
    ).set_index("sector")
    a, b, c, d = 300, 1000, 400, 2000
    se = math.sqrt(1 / a - 1 / b + 1 / c - 1 / d)
    lq = (a / b) / (c / d)
    assert ci.loc["A", "se_log_lq"] == pytest.approx(se)
    assert ci.loc["A", "lower"] == pytest.approx(lq * math.exp(-Z95 * se))
    assert ci.loc["A", "upper"] == pytest.approx(lq * math.exp(Z95 * se))
    assert ci.loc["A", "count"] == 300
    assert not ci.loc["A", "small_cell"]


def test_fieller_interval_by_hand():
    ci = lq_confidence(
        _lq_panel(),
        variable="employment",
        year=2020,
        reference="N",
        regions=["R1"],
        method="fieller",
        level=0.9,
    ).set_index("sector")
    z = 1.6448536269514722
    p1, p2 = 30 / 100, 40 / 200
    v1, v2 = p1 * (1 - p1) / 100, p2 * (1 - p2) / 200
    qa, qb, qc = p2 * p2 - z * z * v2, p1 * p2, p1 * p1 - z * z * v1
    root = math.sqrt(qb * qb - qa * qc)
    assert ci.loc["A", "lower"] == pytest.approx((qb - root) / qa)
    assert ci.loc["A", "upper"] == pytest.approx((qb + root) / qa)
    # Check the defining property: at the bounds (p1 − θp2)² = z²(v1 + θ²v2).
    for theta in (ci.loc["A", "lower"], ci.loc["A", "upper"]):
        assert (p1 - theta * p2) ** 2 == pytest.approx(z * z * (v1 + theta * theta * v2))


def test_small_cell_flag_and_zero_count():
    rows = [
        ("R", "A", 0),
        ("R", "B", 5),
        ("R", "C", 995),
        ("N", "A", 100),
        ("N", "B", 100),
        ("N", "C", 800),
    ]
    p = _panel([(r, s, 2020, "employment", v) for r, s, v in rows])
    ci = lq_confidence(
        p, variable="employment", year=2020, reference="N", regions=["R"], min_count=10
    ).set_index("sector")
    assert ci.loc["B", "small_cell"] and ci.loc["A", "small_cell"] and not ci.loc["C", "small_cell"]
    assert "small cell" in ci.loc["B", "note"]
    assert np.isnan(ci.loc["A", "lower"]) and "zero count" in ci.loc["A", "note"]


def test_lq_confidence_rejects_bad_arguments():
    for kw, msg in (
        ({"method": "bootstrap"}, "unknown method"),
        ({"level": 1.5}, "between 0 and 1"),
        ({"scale": 0}, "must be positive"),
    ):
        with pytest.raises(MeasureError, match=msg):
            lq_confidence(_lq_panel(), variable="employment", year=2020, reference="N", **kw)


def test_variety_and_entropy_by_hand():
    # Shares 0.25 each over divisions C10, C11 (section C) and G46, G47 (section G).
    rows = [("R", s, 2020, "employment", 25.0) for s in ("C10", "C11", "G46", "G47")]
    rows += [
        ("N", s, 2020, "employment", v)
        for s, v in zip(("C10", "C11", "G46", "G47"), (10, 20, 30, 40), strict=True)
    ]
    t = specialisation_table(
        _panel(rows),
        variable="employment",
        year=2020,
        reference="N",
        regions=["R"],
        sectors=["C10", "C11", "G46", "G47"],
    ).iloc[0]
    assert t["entropy"] == pytest.approx(2.0)  # log2(4)
    assert t["unrelated_variety"] == pytest.approx(1.0)  # two sections of ½
    assert t["related_variety"] == pytest.approx(1.0)  # ½·1 + ½·1 bit
    assert t["herfindahl"] == pytest.approx(0.25) and t["herfindahl_norm"] == pytest.approx(0.0)
    assert t["krugman"] == pytest.approx(0.15 + 0.05 + 0.05 + 0.15)
    assert t["theil_relative"] == pytest.approx(
        0.25 * sum(math.log(0.25 / s) for s in (0.1, 0.2, 0.3, 0.4))
    )


def test_concentration_hoover_by_hand():
    rows = [("R1", "A", 10), ("R1", "B", 90), ("R2", "A", 0), ("R2", "B", 100)]
    c = concentration(
        _panel([(r, s, 2020, "employment", v) for r, s, v in rows]),
        variable="employment",
        year=2020,
        regions=["R1", "R2"],
        sectors=["A", "B"],
    ).set_index("sector")
    # A: shares of A 1, 0 vs shares of total activity 0.5, 0.5 → Hoover ½(0.5 + 0.5) = 0.5.
    assert c.loc["A", "hoover"] == pytest.approx(0.5)
    assert c.loc["A", "krugman"] == pytest.approx(1.0)
    assert c.loc["A", "herfindahl"] == pytest.approx(1.0)
    assert c.loc["B", "hoover"] == pytest.approx(0.5 * (abs(90 / 190 - 0.5) + abs(100 / 190 - 0.5)))


def test_default_regions_pick_a_complete_level():
    from speerpunt.measures.concentration import default_regions

    assert default_regions(["NL", "NL1", "NL11", "NL12", "NL2", "NL21", "NL211"]) == [
        "NL11",
        "NL12",
        "NL21",
    ]
    assert default_regions(["BE", "BE2", "BEZ", "BE21"]) == ["BE21"]  # extra-regio BEZ left out
    assert default_regions(["Goettingen", "BRD"]) == ["Goettingen", "BRD"]


def test_region_against_its_own_rest_has_no_measures():
    # BE21 is the whole of "rest:BE21"'s parent here, so the rest has no activity: missing, not 0.
    rows = [("BE21", "A", 5), ("BE21", "B", 5), ("BE", "A", 5), ("BE", "B", 5)]
    t = specialisation_table(
        _panel([(r, s, 2020, "employment", v) for r, s, v in rows]),
        variable="employment",
        year=2020,
        reference="rest:BE",
        regions=["BE21"],
        sectors=["A", "B"],
    ).iloc[0]
    assert np.isnan(t["krugman"]) and np.isnan(t["entropy"])
    assert "no activity" in t["note"]
