"""SERV performance matrix: ±20 % band around the centre, 3 × 3 grid."""

from __future__ import annotations

import pandas as pd
import pytest

from speerpunt.screening import classify_band, matrix_grid, performance_matrix, sector_metrics


def test_band_is_twenty_percent_of_the_centre():
    v = pd.Series([1.21, 1.2, 0.81, 0.8, 0.79, float("nan")])
    assert classify_band(v, 1.0).tolist() == ["strong", "average", "average", "average", "weak", ""]


def test_negative_centre_uses_its_absolute_value():
    # centre −10 %: band −12 % … −8 %
    v = pd.Series([-0.07, -0.10, -0.13])
    assert classify_band(v, -0.10).tolist() == ["strong", "average", "weak"]


def test_matrix_on_the_hand_panel(panel):
    m = sector_metrics(panel, region="R", reference="N")
    pm = performance_matrix(m, x="lq", y="growth", centre="reference").set_index("sector")
    # x: LQ centre 1 → A 4.09 strong, B .45 weak, C 1 average, D .41 weak
    assert pm["x_class"].to_dict() == {"A": "strong", "B": "weak", "C": "average", "D": "weak"}
    # y: reference (N) total growth 0 → band collapses: A +50 % strong, B 0 average, C, D −25 % weak
    assert pm["y_centre"].iloc[0] == pytest.approx(0.0)
    assert pm["y_class"].to_dict() == {"A": "strong", "B": "average", "C": "weak", "D": "weak"}
    mean = performance_matrix(m, x="share", y="growth", centre="mean").set_index("sector")
    assert mean["x_centre"].iloc[0] == pytest.approx(0.25)  # four shares summing to 1
    grid = matrix_grid(pm.reset_index())
    assert grid.loc["strong", "strong"] == "A"
    assert grid.loc["weak", "weak"] == "D"
    assert grid.loc["weak", "average"] == "C"
    assert grid.loc["average", "weak"] == "B"
