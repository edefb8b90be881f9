"""Measures on panels larger than memory: read a Parquet panel one year at a time.

A US-size panel (3,200 counties × 1,000 sectors × 30 years = 96 M cells) does not fit as one long table
with Python strings. Here the file is read as an Arrow dataset with a filter per year (or per pair of
years for a shift-share period), codes as Arrow dictionaries; each slice becomes a :class:`Panel` whose
dense :class:`~speerpunt.panel.Core` is built straight from the integer codes, and the ordinary measures
run on it. The footprint is one or two years of cells, whatever the number of years in the file.

Each slice is checked as a Panel would be (codes present, whole years, values numeric and not negative,
no duplicate key); a missing value without a flag gets ``':'``. Results equal those of the in-memory path
(``location_quotient`` / ``shift_share`` on the whole panel) for the same regions and sectors, as long as
the sectors are given explicitly or as ``"all"`` (the default partition is decided per slice).

Example
-------
>>> import tempfile, pathlib, pandas as pd
>>> df = pd.DataFrame({"region": ["R", "R", "N", "N"] * 2, "sector": ["A", "B"] * 4,
...                    "year": [2000] * 4 + [2001] * 4, "variable": "employment",
...                    "value": [30.0, 70.0, 100.0, 900.0, 30.0, 90.0, 100.0, 900.0]})
>>> path = pathlib.Path(tempfile.mkdtemp()) / "p.parquet"
>>> df.to_parquet(path)
>>> frames = lq_by_year(path, variable="employment", reference="N", regions=["R"], sectors="all")
>>> [(int(f["year"].iloc[0]), f["lq"].round(4).tolist()) for f in frames]
[(2000, [3.0, 0.7778]), (2001, [2.5, 0.8333])]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from speerpunt.errors import DataError
from speerpunt.panel import COLUMNS, Core, Panel, PanelMeta


def _dataset(path: str | Path):
    import pyarrow.dataset as ds

    fmt = ds.ParquetFileFormat(
        read_options=ds.ParquetReadOptions(
            dictionary_columns=["region", "sector", "variable", "flag"]
        )
    )
    data = ds.dataset(str(path), format=fmt)
    missing = [c for c in COLUMNS[:-1] if c not in data.schema.names]
    if missing:
        raise DataError(
            f"{path}: missing required column(s): {', '.join(missing)}", column=missing[0]
        )
    return data


def parquet_years(path: str | Path, variable: str) -> list[int]:
    """The years of ``variable`` in the Parquet panel at ``path`` (reads the two columns only)."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    data = _dataset(path)
    tbl = data.to_table(columns=["year"], filter=ds.field("variable") == variable)
    years = pc.unique(tbl["year"]).to_numpy(zero_copy_only=False)
    if pd.isna(years).any() or (np.asarray(years, dtype=float) % 1 != 0).any():
        raise DataError(f"{path}: a year of '{variable}' is not a whole number", column="year")
    return sorted(int(y) for y in years)


def _labels(col: pd.Series, path: str | Path, name: str) -> tuple[np.ndarray, pd.Index]:
    """Integer codes into sorted, stripped labels, working on the distinct labels only."""
    cat = col.astype("category") if not isinstance(col.dtype, pd.CategoricalDtype) else col
    codes = cat.cat.codes.to_numpy()
    if (codes < 0).any():
        raise DataError(f"{path}: empty code", column=name)
    stripped = pd.Index(cat.cat.categories.astype(str)).str.strip()
    inner, labels = pd.factorize(stripped, sort=True)
    return inner[codes], pd.Index(np.asarray(labels, dtype=object), dtype=object)


