"""Deterministic (seeded) synthetic panels for ``make bench``.

* ``W-BE``: the embedded ``be-employment`` panel (Belgian NUTS regions × A*10 sectors, 2000–2018).
* ``W-EU``: 1,200 real NUTS-3 codes (NUTS 2016) × 64 sectors × 25 years (2000–2024) plus one row per country
  (the sum of its regions), 1 % of cells flagged provisional (``p``), a few zeros.
* ``W-US``: 3,200 counties × 1,000 sectors × ``years`` years plus the national sum ``US``.

Values are gamma-distributed with a region size and a sector size, so that RCA/presence has structure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from speerpunt.panel import Panel, PanelMeta

EU_YEARS = list(range(2000, 2025))


def _cube_frame(
    regions: list[str], sectors: list[str], years: list[int], rng: np.random.Generator
) -> tuple[np.ndarray, pd.DataFrame]:
    """A (years × regions × sectors) cube and the long frame of it (region-major order)."""
    size_r = rng.lognormal(0.0, 1.0, len(regions))
    size_s = rng.lognormal(0.0, 1.0, len(sectors))
    base = np.outer(size_r, size_s) * rng.gamma(2.0, 50.0, (len(regions), len(sectors)))
    growth = rng.normal(1.01, 0.05, (len(years), len(regions), len(sectors))).cumprod(axis=0)
    cube = base[None, :, :] * growth
    cube[:, rng.random((len(regions), len(sectors))) < 0.005] = 0.0
    return cube, _long(regions, sectors, years, cube)


def _long(
    regions: list[str], sectors: list[str], years: list[int], cube: np.ndarray
) -> pd.DataFrame:
    n_r, n_s, n_y = len(regions), len(sectors), len(years)
    return pd.DataFrame(
        {
            "region": pd.Categorical.from_codes(
                np.repeat(np.arange(n_r), n_s * n_y), categories=regions
            ).astype(object),
            "sector": pd.Categorical.from_codes(
                np.tile(np.repeat(np.arange(n_s), n_y), n_r), categories=sectors
            ).astype(object),
            "year": np.tile(np.asarray(years, dtype=np.int64), n_r * n_s),
            "variable": "employment",
            "value": cube.transpose(1, 2, 0).ravel(),
        }
    )


def eu_regions(n: int = 1200) -> list[str]:
    """The first ``n`` NUTS-3 codes of NUTS 2016 (extra-regio ``ZZZ`` codes left out), sorted."""
    from speerpunt.classify import nuts_table

    t = nuts_table("2016")
    codes = t.loc[(t["level"] == 3) & (t["kind"] == "nuts"), "code"].astype(str)
    codes = sorted(c for c in codes if not c.endswith("Z"))
    return codes[:n]


def w_eu(
    n_regions: int = 1200, n_sectors: int = 64, years: list[int] | None = None, seed: int = 1
) -> Panel:
    years = years or EU_YEARS
    rng = np.random.default_rng(seed)
    regions = eu_regions(n_regions)
    sectors = [f"S{i:02d}" for i in range(1, n_sectors + 1)]
    cube, df = _cube_frame(regions, sectors, years, rng)
    df["flag"] = np.where(rng.random(len(df)) < 0.01, "p", "")
    countries = sorted({r[:2] for r in regions})
    country_of = np.array([countries.index(r[:2]) for r in regions])
    nat = np.zeros((len(years), len(countries), len(sectors)))
    np.add.at(nat, (slice(None), country_of), cube)
    nat_df = _long(countries, sectors, years, nat)
    nat_df["flag"] = ""
    return Panel(pd.concat([df, nat_df], ignore_index=True))


def w_us(n_regions: int = 3200, n_sectors: int = 1000, n_years: int = 3, seed: int = 2) -> Panel:
    years = list(range(2024 - n_years + 1, 2025))
    rng = np.random.default_rng(seed)
    regions = [f"C{i:05d}" for i in range(n_regions)]
    sectors = [f"N{i:04d}" for i in range(n_sectors)]
    cube, df = _cube_frame(regions, sectors, years, rng)
    nat_df = _long(["US"], sectors, years, cube.sum(axis=1, keepdims=True))
    df = pd.concat([df, nat_df], ignore_index=True)
    df["flag"] = ""
    # Built sorted and valid by construction: skip the boundary validation of 10⁷ rows (not measured here).
    return Panel._trusted(
        df[["region", "sector", "year", "variable", "value", "flag"]], PanelMeta()
    )


def w_be() -> Panel:
    from speerpunt.io.datasets import load_dataset

    return load_dataset("be-employment")
