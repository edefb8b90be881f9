"""Peak memory of reading large files: ``python benchmarks/read.py [--sizes 100,500]`` (part of ``make bench``).

Generates deterministic CSVs (seeded, in a temporary folder): a comma-separated one in plain numbers and
a Dutch one (``;``, ``1.234,5``), of about 100 MB and 500 MB, plus the 100 MB one as ``.csv.gz`` and as
Parquet, and an XLSX sheet of 200,000 rows × 5 columns (openpyxl ``write_only``: inline strings, 5 MB). Each file is read by ``speerpunt.io.read_panel`` in a fresh subprocess, which reports:

* **peak** = the process's high-water mark (``VmHWM`` in ``/proc/self/status``) at the end minus its
  resident size (``VmRSS``) right after importing pandas, pyarrow, openpyxl and speerpunt (the
  interpreter baseline, ≈ 150 MB, subtracted);
* speerpunt's modules come from compiled bytecode (compiled once, as an installed package has it):
  compiling them from source on first use, as a shell with ``PYTHONDONTWRITEBYTECODE`` does, is not
  reading;
* **panel** = ``df.memory_usage(deep=True).sum()`` of the Panel's frame with region, sector, variable and
  flag as categoricals (as the streaming reader returns them; the in-memory reader's ``str`` columns are
  converted for the measure only);
* **ratio** = peak / panel (the target is ≤ 3).

``pd.read_csv`` of the same file (pandas defaults) is measured the same way, as a reference floor.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

CHILD = r"""
import json, sys, time
import pandas as pd, pyarrow, pyarrow.csv, pyarrow.parquet
import speerpunt.io.read
import openpyxl, openpyxl.reader.excel, xml.parsers.expat  # the XLSX reader's libraries

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024

path, how, sep = sys.argv[1], sys.argv[2], sys.argv[3]
base = status("VmRSS:")
t = time.perf_counter()
if how == "speerpunt":
    p = speerpunt.io.read.read_panel(path)
    df = p.data
    elapsed = time.perf_counter() - t
    peak = status("VmHWM:") - base
    cat = df.astype({c: "category" for c in ("region", "sector", "variable", "flag")})
    panel = int(cat.memory_usage(deep=True).sum())
    rows = len(df)
else:
    df = pd.read_csv(path, sep=sep)
    elapsed = time.perf_counter() - t
    peak = status("VmHWM:") - base
    panel, rows = 0, len(df)
print(json.dumps({"peak": peak, "panel": panel, "seconds": elapsed, "rows": rows, "base": base}))
"""

SECTORS = [f"C{n}" for n in range(10, 34)] + list("ABDEFGHIJKLMNOPQRSTU") + ["TOTAL"]


def generate(path: Path, target_bytes: int, dutch: bool, seed: int) -> int:
    """A long CSV of about ``target_bytes``: regions × sectors per (year, variable) chunk; returns rows.

    TOTAL is the sum of the other sectors (rounded up), so the parts-versus-total check passes.
    """
    rng = np.random.default_rng(seed)
    regions = [f"R{n:04d}" for n in range(1000)]
    sep = ";" if dutch else ","
    rows = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write(sep.join(["region", "sector", "year", "variable", "value"]) + "\n")
        for variable in ("employment", "wages", "firms", "hours", "output"):
            for year in range(1900, 2100):
                n_parts = len(SECTORS) - 1
                parts = rng.integers(0, 9_000_000, size=(len(regions), n_parts)) / 10
                total = np.ceil(parts.sum(axis=1))
                values = np.column_stack([parts, total]).ravel()
                if dutch:
                    cells = [
                        f"{v:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
                        for v in values
                    ]
                else:
                    cells = [f"{v:.1f}" for v in values]
                reg = np.repeat(regions, len(SECTORS))
                sec = np.tile(SECTORS, len(regions))
                block = "\n".join(
                    f"{r}{sep}{s}{sep}{year}{sep}{variable}{sep}{c}"
                    for r, s, c in zip(reg, sec, cells, strict=True)
                )
                fh.write(block + "\n")
                rows += len(cells)
                if fh.tell() >= target_bytes:
                    return rows
    return rows


def generate_xlsx(path: Path, rows: int, seed: int) -> int:
    """An XLSX sheet ``region, sector, year, variable, value`` of ``rows`` rows (1000 regions × the
    sectors of :data:`SECTORS` per year; TOTAL the rounded-up sum of the others)."""
    from openpyxl import Workbook

    rng = np.random.default_rng(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(["region", "sector", "year", "variable", "value"])
    regions = [f"R{n:04d}" for n in range(1000)]
    n, year = 0, 1990
    while n < rows:
        parts = rng.integers(0, 9_000_000, size=(len(regions), len(SECTORS) - 1)) / 10
        values = np.column_stack([parts, np.ceil(parts.sum(axis=1))]).tolist()
        for region, row in zip(regions, values, strict=True):
            for sector, value in zip(SECTORS, row, strict=True):
                if n == rows:
                    break
                ws.append([region, sector, year, "employment", value])
                n += 1
        year += 1
    wb.save(path)
    return n


def child_env() -> dict[str, str]:
    """The children's environment: speerpunt's modules loaded from compiled bytecode, as installed.

    With ``PYTHONDONTWRITEBYTECODE`` set (as in this development shell) a source checkout has no
    ``.pyc`` files, and every speerpunt module first imported while reading was compiled from source
    inside the measured stretch (about 1.2 MB of peak per module), which an installed package never
    pays. The package is compiled once, into its ``__pycache__`` folders (git-ignored), as ``pip
    install`` does; pandas, numpy and the standard library have theirs already.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    spec = importlib.util.find_spec("speerpunt")
    for where in spec.submodule_search_locations if spec else []:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", where],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return env


