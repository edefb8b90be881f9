"""Firm records: read from Parquet/CSV, validated once at the boundary, trusted inside.

A firm record is one firm in one year::

    firm_id, year, region, nace, employees [, turnover, value_added, birth_year, death_year, size_class]

``region`` is a NIS code at any level (municipality ``11002`` … region ``02000``), ``nace`` a NACE code at
any level (section ``C``, division ``20``, group ``20.1``, class ``20.14``, NACE-BEL subclass ``20.140``;
dots optional). Every check runs on the engine (DuckDB or Spark), so a file of hundreds of millions of
records is never pulled into Python.

Bad input is a one-line :class:`~speerpunt.errors.DataError` naming the file, the record (firm and
year), the column and the problem: a missing column, duplicate firm-years, employees missing, negative
or fractional, a year or amount that is not a number, unknown NIS or NACE codes. Firms that move region
or sector between years are allowed: they are counted and reported (:attr:`FirmRecords.report`), and
each firm-year counts where the firm was that year.

>>> import pandas as pd
>>> df = pd.DataFrame({"firm_id": [1, 1, 2], "year": [2019, 2020, 2020], "region": ["11002"] * 3,
...                    "nace": ["20.14", "20.14", "46"], "employees": [3, 4, 0]})
>>> recs = load_records(df)
>>> recs.report.rows, recs.report.firms, recs.report.sector_moves
(3, 2, 0)
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import pandas as pd

from speerpunt.classify.nace import nace_table
from speerpunt.errors import DataError, MeasureError, Text
from speerpunt.firms import remember as remembered
from speerpunt.firms.engine import DEFAULT_MASTER, connect, engine_name, read_table, to_pandas
from speerpunt.firms.territory import is_nis

REQUIRED = ("firm_id", "year", "region", "nace", "employees")
AMOUNTS = ("turnover", "value_added")
YEARS = ("birth_year", "death_year")
NACE_LEVELS = {"section": 1, "division": 2, "group": 3, "class": 4, "subclass": 5}


@cache
def nacebel_codes() -> frozenset[str]:
    """NACE-BEL 2008 subclass codes (5 characters, ``X`` where the 5th digit is unknown; ``XXXXX``)."""
    with (
        resources.files("speerpunt.firms")
        .joinpath("data/nacebel_2008.csv")
        .open(encoding="utf-8") as f
    ):
        return frozenset(pd.read_csv(f, dtype=str, usecols=["code"])["code"])


@cache
def _nace_depths() -> dict[str, int]:
    table = nace_table()
    depths = {code.replace(".", ""): int(level) for code, level in table["level"].items()}
    depths |= {code: 5 for code in nacebel_codes()}
    return depths


def nace_depth(code: str) -> int | None:
    """1 (section) … 5 (NACE-BEL subclass) for a dotless code, ``None`` when unknown.

    >>> nace_depth("C"), nace_depth("2014"), nace_depth("20140"), nace_depth("2099")
    (1, 4, 5, None)
    """
    return _nace_depths().get(code)


@dataclass(frozen=True)
class RecordsReport:
    """What was found in the records besides errors: counts that a reader must see."""

    source: str
    rows: int
    firms: int
    first_year: int
    last_year: int
    region_moves: int
    sector_moves: int
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per reported case: ``case, count, note``."""
        rows = [
            ("firm-years", self.rows, f"{self.first_year}–{self.last_year}"),
            ("firms", self.firms, ""),
            (
                "firms moving region",
                self.region_moves,
                "counted in the region of each year",
            ),
            (
                "firms moving sector",
                self.sector_moves,
                "counted in the sector of each year",
            ),
        ]
        rows += [("note", None, n) for n in self.notes]
        return pd.DataFrame(rows, columns=["case", "count", "note"])


