"""Support instruments: their reach, and a first view of their effectiveness (difference-in-differences).

The SERV evaluation protocol (seed ``004``, lines ~1196–1205) first asks for the **reach** of the
instruments — how many unique SMEs, how many employees they have, in which sectors, what support they
received — and then for their **effectiveness**.

Support records are ``firm_id, instrument, year, amount``. They are matched to the firm records on
``firm_id`` and ``year``; records of firms absent from the register, and of firms without a record in
the support year, are counted and reported in their own columns, never dropped silently.

Example
-------
>>> import pandas as pd
>>> from speerpunt.firms.records import load_records
>>> firms = pd.DataFrame({"firm_id": [1, 2, 3], "year": 2020, "region": ["11002"] * 3,
...                       "nace": ["25"] * 3, "employees": [4, 12, 300]})
>>> support = pd.DataFrame({"firm_id": [1, 1, 2, 9], "instrument": "KMO-portefeuille",
...                         "year": 2020, "amount": [1000, 500, 2000, 700]})
>>> r = reach(load_records(firms), support)
>>> r[["firms_reached", "employees", "amount", "target_firms", "unknown_firms"]].to_dict("records")
[{'firms_reached': 2, 'employees': 16, 'amount': 3500.0, 'target_firms': 2, 'unknown_firms': 1}]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from speerpunt.errors import DataError, MeasureError, Text
from speerpunt.firms.engine import memtable
from speerpunt.firms.expressions import (
    SIZE_BOUNDS,
    Sectors,
    check_bounds,
    dotted,
    ratio,
    size_class,
    with_keys,
)
from speerpunt.firms.records import FirmRecords

SUPPORT_COLUMNS = ("firm_id", "instrument", "year", "amount")

#: What the difference-in-differences can and cannot say; returned with every effectiveness table.
CAVEATS = (
    "Comparison firms are unsupported firms in the same sector, size class and region in the year "
    "before support; they may differ in ways the register does not show (selection on unobservables).",
    "Firms apply for support: growth plans that lead to support may also lead to growth.",
    "A firm without a record in the outcome year counts as exited with 0 employees.",
    "Supported firms without any comparison firm in their cell are left out and counted (unmatched).",
    "The standard error treats cells as independent samples; it ignores spill-overs and clustering.",
)


def load_support(source: str | Path | pd.DataFrame, *, name: str | None = None) -> pd.DataFrame:
    """Read and validate support records (Parquet/CSV or a DataFrame): one-line errors on bad input."""
    label = name or (Path(source).name if not isinstance(source, pd.DataFrame) else "support")
    df = source.copy() if isinstance(source, pd.DataFrame) else _read(source)
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in SUPPORT_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(
            Text("fr_missing_columns", columns=", ".join(missing)), file=label, column=missing[0]
        )
    out = pd.DataFrame({"firm_id": df["firm_id"].astype(str).str.strip()})
    out["instrument"] = df["instrument"].astype(str).str.strip()
    for col in ("year", "amount"):
        values = pd.to_numeric(df[col], errors="coerce")
        bad = (
            values.isna()
            | (values < 0)
            | ((values != np.floor(values)) if col == "year" else False)
        )
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(
                Text(
                    "fr_not_year" if col == "year" else "fr_not_amount",
                    value=repr(df[col].iloc[i]),
                    firm=out["firm_id"].iloc[i],
                ),
                file=label,
                row=i + 2,
                column=col,
            )
        out[col] = values.astype("int64" if col == "year" else "float64")
    blank = (out["firm_id"] == "") | (out["instrument"] == "") | df["firm_id"].isna()
    if blank.any():
        i = int(np.flatnonzero(blank.to_numpy())[0])
        raise DataError(Text("fr_missing_firm_instrument"), file=label, row=i + 2)
    return out


def support_keys(ids: pd.Series, records: FirmRecords) -> pd.Series:
    """Support firm ids in the register's id type; an id that is not a number matches no integer id."""
    if records.table.firm_id.type().is_string():
        return ids.astype(str)
    return pd.to_numeric(ids, errors="coerce").astype("Int64")


