"""A deterministic generator of realistic synthetic firm registers (for tests and benchmarks).

Firms get a Belgian municipality and a NACE-BEL subclass drawn with the weights of Statbel's 2019 VAT
counts, a lognormal size (most firms have 0–9 employees, a few hundreds), a lifetime (deaths ≈ 7 % a
year, fewer among large firms) and yearly multiplicative growth that moves some firms across size
classes. New firms are born every year so the population stays about stable. A few firms move
municipality (0.5 % a year) or activity (0.2 %), as in real registers. The same ``seed`` and sizes give
the same register, row for row.

>>> df = synthetic_register(200, years=(2018, 2020), seed=1)
>>> sorted(df.columns)[:4], bool((df["employees"] >= 0).all())
(['birth_year', 'death_year', 'employees', 'firm_id'], True)
>>> df.equals(synthetic_register(200, years=(2018, 2020), seed=1))
True
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from speerpunt.errors import MeasureError, Text
from speerpunt.firms.territory import PSEUDO, municipalities

DEATH_RATE = 0.07
MOVE_REGION = 0.005
MOVE_SECTOR = 0.002


def _codes() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    m = municipalities()
    m = m[~m["nis"].isin(PSEUDO) & (m["enterprises_2019"] > 0)]
    with (
        resources.files("speerpunt.firms")
        .joinpath("data/nacebel_2008.csv")
        .open(encoding="utf-8") as f
    ):
        n = pd.read_csv(f, dtype={"code": str})
    n = n[n["code"].str.fullmatch(r"\d{5}") & (n["enterprises_2019"] > 0)]
    pm = m["enterprises_2019"].to_numpy(float)
    pn = n["enterprises_2019"].to_numpy(float)
    return m["nis"].to_numpy(), pm / pm.sum(), n["code"].to_numpy(), pn / pn.sum()


def _sizes(rng: np.random.Generator, n: int) -> np.ndarray:
    # exp(N(0.6, 1.35)) − 1: median ≈ 1 employee, ~93 % below 10, a thin tail above 250.
    return np.maximum(np.floor(rng.lognormal(0.6, 1.35, n)) - 1, 0).astype(np.int64)


def _years(years: tuple[int, int]) -> list[int]:
    first, last = int(years[0]), int(years[1])
    if last < first:
        raise MeasureError(Text("fr_years_forward", first=first, last=last), column="years")
    return list(range(first, last + 1))


def iter_register(
    firms: int, *, years: tuple[int, int] = (2010, 2019), seed: int = 0
) -> Iterator[pa.Table]:
    """The register one year at a time (Arrow tables), about ``firms`` active firms a year."""
    if firms < 1:
        raise MeasureError(Text("fr_firms_one", firms=firms), column="firms")
    rng = np.random.default_rng(seed)
    nis, pm, nace, pn = _codes()
    ys = _years(years)
    region = rng.choice(len(nis), firms, p=pm)
    sector = rng.choice(len(nace), firms, p=pn)
    size = _sizes(rng, firms)
    birth = ys[0] - rng.geometric(0.08, firms)
    death = _deaths(rng, ys[0], size)
    ids = np.arange(1, firms + 1, dtype=np.int64)
    next_id = firms + 1
    for year in ys:
        if year > ys[0]:
            alive = death >= year
            ids, region, sector, size, birth, death = (
                a[alive] for a in (ids, region, sector, size, birth, death)
            )
            size = np.maximum(np.round(size * rng.lognormal(0.0, 0.18, len(size))), 0).astype(
                np.int64
            )
            moving = rng.random(len(ids)) < MOVE_REGION
            region[moving] = rng.choice(len(nis), int(moving.sum()), p=pm)
            switching = rng.random(len(ids)) < MOVE_SECTOR
            sector[switching] = rng.choice(len(nace), int(switching.sum()), p=pn)
            born = max(firms - len(ids), 0) + int(rng.poisson(firms * 0.01))
            ids = np.concatenate([ids, np.arange(next_id, next_id + born, dtype=np.int64)])
            next_id += born
            region = np.concatenate([region, rng.choice(len(nis), born, p=pm)])
            sector = np.concatenate([sector, rng.choice(len(nace), born, p=pn)])
            new_size = np.minimum(_sizes(rng, born), 50)
            size = np.concatenate([size, new_size])
            birth = np.concatenate([birth, np.full(born, year)])
            death = np.concatenate([death, _deaths(rng, year, new_size)])
        yield _table(rng, year, ids, nis[region], nace[sector], size, birth, death, ys[-1])


def _deaths(rng: np.random.Generator, year: int, size: np.ndarray) -> np.ndarray:
    rate = np.where(size >= 50, DEATH_RATE / 4, np.where(size >= 10, DEATH_RATE / 2, DEATH_RATE))
    return year + rng.geometric(rate) - 1


def _table(rng, year, ids, region, nace, size, birth, death, last) -> pa.Table:
    n = len(ids)
    turnover = np.round(np.maximum(size, 0.5) * rng.lognormal(11.8, 0.6, n), -2)
    va = np.round(turnover * rng.uniform(0.2, 0.4, n), -2)
    died = np.where(death <= last, death, -1)
    return pa.table(
        {
            "firm_id": pa.array(ids, pa.int64()),
            "year": pa.array(np.full(n, year, dtype=np.int32)),
            "region": pa.array(region, pa.string()).dictionary_encode(),
            "nace": pa.array(nace, pa.string()).dictionary_encode(),
            "employees": pa.array(size.astype(np.int32)),
            "turnover": pa.array(turnover),
            "value_added": pa.array(va),
            "birth_year": pa.array(birth.astype(np.int32)),
            "death_year": pa.array(died.astype(np.int32), mask=died < 0),
        }
    )


def synthetic_register(
    firms: int, *, years: tuple[int, int] = (2010, 2019), seed: int = 0
) -> pd.DataFrame:
    """The register as one DataFrame (for small sizes; use :func:`write_register` for large ones)."""
    tables = [t.cast(_plain(t.schema)) for t in iter_register(firms, years=years, seed=seed)]
    return pa.concat_tables(tables).to_pandas().astype({"death_year": "Int64"})


def _plain(schema: pa.Schema) -> pa.Schema:
    return pa.schema(
        [pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) else f for f in schema]
    )


def write_register(
    path: str | Path,
    firm_years: int,
    *,
    years: tuple[int, int] = (2010, 2019),
    seed: int = 0,
) -> Path:
    """Write about ``firm_years`` records (Parquet, one row group per year) and return the path."""
    ys = _years(years)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    per_year = max(firm_years // len(ys), 1)
    writer = None
    try:
        for table in iter_register(per_year, years=years, seed=seed):
            table = table.cast(_plain(table.schema))
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=1_000_000)
    finally:
        if writer is not None:
            writer.close()
    return path
