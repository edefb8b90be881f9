"""Side by side with the Growth Lab's pip-installable ``ecomplexity`` (py-ecomplexity) on random panels.

``convention="py-ecomplexity"`` must reproduce the package: RCA, density, proximity, ECI, PCI, COI and
COG to 1e-8, on seeded random matrices of several sizes with zero cells.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd
import pytest
from ecomplexity import ecomplexity
from ecomplexity import proximity as peer_proximity

from speerpunt.measures.complexity import complexity, diversification
from speerpunt.measures.relatedness import proximity
from speerpunt.panel import Panel

TOL = 1e-8
COLS = {"time": "year", "loc": "region", "prod": "sector", "val": "value"}
SIZES = [(6, 9, 0), (12, 20, 1), (25, 10, 2), (40, 60, 3), (8, 40, 4)]


def _random_long(n_regions: int, n_sectors: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.lognormal(3.0, 1.5, (n_regions, n_sectors))
    x[rng.random(x.shape) < 0.15] = 0.0  # real zeros (not missing)
    x[:, 0] += 1.0  # keep every region's total positive
    x[0, :] += 1.0  # and every sector's
    regions = [f"r{i:03d}" for i in range(n_regions)]
    sectors = [f"s{j:03d}" for j in range(n_sectors)]
    return pd.DataFrame(
        {
            "region": np.repeat(regions, n_sectors),
            "sector": np.tile(sectors, n_regions),
            "year": 2000,
            "variable": "v",
            "value": x.ravel(),
        }
    )


def _peer(long: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cells = ecomplexity(long, COLS, check_logsupermodularity=False, verbose=False)
        phi = peer_proximity(long, COLS)
    return cells, phi


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def case(request):
    long = _random_long(*request.param)
    cells, phi = _peer(long)
    return Panel(long), cells, phi


def test_cells_agree(case):
    panel, peer, _ = case
    ours = diversification(panel, variable="v", year=2000, convention="py-ecomplexity")
    both = ours.merge(peer, on=["region", "sector"], suffixes=("", "_peer"), validate="1:1")
    assert len(both) == len(ours) == len(peer)
    np.testing.assert_allclose(both["rca"], both["rca_peer"], rtol=1e-12, atol=0)
    assert (both["m"].to_numpy() == both["mcp"].to_numpy()).all()
    for col in ("density", "pci", "cog"):
        np.testing.assert_allclose(both[col], both[f"{col}_peer"], rtol=0, atol=TOL, err_msg=col)


def test_regions_agree(case):
    panel, peer, _ = case
    ours = complexity(panel, variable="v", year=2000, convention="py-ecomplexity").regions
    ref = peer.drop_duplicates("region").set_index("region").reindex(ours["region"])
    np.testing.assert_allclose(ours["eci"], ref["eci"], rtol=0, atol=TOL)
    np.testing.assert_allclose(ours["coi"], ref["coi"], rtol=0, atol=TOL)
    assert (ours["diversity"].to_numpy() == ref["diversity"].to_numpy()).all()


def test_proximity_agrees(case):
    panel, _, phi = case
    ours = proximity(panel, variable="v", year=2000)
    both = ours.merge(phi, left_on=["sector_i", "sector_j"], right_on=["sector_1", "sector_2"])
    assert len(both) == len(ours) == len(phi)
    np.testing.assert_allclose(both["proximity_x"], both["proximity_y"], rtol=0, atol=TOL)


def test_region_order_does_not_matter(case):
    """Renaming regions so that they sort in reverse permutes the matrix; results follow the names."""
    panel, peer, _ = case
    rename = {r: f"x{999 - int(r[1:]):03d}" for r in panel.regions}
    renamed = Panel(panel.data.assign(region=panel.data["region"].map(rename)))
    ours = complexity(renamed, variable="v", year=2000, convention="py-ecomplexity")
    ref = peer.drop_duplicates("region").set_index("region")
    eci = ours.regions.set_index("region")["eci"]
    np.testing.assert_allclose(eci[[rename[r] for r in ref.index]], ref["eci"], rtol=0, atol=TOL)
    pci = ours.sectors.set_index("sector")["pci"]
    ref_pci = peer.drop_duplicates("sector").set_index("sector")["pci"]
    np.testing.assert_allclose(pci[ref_pci.index], ref_pci, rtol=0, atol=TOL)