@dataclass(frozen=True)
class FirmRecords:
    """Validated firm records on an engine: an Ibis table with normalised columns and a report.

    Columns of :attr:`table`: ``firm_id`` (as read: integer or text), ``year`` (int), ``region`` (NIS code),
    ``nace`` (dotless, upper case), ``employees`` (int) and the optional ones that were present.
    """

    con: object
    table: object
    report: RecordsReport
    columns: tuple[str, ...]
    nace_min_depth: int
    region_codes: frozenset[str] = field(default_factory=frozenset)
    nace_codes: frozenset[str] = field(default_factory=frozenset)

    @property
    def engine(self) -> str:
        return engine_name(self.con)

    @property
    def source(self) -> str:
        return self.report.source

    def execute(self, expr) -> pd.DataFrame:
        """Run an expression built on :attr:`table` on this records' engine."""
        return to_pandas(self.con, expr)

    def require_depth(self, level: str) -> int:
        """The depth of NACE ``level``; an error when the records are coarser than that."""
        if level not in NACE_LEVELS:
            raise MeasureError(
                Text("fr_unknown_nace_level", level=level, choices=", ".join(NACE_LEVELS)),
                column="nace_level",
            )
        depth = NACE_LEVELS[level]
        if depth > self.nace_min_depth:
            coarsest = [k for k, v in NACE_LEVELS.items() if v == self.nace_min_depth][0]
            raise MeasureError(
                Text("fr_nace_too_coarse", coarsest=coarsest, level=level),
                file=self.source,
                column="nace",
            )
        return depth

    def require(self, column: str) -> None:
        if column not in self.columns:
            raise MeasureError(Text("fr_no_column", column=column), file=self.source, column=column)


def load_records(
    source: str | Path | pd.DataFrame,
    *,
    engine: str = "duckdb",
    master: str = DEFAULT_MASTER,
    con=None,
    name: str | None = None,
    remember: bool = True,
    recheck: bool = False,
) -> FirmRecords:
    """Read and validate firm records from a Parquet/CSV file (or a DataFrame) on an engine.

    Parameters
    ----------
    source : path or DataFrame
        One record per firm and year (see the module docstring for the columns).
    engine : {"duckdb", "spark"}
        Where the checks and later measures run (ignored when ``con`` is given).
    master : str
        Spark master URL.
    con : Ibis backend, optional
        An existing connection (from :func:`speerpunt.firms.engine.connect`).
    name : str, optional
        The name used in messages (default: the file name, or ``records``).
    remember : bool
        Remember that an unchanged file passed, so that the next load skips the passes
        (:mod:`speerpunt.firms.remember`; never for a DataFrame).
    recheck : bool
        Run the passes even when the file passed before (and remember the new result).

    Returns
    -------
    FirmRecords

    Raises
    ------
    DataError
        One line naming the file, the record, the column and the problem.
    """
    con = con if con is not None else connect(engine, master)
    label = name or (Path(source).name if not isinstance(source, pd.DataFrame) else "records")
    raw = read_table(con, source)
    present = {c.lower(): c for c in raw.columns}
    missing = [c for c in REQUIRED if c not in present]
    if missing:
        raise DataError(
            Text("fr_missing_required", columns=", ".join(missing), required=", ".join(REQUIRED)),
            file=label,
            column=missing[0],
        )
    raw = (
        raw.rename({v: k for k, v in present.items() if k != v})
        if any(k != v for k, v in present.items())
        else raw
    )
    optional = [c for c in (*AMOUNTS, *YEARS) if c in present]
    _check_text_codes(raw, label)
    entry = None
    if remember and not isinstance(source, pd.DataFrame):
        entry = remembered.Entry.of(Path(source), engine_name(con))
    known = None if recheck else _Known.from_json(remembered.recall(entry))
    if known is None:
        # Three passes over the records: values and region codes, NACE codes, then one per firm.
        scan = _scan(con, raw, optional, label)
        codes = _check_codes(con, raw, scan, label)
        t = _normalise(raw, optional, codes.clean_region, codes.clean_nace)
        report = _report(con, t, label, scan, codes, "size_class" in present)
        remembered.remember(entry, _Known(scan, codes, report).to_json())
    else:  # the same file passed before: what the passes found, without reading the records
        scan, codes = known.scan, known.codes
        t = _normalise(raw, optional, codes.clean_region, codes.clean_nace)
        again = (
            f"validated on {known.validated_at}; the file has not changed since, so its checks "
            "were not run again",
        )
        report = dataclasses.replace(
            known.report, source=label, notes=_notes("size_class" in present) + again
        )
    return FirmRecords(
        con=con,
        table=t,
        report=report,
        columns=(*REQUIRED, *optional),
        nace_min_depth=codes.min_depth,
        region_codes=frozenset(codes.regions),
        nace_codes=frozenset(codes.naces),
    )


