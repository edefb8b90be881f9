"""``make bench``: speed of the core measures, as ratios against reference runs in the same process.

Each case times speerpunt's vectorised function and a plain reference computation of the same numbers
(a per-region pandas loop, the way a spreadsheet-minded script or REAT's vector API is used), checks that
both agree, and prints the ratio. A larger synthetic panel shows how the cost grows. The web load benchmark
(``benchmarks/web_load.py``) runs last when present.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from speerpunt.measures import location_quotient, shift_share
from speerpunt.panel import Panel


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def synthetic(n_regions: int, n_sectors: int, years: list[int], seed: int = 0) -> Panel:
    rng = np.random.default_rng(seed)
    regions = [f"R{r:04d}" for r in range(n_regions)]
    sectors = [f"S{i:03d}" for i in range(n_sectors)]
    idx = pd.MultiIndex.from_product([regions, sectors, years], names=["region", "sector", "year"])
    df = idx.to_frame(index=False)
    df["variable"] = "x"
    df["value"] = rng.gamma(2.0, 50.0, len(df))
    nation = (
        df.groupby(["sector", "year"], as_index=False)["value"]
        .sum()
        .assign(region="XX", variable="x")
    )
    return Panel(pd.concat([df, nation], ignore_index=True))


def loop_lq(panel: Panel, year: int, regions: list[str], sectors: list[str]) -> pd.Series:
    d = panel.data[(panel.data["year"] == year) & panel.data["sector"].isin(sectors)]
    ref = d[d["region"] == "XX"].set_index("sector")["value"]
    out = {}
    for r in regions:
        x = d[d["region"] == r].set_index("sector")["value"]
        for s in sectors:
            out[(r, s)] = (x[s] / x.sum()) / (ref[s] / ref.sum())
    return pd.Series(out)


def loop_shift_share(
    panel: Panel, t0: int, t1: int, regions: list[str], sectors: list[str]
) -> pd.Series:
    """Regional shift x0·(g_ri − G_i) region by region, sector by sector."""
    d = panel.data[panel.data["sector"].isin(sectors)]
    w = d.pivot_table(index=["region", "year"], columns="sector", values="value")
    r0, r1 = w.loc[("XX", t0)], w.loc[("XX", t1)]
    out = {}
    for r in regions:
        x0, x1 = w.loc[(r, t0)], w.loc[(r, t1)]
        for s in sectors:
            g_i = r1[s] / r0[s] - 1
            out[(r, s)] = x0[s] * ((x1[s] / x0[s] - 1) - g_i)
    return pd.Series(out)


def reading_case(n_regions: int = 500, n_sectors: int = 40) -> None:
    """Reading and validating a long CSV against a plain ``pandas.read_csv`` of the same file."""
    import tempfile

    from speerpunt.io import read_panel

    panel = synthetic(n_regions, n_sectors, list(range(2008, 2018)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "panel.csv"
        panel.data.to_csv(path, index=False)
        got = read_panel(path)
        assert len(got) == len(panel) and np.allclose(
            got.data["value"].sum(), panel.data["value"].sum()
        )
        case(
            f"read + validate long CSV, {len(panel):,} rows",
            lambda: read_panel(path),
            lambda: pd.read_csv(path),
            slower_is_ours=True,
        )


def case(name: str, ours, reference, slower_is_ours: bool = False) -> None:
    t_ours, t_ref = best_of(ours, repeat=3), best_of(reference, repeat=2)
    what = "" if not slower_is_ours else " (<1: what validation and flags cost)"
    print(
        f"{name:<48} speerpunt {t_ours * 1e3:9.1f} ms   reference {t_ref * 1e3:9.1f} ms   "
        f"ratio {t_ref / t_ours:7.2f}x{what}"
    )


def main() -> None:
    for n_reg, n_sec in ((40, 10), (400, 60)):
        panel = synthetic(n_reg, n_sec, [2008, 2018])
        regions = [r for r in panel.regions if r != "XX"]
        sectors = panel.sectors
        ours = location_quotient(
            panel, variable="x", year=2018, reference="XX", regions=regions, sectors=sectors
        )
        ref = loop_lq(panel, 2018, regions, sectors)
        assert np.allclose(ours["lq"].to_numpy(), ref.to_numpy())
        case(
            f"LQ, {n_reg} regions x {n_sec} sectors",
            lambda p=panel, r=regions, s=sectors: location_quotient(
                p, variable="x", year=2018, reference="XX", regions=r, sectors=s
            ),
            lambda p=panel, r=regions, s=sectors: loop_lq(p, 2018, r, s),
        )
        ss = shift_share(
            panel,
            variable="x",
            start=2008,
            end=2018,
            reference="XX",
            regions=regions,
            sectors=sectors,
        )
        body = ss[ss["sector"] != "TOTAL"]
        assert np.allclose(
            body["regional_shift"].to_numpy(),
            loop_shift_share(panel, 2008, 2018, regions, sectors).to_numpy(),
        )
        case(
            f"shift-share, {n_reg} regions x {n_sec} sectors",
            lambda p=panel, r=regions, s=sectors: shift_share(
                p, variable="x", start=2008, end=2018, reference="XX", regions=r, sectors=s
            ),
            lambda p=panel, r=regions, s=sectors: loop_shift_share(p, 2008, 2018, r, s),
        )
    reading_case()
    extra = Path(__file__).with_name("web_load.py")
    if extra.exists():
        subprocess.run([sys.executable, str(extra)], check=False)


if __name__ == "__main__":
    main()
