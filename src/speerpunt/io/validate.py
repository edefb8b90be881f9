"""Validation at the boundary: raw cells → a clean long table, or one :class:`DataError` line.

Every error names the file, the 1-based line (header = line 1; spreadsheet row for XLSX; for Parquet
the line the record would have in a CSV export), the column and what is wrong. A missing or
confidential cell stays missing (NaN) with its flag; nothing is coerced to zero or dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.classify import REGIONAL as CLASSIFY_REGIONAL
from speerpunt.classify import is_sector_code, partitions, sector_set
from speerpunt.errors import ClassificationError, DataError, MeasureError, Num, Phrase, Text
from speerpunt.io.aggregates_check import (
    AggregateReport,
    flag_suppressed,
    is_total_label,
    overlaps,
    parts_of_total,
    sector_relabels,
)
from speerpunt.io.cells import explain_cell, merge_flags, parse_values, parse_years, per_unique
from speerpunt.io.layouts import Cells
from speerpunt.io.memory import release_memory
from speerpunt.io.numbers import Convention, detect_columns, plain_cells
from speerpunt.io.summary import ReadSummary
from speerpunt.io.text import object_frame
from speerpunt.panel import COLUMNS, KEY, TOTAL, Panel

#: Eurostat's A*10 partition of the economy (C is inside B-E; G-J, K-N, O-U are sub-totals).
A10 = tuple(sector_set("a10"))
#: The codes of Eurostat's regional accounts (nama_10r_*): A10, its sub-totals, C and TOTAL.
REGIONAL = (*A10, *(c for c in CLASSIFY_REGIONAL if c not in A10), "C")
#: Rows per slice of the whole-table steps (packing, sorting, sums): a slice's temporaries take well
#: under a MB, which matters next to a small panel (a 200,000-row sheet's is 4 MB; slices of 2**20
#: rows made temporaries of 2.4 MB there) and costs nothing measurable on a large one.
SLICE_ROWS = 1 << 14


def clean(
    cells: Cells,
    *,
    scheme: str | None = None,
    parts: str | Sequence[str] | None = None,
    tolerance: float = 0.0,
    decimal: str | None = None,
    thousands: str | None = None,
    allow_parts_exceed_total: bool = False,
    sectors: str | Sequence[str] | None = None,
    check_overlaps: bool = True,
    summary: ReadSummary | None = None,
) -> pd.DataFrame:
    """Parse and check raw cells; return the long table ``COLUMNS`` plus ``line``, ``vcol``.

    The result is normalised as :class:`Panel` requires (stripped codes, int years, float values,
    ``":"`` on unflagged gaps, sorted by key), so readers build the Panel without a second pass.
    Number conventions, totals and aggregates are checked here and recorded in ``summary``.
    """
    summary = summary if summary is not None else ReadSummary(cells.file)
    d = cells.data.reset_index(drop=True)
    file = cells.file
    cols = parse_cells(d, cells, lambda d: _read_numbers(d, cells, decimal, thousands, summary))
    relabels = sector_relabels(sorted(set(cols["sector"])))
    if relabels:
        cols["sector"] = pd.Series(cols["sector"]).replace(relabels).to_numpy(dtype=object)
        summary.sector_relabels = relabels
    out = object_frame(cols, len(d))
    out = _sorted_unique(out, file, cells.names.get("region", "region"))
    if scheme is not None:
        check_scheme(out, scheme, file=file)
    _check_aggregates(
        out,
        file,
        scheme=scheme,
        parts=parts,
        tolerance=tolerance,
        allow=allow_parts_exceed_total,
        sectors=sectors,
        check_overlaps=check_overlaps,
        summary=summary,
    )
    return out


def parse_cells(d: pd.DataFrame, cells: Cells, read_numbers) -> dict[str, object]:
    """Per-row parsing of raw cells ``d`` (codes, years, values, flags): columns of the long table.

    ``read_numbers(d)`` gives the value cells in plain form (see :func:`_read_numbers`); the streaming
    reader passes its own, which keeps the convention of the first block. Rows are checked one by one
    here; checks over the whole table (duplicates, totals) come after.
    """
    file = cells.file
    cols: dict[str, object] = {"line": d["line"].to_numpy(), "vcol": d["vcol"].to_numpy()}
    for role in ("region", "sector", "variable"):
        cols[role] = _codes(d[role], d, file, cells.names.get(role, role), role)
    years, bad = parse_years(d["year"])
    _fail_first(
        bad,
        d,
        file,
        cells.names.get("year", "year"),
        lambda i: Text("io_bad_year", year=repr(d["year"].iloc[i])),
    )
    cols["year"] = years
    raw_values = read_numbers(d)
    value, flag, bad = parse_values(raw_values)
    _fail_first(bad, d, file, None, lambda i: explain_cell(raw_values.iloc[i]))
    extra, bad = per_unique(d["flag"], _flag_cells)
    _fail_first(
        bad,
        d,
        file,
        cells.names.get("flag", "flag"),
        lambda i: Text("io_bad_flag", flag=repr(d["flag"].iloc[i])),
    )
    cols["value"] = value
    negative = value < 0
    _fail_first(
        negative,
        d,
        file,
        None,
        lambda i: Text("io_negative_value", value=Num(value[i], "g")),
    )
    merged = merge_flags(flag, extra)
    cols["flag"] = np.where(np.isnan(value) & (merged == ""), ":", merged).astype(object)
    return cols


def _read_numbers(
    d: pd.DataFrame,
    cells: Cells,
    decimal: str | None,
    thousands: str | None,
    summary: ReadSummary,
) -> pd.Series:
    """Value cells in plain form, with the number conventions detected (or given) in the summary."""
    if cells.fixed_numbers:
        decimal, thousands = ".", ""
    plain = plain_conventions(d) if decimal is None and thousands is None else None
    if plain is not None:
        conventions, values = plain
        describe_numbers(conventions, decimal, thousands, summary)
        return values.reset_index(drop=True)
    conventions, values, warnings = detect_columns(
        d[["value", "vcol", "line"]], file=cells.file, decimal=decimal, thousands=thousands
    )
    summary.warnings += warnings
    describe_numbers(conventions, decimal, thousands, summary)
    return values.reset_index(drop=True)


def plain_conventions(d: pd.DataFrame) -> tuple[dict[str, Convention], pd.Series] | None:
    """What :func:`detect_columns` finds for value cells all in plain form, without its passes.

    When every cell is in plain form (:func:`speerpunt.io.numbers.plain_cells`) and one number
    somewhere settles the point as the decimal separator (or no number has a point), detection gives
    each column with a point ``decimal '.'``, the others ``no decimals``, and leaves the cells as
    they are; the columns share the point as they share a convention in detection. Bare numbers come
    back as floats. None otherwise (detection decides, and words any ambiguity).
    """
    found = plain_cells(d["value"])
    if found is None or (found.point and not found.settles_point):
        return None
    pointed = set(pd.unique(d["vcol"].to_numpy()[found.points]).tolist())
    conventions = {
        str(v): Convention("." if v in pointed else None, "", False) for v in pd.unique(d["vcol"])
    }
    values = d["value"] if found.values is None else pd.Series(found.values, index=d.index)
    return conventions, values


def describe_numbers(
    conventions: dict, decimal: str | None, thousands: str | None, summary: ReadSummary
) -> None:
    """``summary.numbers`` (and per column when they differ) from the conventions of the columns."""
    described = {col: conv.describe() for col, conv in conventions.items()}
    kinds = sorted(set(described.values()))
    with_sep = sorted({v for v in kinds if v != "no decimals"})
    if len(with_sep) <= 1:
        summary.numbers = with_sep[0] if with_sep else ("no decimals" if kinds else "")
    else:
        summary.numbers = "differs by column"
        summary.numbers_by_column = described
    if decimal is not None or thousands is not None:
        given = [f"decimal '{decimal}'" if decimal is not None else ""]
        given.append(f"thousands '{thousands}'" if thousands is not None else "")
        summary.numbers += f" (as given: {', '.join(g for g in given if g)})"


def _check_aggregates(
    out: pd.DataFrame,
    file: str,
    *,
    scheme: str | None,
    parts: str | Sequence[str] | None,
    tolerance: float,
    allow: bool,
    sectors: str | Sequence[str] | None,
    check_overlaps: bool,
    summary: ReadSummary,
) -> None:
    """Totals, overlapping aggregates, parts against the total and suppressed-looking zeros."""
    present = sorted(set(out["sector"].unique()))
    found = overlaps(present)
    partition, auto_parts = parts_of_total(present, found)
    report = AggregateReport(overlaps=found, partition=partition, parts=auto_parts)
    summary.totals = [TOTAL] if TOTAL in present else []
    summary.totals += [
        f"region '{r}' (a total label: use it as the reference, not as a region)"
        for r in sorted(set(out["region"].unique()))
        if is_total_label(r)
    ]
    summary.aggregates = [f"{a} is inside {b}" for a, b in found]
    if parts is None and scheme is not None:
        parts = _default_parts(scheme)
    checked = _parts_codes(parts) if parts is not None else auto_parts
    if TOTAL in present and checked:
        how = f"the {partition} partition" if partition else "the sectors inside no other"
        if parts is not None:
            how = "as requested"
        sep = "; " if any("," in c for c in checked) else ", "
        summary.parts_of_total = f"{sep.join(checked)} ({how})"
        if allow:
            bad = parts_excess(out, checked, TOTAL, tolerance)
            if not bad.empty:
                summary.warnings.append(Text("io_warn_parts_allowed", n=Num(len(bad))))
        else:
            _raise_parts(out, checked, TOTAL, tolerance, file)
        release_memory()  # the check's slices, before the next step allocates
    if found:
        use = Text("io_use_partition", partition=partition) if partition else Text("io_use_sectors")
        summary.warnings.append(
            Text(
                "io_warn_overlaps",
                pairs=Phrase("; ".join(summary.aggregates[:4])),
                more=" …" if len(found) > 4 else "",
                use=use,
            )
        )
    if found and check_overlaps and partition is None:
        _refuse_overlap(out, found, sectors, file)
    flag_suppressed(out, found, report)
    summary.suppressed = report.suppressed
    summary.suppressed_examples = report.suppressed_examples


def _refuse_overlap(out: pd.DataFrame, found: list[tuple[str, str]], sectors, file: str) -> None:
    """Sectors that contain each other may not be summed: refuse unless a choice avoids it."""
    from speerpunt.classify.aggregates import is_code_list, split_codes

    if isinstance(sectors, str) and not is_code_list(sectors) and sectors.lower() != "all":
        return  # a scheme: the measures take its codes
    if sectors is not None and not (isinstance(sectors, str) and sectors.lower() == "all"):
        chosen = split_codes(sectors) if isinstance(sectors, str) else list(sectors)
        pairs = [(a, b) for a, b in found if a in chosen and b in chosen]
        if not pairs:
            return
        found = pairs
    part, whole = found[0]
    line = int(out.loc[out["sector"] == part, "line"].min())
    inside = {a for a, _ in found}
    top = [s for s in sorted(set(out["sector"].unique())) if s != TOTAL and s not in inside]
    example = ",".join(f'"{s}"' if "," in s else s for s in top[:12])  # see split_codes
    raise DataError(
        Text("io_overlap", part=part, whole=whole, example=example),
        file=file,
        row=line,
        column="sector",
    )


def _flag_cells(distinct: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    text = distinct.fillna("").astype(str).str.strip()
    bad = ~text.str.fullmatch(r":?\s*[a-z]*").to_numpy(dtype=bool)
    return text.str.replace(r"\s+", "", regex=True).to_numpy(dtype=object), bad


def _sorted_unique(out: pd.DataFrame, file: str, column: str, text: bool = True) -> pd.DataFrame:
    """Sort by key (on integer codes: fast) and raise on the earliest duplicate key in the file.

    ``text=False`` keeps the code columns as they are (the streaming reader's categoricals).
    """
    codes = [pd.factorize(out[k], sort=True)[0] for k in KEY]
    order = np.lexsort(codes[::-1])
    keys = np.stack([c[order] for c in codes], axis=1)
    same = np.zeros(len(out), dtype=bool)
    same[1:] = (keys[1:] == keys[:-1]).all(axis=1)
    out = out.iloc[order].reset_index(drop=True)
    if same.any():
        lines = out["line"].to_numpy()
        dups = np.flatnonzero(same)
        i = int(dups[np.argmin(lines[dups])])
        first = i
        while same[first]:
            first -= 1
        row = out.iloc[i]
        raise DataError(
            Text("io_duplicate_key", **{k: row[k] for k in KEY}, first=out["line"].iloc[first]),
            file=file,
            row=int(row["line"]),
            column=column,
        )
    for col in ("region", "sector", "variable", "flag") if text else ():
        out[col] = _as_str(out[col])
    return out


def _as_str(column: pd.Series) -> pd.Series:
    """Object strings → pandas' string dtype, converting each distinct value once."""
    codes, uniques = pd.factorize(column)
    return pd.Series(
        pd.array(np.asarray(uniques, dtype=object), dtype="str").take(codes), index=column.index
    )


def check_scheme(df: pd.DataFrame, scheme: str, *, file: str | None = None) -> None:
    """Raise when a sector code belongs neither to ``scheme`` nor to NACE Rev. 2.

    A scheme is ``regional`` (the codes of Eurostat's regional accounts), ``nace`` or any scheme of
    :func:`speerpunt.classify.sector_set` (``a10``, ``a21``, ``a38``, ``a64``, ``divisions`` …). Codes of
    the scheme, ``TOTAL`` and every other NACE Rev. 2 code or Eurostat aggregate are known (a file with
    ``C`` next to the A*10 codes is fine: measures pick the scheme's sectors); anything else — a typo,
    an own label — is an error.
    """
    sectors = pd.Series(df["sector"].unique())
    unknown = df["sector"].isin(sectors[~sectors.isin(_scheme_codes(scheme, sectors))]).to_numpy()
    if not unknown.any():
        return
    rows = np.flatnonzero(unknown)
    # The earliest offending line of the file (the table is sorted by key, not by line).
    at = int(rows[np.argmin(df["line"].to_numpy()[rows])]) if "line" in df else int(rows[0])
    code = df["sector"].iloc[at]
    in_header = "vcol" in df and df["vcol"].iloc[at] == code
    # A wide file has its sector codes in the header: point there.
    line = 1 if in_header else int(df["line"].iloc[at]) if "line" in df else None
    column = code if in_header else "sector"
    raise DataError(
        Text("io_unknown_sector", code=code, scheme=scheme), file=file, row=line, column=column
    )


def _scheme_codes(scheme: str, sectors: pd.Series) -> set[str]:
    key = scheme.strip().lower()
    if key in ("regional", "nama"):
        own = set(REGIONAL)
    else:
        try:
            own = {*sector_set(key), TOTAL}
        except ClassificationError as exc:
            raise DataError(Text("io_or_regional", message=exc.message), column="scheme") from None
    # One NACE test per distinct code (a few dozen), not per row.
    return own | {c for c in sectors if c not in own and is_sector_code(c)}


def _default_parts(scheme: str) -> list[str]:
    """The partition checked against TOTAL when a scheme is requested."""
    return partitions().get(scheme.strip().lower(), list(A10))


def validate_parts(
    panel: Panel, *, total: str = TOTAL, parts: str | Sequence[str] = A10, tolerance: float = 0.0
) -> None:
    """Raise :class:`DataError` when parts of a partition add up to more than their total.

    A group (region, year, variable) fails when ``Σ parts − total > tolerance · total + r``,
    where ``r`` allows for rounding: half a unit of the last published digit of each cell involved
    (0.05 in a series published as 12.3, 0.5 in one published as 12). Missing parts count as absent
    (the others still may not exceed the total); groups without a total are skipped.

    >>> df = pd.DataFrame({"region": "R", "sector": ["A", "B", "TOTAL"], "year": 2000,
    ...                    "variable": "employment", "value": [8.0, 5.0, 10.0]})
    >>> validate_parts(Panel(df), parts=["A", "B"])
    Traceback (most recent call last):
    speerpunt.errors.DataError: column 'TOTAL': sectors A, B sum to 13, above TOTAL 10 by 3 (allowed 1.5) for region R, year 2000, variable employment
    """
    _raise_parts(panel.data, parts, total, tolerance, panel.meta.name)


def parts_excess(
    df: pd.DataFrame, parts: Sequence[str], total: str = TOTAL, tolerance: float = 0.0
) -> pd.DataFrame:
    """Groups whose parts exceed the total: region, year, variable, parts_sum, total, excess, allowed.

    Sums run per group over integer group numbers (no region × sector table is built), and the group
    numbers are made a slice at a time (:class:`_SliceIds`), so the check costs little memory beside
    the table on large files and small ones alike.
    """
    columns = ["region", "year", "variable", "parts_sum", "total", "excess", "allowed"]
    parts = list(parts)
    keep = in_values(df["sector"], [*parts, total])
    names = ["region", "sector", "year", "variable", "value"]
    # Without a row to drop, take the columns as they are (no copy under copy-on-write).
    sub = df[names] if keep.all() else df.loc[keep, names]
    del keep
    is_total = in_values(sub["sector"], [total])
    if not is_total.any() or is_total.all():
        return pd.DataFrame(columns=columns)
    value = sub["value"].to_numpy(dtype=float)
    rows, step = len(value), SLICE_ROWS
    # Rounding allowance: half a unit of the last digit the series (region, sector, variable) is
    # published with, so 3.0 in a series of tenths counts as a tenth, and whole Danish thousands
    # next to a TOTAL in tenths (2018) each get their own allowance.
    series = _SliceIds(sub, ["region", "sector", "variable"])
    series_max = np.zeros(series.size, dtype=np.int8)
    for start in range(0, rows, step):
        np.maximum.at(series_max, series.at(start, step), _decimals(value[start : start + step]))
    release_memory()  # the slices of _decimals and the packing (see speerpunt.io.memory)
    # Half a unit per series (few), gathered a slice at a time below: no row-sized temporaries.
    half_series = 0.5 * 10.0 ** (-series_max.astype(float))
    group = _SliceIds(sub, ["region", "year", "variable"])
    n = group.bound()
    summed, rounding, tot = np.zeros(n), np.zeros(n), np.full(n, np.nan)
    counted = np.zeros(n, dtype=np.int64)
    for start in range(0, rows, step):
        g, v = group.at(start, step), value[start : start + step]
        totals = is_total[start : start + step]
        missing = np.isnan(v)
        known = ~totals & ~missing
        # add.at adds in row order, as one bincount over all rows would: the same sums, bit for bit.
        np.add.at(summed, g[known], v[known])
        counted += np.bincount(g[known], minlength=n)
        half = half_series[series.at(start, step)]
        half[missing] = 0.0
        np.add.at(rounding, g, half)
        tot[g[totals]] = v[totals]  # one TOTAL row per group (keys are unique)
    del series
    parts_sum = np.where(counted > 0, summed, np.nan)
    allowed = tolerance * tot + rounding
    excess = parts_sum - tot
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero((excess > allowed + 1e-9) & ~np.isnan(tot))
    if not len(bad):
        return pd.DataFrame(columns=columns)
    ids = np.concatenate([group.at(start, step) for start in range(0, rows, step)])
    first = np.full(n, -1)
    first[ids[::-1]] = np.arange(rows)[::-1]
    rows_bad = sub.iloc[first[bad]]
    out = pd.DataFrame(
        {
            "region": rows_bad["region"].to_numpy(),
            "year": rows_bad["year"].to_numpy(),
            "variable": rows_bad["variable"].to_numpy(),
            "parts_sum": parts_sum[bad],
            "total": tot[bad],
            "excess": excess[bad],
            "allowed": allowed[bad],
        }
    )
    return out.sort_values(["region", "year", "variable"]).reset_index(drop=True)


class _SliceIds:
    """Group numbers of the rows by ``columns``, given a slice at a time.

    When the columns' codes pack densely (the product of their sizes at most 4× the rows), a slice's
    numbers are packed from the codes when asked for (:func:`pack_codes`): no row-sized array is kept.
    Otherwise they are made once for all rows (:func:`_group_ids`).
    """

    def __init__(self, frame: pd.DataFrame, columns: list[str]) -> None:
        self.parts = _group_parts(frame, columns)
        self.ids: np.ndarray | None = None
        if self.parts is None or self.parts[1] > 4 * len(frame) + 1024:
            self.ids, self.size = _group_ids(frame, columns, self.parts)
            self.parts = None
        else:
            self.size = self.parts[1]

    def at(self, start: int, step: int) -> np.ndarray:
        """The numbers of rows ``start`` to ``start + step`` (fewer at the end)."""
        if self.ids is not None:
            return self.ids[start : start + step]
        codes = [(c[start : start + step], shift, k) for c, shift, k in self.parts[0]]
        return pack_codes(codes, len(codes[0][0]))

    def bound(self) -> int:
        """One more than the largest number (0 without rows), as ``ids.max() + 1``."""
        if self.ids is not None:
            return int(self.ids.max()) + 1 if len(self.ids) else 0
        top = 0
        for start in range(0, len(self.parts[0][0][0]), SLICE_ROWS):
            top = max(top, int(self.at(start, SLICE_ROWS).max()) + 1)
        return top


def codes_of(column: pd.Series) -> np.ndarray:
    """The integer codes of a categorical column, without a copy.

    ``column.cat.codes`` copies them (pandas 3 copies an array it makes a Series of): on a large table
    that is a row-sized array per code column, for nothing.
    """
    return column.array.codes


def in_values(column: pd.Series, values) -> np.ndarray:
    """``column.isin(values).to_numpy()``, with only the boolean result allocated for a categorical.

    pandas' ``isin`` on a categorical makes row-sized int64 temporaries of the codes (2 MB for a
    200,000-row table, next to a 4 MB panel); here a table over the categories is looked up per code
    (the code -1 of a missing value looks up the extra ``False`` at the end).

    >>> in_values(pd.Series(["b", "a", None, "c"], dtype="category"), ["a", "c"]).tolist()
    [False, True, False, True]
    """
    values = list(values)
    if not isinstance(column.dtype, pd.CategoricalDtype) or any(pd.isna(v) for v in values):
        return column.isin(values).to_numpy()
    table = np.append(column.cat.categories.isin(values), False)
    return table[codes_of(column)]


def _group_parts(
    frame: pd.DataFrame, columns: list[str]
) -> tuple[list[tuple[np.ndarray, int, int]], int] | None:
    """``(codes, shift, size)`` per column for :func:`pack_codes` and the product of the sizes, or
    None when that product reaches 2**62.

    Categoricals give their codes; integer columns with a small range (years) are used as offsets from
    their minimum, without hashing; anything else is factorized.
    """
    parts, size = [], 1
    for col in columns:
        s = frame[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            codes, shift, k = codes_of(s), 0, len(s.cat.categories)
        elif s.dtype.kind in "iu" and len(s) and int(s.max()) - int(s.min()) < 1 << 20:
            codes, shift = s.to_numpy(), int(s.min())
            k = int(s.max()) - shift + 1
        else:
            codes, uniques = pd.factorize(s)
            shift, k = 0, len(uniques)
        if size * max(k, 1) >= 2**62:
            return None
        parts.append((codes, shift, max(k, 1)))
        size *= max(k, 1)
    return parts, size


def _group_ids(
    frame: pd.DataFrame, columns: list[str], packed: tuple | None = None
) -> tuple[np.ndarray, int]:
    """Group numbers of the rows by ``columns`` (int32 when they fit, not dense when that costs little)
    and their bound.

    The codes of the columns are packed into one integer (:func:`_group_parts`, or ``packed`` when
    already made), so no per-column int64 codes pile up as in ``groupby().ngroup()`` (which a large
    file's memory cannot afford).
    """
    packed = packed if packed is not None else _group_parts(frame, columns)
    if packed is None:
        ids = frame.groupby(columns, sort=False, observed=True).ngroup().to_numpy()
        return ids, int(ids.max()) + 1 if len(ids) else 0
    parts, size = packed
    key = pack_codes(parts, len(frame))
    if size > 4 * len(frame) + 1024:
        _, key = np.unique(key, return_inverse=True)
        size = int(key.max()) + 1 if len(key) else 0
    return key, size


def pack_codes(parts: Sequence[tuple[np.ndarray, int, int]], n: int) -> np.ndarray:
    """One integer per row from ``(codes, shift, size)`` per column: ``((c0 - s0) · k1 + c1 - s1) · k2 …``.

    Lexicographic order of the columns is numeric order of the result. int32 when the product of the
    sizes fits (int64 otherwise; the caller keeps it below 2**62), built a slice at a time so that no
    row-sized temporary is made.

    >>> pack_codes([(np.array([0, 1]), 0, 2), (np.array([2000, 2001]), 2000, 3)], 2).tolist()
    [0, 4]
    """
    total = float(np.prod([float(k) for _, _, k in parts]))
    key = np.zeros(n, dtype=np.int32 if total < 2**31 else np.int64)
    step = SLICE_ROWS
    for start in range(0, n, step):
        part = key[start : start + step]
        for codes, shift, k in parts:
            part *= k
            part += codes[start : start + step].astype(key.dtype) - shift
    return key


def sort_rows(parts: Sequence[tuple[np.ndarray, int, int]], n: int) -> tuple[np.ndarray, bool]:
    """The stable order of rows by the packed ``parts`` (see :func:`pack_codes`) and whether two rows
    share a key.

    When the packed key fits in 31 bits, each row is sorted as one int64 ``key · 2**32 + row``, built a
    slice at a time: an in-place sort gives the order of a stable argsort (ties broken by row) with a
    4-byte order and no row-sized key or sort buffer besides.

    >>> order, dup = sort_rows([(np.array([3, 1, 3, 0]), 0, 4)], 4)
    >>> order.tolist(), dup
    ([3, 1, 0, 2], True)
    """
    step = SLICE_ROWS
    if float(np.prod([float(k) for _, _, k in parts])) >= 2**31 or n >= 2**31:
        key = pack_codes(parts, n)
        order = np.argsort(key, kind="stable")
        dup = any(
            bool((k[1:] == k[:-1]).any())
            for k in (key[order[i : i + step + 1]] for i in range(0, n, step))
        )
        return order, dup
    combined = np.empty(n, dtype=np.int64)
    for start in range(0, n, step):
        part = combined[start : start + step]
        part[:] = pack_codes([(c[start : start + step], sh, k) for c, sh, k in parts], len(part))
        part <<= 32
        part |= np.arange(start, start + len(part), dtype=np.int64)
    combined.sort()
    order = np.empty(n, dtype=np.int32)
    dup = False
    for start in range(0, n, step):
        order[start : start + step] = combined[start : start + step] & 0xFFFFFFFF
        k = combined[start : start + step + 1] >> 32
        dup = dup or bool((k[1:] == k[:-1]).any())
    return order, dup


def by_sector(df: pd.DataFrame) -> pd.DataFrame:
    """Values with one row per (region, year, variable) and one column per sector."""
    return df.pivot_table(
        index=["region", "year", "variable"],
        columns="sector",
        values="value",
        aggfunc="first",
        dropna=False,
    )


def _raise_parts(
    df: pd.DataFrame, parts: str | Sequence[str], total: str, tolerance: float, file: str | None
) -> None:
    codes = _parts_codes(parts)
    bad = parts_excess(df, codes, total, tolerance)
    if bad.empty:
        return
    line = column = None
    if "line" in df:
        # Report the offending TOTAL cell that comes first in the file.
        totals = df.loc[df["sector"] == total, ["region", "year", "variable", "line", "vcol"]]
        bad = bad.merge(totals, on=["region", "year", "variable"]).sort_values("line")
        line, column = int(bad["line"].iloc[0]), str(bad["vcol"].iloc[0])
    g = bad.iloc[0]
    present = [p for p in codes if p in set(df["sector"].unique())]
    raise DataError(
        Text(
            "io_parts_exceed",
            parts=", ".join(present),
            parts_sum=Num(g["parts_sum"], ".10g"),
            total=total,
            total_value=Num(g["total"], ".10g"),
            excess=Num(g["excess"], ".4g"),
            allowed=Num(g["allowed"], ".4g"),
            region=g["region"],
            year=g["year"],
            variable=g["variable"],
        ),
        file=file,
        row=line,
        column=column if column not in (None, "value") else total,
    )


def _parts_codes(parts: str | Sequence[str]) -> list[str]:
    if isinstance(parts, str):
        try:
            return [c for c in sector_set(parts) if c != TOTAL]
        except ClassificationError as exc:
            raise DataError(exc.message, column="parts") from None
    return list(parts)


def require_reference(
    panel: Panel, code: str, *, variable: str | None = None, years: Sequence[int] = ()
) -> None:
    """Raise :class:`MeasureError` when reference region ``code`` is absent (for ``variable``/``years``).

    The message lists the regions that share the code's first two letters, to spot a typo.

    >>> df = pd.DataFrame({"region": ["BE", "BE21"], "sector": "A", "year": 2000,
    ...                    "variable": "employment", "value": [1.0, 0.5]})
    >>> require_reference(Panel(df), "BE2")
    Traceback (most recent call last):
    speerpunt.errors.MeasureError: column 'reference': reference region 'BE2' is not in the data (similar: BE, BE21)
    """
    d = panel.data if variable is None else panel.data[panel.data["variable"] == variable]
    regions = set(d["region"])
    if code not in regions:
        similar = sorted(r for r in regions if r[:2] == code[:2])[:10]
        hint = Text("io_similar", codes=", ".join(similar)) if similar else ""
        raise MeasureError(Text("io_no_reference", code=code, hint=hint), column="reference")
    # The reference's own years and variable: Panel.require words those errors.
    panel.select(regions=[code]).require(variable=variable, years=years)


def _codes(raw: pd.Series, d: pd.DataFrame, file: str, column: str, role: str) -> np.ndarray:
    (text,) = per_unique(raw, _code_cells)
    _fail_first(
        text == "", d, file, column, lambda i: Text("io_empty_code", role=Text(f"rv_role_{role}"))
    )
    return text


def _code_cells(distinct: pd.Series) -> tuple[np.ndarray]:
    text = distinct.where(distinct.notna(), "").astype(str).str.strip()
    # Spreadsheets turn codes like 2008 or 10 into floats: give back "10", not "10.0".
    return (text.str.replace(r"^(\d+)\.0$", r"\1", regex=True).to_numpy(dtype=object),)


def _fail_first(bad: np.ndarray, d: pd.DataFrame, file: str, column: str | None, why) -> None:
    if not bad.any():
        return
    i = int(np.flatnonzero(bad)[0])
    col = column if column not in (None, "header") else str(d["vcol"].iloc[i])
    line = 1 if column == "header" else int(d["line"].iloc[i])
    raise DataError(why(i), file=file, row=line, column=col)


def _decimals(values: np.ndarray) -> np.ndarray:
    """Number of decimals (0–6) each value was published with; NaN counts as 0."""
    digits = np.full(values.shape, 6, dtype=np.int8)
    # In slices of 65,536 values: three float work arrays of 0.5 MB each, whatever the file's size
    # (a 200,000-row sheet in one slice made 6 MB of them, more than the panel's own 4 MB).
    step = SLICE_ROWS
    for start in range(0, len(values), step):
        v = values[start : start + step].astype(float)
        np.abs(v, out=v)
        np.nan_to_num(v, copy=False)
        part = digits[start : start + len(v)]
        # Two work arrays reused for every k (in place: the same numbers as new arrays each time).
        scaled, rounded = np.empty_like(v), np.empty_like(v)
        for k in range(6, -1, -1):
            np.multiply(v, 10.0**k, out=scaled)
            np.round(scaled, out=rounded)
            np.subtract(scaled, rounded, out=scaled)
            np.abs(scaled, out=scaled)
            part[scaled <= 1e-6] = k
    return digits


def to_panel_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The checked table without the bookkeeping columns."""
    return df[COLUMNS]
