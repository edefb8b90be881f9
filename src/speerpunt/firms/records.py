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

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import ibis
import pandas as pd

from speerpunt.classify.nace import nace_table
from speerpunt.errors import DataError, MeasureError
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
                f"unknown NACE level '{level}' (choose from {', '.join(NACE_LEVELS)})",
                column="nace_level",
            )
        depth = NACE_LEVELS[level]
        if depth > self.nace_min_depth:
            coarsest = [k for k, v in NACE_LEVELS.items() if v == self.nace_min_depth][0]
            raise MeasureError(
                f"the records have NACE codes at the {coarsest} level; they cannot be split to the "
                f"{level} level",
                file=self.source,
                column="nace",
            )
        return depth

    def require(self, column: str) -> None:
        if column not in self.columns:
            raise MeasureError(
                f"the records have no '{column}' column", file=self.source, column=column
            )


def load_records(
    source: str | Path | pd.DataFrame,
    *,
    engine: str = "duckdb",
    master: str = DEFAULT_MASTER,
    con=None,
    name: str | None = None,
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
            f"missing required column(s): {', '.join(missing)} (need {', '.join(REQUIRED)})",
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
    _check_values(con, raw, optional, label)
    regions, naces, depth, clean_region, clean_nace = _check_codes(con, raw, label)
    t = _normalise(raw, optional, clean_region, clean_nace)
    report = _report(con, t, label, "size_class" in present)
    return FirmRecords(
        con=con,
        table=t,
        report=report,
        columns=(*REQUIRED, *optional),
        nace_min_depth=depth,
        region_codes=frozenset(regions),
        nace_codes=frozenset(naces),
    )


def _check_text_codes(raw, label: str) -> None:
    for col in ("region", "nace"):
        if not raw[col].type().is_string():
            raise DataError(
                f"must be text (codes keep their leading zeros), found {raw[col].type()}",
                file=label,
                column=col,
            )


def _normalise(raw, optional: Sequence[str], clean_region: bool, clean_nace: bool):
    # Integer ids stay integers (joins and counts on 10⁸ rows are much cheaper than on text), and
    # codes already written the normalised way are read as they are.
    firm = raw.firm_id.strip() if raw.firm_id.type().is_string() else raw.firm_id
    cols = {
        "firm_id": firm,
        "year": _integer(raw.year),
        "region": raw.region if clean_region else raw.region.strip(),
        "nace": raw.nace if clean_nace else raw.nace.strip().upper().replace(".", ""),
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


def _check_values(con, raw, optional: Sequence[str], label: str) -> None:
    """One aggregate pass counts every bad value; a second query fetches the first example."""
    checks: dict[str, tuple[object, str]] = {}
    for col in ("firm_id", "year", "region", "nace"):
        checks[f"{col}_missing"] = (_blank(raw[col]), col)
    for col in ("year", "employees", *optional):
        checks[f"{col}_nan"] = (
            raw[col].notnull() & _number(raw[col]).isnull() & ~_blank(raw[col]),
            col,
        )
    emp = _number(raw.employees)
    checks["employees_missing"] = (_blank(raw.employees), "employees")
    checks["employees_negative"] = (emp < 0, "employees")
    checks["employees_fractional"] = (emp != emp.floor(), "employees")
    checks["year_fractional"] = (_number(raw.year) != _number(raw.year).floor(), "year")
    for col in optional:
        if col in AMOUNTS:
            continue
        v = _number(raw[col])
        checks[f"{col}_fractional"] = (v != v.floor(), col)
    counts = con.execute(
        raw.aggregate(
            **{k: cond.fill_null(False).cast("int64").sum() for k, (cond, _) in checks.items()}
        )
    ).iloc[0]
    why = {
        "missing": "missing value",
        "nan": "not a number",
        "negative": "negative number of employees",
        "fractional": "not a whole number",
    }
    for key, (cond, col) in checks.items():
        n = int(counts[key] or 0)
        if n:
            shown = list(dict.fromkeys(["firm_id", "year", col]))
            ex = con.execute(raw.filter(cond.fill_null(False)).select(*shown).limit(1))
            row = ex.iloc[0]
            kind = key.rsplit("_", 1)[1]
            raise DataError(
                f"{why[kind]} {row[col]!r} for firm {row['firm_id']} in {row['year']} "
                f"({n} record{'s' if n > 1 else ''})",
                file=label,
                column=col,
            )


def _blank(col):
    if col.type().is_string():
        return col.isnull() | (col.strip() == "")
    return col.isnull()


def _refuse_unknown(bad: pd.DataFrame, kind: str, label: str, column: str) -> None:
    """Refuse the first unknown code (sorted) of ``bad`` (``code, n, firm`` per distinct raw code)."""
    if len(bad):
        first = bad.sort_values("code").iloc[0]
        raise DataError(
            f"unknown {kind} code '{first['code']}' (firm {first['firm']}; {int(bad['n'].sum())} "
            f"record(s) with {len(bad)} unknown code(s))",
            file=label,
            column=column,
        )


def _check_codes(con, raw, label: str) -> tuple[set[str], set[str], int, bool, bool]:
    """Validate the distinct region and NACE codes (a few thousand, checked in Python).

    Returns the region and NACE codes, the coarsest NACE depth, and whether each column is already written the
    normalised way (then the engines read it as is, without per-row string functions).
    """
    regions = con.execute(raw.group_by("region").aggregate(n=raw.count(), firm=raw.firm_id.min()))
    regions["code"] = regions["region"].astype(str).str.strip()
    _refuse_unknown(regions[~regions["code"].map(is_nis)], "NIS", label, "region")
    codes = con.execute(raw.group_by("nace").aggregate(n=raw.count(), firm=raw.firm_id.min()))
    codes["code"] = codes["nace"].astype(str).str.strip().str.upper().str.replace(".", "")
    depth = codes["code"].map(nace_depth)
    _refuse_unknown(codes[depth.isna()], "NACE", label, "nace")
    min_depth = int(depth.min()) if len(depth) else 5
    clean_region = bool((regions["code"] == regions["region"]).all())
    clean_nace = bool((codes["code"] == codes["nace"]).all())
    return set(regions["code"]), set(codes["code"]), min_depth, clean_region, clean_nace


def _report(con, t, label: str, has_size_class: bool) -> RecordsReport:
    """One pass over the firms: duplicate firm-years (an error), firms, years, moves (reported)."""
    per_firm = t.group_by("firm_id").aggregate(
        n=t.count(),
        first=t.year.min(),
        last=t.year.max(),
        regions=t.region.min() != t.region.max(),
        sectors=t.nace.min() != t.nace.max(),
    )
    a = con.execute(
        per_firm.aggregate(
            firms=per_firm.count(),
            rows=per_firm.n.sum(),
            first=per_firm.first.min(),
            last=per_firm.last.max(),
            region_moves=per_firm.regions.cast("int64").sum(),
            sector_moves=per_firm.sectors.cast("int64").sum(),
        )
    ).iloc[0]
    if not int(a["rows"] or 0):
        raise DataError("no records", file=label)
    # Counting distinct (firm, year) pairs is cheaper than a distinct count of years per firm.
    pairs = int(con.execute(t.select("firm_id", "year").distinct().count()))
    if pairs != int(a["rows"]):
        dups = t.group_by(["firm_id", "year"]).aggregate(n=t.count()).filter(lambda d: d.n > 1)
        n_dup = int(con.execute(dups.count()))
        first = con.execute(dups.order_by(["firm_id", "year"]).limit(1)).iloc[0]
        raise DataError(
            f"duplicate firm-year: firm {first['firm_id']} has {first['n']} records in "
            f"{first['year']} ({n_dup} duplicated firm-year{'s' if n_dup > 1 else ''})",
            file=label,
            column="firm_id",
        )
    notes = ()
    if has_size_class:
        notes = (
            "the size_class column is not used: size classes are derived from employees "
            "with the bounds each measure is given",
        )
    return RecordsReport(
        source=label,
        rows=int(a["rows"]),
        firms=int(a["firms"]),
        first_year=int(a["first"]),
        last_year=int(a["last"]),
        region_moves=int(a["region_moves"] or 0),
        sector_moves=int(a["sector_moves"] or 0),
        notes=notes,
    )


def memtable(df: pd.DataFrame):
    """A small pandas table as an Ibis expression (joined by the engines)."""
    return ibis.memtable(df)
