"""Measures on panels larger than memory: read a Parquet panel one year at a time.

A US-size panel (3,200 counties × 1,000 sectors × 30 years = 96 M cells) does not fit as one long table
with Python strings. Here only the row groups whose statistics may hold a year (or the two years of a
shift-share period) are read, labels as Arrow dictionaries; rows of other variables or years are dropped by
comparing dictionary entries, not decoded strings. Each slice becomes a :class:`Panel` whose dense
:class:`~speerpunt.panel.Core` is built straight from the integer codes (one scatter), and the ordinary
measures run on it. The footprint is one or two years of cells, whatever the number of years in the file.
A file written one row group per year (as ``ParquetWriter`` appending year by year does) is read with one
row group per year; its years are listed from the statistics without reading. A file whose row groups span
the years (e.g. sorted by region) is first copied once, grouped by year, into a temporary folder (see
:func:`lq_by_year`), so that no row is read once per year.

Each slice is checked as a Panel would be (codes present, whole years, values numeric and not negative,
no duplicate key); a missing value without a flag gets ``':'``. Results equal those of the in-memory path
(``location_quotient`` / ``shift_share`` on the whole panel) for the same regions and sectors, as long as
the sectors are given explicitly or as ``"all"`` (the default partition is decided per slice). With
``regions=None`` a slice has the regions with a row in its years (in memory: in any year), so a region
absent for a whole year has no rows that year instead of rows with a missing value.

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

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from speerpunt.errors import DataError, Num, Text
from speerpunt.panel import COLUMNS, Core, Panel, PanelMeta

_LABEL_COLUMNS = ("region", "sector", "variable", "flag")


@dataclass(frozen=True)
class _RowGroup:
    """One row group and what its statistics say (``None``: the file has no usable statistics)."""

    file: int
    index: int
    variable: tuple[str, str] | None  # min and max of the variable column
    year: tuple[int, int] | None  # min and max of the (integer) year column
    whole: bool  # every row is of one variable and of one year (no nulls), by the statistics
    rows: int

    def may_hold(self, variable: str, years: Sequence[int] | None = None) -> bool:
        """False only when the statistics exclude every row of ``variable`` (in ``years``)."""
        if self.variable is not None and not self.variable[0] <= variable <= self.variable[1]:
            return False
        if years is None or self.year is None:
            return True
        return any(self.year[0] <= y <= self.year[1] for y in years)


class ParquetPanel:
    """A long Parquet panel (a file, or a folder of files) read one year or period at a time.

    Only the row groups whose statistics may hold the rows asked for are read (as Arrow's dataset filter
    would prune them); inside them rows are selected on the dictionary codes, not on decoded strings.
    The statistics only choose what to read: every row read is checked (variable, year, codes, values,
    duplicate keys) before it counts. Listing the years uses the statistics of row groups that hold one
    variable and one year (as written by ``ParquetWriter`` year by year) and reads the others.
    """

    def __init__(self, path: str | Path, variable: str) -> None:
        import pyarrow.parquet as pq

        self.path, self.variable = path, variable
        self.files, self.columns = [], []  # per file: a folder's files may differ in their columns
        self.groups: list[_RowGroup] = []
        for i, name in enumerate(_files(path)):
            plain = pq.ParquetFile(str(name))
            schema = plain.schema_arrow
            missing = [c for c in COLUMNS[:-1] if c not in schema.names]
            if missing:
                raise DataError(
                    Text("ms_missing_columns", file=name, columns=", ".join(missing)),
                    column=missing[0],
                )
            textual = [f.name for f in schema if f.name in _LABEL_COLUMNS and _is_text(f.type)]
            self.files.append(pq.ParquetFile(str(name), read_dictionary=textual))
            self.columns.append([c for c in COLUMNS if c in schema.names])
            self.groups += _row_groups(i, plain)

    def years(self) -> list[int]:
        """The years that have rows of the variable, sorted."""
        import pyarrow as pa

        found: set[int] = set()
        for g in self.groups:
            if not g.may_hold(self.variable):
                continue
            if g.whole and g.year is not None:
                found.add(g.year[0])
                continue
            tbl = self._read(g, ["year", "variable"])
            keep = _label_mask(tbl.column("variable"), [self.variable])
            years = _year_values(tbl.column("year").filter(pa.array(keep)), self.path)
            found.update(np.unique(years).tolist())
        return sorted(found)

    def slice(self, years: Sequence[int]) -> Panel:
        """The rows of the variable in ``years`` as a checked :class:`Panel` with its core built."""
        wanted = sorted({int(y) for y in years})
        pieces = [  # one row group at a time: each usually holds one year, known without a search
            _select(self._read(g, self.columns[g.file]), self, wanted)
            for g in self.groups
            if g.may_hold(self.variable, wanted)
        ]
        return _slice_panel(pieces, self.path, self.variable)

    def rows_to_read(self, wanted: Sequence[Sequence[int]]) -> tuple[int, int]:
        """Rows read by slicing each year set of ``wanted`` in turn, and rows of the row groups that may
        hold the variable at all (read once each)."""
        once = sum(g.rows for g in self.groups if g.may_hold(self.variable))
        read = sum(g.rows for ys in wanted for g in self.groups if g.may_hold(self.variable, ys))
        return read, once

    def regrouped(self, folder: Path, years: Sequence[int]) -> ParquetPanel | None:
        """The rows of the variable in ``years`` copied into ``folder`` in one pass, one file per year
        (and per source schema), so that each later slice reads only its own years.

        Nothing is checked or converted here beyond what selecting rows needs (variable and year; a
        fractional or empty year is refused as a slice would refuse it): every row copied is checked
        when its slice is read, and messages name the original file. ``None`` when no row is copied.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        wanted = sorted({int(y) for y in years})
        writers: dict[tuple[int, int], pq.ParquetWriter] = {}
        schemas: list = []
        try:
            for g in self.groups:
                if not g.may_hold(self.variable, wanted):
                    continue
                piece = _select(self._read(g, self.columns[g.file]), self, wanted)
                tbl = piece.table.set_column(
                    piece.table.column_names.index("year"), "year", pa.array(piece.year)
                )  # integer years: their statistics settle each file's year
                for year, part in _by_year(tbl, piece.year):
                    k = _slot(schemas, part.schema)
                    if (year, k) not in writers:
                        writers[year, k] = pq.ParquetWriter(
                            str(folder / f"year-{year}-{k}.parquet"), part.schema
                        )
                    writers[year, k].write_table(part)  # one row group per call
        finally:
            for w in writers.values():
                w.close()
        if not writers:
            return None
        copy = ParquetPanel(folder, self.variable)
        copy.path = self.path  # messages name the user's file, not the copy
        return copy

    def _read(self, group: _RowGroup, columns: list[str]):
        """One row group's ``columns``, with an all-null ``flag`` where the file has none."""
        import pyarrow as pa

        tbl = self.files[group.file].read_row_group(group.index, columns=columns)
        if "flag" not in tbl.column_names and "year" in columns and "value" in columns:
            tbl = tbl.append_column("flag", pa.nulls(len(tbl), pa.string()))  # no flag
        return tbl