def _check_text_codes(raw, label: str) -> None:
    for col in ("region", "nace"):
        if not raw[col].type().is_string():
            raise DataError(
                Text("fr_must_be_text", found=str(raw[col].type())),
                file=label,
                column=col,
            )


def _norm_region(col):
    return col.strip()


def _norm_nace(col):
    return col.strip().upper().replace(".", "")


def _normalise(raw, optional: Sequence[str], clean_region: bool, clean_nace: bool):
    # Integer ids stay integers (joins and counts on 10⁸ rows are much cheaper than on text), and
    # codes already written the normalised way are read as they are.
    firm = raw.firm_id.strip() if raw.firm_id.type().is_string() else raw.firm_id
    cols = {
        "firm_id": firm,
        "year": _integer(raw.year),
        "region": raw.region if clean_region else _norm_region(raw.region),
        "nace": raw.nace if clean_nace else _norm_nace(raw.nace),
        "employees": _integer(raw.employees),
    }
    for c in optional:
        cols[c] = _number(raw[c]) if c in AMOUNTS else _integer(raw[c])
    return raw.select(**cols)


def _integer(col):
    # Integer columns keep their width: sums widen on both engines, and a cast per row costs.
    return col if col.type().is_integer() else _number(col).cast("int64")


def _number(col):
    return col.strip().try_cast("float64") if col.type().is_string() else col.cast("float64")


@dataclass(frozen=True)
class _Scan:
    """What the first pass over the raw records found: per raw region code, and over all records."""

    regions: pd.DataFrame  # region, n, h (key of the normalised code)
    rows: int
    first_year: int
    last_year: int
    # Smallest and largest integer firm id (None for text ids): sizes DuckDB's per-firm table.
    firm_range: tuple[int, int] | None = None


@dataclass(frozen=True)
class _Check:
    """One bad-value condition: the records meeting ``cond`` are wrong in ``column``.

    ``detect`` is an aggregate that is above 0 exactly when some record meets ``cond``: the number of
    such records, or where ``counts`` is false only whether there are any. Where it can be, it is one
    that a Parquet reader answers from the file's statistics without reading a value: the non-null
    count of a typed column (missing values) and its minimum (negative values, ``counts`` false).
    """

    cond: object
    column: str
    detect: object
    from_statistics: bool = False  # whether ``detect`` can be answered without reading values
    counts: bool = True


def _value_checks(raw, optional: Sequence[str]) -> dict[str, _Check]:
    """Every bad-value condition, by name ``<column>_<kind>``.

    Conditions that cannot hold for the column's type are left out (an integer column has no fractional
    values, a numeric column no text that fails to parse), so typed Parquet files pay only for the rest.
    """
    checks: dict[str, _Check] = {}

    def add(key: str, cond, col: str, detect=None, counts: bool = True) -> None:
        if detect is None:
            checks[key] = _Check(cond, col, cond.fill_null(False).cast("int64").sum())
        else:
            checks[key] = _Check(cond, col, detect, from_statistics=True, counts=counts)

    def missing(col: str) -> None:
        # a typed column's nulls: the row count less its non-null count, known from the statistics
        typed = None if raw[col].type().is_string() else raw.count() - raw[col].count()
        add(f"{col}_missing", _blank(raw[col]), col, typed)

    # Blank regions and NACE codes are found from the group keys of passes 1 and 2, not per record.
    for col in ("firm_id", "year"):
        missing(col)
    for col in ("year", "employees", *optional):
        if raw[col].type().is_string():
            add(
                f"{col}_nan",
                raw[col].notnull() & _number(raw[col]).isnull() & ~_blank(raw[col]),
                col,
            )
    missing("employees")
    numeric = raw.employees.type().is_numeric()
    emp = raw.employees if numeric else _number(raw.employees)
    lowest = (emp.min() < 0).fill_null(False).cast("int64") if numeric else None
    add("employees_negative", emp < 0, "employees", lowest, counts=False)
    for col in ("employees", "year", *(c for c in optional if c not in AMOUNTS)):
        if not raw[col].type().is_integer():
            v = _number(raw[col])
            add(f"{col}_fractional", v != v.floor(), col)
    return checks


