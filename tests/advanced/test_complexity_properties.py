"""Properties of RCA, density and complexity that hold for every panel (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from speerpunt.measures.complexity import complexity, diversification
from speerpunt.panel import Panel

CONVENTIONS = st.sampled_from(["stata", "py-ecomplexity"])


@st.composite
def matrices(draw) -> np.ndarray:
    n_regions = draw(st.integers(3, 8))
    n_sectors = draw(st.integers(3, 8))
    x = draw(
        arrays(float, (n_regions, n_sectors), elements=st.floats(0, 1000, allow_subnormal=False))
    )
    assume((x.sum(axis=1) > 0).all() and (x.sum(axis=0) > 0).all())
    return x


def _panel(x: np.ndarray) -> Panel:
    n_r, n_s = x.shape
    return Panel(
        pd.DataFrame(
            {
                "region": np.repeat([f"R{i}" for i in range(n_r)], n_s),
                "sector": np.tile([f"S{j}" for j in range(n_s)], n_r),
                "year": 2000,
                "variable": "v",
                "value": x.ravel(),
            }
        )
    )


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(matrices(), st.integers(-20, 20), CONVENTIONS)
def test_invariant_to_units(x, power, convention):
    """Scaling by a power of two is exact in floating point, so every result must be identical."""
    # ... for normal numbers: values near the subnormal range (below 2^-1022; 8e-305 scaled by 2^-13 was
    # one) lose bits when scaled or divided by the sums, and then rounding may differ in the last bit.
    assume(np.all((x == 0) | (x >= 2.0**-900)))
    a = diversification(_panel(x), variable="v", year=2000, convention=convention)
    b = diversification(_panel(x * 2.0**power), variable="v", year=2000, convention=convention)
    for col in ("rca", "m", "density", "pci", "cog"):
        np.testing.assert_array_equal(a[col].to_numpy(), b[col].to_numpy(), err_msg=col)


@SETTINGS
@given(matrices(), st.floats(1e-3, 1e3), CONVENTIONS)
def test_invariant_to_any_unit(x, factor, convention):
    a = diversification(_panel(x), variable="v", year=2000, convention=convention)
    b = diversification(_panel(x * factor), variable="v", year=2000, convention=convention)
    # Away from the threshold M cannot flip; then everything agrees to rounding.
    assume(np.all(np.abs(a["rca"].to_numpy() - 1) > 1e-9))
    np.testing.assert_allclose(a["rca"], b["rca"], rtol=1e-12)
    np.testing.assert_array_equal(a["m"], b["m"])
    np.testing.assert_allclose(a["density"], b["density"], rtol=1e-12, atol=1e-12)


@SETTINGS
@given(matrices(), CONVENTIONS)
def test_eci_is_the_mean_pci_of_the_specialisations(x, convention):
    """Standardising PCI with the ECI's mean and sd keeps ECI_r = mean of PCI over M_ri = 1."""
    cells = diversification(_panel(x), variable="v", year=2000, convention=convention)
    regions = complexity(_panel(x), variable="v", year=2000, convention=convention).regions
    assume(regions["eci"].notna().all())
    mean_pci = cells[cells["m"] == 1].groupby("region")["pci"].mean()
    np.testing.assert_allclose(regions.set_index("region")["eci"], mean_pci, atol=1e-9)


@SETTINGS
@given(matrices(), CONVENTIONS)
def test_eci_standardised_and_signed_by_diversity(x, convention):
    regions = complexity(_panel(x), variable="v", year=2000, convention=convention).regions
    eci = regions["eci"].to_numpy()
    assume(np.isfinite(eci).all())
    assert abs(eci.mean()) < 1e-9
    n = eci.size * x.shape[1]
    expected_sd = 1.0 if convention == "py-ecomplexity" else np.sqrt((n - 1) / n)
    assert abs(eci.std() - expected_sd) < 1e-9
    diversity = regions["diversity"].to_numpy()
    if diversity.std() > 0:
        assert np.corrcoef(diversity, eci)[0, 1] >= -1e-12


@SETTINGS
@given(matrices(), CONVENTIONS)
def test_density_is_a_share(x, convention):
    d = diversification(_panel(x), variable="v", year=2000, convention=convention)["density"]
    d = d.dropna().to_numpy()
    assert ((d >= -1e-12) & (d <= 1 + 1e-12)).all()


def test_regions_that_cannot_be_told_apart_get_no_eci():
    """Every RCA is 1, every region specialised in everything: no ranking, not rounding noise."""
    res = complexity(_panel(np.ones((3, 8))), variable="v", year=2000)
    assert res.regions["eci"].isna().all() and res.sectors["pci"].isna().all()
    assert (res.regions["diversity"] == 8).all()