def _by_year(tbl, year: np.ndarray) -> Iterator[tuple[int, object]]:
    """The rows of ``tbl`` of each distinct ``year``, in year order (one gather, then slices)."""
    import pyarrow as pa

    if len(year) == 0:
        return
    if year.min() == year.max():
        yield int(year[0]), tbl
        return
    order = np.argsort(year, kind="stable")
    tbl, year = tbl.take(pa.array(order)), year[order]
    starts = np.flatnonzero(np.diff(year)) + 1
    for a, b in zip(np.r_[0, starts], np.r_[starts, len(year)], strict=True):
        yield int(year[a]), tbl.slice(a, b - a)


#: regrouping pays when slicing year by year would read more than this many rows beyond one pass
#: (about a second of reading) and more than twice the rows of one pass
REGROUP_MIN_EXTRA_ROWS = 1_000_000


@contextmanager
def _year_grouped(
    src: ParquetPanel, wanted: Sequence[Sequence[int]], regroup: bool | None
) -> Iterator[ParquetPanel]:
    """``src``, or — when its row groups mix the years asked for — a one-pass copy grouped by year in a
    temporary folder (removed afterwards). ``regroup``: ``None`` decides by the rows each way would
    read; ``True`` copies whenever slices would read a row more than once; ``False`` never copies."""
    read, once = src.rows_to_read(wanted)
    pays = read > 2 * once and read - once >= REGROUP_MIN_EXTRA_ROWS
    if regroup is False or read <= once or (regroup is None and not pays):
        yield src
        return
    years = sorted({int(y) for ys in wanted for y in ys})
    with tempfile.TemporaryDirectory(prefix="speerpunt-years-") as tmp:
        yield src.regrouped(Path(tmp), years) or src