def _scan(con, raw, optional: Sequence[str], label: str) -> _Scan:
    """Pass 1: whether any value is bad, the records, their first and last year, the region codes.

    When every check can be answered from a Parquet file's statistics (typed columns, see
    :class:`_Check`) and the engine reads them (DuckDB), this is one aggregate over all records, which
    reads no value, and one count per raw region code: at 100 M firm-years 0.00 s and 0.32 s, where
    counting bad values per region code took 1.45 s. Otherwise (text columns from a CSV file, Spark) the
    checks are counted per region code in one aggregate, so a CSV file is parsed once. A bad value is
    refused here, before anything else reads the records; its first example (and its count, where
    the detector did not count) comes from a query run only then.
    """
    checks = _value_checks(raw, optional)
    year = raw.year if raw.year.type().is_integer() else _number(raw.year)
    aggs = {"n": raw.count(), "first": year.min(), "last": year.max()}
    if raw.firm_id.type().is_integer():
        aggs |= {"firm_lo": raw.firm_id.min(), "firm_hi": raw.firm_id.max()}
    aggs |= {k: c.detect for k, c in checks.items()}
    # The region codes are hashed after grouping: once per code, not per record (see _report).
    key = {"h": lambda g: _region_key(_norm_region(g.region))}
    if engine_name(con) == "duckdb" and all(c.from_statistics for c in checks.values()):
        totals = con.execute(raw.aggregate(**aggs)).iloc[0]
        regions = con.execute(raw.group_by("region").aggregate(n=raw.count()).mutate(**key))
    else:
        regions = con.execute(raw.group_by("region").aggregate(**aggs).mutate(**key))
        totals = regions[list(aggs)].agg({k: _combine(k) for k in aggs})
    _refuse_blank(con, raw, regions, "region", label)
    _refuse_bad_values(con, raw, checks, totals, label)
    rows = int(totals["n"])
    if not rows:
        raise DataError(Text("fr_no_records"), file=label)
    return _Scan(
        regions=regions[["region", "n", "h"]],
        rows=rows,
        first_year=int(totals["first"]),
        last_year=int(totals["last"]),
        firm_range=(int(totals["firm_lo"]), int(totals["firm_hi"])) if "firm_lo" in aggs else None,
    )


def _combine(name: str) -> str:
    """How per-region values of a pass 1 aggregate add up to the value over all records."""
    return {"first": "min", "firm_lo": "min", "last": "max", "firm_hi": "max"}.get(name, "sum")


#: Catalogue ids of what is wrong with a value (missing value, not a number, …), by check.
_WHY = {
    "missing": "fr_why_missing",
    "nan": "fr_why_nan",
    "negative": "fr_why_negative",
    "fractional": "fr_why_fractional",
}


def _refuse_bad_values(con, raw, checks: dict[str, _Check], found: pd.Series, label: str) -> None:
    """Refuse the first check (in order) whose detector fired, with the number of records it holds
    (counted only when the detector did not count them)."""
    for key, check in checks.items():
        if pd.notna(found[key]) and found[key] > 0:
            cond = check.cond.fill_null(False)
            n = int(found[key]) if check.counts else int(con.execute(raw.filter(cond).count()))
            _refuse_rows(con, raw, check.cond, n, key.rsplit("_", 1)[1], check.column, label)


