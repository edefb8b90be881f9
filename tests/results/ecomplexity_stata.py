"""The Harvard Growth Lab's Stata ``ecomplexity`` output on 10 countries × 30 products, 1995.

Source: ``../shared/data/oracles/ecomplexity-stata/stata_single_year_1995.csv`` (read in place, never
copied), the fixture ``tests/fixtures/stata_single_year_1995.csv`` of the Growth Lab's ``py-ecomplexity``
repository (github.com/cid-harvard/py-ecomplexity). It was produced by that repository's
``tests/generate_stata_fixtures.do``, step 11::

    import delimited "trade_data_sample.csv", clear
    keep if year == 1995
    ecomplexity export_val, i(origin) p(hs92) t(year)
    export delimited "stata_single_year_1995.csv", replace

with the Stata package ``ecomplexity`` (github.com/cid-harvard/ecomplexity) at its defaults: RCA threshold
1, discrete symmetric proximity, no knn. Columns: ``year, origin, hs92, export_val`` (input) and ``rca, M,
density, eci, pci, diversity, ubiquity, coi, cog`` (output).

``import delimited`` stores ``export_val`` as a Stata ``float`` (IEEE single precision) and the CSV prints
those floats with 8 significant digits (``2763980.8`` for the float ``2763980.75``). Rounding the printed
values back to single precision recovers exactly the numbers Stata computed with; with them RCA agrees to
1e-15 (with the printed values, to 2e-8 only).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

FIXTURE = Path("data") / "oracles" / "ecomplexity-stata" / "stata_single_year_1995.csv"
YEAR = 1995
VARIABLE = "export_val"
N_REGIONS, N_SECTORS = 10, 30


def read_fixture(shared_dir: Path) -> pd.DataFrame:
    """The fixture with ``region`` (= origin) and ``sector`` (= hs92 as text) added."""
    d = pd.read_csv(shared_dir / FIXTURE)
    return d.assign(region=d["origin"], sector=d["hs92"].astype(str))


def stata_input(fixture: pd.DataFrame) -> pd.DataFrame:
    """The long input table Stata worked on: ``export_val`` as single-precision floats."""
    return pd.DataFrame(
        {
            "region": fixture["region"],
            "sector": fixture["sector"],
            "year": fixture["year"],
            "variable": VARIABLE,
            "value": fixture["export_val"].to_numpy().astype(np.float32).astype(float),
        }
    )