def _files(path: str | Path) -> list[Path]:
    """The Parquet file itself, or the data files of a folder (as Arrow's dataset lists them)."""
    if not Path(path).is_dir():
        return [Path(path)]
    import pyarrow.dataset as ds

    files = sorted(ds.dataset(str(path), format="parquet").files)
    if not files:
        raise DataError(Text("ms_no_parquet", path=path))
    return [Path(f) for f in files]


def _is_text(t) -> bool:
    import pyarrow as pa

    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t)


def _row_groups(file: int, pf) -> list[_RowGroup]:
    """Each row group with the statistics of its variable and year columns, where usable."""
    import pyarrow as pa

    meta = pf.metadata
    where = {meta.schema.column(j).path: j for j in range(meta.num_columns)}
    integer_year = pa.types.is_integer(pf.schema_arrow.field("year").type)
    out = []
    for i in range(meta.num_row_groups):
        rg = meta.row_group(i)
        var = _min_max(rg.column(where["variable"]).statistics, str)
        year = _min_max(rg.column(where["year"]).statistics, int) if integer_year else None
        whole = (
            var is not None
            and var[0] == var[1]
            and year is not None
            and year[0] == year[1]
            and _no_nulls(rg.column(where["variable"]).statistics)
            and _no_nulls(rg.column(where["year"]).statistics)
            and rg.num_rows > 0
        )
        out.append(_RowGroup(file, i, var, year, whole, rg.num_rows))
    return out


def _min_max(stats, kind: type) -> tuple | None:
    if stats is None or not stats.has_min_max:
        return None
    lo, hi = stats.min, stats.max
    if not (isinstance(lo, kind) and isinstance(hi, kind)):  # e.g. bytes without a string type
        return None
    return lo, hi


def _no_nulls(stats) -> bool:
    return stats is not None and stats.has_null_count and stats.null_count == 0