ENV: dict[str, str] = {}


def measure(path: Path, how: str, sep: str = ",") -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), how, sep],
        capture_output=True,
        text=True,
        check=False,
        env=ENV or None,
    )
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    return json.loads(out.stdout)


def report(label: str, path: Path, sep: str) -> None:
    mb = path.stat().st_size / 1e6
    r = measure(path, "speerpunt")
    if "error" in r:
        print(f"{label:<34} {mb:7.0f} MB  error: {r['error']}")
        return
    f = measure(path, "pandas", sep) if path.suffix not in (".parquet", ".xlsx") else {}
    floor = f"{f['peak'] / 1e6:7.0f} MB ({f['seconds']:.1f} s)" if "peak" in f else "-"
    print(
        f"{label:<34} {mb:7.1f} MB  {r['seconds']:6.1f} s  peak {r['peak'] / 1e6:7.0f} MB  "
        f"panel {r['panel'] / 1e6:6.1f} MB  ratio {r['peak'] / r['panel']:4.2f}  "
        f"rows {r['rows']:,}  pd.read_csv peak {floor}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,500", help="file sizes in MB, comma-separated")
    ap.add_argument(
        "--xlsx-rows", type=int, default=200_000, help="rows of the XLSX sheet (0: none)"
    )
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print("reading large files (peak = VmHWM − RSS after imports; target ratio ≤ 3)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ENV.update(child_env())
        if args.xlsx_rows:
            path = folder / f"panel_{args.xlsx_rows // 1000}k.xlsx"
            t = time.perf_counter()
            generate_xlsx(path, args.xlsx_rows, seed=1)
            print(f"  (generated {path.name} in {time.perf_counter() - t:.0f} s)")
            report(f"XLSX {args.xlsx_rows:,} rows", path, ",")
            path.unlink()
        for k, size in enumerate(sizes):
            dutch = k % 2 == 1
            path = folder / f"panel_{size}mb{'_nl' if dutch else ''}.csv"
            t = time.perf_counter()
            generate(path, size * 10**6, dutch=dutch, seed=size)
            print(f"  (generated {path.name} in {time.perf_counter() - t:.0f} s)")
            sep = ";" if dutch else ","
            report(f"CSV {'; 1.234,5' if dutch else ', 1234.5'}", path, sep)
            if k == 0:
                gz = path.with_suffix(".csv.gz")
                with path.open("rb") as src, gzip.open(gz, "wb", compresslevel=1) as dst:
                    while chunk := src.read(1 << 24):
                        dst.write(chunk)
                report("CSV .gz", gz, sep)
                gz.unlink()
                pq = path.with_suffix(".parquet")
                pd.read_csv(path, sep=sep).to_parquet(pq, index=False)
                report("Parquet (fast path: io/parquet.py)", pq, sep)
                pq.unlink()
            path.unlink()


if __name__ == "__main__":
    main()
