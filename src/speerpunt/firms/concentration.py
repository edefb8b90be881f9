"""Concentration of employment among firms (top-20 % share, Herfindahl) and value added per employee.

Example
-------
>>> import pandas as pd
>>> from speerpunt.firms.records import load_records
>>> df = pd.DataFrame({"firm_id": list(range(1, 6)), "year": 2020, "region": ["11002"] * 5,
...                    "nace": ["25"] * 5, "employees": [50, 20, 15, 10, 5],
...                    "value_added": [4e6, 1.6e6, None, 8e5, 4e5]})
>>> recs = load_records(df)
>>> c = concentration(recs, territory=None, nace_level=None)
>>> float(c["top_share"].iloc[0]), float(c["herfindahl"].iloc[0])
(0.5, 0.325)
>>> p = productivity(recs, territory=None, nace_level=None)
>>> float(p["va_per_employee"].iloc[0]), int(p["firms_without_va"].iloc[0])
(80000.0, 1)
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Num, Text
from speerpunt.firms.expressions import CELL, Sectors, ratio, tidy, with_keys
from speerpunt.firms.records import FirmRecords
from speerpunt.firms.territory import Territory


def concentration(
    records: FirmRecords,
    *,
    year: int | None = None,
    top: float = 0.2,
    territory: Territory | None = None,
    nace_level: str | None = "division",
    sectors: Sectors | None = None,
) -> pd.DataFrame:
    """Share of employment held by the largest ``top`` of firms, and the Herfindahl index.

    Returns
    -------
    DataFrame
        ``year, region, sector, firms, employees, top_firms, top_share, herfindahl`` (NaN shares in a
        cell without employees).

    Notes
    -----
    ``top_firms = ⌈top · n⌉``; ``top_share = Σ_{i ≤ top_firms} e_(i) / Σ_i e_i`` with firms sorted by
    employees, largest first. ``herfindahl = Σ_i (e_i / Σ_j e_j)²`` (1 = one firm holds everything).
    """
    if not 0 < top <= 1:
        raise MeasureError(Text("fr_top_share", top=Num(top)), column="top")
    t = with_keys(records, territory=territory, nace_level=nace_level, sectors=sectors, year=year)
    keys = ["year", "area", "sector"]
    w = ibis.window(group_by=keys, order_by=[ibis.desc(t.employees), t.firm_id])
    t = t.mutate(
        _rank=ibis.row_number().over(w), _n=t.firm_id.count().over(ibis.window(group_by=keys))
    )
    cut = (t._n * top).ceil()
    e = t.employees.cast("float64")
    out = records.execute(
        t.group_by(keys).aggregate(
            firms=t.firm_id.count(),
            employees=t.employees.sum(),
            top_employees=((t._rank + 1) <= cut).ifelse(t.employees, 0).sum(),
            squares=(e * e).sum(),
        )
    )
    # ibis.row_number() is 0-based on every backend.
    out["top_firms"] = np.ceil(out["firms"] * top).astype(int)
    out["top_share"] = ratio(out["top_employees"], out["employees"])
    out["herfindahl"] = ratio(out["squares"], out["employees"].astype(float) ** 2)
    cols = [*CELL, "firms", "employees", "top_firms", "top_share", "herfindahl"]
    return tidy(out, cols)


def productivity(
    records: FirmRecords,
    *,
    year: int | None = None,
    territory: Territory | None = None,
    nace_level: str | None = "division",
    sectors: Sectors | None = None,
) -> pd.DataFrame:
    """Value added per employee, over the firms that report value added.

    Returns
    -------
    DataFrame
        ``year, region, sector, firms, firms_without_va, value_added, employees_with_va,
        va_per_employee`` — firms without value added are counted, never read as zero.

    Notes
    -----
    ``va_per_employee = Σ_{i: VA_i known} VA_i / Σ_{i: VA_i known} e_i``.
    """
    records.require("value_added")
    t = with_keys(records, territory=territory, nace_level=nace_level, sectors=sectors, year=year)
    known = t.value_added.notnull()
    keys = ["year", "area", "sector"]
    out = records.execute(
        t.group_by(keys).aggregate(
            firms=t.firm_id.count(),
            firms_without_va=(~known).cast("int64").sum(),
            value_added=t.value_added.sum(),
            employees_with_va=known.ifelse(t.employees, 0).sum(),
        )
    )
    out["va_per_employee"] = ratio(out["value_added"], out["employees_with_va"])
    cols = [
        *CELL,
        "firms",
        "firms_without_va",
        "value_added",
        "employees_with_va",
        "va_per_employee",
    ]
    return tidy(out, cols)
