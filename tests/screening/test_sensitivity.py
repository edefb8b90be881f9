"""Threshold grid and reference-region sensitivity on the hand-made panel."""

from __future__ import annotations

import pandas as pd
import pytest

from speerpunt.panel import Panel
from speerpunt.screening import parse_config, reference_sensitivity, screen, threshold_sensitivity

from .conftest import NATION, REGION, config_text, make_panel


def sens(panel, criteria, rule):
    cfg = parse_config(config_text(criteria, rule))
    return threshold_sensitivity(screen(panel, region="R", reference="N", config=cfg).metrics, cfg)


def test_lq_threshold_grid_stability_by_hand(panel):
    s = sens(panel, "  spec: {measure: lq, op: '>=', threshold: 1}", "spec")
    assert s.factors.tolist() == pytest.approx([0.5 + 0.1 * i for i in range(11)])
    summary = s.summary.set_index("sector")
    # thresholds 0.5 … 1.5: A (4.09) always; C (exactly 1) for 0.5 … 1.0 = 6 of 11; B .45 and D .41 never
    assert summary["stability"].to_dict() == pytest.approx(
        {"A": 1.0, "B": 0.0, "C": 6 / 11, "D": 0.0}
    )
    assert summary.loc["C", "flips"] == "spec ×1.1–1.5"
    assert summary.loc["A", "flips"] == ""
    assert len(s.runs) == 11 * 4


def test_zero_threshold_is_shifted_by_the_median_absolute_value(panel):
    s = sens(panel, "  growing: {measure: growth, op: '>', threshold: 0}", "growing")
    # |growth| = .5, 0, .25, .25 → median .25; factor f gives threshold (f − 1)·.25
    # B (growth 0) passes for f < 1 (5 of 11); C and D (−.25) never: the lowest threshold is −.125
    summary = s.summary.set_index("sector")
    assert summary.loc["B", "stability"] == pytest.approx(5 / 11)
    assert summary.loc["C", "stability"] == 0.0
    assert summary.loc["A", "stability"] == 1.0  # .5 > (1.5 − 1)·.25 = .125


def test_quantile_threshold_is_scaled_as_a_probability(panel):
    s = sens(panel, "  big: {measure: share, op: '>=', threshold: {quantile: 0.5}}", "big")
    thresholds = s.runs.drop_duplicates("factor")["threshold"].tolist()
    assert thresholds[0] == "quantile 0.25" and thresholds[-1] == "quantile 0.75"


def test_sensitivity_is_reproducible(panel):
    crit = (
        "  spec: {measure: lq, op: '>=', threshold: 1}\n"
        "  growing: {measure: growth, op: '>', threshold: 0}\n"
        "  big: {measure: share, op: '>=', threshold: {quantile: 0.5}}"
    )
    a = sens(panel, crit, "big or (spec and growing)")
    b = sens(make_panel(), crit, "big or (spec and growing)")
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.runs, b.runs)


def test_selection_under_other_references():
    """N = R + S: 'rest:N' is S. R's sector A is specialised against N and against S."""
    other = {
        k: (n0 - r0, n1 - r1)
        for (k, (n0, n1)), (r0, r1) in zip(NATION.items(), REGION.values(), strict=True)
    }
    rows = [
        ("S", s, y, "employment", v)
        for s, (v0, v1) in other.items()
        for y, v in ((2000, v0), (2010, v1))
    ]
    panel = Panel(
        pd.concat(
            [
                make_panel().data,
                pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]),
            ]
        )
    )
    cfg = parse_config(config_text("  spec: {measure: lq, op: '>=', threshold: 1}", "spec"))
    out = reference_sensitivity(
        panel, region="R", reference="N", config=cfg, references=["N", "rest:N", "S"]
    )
    t = out.set_index("sector")
    assert list(out.columns) == ["sector", "N", "rest:N", "S", "n_selected"]
    # against S (= rest of N) C has LQ .30 / (270/900 = .30) = 1 → still candidate; B .1/(.2333) no
    assert t["rest:N"].tolist() == t["S"].tolist()
    assert t.loc["A", "n_selected"] == 3
    assert t.loc["B", "n_selected"] == 0