def _label_mask(col, words: Sequence[str]) -> np.ndarray:
    """Rows whose label is one of ``words``, compared on each chunk's dictionary (not per row)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = np.empty(len(col), dtype=bool)
    at = 0
    for chunk in col.chunks:
        if not pa.types.is_dictionary(chunk.type):
            chunk = pc.dictionary_encode(chunk)
        hit = pc.is_in(chunk.dictionary, value_set=pa.array(list(words), chunk.dictionary.type))
        hit = np.append(hit.fill_null(False).to_numpy(zero_copy_only=False), False)
        idx = chunk.indices
        if idx.null_count:
            idx = idx.fill_null(len(chunk.dictionary))  # a null label never matches
        np.take(hit, idx.to_numpy(), out=out[at : at + len(chunk)])
        at += len(chunk)
    return out


def _year_values(col, path: str | Path) -> np.ndarray:
    """The year column as int64, refusing empty or fractional years."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if col.null_count:
        raise DataError(Text("ms_empty_year", path=path), column="year")
    if pa.types.is_integer(col.type):
        return col.to_numpy().astype(np.int64, copy=False)
    try:
        years = pc.cast(col, pa.float64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        raise DataError(
            Text("ms_year_not_number", path=path, detail=str(e)), column="year"
        ) from None
    if not np.isfinite(years).all() or (years % 1 != 0).any():
        raise DataError(Text("ms_year_not_whole", path=path), column="year")
    return years.astype(np.int64)


class _Piece(NamedTuple):
    """The rows kept from one row group, their years, and the year when they all share one."""

    table: object
    year: np.ndarray
    single: int | None


def _select(tbl, src: ParquetPanel, years: Sequence[int]) -> _Piece:
    """The rows of the variable in ``years`` (a filter only when a row is dropped)."""
    import pyarrow as pa

    keep = _label_mask(tbl.column("variable"), [src.variable])
    if not keep.all():
        tbl = tbl.filter(pa.array(keep))
    year = _year_values(tbl.column("year"), src.path)
    if len(year) and year.min() == year.max() and int(year[0]) in years:
        return _Piece(tbl, year, int(year[0]))  # one year, asked for (a row group per year)
    keep = np.isin(year, years)
    if not keep.all():
        tbl, year = tbl.filter(pa.array(keep)), year[keep]
    return _Piece(tbl, year, None)


def parquet_years(path: str | Path, variable: str) -> list[int]:
    """The years of ``variable`` in the Parquet panel at ``path`` (statistics where they settle it)."""
    return ParquetPanel(path, variable).years()


def panel_slice(path: str | Path, variable: str, years: Sequence[int]) -> Panel:
    """The rows of ``variable`` in ``years`` as a validated :class:`Panel` with its core already built."""
    return ParquetPanel(path, variable).slice(years)


def _dictionary_codes(cols: list) -> tuple[np.ndarray, list, bool]:
    """Each row's code into the concatenated distinct dictionaries of the chunks of ``cols`` (``-1``
    where the row is null), the dictionaries, and whether any row is null. A plain column is
    dictionary-encoded first."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dicts: list = []
    parts = []
    for col in cols:
        for chunk in col.chunks:
            if not pa.types.is_dictionary(chunk.type):
                chunk = pc.dictionary_encode(chunk)
            parts.append((_slot(dicts, chunk.dictionary), chunk.indices))
    if len(parts) == 1 and not parts[0][1].null_count:  # one chunk: its indices as they are
        return parts[0][1].to_numpy(), dicts, False
    starts = np.cumsum([0] + [len(d) for d in dicts])
    codes = np.empty(sum(len(idx) for _, idx in parts), dtype=np.int32)  # as Arrow's indices
    at, nulls = 0, False
    for k, idx in parts:
        out = codes[at : at + len(idx)]
        if idx.null_count:  # rare: no zero-copy view, blank the nulls after the shift
            nulls = True
            np.add(idx.fill_null(0).to_numpy(), starts[k], out=out)
            out[idx.is_null().to_numpy(zero_copy_only=False)] = -1
        else:
            np.add(idx.to_numpy(), starts[k], out=out, casting="unsafe")
        at += len(idx)
    return codes, dicts, nulls


def _slot(dicts: list, dictionary) -> int:
    """Position of ``dictionary`` among ``dicts``, appended when new (the chunks of a row group share
    one; several row groups hold equal ones)."""
    for k, d in enumerate(dicts):
        if d is dictionary or d.equals(dictionary):
            return k
    dicts.append(dictionary)
    return len(dicts) - 1


def _words(dicts: list) -> list[object]:
    """The distinct entries of the dictionaries, in order (``None`` for a null entry)."""
    return [w for d in dicts for w in d.to_pylist()]


def _labels(cols: list, path: str | Path, name: str) -> tuple[np.ndarray, pd.Index]:
    """Codes into the sorted, stripped labels that occur, working on the distinct labels only."""
    raw, dicts, nulls = _dictionary_codes(cols)
    words = _words(dicts)
    if nulls or any(w is None for w in words):
        raise DataError(Text("ms_empty_code", path=path), column=name)
    stripped = pd.Index(np.asarray(words, dtype=object), dtype=object).astype(str).str.strip()
    inner, labels = pd.factorize(stripped, sort=True)
    # a sorted dictionary of distinct labels (as written by most writers) needs no gather
    codes = raw if np.array_equal(inner, np.arange(len(inner))) else inner[raw]
    used = np.bincount(codes, minlength=len(labels)) > 0
    if not used.all():  # a dictionary may hold labels of rows that were not asked for
        codes = (np.cumsum(used) - 1)[codes]
        labels = labels[used]
    return codes, pd.Index(np.asarray(labels, dtype=object), dtype=object)


def _flag_codes(cols: list, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's code into the sorted flag vocabulary (the file's words, ``''`` and ``':'``); a missing
    value without a flag gets ``':'``, a null flag is no flag."""
    raw, dicts, nulls = _dictionary_codes(cols)
    words = [("" if w is None else str(w).strip()) for w in _words(dicts)]
    words = np.asarray([*words, ""], dtype=object)
    if nulls:
        raw[raw < 0] = len(words) - 1  # a null flag is no flag
    f_codes, vocab = pd.factorize(np.append(words, ":"), sort=True)
    f_codes = f_codes.astype(np.uint8 if len(vocab) < 255 else np.uint16)  # small rows
    row_codes = f_codes[raw]
    row_codes[np.isnan(values) & (words == "")[raw]] = f_codes[-1]
    return row_codes, np.asarray(vocab, dtype=object)


def _values(cols: list, path: str | Path) -> np.ndarray:
    """The value column as float64 (nulls NaN), refusing negative values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = []
    for col in cols:
        if (
            pa.types.is_floating(col.type)
            or pa.types.is_integer(col.type)
            or pa.types.is_decimal(col.type)
        ):
            arrays.append(pc.cast(col, pa.float64()).to_numpy())
        else:  # text: parsed as the in-memory reader would
            arrays.append(pd.to_numeric(col.to_pandas(), errors="raise").to_numpy(dtype=float))
    values = arrays[0] if len(arrays) == 1 else np.concatenate([np.zeros(0), *arrays])
    if (values < 0).any():
        raise DataError(
            Text("ms_negative_value", path=path, value=Num(values[values < 0][0])), column="value"
        )
    return values


def _year_codes(pieces: list[_Piece]) -> tuple[np.ndarray, np.ndarray | None]:
    """The sorted distinct years and each row's position among them (``None`` when there is one year);
    no sort or search over the rows when each piece holds one year."""
    if all(p.single is not None for p in pieces):
        labels = np.array(sorted({p.single for p in pieces}), dtype=np.int64)
        if len(labels) <= 1:
            return labels, None  # every row at position 0
        at = np.searchsorted(labels, [p.single for p in pieces]).astype(np.int32)
        return labels, np.repeat(at, [len(p.year) for p in pieces])
    year_col = np.concatenate([p.year for p in pieces])
    labels = np.unique(year_col)
    return labels, np.searchsorted(labels, year_col)


def _slice_panel(pieces: list[_Piece], path: str | Path, variable: str) -> Panel:
    """One :class:`Panel` (core built from the integer codes, every row checked) from the pieces read."""
    r, regions = _labels([t.column("region") for t, *_ in pieces], path, "region")
    s, sectors = _labels([t.column("sector") for t, *_ in pieces], path, "sector")
    year_labels, y = _year_codes(pieces)
    values = _values([t.column("value") for t, *_ in pieces], path)
    row_codes, vocab = _flag_codes([t.column("flag") for t, *_ in pieces], values)
    shape = (len(year_labels), len(regions), len(sectors))
    # one flat index (y·R + r)·S + s: a 1-D scatter is the fast one
    cell = np.multiply(r, shape[2], dtype=np.int32 if np.prod(shape) < 2**31 else np.int64)
    np.add(cell, s, out=cell, casting="unsafe")  # every index fits the cell dtype
    if y is not None:
        np.add(cell, y * (shape[1] * shape[2]), out=cell, casting="unsafe")
    cube = np.full(shape, np.nan)
    cube.reshape(-1)[cell] = values
    flags = np.zeros(shape, dtype=np.uint8 if len(vocab) < 255 else np.uint16)
    flags.reshape(-1)[cell] = row_codes + 1  # 0 is ABSENT
    if np.count_nonzero(flags) != len(values):
        raise DataError(
            Text("ms_duplicate_key", path=path, variable=variable),
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
    years = [p.year for p in pieces]  # views of the Arrow buffers

    def long_table() -> pd.DataFrame:
        return pd.DataFrame(
            {
                "region": _categorical(r, regions),
                "sector": _categorical(s, sectors),
                "year": np.concatenate(years) if len(years) != 1 else years[0],
                "variable": _categorical(np.zeros(len(r), dtype=np.int8), [variable]),
                "value": values,
                "flag": _categorical(row_codes, vocab),
            },
            copy=False,
        )

    panel = _SlicePanel.__new__(_SlicePanel)
    panel.meta = PanelMeta()
    panel.__dict__.update(
        _long_table=long_table,
        regions=list(regions),
        sectors=list(sectors),
        years=[int(v) for v in year_labels],
        variables=[variable],
        _core_cache={variable: core},
    )
    return panel


class _SlicePanel(Panel):
    """A :class:`Panel` of one slice, created with its core and code lists; its long table (which the
    measures read through the core, never row by row) is built from the codes when first asked for."""

    @cached_property
    def data(self) -> pd.DataFrame:  # type: ignore[override]
        return self.__dict__.pop("_long_table")()


def _categorical(codes: np.ndarray, labels: Sequence[object]) -> pd.Categorical:
    """Codes that index ``labels`` by construction (not checked again, row by row)."""
    dtype = pd.CategoricalDtype(pd.Index(np.asarray(labels, dtype=object), dtype=object))
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def lq_by_year(
    path: str | Path,
    *,
    variable: str,
    reference: str = "country",
    years: Sequence[int] | None = None,
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = "all",
    regroup: bool | None = None,
) -> Iterator[pd.DataFrame]:
    """:func:`~speerpunt.measures.location_quotient` of each year, reading one year at a time.

    Yields one frame per year (the columns of ``location_quotient``); keep, write or reduce each before
    asking for the next so that only one year is in memory. When the file's row groups mix years (e.g.
    rows sorted by region), the rows are first copied once into a temporary folder grouped by year
    (about the file's size on disk; ``regroup``: ``None`` when it saves reading, ``True``, ``False``).
    """
    from speerpunt.measures.location_quotient import location_quotient

    src = ParquetPanel(path, variable)
    wanted = list(years) if years is not None else src.years()
    with _year_grouped(src, [[y] for y in wanted], regroup) as src:
        for year in wanted:
            yield location_quotient(
                src.slice([year]),
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
    regroup: bool | None = None,
) -> Iterator[pd.DataFrame]:
    """Dunn :func:`~speerpunt.measures.shift_share` of each ``(start, end)``, reading two years at a time
    (``regroup`` as in :func:`lq_by_year`)."""
    from speerpunt.measures.shift_share import shift_share

    src = ParquetPanel(path, variable)
    with _year_grouped(src, [list(p) for p in periods], regroup) as src:
        for start, end in periods:
            yield shift_share(
                src.slice([start, end]),
                variable=variable,
                start=start,
                end=end,
                reference=reference,
                regions=regions,
                sectors=sectors,
            )
