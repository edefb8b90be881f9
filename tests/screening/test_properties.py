"""Properties of the screening on random panels (Hypothesis)."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speerpunt.panel import Panel
from speerpunt.screening import parse_config, screen, threshold_sensitivity

from .conftest import config_text

SECTORS = ["A", "B", "C", "D", "E"]
CRITERIA = (
    "  big: {measure: share, op: '>=', threshold: {quantile: 0.6}}\n"
    "  spec: {measure: lq, op: '>=', threshold: 1}\n"
    "  growing: {measure: growth, op: '>', threshold: 0}"
)
RULE = "big or (spec and growing)"

values = st.lists(st.floats(min_value=1, max_value=1000, allow_nan=False), min_size=20, max_size=20)


def _panel(v: list[float]) -> Panel:
    rows = []
    for k, (reg, year) in enumerate([("R", 2000), ("R", 2010), ("N", 2000), ("N", 2010)]):
        for j, s in enumerate(SECTORS):
            value = v[5 * k + j] + (v[5 * (k - 2) + j] if reg == "N" else 0)  # N contains R
            rows.append((reg, s, year, "employment", value))
    return Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_grid_contains_the_baseline_and_stability_is_a_share(v):
    cfg = parse_config(config_text(CRITERIA, RULE))
    result = screen(_panel(v), region="R", reference="N", config=cfg)
    sens = threshold_sensitivity(result.metrics, cfg)
    base = dict(zip(result.table["sector"], result.table["status"] == "candidate", strict=True))
    at_one = sens.runs[sens.runs["factor"] == 1.0]
    assert len(at_one) == 3 * len(SECTORS)
    assert all(row.selected == base[row.sector] for row in at_one.itertuples())
    assert sens.summary["stability"].between(0, 1).all()
    # a sector selected at baseline is selected in at least the three factor-1 runs
    for row in sens.summary.itertuples():
        assert (row.stability >= 3 / 33) if base[row.sector] else (row.stability <= 30 / 33)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values, st.floats(min_value=0.1, max_value=3), st.floats(min_value=0.1, max_value=3))
def test_raising_a_ge_threshold_never_adds_a_sector(v, t1, t2):
    lo, hi = sorted((t1, t2))
    picks = []
    for t in (lo, hi):
        cfg = parse_config(
            config_text(f"  spec: {{measure: lq, op: '>=', threshold: {t}}}", "spec")
        )
        picks.append(set(screen(_panel(v), region="R", reference="N", config=cfg).selected))
    assert picks[1] <= picks[0]
