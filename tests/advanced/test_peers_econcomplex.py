"""Side by side with the pip-installable peers ``econcomplex`` and ``economic-complexity`` on random panels.

Both compute RCA on a complete region × sector matrix exactly as Balassa (1965); speerpunt must agree to
rounding. ECI conventions (standardisation, sign) differ between packages, so ECI is compared as
z-scores with the sign that correlates with diversity — the same second eigenvector.
"""

from __future__ import annotations

import econcomplex
import economic_complexity
import numpy as np
import pandas as pd
import pytest

from speerpunt.measures.complexity import complexity
from speerpunt.measures.relatedness import density, rca
from speerpunt.panel import Panel


def _panel(seed: int) -> tuple[Panel, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    regions = [f"R{i:02d}" for i in range(30)]
    sectors = [f"S{i:02d}" for i in range(12)]
    mat = pd.DataFrame(
        np.outer(rng.lognormal(0, 1, 30), rng.lognormal(0, 1, 12)) * rng.gamma(2.0, 10.0, (30, 12)),
        index=regions,
        columns=sectors,
    )
    long = mat.rename_axis(index="region", columns="sector").stack().rename("value").reset_index()
    long["year"], long["variable"] = 2020, "x"
    return Panel(long), mat


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rca_matches_econcomplex_and_economic_complexity(seed):
    panel, mat = _panel(seed)
    ours = rca(panel, variable="x", year=2020, level="all").pivot(
        index="region", columns="sector", values="rca"
    )
    np.testing.assert_allclose(ours.to_numpy(), econcomplex.rca(mat.to_numpy()), rtol=1e-12)
    theirs = economic_complexity.rca(mat).reindex(index=ours.index, columns=ours.columns)
    np.testing.assert_allclose(ours.to_numpy(), theirs.to_numpy(dtype=float), rtol=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_density_matches_econcomplex_which_leaves_the_sector_itself_out(seed):
    panel, mat = _panel(seed)
    ours = density(panel, variable="x", year=2020, level="all").pivot(
        index="region", columns="sector", values="density"
    )
    theirs = econcomplex.relatedness_density(mat.to_numpy())  # in percent, φ_ii = 0 (Stata)
    np.testing.assert_allclose(ours.to_numpy() * 100, theirs, rtol=1e-12, atol=1e-12)


def _z(v: np.ndarray, like: np.ndarray) -> np.ndarray:
    z = (v - v.mean()) / v.std()
    return z if np.corrcoef(z, like)[0, 1] >= 0 else -z


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_eci_is_the_eigenvector_econcomplex_finds(seed):
    panel, mat = _panel(seed)
    regions = complexity(panel, variable="x", year=2020, level="all").regions.set_index("region")
    eci, _ = econcomplex.eci_pci(mat)
    theirs = np.asarray(pd.Series(eci, index=mat.index).reindex(regions.index), dtype=float)
    k = regions["diversity"].to_numpy()
    assert k.std() > 0  # the sign convention needs unequal diversities; these panels have them
    np.testing.assert_allclose(_z(regions["eci"].to_numpy(), k), _z(theirs, k), atol=1e-8)
