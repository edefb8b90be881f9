"""W-US out of core: LQ for every year and Dunn for 3 periods, read one year at a time from Parquet.

``python benchmarks/wus30.py [n_years]`` writes the seeded W-US panel (3,200 counties × 1,000 sectors ×
``n_years`` years plus the national sum ``US``; default 30 = 96 M cells) to a temporary Parquet file one
year at a time, then runs :func:`speerpunt.measures.by_year.lq_by_year` and
:func:`~speerpunt.measures.by_year.shift_share_by_period` in a fresh process so that its peak RSS is the
measure's own. Prints one JSON line ``{"lq_s", "dunn_s", "total_s", "lq_cpu_s", "dunn_cpu_s", "total_cpu_s",
"load_avg", "peak_rss_mb", "rows"}`` (wall and CPU seconds; the 1-minute load average at the end). The
result equals the in-memory path (``tests/core/test_by_year.py``). Run by ``make bench`` when
``SPEERPUNT_BENCH_WUS30=1`` (it takes several minutes including writing the file).
``BENCH_WUS_LAYOUT=region`` writes the rows sorted by region instead (row groups spanning every year):
the reader then copies them once grouped by year before the per-year slices.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

VAR = "employment"


def write_panel(
    path: Path, n_years: int, n_regions: int = 3200, n_sectors: int = 1000, layout: str = "year"
) -> None:
    """The W-US generator of ``workloads.py`` (same distributions). ``layout="year"`` writes it year by
    year (one row group per year); ``"region"`` sorts the rows by region, sector and year and writes
    row groups of 2^20 rows, each spanning every year (as a region-sorted export would)."""
    rng = np.random.default_rng(2)
    regions = [f"C{i:05d}" for i in range(n_regions)] + ["US"]
    sectors = [f"N{i:04d}" for i in range(n_sectors)]
    size_r = rng.lognormal(0.0, 1.0, n_regions)
    size_s = rng.lognormal(0.0, 1.0, n_sectors)
    level = np.outer(size_r, size_s) * rng.gamma(2.0, 50.0, (n_regions, n_sectors))
    zero = rng.random((n_regions, n_sectors)) < 0.005
    r_codes = np.repeat(np.arange(n_regions + 1, dtype=np.int32), n_sectors)
    s_codes = np.tile(np.arange(n_sectors, dtype=np.int32), n_regions + 1)
    years = list(range(2024 - n_years + 1, 2025))

    def table(r: np.ndarray, s: np.ndarray, y: np.ndarray, values: np.ndarray) -> pa.Table:
        n = len(values)
        return pa.table(
            {
                "region": pa.DictionaryArray.from_arrays(pa.array(r), pa.array(regions)),
                "sector": pa.DictionaryArray.from_arrays(pa.array(s), pa.array(sectors)),
                "year": pa.array(y),
                "variable": pa.DictionaryArray.from_arrays(
                    pa.array(np.zeros(n, dtype=np.int32)), pa.array([VAR])
                ),
                "value": pa.array(values),
                "flag": pa.DictionaryArray.from_arrays(
                    pa.array(np.zeros(n, dtype=np.int32)), pa.array([""])
                ),
            }
        )

    per_year = []
    writer = None
    for y in years:
        level = level * rng.normal(1.01, 0.05, (n_regions, n_sectors))
        cube = np.where(zero, 0.0, level)
        values = np.concatenate([cube.ravel(), cube.sum(axis=0)])
        if layout == "region":
            per_year.append(values)
            continue
        tbl = table(r_codes, s_codes, np.full(len(values), y, dtype=np.int64), values)
        writer = writer or pq.ParquetWriter(str(path), tbl.schema)
        writer.write_table(tbl, row_group_size=len(values))
    if layout == "region":  # cell-major: a cell's years are consecutive rows
        k = len(years)
        tbl = table(
            np.repeat(r_codes, k),
            np.repeat(s_codes, k),
            np.tile(np.asarray(years, dtype=np.int64), len(r_codes)),
            np.stack(per_year, axis=1).ravel(),
        )
        pq.write_table(tbl, str(path), row_group_size=2**20)
    else:
        writer.close()


def measure(path: Path) -> dict[str, float]:
    from speerpunt.measures.by_year import lq_by_year, parquet_years, shift_share_by_period

    c0, t0 = time.process_time(), time.perf_counter()
    years = parquet_years(path, VAR)
    rows = 0
    for frame in lq_by_year(path, variable=VAR, reference="US", sectors="all"):
        rows += len(frame)  # consumed and dropped: one year in memory at a time
    c1, t1 = time.process_time(), time.perf_counter()
    cut = np.linspace(0, len(years) - 1, 4).round().astype(int)  # three consecutive periods
    periods = [(years[a], years[b]) for a, b in zip(cut[:-1], cut[1:], strict=True) if a < b]
    for frame in shift_share_by_period(
        path, variable=VAR, periods=periods, reference="US", sectors="all"
    ):
        rows += len(frame)
    c2, t2 = time.process_time(), time.perf_counter()
    return {
        "years": len(years),
        "lq_s": t1 - t0,
        "dunn_s": t2 - t1,
        "total_s": t2 - t0,
        "lq_cpu_s": c1 - c0,  # user + system CPU of the process (threads included)
        "dunn_cpu_s": c2 - c1,
        "total_cpu_s": c2 - c0,
        "load_avg": os.getloadavg()[0],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rows": rows,
    }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]))), flush=True)
        return
    n_years = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w-us.parquet"
        if len(sys.argv) > 2:  # keep the file (re-used when present)
            path = Path(sys.argv[2])
        t0 = time.perf_counter()
        if not path.exists():
            write_panel(path, n_years, layout=os.environ.get("BENCH_WUS_LAYOUT", "year"))
        print(f"W-US {n_years} years written in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        out = subprocess.run(
            [sys.executable, __file__, "--measure", str(path)],
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            sys.exit(f"W-US out-of-core run failed: {out.stderr.strip().splitlines()[-1]}")
        print(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