def panel_slice(path: str | Path, variable: str, years: Sequence[int]) -> Panel:
    """The rows of ``variable`` in ``years`` as a validated :class:`Panel` with its core already built."""
    import pyarrow.dataset as ds

    data = _dataset(path)
    cols = [c for c in COLUMNS if c in data.schema.names]
    flt = (ds.field("variable") == variable) & ds.field("year").isin(list(years))
    frame = data.to_table(columns=cols, filter=flt).to_pandas()
    if "flag" not in frame.columns:
        frame["flag"] = ""
    r, regions = _labels(frame["region"], path, "region")
    s, sectors = _labels(frame["sector"], path, "sector")
    year_col = frame["year"].to_numpy(dtype=np.int64)
    year_labels = np.unique(np.asarray(years, dtype=np.int64))  # the filter keeps only these
    y = np.minimum(np.searchsorted(year_labels, year_col), len(year_labels) - 1)
    if not (year_labels[y] == year_col).all():
        raise DataError(f"{path}: the year filter returned other years", column="year")
    year_labels = year_labels[np.bincount(y, minlength=len(year_labels)) > 0]
    y = np.searchsorted(year_labels, year_col)
    values = pd.to_numeric(frame["value"], errors="raise").to_numpy(dtype=float)
    if (values < 0).any():
        raise DataError(f"{path}: negative value {values[values < 0][0]}", column="value")
    flag = frame["flag"].astype("category") if frame["flag"].dtype != "category" else frame["flag"]
    f_cats = pd.Index(flag.cat.categories.astype(str)).str.strip()
    words = np.append(np.asarray(f_cats, dtype=object), "")
    f_raw = flag.cat.codes.to_numpy().astype(np.int64)
    f_raw[f_raw < 0] = len(words) - 1  # a null flag is no flag
    word = np.asarray(words, dtype=object)
    missing_unflagged = np.isnan(values) & (word == "")[f_raw]
    # the vocabulary: the file's words, '' and ':'
    f_codes, vocab = pd.factorize(np.append(word, ":"), sort=True)
    row_codes = f_codes[f_raw]
    row_codes[missing_unflagged] = f_codes[-1]
    shape = (len(year_labels), len(regions), len(sectors))
    cell = (y * shape[1] + r) * shape[2] + s  # one flat index: 1-D scatter is the fast one
    cube = np.full(shape, np.nan)
    cube.reshape(-1)[cell] = values
    flags = np.zeros(shape, dtype=np.uint8 if len(vocab) < 255 else np.uint16)
    flags.reshape(-1)[cell] = row_codes + 1
    if np.count_nonzero(flags) != len(frame):
        raise DataError(
            f"{path}: duplicate key (region, sector, year, variable) for '{variable}'",
            column="region",
        )
    core = Core(
        regions,
        sectors,
        pd.Index(np.asarray(year_labels, dtype=np.int64)),
        cube,
        flags,
        np.concatenate([[":"], np.asarray(vocab, dtype=object)]).astype(object),
    )
    # A long table for anything that is not read from the core (built from the codes, no parsing).
    frame = pd.DataFrame(
        {
            "region": pd.Categorical.from_codes(r, categories=regions),
            "sector": pd.Categorical.from_codes(s, categories=sectors),
            "year": year_col,
            "variable": pd.Categorical.from_codes(np.zeros(len(r), dtype=np.int8), [variable]),
            "value": values,
            "flag": pd.Categorical.from_codes(row_codes, categories=vocab),
        },
        copy=False,
    )
    panel = Panel._trusted(frame, PanelMeta())
    panel.__dict__.update(
        regions=list(regions),
        sectors=list(sectors),
        years=[int(v) for v in year_labels],
        variables=[variable],
        _core_cache={variable: core},
    )
    return panel


def lq_by_year(
    path: str | Path,
    *,
    variable: str,
    reference: str = "country",
    years: Sequence[int] | None = None,
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = "all",
) -> Iterator[pd.DataFrame]:
    """:func:`~speerpunt.measures.location_quotient` of each year, reading one year at a time.

    Yields one frame per year (the columns of ``location_quotient``); keep, write or reduce each before
    asking for the next so that only one year is in memory.
    """
    from speerpunt.measures.location_quotient import location_quotient

    for year in years if years is not None else parquet_years(path, variable):
        panel = panel_slice(path, variable, [year])
        yield location_quotient(
            panel,
            variable=variable,
            year=year,
            reference=reference,
            regions=regions,
            sectors=sectors,
        )


def shift_share_by_period(
    path: str | Path,
    *,
    variable: str,
    periods: Sequence[tuple[int, int]],
    reference: str = "country",
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = "all",
) -> Iterator[pd.DataFrame]:
    """Dunn :func:`~speerpunt.measures.shift_share` of each ``(start, end)``, reading two years at a time."""
    from speerpunt.measures.shift_share import shift_share

    for start, end in periods:
        panel = panel_slice(path, variable, [start, end])
        yield shift_share(
            panel,
            variable=variable,
            start=start,
            end=end,
            reference=reference,
            regions=regions,
            sectors=sectors,
        )
