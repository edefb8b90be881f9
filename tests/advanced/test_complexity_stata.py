"""RCA, M, diversity, ubiquity, density, ECI, PCI, COI and COG against the Growth Lab's Stata output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from speerpunt.measures.complexity import complexity, diversification
from speerpunt.measures.relatedness import rca
from speerpunt.panel import Panel
from tests.results import ecomplexity_stata as st

TOL = 1e-8


@pytest.fixture(scope="module")
def fixture(shared_dir) -> pd.DataFrame:
    return st.read_fixture(shared_dir)


@pytest.fixture(scope="module")
def panel(fixture) -> Panel:
    return Panel(st.stata_input(fixture))


@pytest.fixture(scope="module")
def cells(panel, fixture) -> pd.DataFrame:
    ours = diversification(panel, variable=st.VARIABLE, year=st.YEAR, convention="stata")
    return ours.merge(fixture, on=["region", "sector"], suffixes=("", "_stata"), validate="1:1")


def test_fixture_shape(fixture):
    assert fixture["region"].nunique() == st.N_REGIONS
    assert fixture["sector"].nunique() == st.N_SECTORS
    assert len(fixture) == st.N_REGIONS * st.N_SECTORS


def test_rca_and_m_exact(cells):
    assert len(cells) == st.N_REGIONS * st.N_SECTORS
    np.testing.assert_allclose(cells["rca"], cells["rca_stata"], rtol=1e-13, atol=0)
    assert (cells["m"].to_numpy() == cells["M"].to_numpy()).all()
    assert cells["m"].sum() == cells["M"].sum() > 0


def test_rca_function_matches_too(panel, fixture):
    r = rca(panel, variable=st.VARIABLE, year=st.YEAR).merge(fixture, on=["region", "sector"])
    np.testing.assert_allclose(r["rca_x"], r["rca_y"], rtol=1e-13, atol=0)
    assert (r["note"] == "").all()


def test_density_to_1e8(cells):
    np.testing.assert_allclose(cells["density"], cells["density_stata"], rtol=0, atol=TOL)


def test_pci_and_cog_to_1e8(cells):
    np.testing.assert_allclose(cells["pci"], cells["pci_stata"], rtol=0, atol=TOL)
    # COG follows the same conventions as PCI: it agrees as closely.
    np.testing.assert_allclose(cells["cog"], cells["cog_stata"], rtol=0, atol=TOL)


@pytest.fixture(scope="module")
def result(panel):
    return complexity(panel, variable=st.VARIABLE, year=st.YEAR, convention="stata")


def test_diversity_ubiquity_exact(result, fixture):
    regions = result.regions.set_index("region")
    stata_r = fixture.drop_duplicates("region").set_index("region")
    assert (regions["diversity"] == stata_r["diversity"].reindex(regions.index)).all()
    sectors = result.sectors.set_index("sector")
    stata_s = fixture.drop_duplicates("sector").set_index("sector")
    assert (sectors["ubiquity"] == stata_s["ubiquity"].reindex(sectors.index)).all()


def test_eci_coi_pci_to_1e8(result, fixture):
    regions = result.regions.set_index("region")
    stata_r = fixture.drop_duplicates("region").set_index("region").reindex(regions.index)
    np.testing.assert_allclose(regions["eci"], stata_r["eci"], rtol=0, atol=TOL)
    np.testing.assert_allclose(regions["coi"], stata_r["coi"], rtol=0, atol=TOL)
    sectors = result.sectors.set_index("sector")
    stata_s = fixture.drop_duplicates("sector").set_index("sector").reindex(sectors.index)
    np.testing.assert_allclose(sectors["pci"], stata_s["pci"], rtol=0, atol=TOL)


def test_python_convention_differs_from_stata_by_the_documented_factor(panel, result):
    """py-ecomplexity divides by the population sd over regions, Stata by the sd over n cells (n − 1)."""
    py = complexity(panel, variable=st.VARIABLE, year=st.YEAR, convention="py-ecomplexity")
    n = st.N_REGIONS * st.N_SECTORS
    ratio = py.regions["eci"].to_numpy() / result.regions["eci"].to_numpy()
    np.testing.assert_allclose(ratio, np.sqrt(n / (n - 1)), rtol=1e-12)