def _refuse_blank(con, raw, groups: pd.DataFrame, col: str, label: str) -> None:
    """Refuse blank codes, found among the group keys ``groups[col]`` (with their record counts ``n``)."""
    keys = groups[col]
    blank = keys.isna() | (keys.astype(str).str.strip() == "")
    _refuse_rows(
        con, raw, _blank(raw[col]), int(groups.loc[blank, "n"].sum()), "missing", col, label
    )


def _refuse_rows(con, raw, cond, n: int, kind: str, col: str, label: str) -> None:
    """When ``n`` records meet ``cond``, refuse with the first one as the example."""
    if n:
        shown = list(dict.fromkeys(["firm_id", "year", col]))
        row = con.execute(raw.filter(cond.fill_null(False)).select(*shown).limit(1)).iloc[0]
        raise DataError(
            Text(
                "fr_bad_row",
                why=Text(_WHY[kind]),
                value=_shown(row[col], quoted=True),
                firm=_shown(row["firm_id"]),
                year=_shown(row["year"]),
                count=Text("fr_n_records" if n > 1 else "fr_n_record", n=n),
            ),
            file=label,
            column=col,
        )


def _shown(value, quoted: bool = False) -> object:
    """A cell as a message shows it: ``(empty)`` for a missing one, typed numbers as written.

    >>> import numpy as np
    >>> print(_shown(np.int32(-3), quoted=True), _shown(2019.0), _shown(None), _shown(2.5, True))
    '-3' 2019 (empty) '2.5'
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return Text("fr_empty")
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an integer column with a missing cell arrives as floats
    return repr(str(value)) if quoted else str(value)


def _blank(col):
    if col.type().is_string():
        return col.isnull() | (col.strip() == "")
    return col.isnull()


def _refuse_unknown(con, raw, bad: pd.DataFrame, kind: str, label: str, column: str) -> None:
    """Refuse the first unknown code (sorted) of ``bad`` (``code, n`` per distinct raw code ``column``).

    The firm named is the smallest id with that code, fetched only when there is an error.
    """
    if len(bad):
        code = bad["code"].min()
        spellings = bad.loc[bad["code"] == code, column].tolist()
        firm = con.execute(raw.filter(raw[column].isin(spellings)).firm_id.min())
        raise DataError(
            Text(
                "fr_unknown_kind_code",
                kind=kind,
                code=code,
                firm=firm,
                n=int(bad["n"].sum()),
                k=len(bad),
            ),
            file=label,
            column=column,
        )


@dataclass(frozen=True)
class _Codes:
    regions: set[str]
    naces: set[str]
    min_depth: int
    clean_region: bool
    clean_nace: bool
    # Whether the engine's hash tells the (normalised) codes apart: then moves compare hashes.
    # Whether the keys (truncated hashes) tell the codes present apart: then moves compare keys.
    keys_ok: bool


def _check_codes(con, raw, scan: _Scan, label: str) -> _Codes:
    """Validate the distinct region and NACE codes (a few thousand, checked in Python).

    The region codes come from pass 1; the NACE codes from pass 2 (one aggregate per raw NACE code).
    Also says whether each column is already written the normalised way (then the engines read it as
    is, without per-row string functions).
    """
    codes = con.execute(
        raw.group_by("nace")
        .aggregate(n=raw.count())
        .mutate(h=lambda g: _nace_key(_norm_nace(g.nace)))
    )
    _refuse_blank(con, raw, codes, "nace", label)
    regions = scan.regions.copy()
    regions["code"] = regions["region"].astype(str).str.strip()
    _refuse_unknown(con, raw, regions[~regions["code"].map(is_nis)], "NIS", label, "region")
    codes["code"] = codes["nace"].astype(str).str.strip().str.upper().str.replace(".", "")
    depth = codes["code"].map(nace_depth)
    _refuse_unknown(con, raw, codes[depth.isna()], "NACE", label, "nace")
    return _Codes(
        regions=set(regions["code"]),
        naces=set(codes["code"]),
        min_depth=int(depth.min()) if len(depth) else 5,
        clean_region=bool((regions["code"] == regions["region"]).all()),
        clean_nace=bool((codes["code"] == codes["nace"]).all()),
        keys_ok=_hash_tells_apart(regions) and _hash_tells_apart(codes),
    )


def _hash_tells_apart(codes: pd.DataFrame) -> bool:
    """True when no two distinct codes share a hash (Spark's hash has 32 bits: collisions can occur)."""
    pairs = codes[["code", "h"]].drop_duplicates()
    return bool(pairs["code"].is_unique and pairs["h"].is_unique)


@ibis.udf.scalar.builtin(name="hash")
def _hash(x: str) -> dt.int32:  # type: ignore[empty-body]
    """The engine's own hash of a code (64 bits, unsigned, on DuckDB; 32 on Spark).

    Ibis's ``hash()`` turns DuckDB's unsigned result into a signed one through a bit string, which costs
    more than the hash itself on 10⁸ records; only equality of hashes matters here. Declared 32-bit (the
    narrower of the two) so that Ibis writes the casts to 64 bits that Spark needs before a shift.
    """


@ibis.udf.agg.builtin(name="bit_or")
def _bit_or(x: int) -> int:  # type: ignore[empty-body]
    """Bitwise OR of a column (DuckDB and Spark SQL both have ``bit_or``)."""


@ibis.udf.agg.builtin(name="bit_and")
def _bit_and(x: int) -> int:  # type: ignore[empty-body]
    """Bitwise AND of a column (DuckDB and Spark SQL both have ``bit_and``)."""


_LOW32 = 0xFFFFFFFF


def _region_key(col):
    """31 bits of the region code's hash, placed in bits 32-62 of a 64-bit integer."""
    # Cast before shifting: on Spark the masked hash is a 32-bit integer and would shift modulo 32.
    return (_hash(col) & 0x7FFFFFFF).cast("int64") << 32


def _nace_key(col):
    """32 bits of the NACE code's hash, in bits 0-31 (the 64-bit mask keeps them non-negative)."""
    # Masked before the cast: DuckDB's hash is unsigned, and a cast of values ≥ 2⁶³ would overflow.
    return (_hash(col) & _LOW32).cast("int64")


@ibis.udf.scalar.builtin(name="bit_count")
def _bit_count(x: int) -> int:  # type: ignore[empty-body]
    """Number of set bits (DuckDB and Spark SQL both have ``bit_count``)."""


#: Years a per-firm bitmask can hold (bits 0 … 62 of a signed 64-bit integer).
MASK_YEARS = 63
#: Years a 32-bit mask can hold (bits 0 … 30).
MASK_YEARS_32 = 31


def _moves(t, keys_ok: bool) -> tuple[dict, object]:
    """Per-firm aggregates that tell whether a firm moved, and a function of them → (region, sector).

    With ``keys_ok`` both codes are packed into one integer ``key = region_key | nace_key``; a firm's
    records all carry the same key exactly when the OR and the AND of their keys agree, and the bits
    where they differ say which part moved. Two aggregates of integers cost about half of four
    minimums and maximums of strings on DuckDB. Exact: the keys of the codes present were checked to be
    distinct. Otherwise the codes are compared as text (smallest against largest).
    """
    if keys_ok:
        key = _region_key(t.region) | _nace_key(t.nace)

        def moved(f):
            diff = f.key_or ^ f.key_and
            return (diff >> 32) != 0, (diff & _LOW32) != 0

        return {"key_or": _bit_or(key), "key_and": _bit_and(key)}, moved
    aggs = {"r0": t.region.min(), "r1": t.region.max(), "s0": t.nace.min(), "s1": t.nace.max()}
    return aggs, lambda f: (f.r0 != f.r1, f.s0 != f.s1)


def _report(con, t, label: str, scan: _Scan, codes: _Codes, has_size_class: bool) -> RecordsReport:
    """Pass 3, one aggregate per firm: duplicate firm-years (an error), firms and moves (reported).

    A firm's years are a bitmask ``bit_or(1 << (year - first_year))``: its years are distinct exactly
    when the mask has as many set bits as the firm has records (a repeated year sets no new bit). E.g.
    records in 2010, 2012, 2012 with first year 2010 give mask ``0b101``: 2 bits for 3 records, a
    duplicate. A mask never has more bits than records, so it is enough to compare the bits of all
    masks with the number of records: one aggregate state per firm fewer (a per-firm record count)
    made this pass about a tenth cheaper in CPU time at 10 M firm-years. Moves: see :func:`_moves`.
    """
    move_aggs, moved = _moves(t, codes.keys_ok)
    use_mask = scan.last_year - scan.first_year < MASK_YEARS
    aggs = dict(move_aggs)
    if use_mask:
        # 32-bit masks when the years fit: the per-firm states are narrower, ≈ 7 % off this pass at
        # 100 M firm-years (3.99 → 3.73 s); a plain literal 1 is a 32-bit integer on Spark.
        width = "int32" if scan.last_year - scan.first_year < MASK_YEARS_32 else "int64"
        one = ibis.literal(1).cast(width)
        aggs["years"] = _bit_or(one << (t.year - scan.first_year).cast(width))
    per_firm = t.group_by("firm_id").aggregate(**aggs)
    totals = {
        "firms": per_firm.count(),
        "region_moves": moved(per_firm)[0].cast("int64").sum(),
        "sector_moves": moved(per_firm)[1].cast("int64").sum(),
    }
    if use_mask:
        totals["firm_years"] = _bit_count(per_firm.years).cast("int64").sum()
    with _direct_firm_table(con, scan.firm_range):
        a = con.execute(per_firm.aggregate(**totals)).iloc[0]
    if use_mask:
        # Each firm's mask has at most as many bits as it has records, so the masks' bits add up to the
        # number of records exactly when no firm repeats a year.
        duplicated = int(a["firm_years"] or 0) != scan.rows
    else:
        # Years spanning more than the mask holds: count distinct (firm, year) pairs instead.
        duplicated = int(con.execute(t.select("firm_id", "year").distinct().count())) != scan.rows
    if duplicated:
        _refuse_duplicates(con, t, label)
    return RecordsReport(
        source=label,
        rows=scan.rows,
        firms=int(a["firms"]),
        first_year=scan.first_year,
        last_year=scan.last_year,
        region_moves=int(a["region_moves"] or 0),
        sector_moves=int(a["sector_moves"] or 0),
        notes=_notes(has_size_class),
    )


def _notes(has_size_class: bool) -> tuple[str, ...]:
    if not has_size_class:
        return ()
    return (
        "the size_class column is not used: size classes are derived from employees "
        "with the bounds each measure is given",
    )


@dataclass(frozen=True)
class _Known:
    """What the three passes found about a file, as remembered (:mod:`speerpunt.firms.remember`)."""

    scan: _Scan
    codes: _Codes
    report: RecordsReport
    validated_at: str = ""  # UTC, to the second

    def to_json(self) -> dict:
        s, c, r = self.scan, self.codes, self.report
        now = datetime.datetime.now(datetime.UTC)
        return {
            "validated_at": now.strftime("%Y-%m-%d %H:%M:%S UTC"),
            "rows": s.rows,
            "first_year": s.first_year,
            "last_year": s.last_year,
            "firm_range": list(s.firm_range) if s.firm_range else None,
            "regions": sorted(c.regions),
            "naces": sorted(c.naces),
            "min_depth": c.min_depth,
            "clean_region": c.clean_region,
            "clean_nace": c.clean_nace,
            "keys_ok": c.keys_ok,
            "firms": r.firms,
            "region_moves": r.region_moves,
            "sector_moves": r.sector_moves,
        }

    @classmethod
    def from_json(cls, d: dict | None) -> _Known | None:
        if not d:
            return None
        try:
            scan = _Scan(
                regions=pd.DataFrame(),  # only the code check reads it, and that was done
                rows=int(d["rows"]),
                first_year=int(d["first_year"]),
                last_year=int(d["last_year"]),
                firm_range=tuple(int(v) for v in d["firm_range"]) if d["firm_range"] else None,
            )
            codes = _Codes(
                regions={str(v) for v in d["regions"]},
                naces={str(v) for v in d["naces"]},
                min_depth=int(d["min_depth"]),
                clean_region=bool(d["clean_region"]),
                clean_nace=bool(d["clean_nace"]),
                keys_ok=bool(d["keys_ok"]),
            )
            report = RecordsReport(
                source="",
                rows=scan.rows,
                firms=int(d["firms"]),
                first_year=scan.first_year,
                last_year=scan.last_year,
                region_moves=int(d["region_moves"]),
                sector_moves=int(d["sector_moves"]),
            )
            validated_at = str(d["validated_at"])
        except (KeyError, TypeError, ValueError):
            return None  # an entry of another shape: validate again
        return cls(scan, codes, report, validated_at)


#: Largest per-firm table DuckDB may index directly by firm id (2²⁴ slots ≈ 16.8 M firm ids).
DIRECT_BITS = 24
#: Bytes one slot of the direct per-firm table takes (three 64-bit states and their flags), measured:
#: 2.57 GB peak for 2²⁴ slots with two threads, each thread and the merged result holding a table.
SLOT_BYTES = 48


@contextmanager
def _direct_firm_table(con, firm_range: tuple[int, int] | None):
    """On DuckDB, let the per-firm aggregate index its table by firm id when the ids span few values.

    DuckDB aggregates integer keys whose range (known from the Parquet statistics) fits in
    ``perfect_ht_threshold`` bits into a table indexed by the key instead of a hash table; the default
    (12 bits) is far below a register's firm ids. Raising it for this one query to the ids' span made
    the per-firm pass at 10 M firm-years (1.6 M firms) about a third faster and at 100 M firm-years
    (16.1 M firms, 24 bits) 2.6× cheaper in CPU time (19.1 s → 7.2 s, load 8). Such a table is not
    spilled: every thread fills its own and one more holds the merge, so it is used only when
    ``(threads + 1) × 2^bits × SLOT_BYTES`` fits in DuckDB's memory limit (and ``bits`` ≤
    :data:`DIRECT_BITS`); otherwise the hash table (which can spill) is used, as before. Results are
    the same; other engines are left as they are.
    """
    bits = None
    if firm_range is not None and engine_name(con) == "duckdb":
        bits = max(12, (firm_range[1] - firm_range[0]).bit_length())
    if bits is None or bits > DIRECT_BITS or not _direct_table_fits(con, bits):
        yield
        return
    con.raw_sql(f"SET perfect_ht_threshold = {bits}")
    try:
        yield
    finally:
        con.raw_sql("RESET perfect_ht_threshold")


def _direct_table_fits(con, bits: int) -> bool:
    """Whether the direct per-firm tables of all DuckDB threads fit in its memory limit."""
    threads, limit = con.raw_sql(
        "select current_setting('threads'), current_setting('memory_limit')"
    ).fetchone()
    return (int(threads) + 1) * (1 << bits) * SLOT_BYTES <= _bytes(str(limit))


_UNITS = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
_UNITS |= {"KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}


def _bytes(size: str) -> float:
    """DuckDB's spelling of a size in bytes.

    >>> _bytes("2.7 GiB"), _bytes("3.0 GB"), _bytes("512 MiB")
    (2899102924.8, 3000000000.0, 536870912.0)
    """
    number, unit = size.split()
    return float(number) * _UNITS[unit.upper()]


def _refuse_duplicates(con, t, label: str) -> None:
    """The one-line error for duplicate firm-years (only run when there are some)."""
    dups = t.group_by(["firm_id", "year"]).aggregate(n=t.count()).filter(lambda d: d.n > 1)
    n_dup = int(con.execute(dups.count()))
    first = con.execute(dups.order_by(["firm_id", "year"]).limit(1)).iloc[0]
    raise DataError(
        Text(
            "fr_duplicate",
            firm=first["firm_id"],
            n=first["n"],
            year=first["year"],
            count=Text("fr_n_dups" if n_dup > 1 else "fr_n_dup", n=n_dup),
        ),
        file=label,
        column="firm_id",
    )