def _read(source) -> pd.DataFrame:
    path = Path(source)
    if not path.exists():
        raise DataError(Text("fr_file_not_found"), file=str(path))
    if path.suffix.lower() in (".parquet", ".pq"):
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def reach(
    records: FirmRecords,
    support: pd.DataFrame | str | Path,
    *,
    by_sector: bool = False,
    territory=None,
    nace_level: str | None = "division",
    sectors: Sectors | None = None,
    bounds: Sequence[int] = SIZE_BOUNDS,
) -> pd.DataFrame:
    """Reach of each instrument (and sector): unique firms, their employees, sectors, regions, amounts.

    Returns
    -------
    DataFrame
        ``instrument, [sector,] support_records, firms_reached, sme_reached, employees, sectors,
        regions, amount, target_firms, reach_share, unknown_firms, unknown_records, unknown_amount,
        inactive_records``.

    Notes
    -----
    ``employees``: of each reached firm in the year of its first support by the instrument.
    ``target_firms``: SMEs (below the last size bound) with a record in any of the instrument's support
    years (in the sector, with ``by_sector``); ``reach_share = sme_reached / target_firms``.
    ``unknown_*``: support records whose firm is not in the register; ``inactive_records``: the firm is
    in the register but has no record in the support year.
    """
    bounds = check_bounds(bounds)
    s = load_support(support)
    if sectors is None and nace_level is None and by_sector:
        raise MeasureError(Text("fr_by_sector"), column="by_sector")
    keyed = with_keys(records, territory=territory, nace_level=nace_level, sectors=sectors)
    sm = memtable(s.assign(_row=np.arange(len(s)), _key=support_keys(s["firm_id"], records)))
    k = keyed.select(
        _fid=keyed.firm_id,
        _year=keyed.year,
        employees=keyed.employees,
        area=keyed.area,
        sector=keyed.sector,
        cls=size_class(keyed.employees, bounds),
    )
    matched = records.execute(
        sm.join(k, (sm._key == k._fid) & (sm.year == k._year)).drop("_fid", "_year", "_key")
    )
    ids = records.table.select(_fid=records.table.firm_id).distinct()
    known = records.execute(sm.semi_join(ids, sm._key == ids._fid).select("_row"))["_row"]
    s = s.assign(_known=s.index.isin(known), _matched=s.index.isin(matched["_row"]))
    keys = ["instrument", "sector"] if by_sector else ["instrument"]
    rows = []
    for inst, part in s.groupby("instrument", sort=True):
        m = matched[matched["instrument"] == inst]
        years = sorted(part["year"].unique().tolist())
        pop = keyed.filter(keyed.year.isin(years) & (keyed.employees < bounds[-1]))
        target = records.execute(
            pop.group_by("sector").aggregate(n=pop.firm_id.nunique())
            if by_sector
            else pop.aggregate(n=pop.firm_id.nunique())
        )
        groups = m.groupby("sector") if by_sector else [(None, m)]
        for sector, g in groups:
            first = g.sort_values(["year", "_row"]).drop_duplicates("firm_id")
            if by_sector:
                tgt = target.loc[target["sector"] == sector, "n"]
                tgt = int(tgt.iloc[0]) if len(tgt) else 0
            else:
                tgt = int(target["n"].iloc[0] or 0)
            sme = int((first["cls"] < len(bounds)).sum())
            rows.append(
                {
                    "instrument": inst,
                    **({"sector": sector} if by_sector else {}),
                    "support_records": len(g),
                    "firms_reached": first["firm_id"].nunique(),
                    "sme_reached": sme,
                    "employees": int(first["employees"].sum()),
                    "sectors": g["sector"].nunique(),
                    "regions": g["area"].nunique(),
                    "amount": float(g["amount"].sum()),
                    "target_firms": tgt,
                }
            )
        unknown = part[~part["_known"]]
        inactive = part[part["_known"] & ~part["_matched"]]
        for row in rows:
            if row["instrument"] == inst:
                row["unknown_firms"] = unknown["firm_id"].nunique()
                row["unknown_records"] = len(unknown)
                row["unknown_amount"] = float(unknown["amount"].sum())
                row["inactive_records"] = len(inactive)
        if not len(m):
            rows.append(
                {
                    "instrument": inst,
                    **({"sector": None} if by_sector else {}),
                    "support_records": 0,
                    "firms_reached": 0,
                    "sme_reached": 0,
                    "employees": 0,
                    "sectors": 0,
                    "regions": 0,
                    "amount": 0.0,
                    "target_firms": int(target["n"].sum()),
                    "unknown_firms": unknown["firm_id"].nunique(),
                    "unknown_records": len(unknown),
                    "unknown_amount": float(unknown["amount"].sum()),
                    "inactive_records": len(inactive),
                }
            )
    out = pd.DataFrame(rows)
    counts = [c for c in out.columns if c not in ("instrument", "sector") and "amount" not in c]
    out[counts] = out[counts].astype("int64")
    out["reach_share"] = ratio(out["sme_reached"], out["target_firms"])
    if by_sector:
        out["sector"] = dotted(out["sector"])
    cols = [
        *keys,
        "support_records",
        "firms_reached",
        "sme_reached",
        "employees",
        "sectors",
        "regions",
        "amount",
        "target_firms",
        "reach_share",
        "unknown_firms",
        "unknown_records",
        "unknown_amount",
        "inactive_records",
    ]
    return out[cols].sort_values(keys).reset_index(drop=True)
