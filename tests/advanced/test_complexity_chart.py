"""The S3 diversification chart renders what the measures returned (PNG non-blank, SVG with labels)."""

from __future__ import annotations

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from speerpunt.errors import DataError
from speerpunt.measures.complexity import diversification
from speerpunt.panel import Panel
from speerpunt.report.diversification_chart import SPECIALISED, diversification_chart

SECTORS = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]


@pytest.fixture(scope="module")
def cells() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    regions = [f"BE2{i}" for i in range(1, 6)]
    x = rng.lognormal(3, 1, (len(regions), len(SECTORS)))
    long = pd.DataFrame(
        {
            "region": np.repeat(regions, len(SECTORS)),
            "sector": np.tile(SECTORS, len(regions)),
            "year": 2018,
            "variable": "employment",
            "value": x.ravel(),
        }
    )
    return diversification(Panel(long), variable="employment", year=2018, region="BE21")


def test_png_is_not_blank_and_shows_specialisations(cells, tmp_path):
    path = tmp_path / "s3.png"
    diversification_chart(cells, path=path)
    img = mpimg.imread(path)[..., :3]
    assert img.shape[0] > 500 and img.shape[1] > 500
    assert img.std() > 0.05  # not a blank canvas
    blue = np.array([int(SPECIALISED[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    # Filled bubbles (alpha .75 over white) are close to the Okabe–Ito blue.
    near_blue = (np.abs(img - (0.75 * blue + 0.25)).max(axis=-1) < 0.06).sum()
    assert cells["m"].sum() > 0 and near_blue > 100


def test_svg_keeps_sector_labels_as_text(cells, tmp_path):
    path = tmp_path / "s3.svg"
    diversification_chart(cells, lang="nl", path=path)
    svg = path.read_text(encoding="utf-8")
    for code in SECTORS:
        assert f">{code}<" in svg, code
    assert "Verwantschapsdichtheid" in svg and "BE21, 2018" in svg


def test_sectors_without_density_are_named_not_dropped_silently(cells, tmp_path):
    gap = cells.copy()
    gap.loc[gap["sector"] == "K", "density"] = np.nan
    path = tmp_path / "gap.svg"
    diversification_chart(gap, path=path)
    assert "Not shown (no density or PCI): K." in path.read_text(encoding="utf-8")


def test_one_region_only(cells):
    two = pd.concat([cells, cells.assign(region="BE22")])
    with pytest.raises(DataError, match="one region, got 2"):
        diversification_chart(two)
    with pytest.raises(DataError, match="density"):
        diversification_chart(cells.drop(columns=["density"]))
