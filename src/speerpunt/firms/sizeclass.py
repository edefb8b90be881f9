"""SME structure: firms and employment by employment size class, and the SME share by sector and region.

Size classes follow the bounds given (default 0–9, 10–49, 50–249, 250+, Commission Recommendation
2003/361/EC on employment alone); an SME is a firm below the last bound (< 250 employees).

Example
-------
>>> import pandas as pd
>>> from speerpunt.firms.records import load_records
>>> df = pd.DataFrame({"firm_id": [1, 2, 3, 4], "year": 2020, "region": ["11002"] * 4,
...                    "nace": ["20140"] * 4, "employees": [0, 12, 60, 300]})
>>> recs = load_records(df)
>>> t = size_class_table(recs, territory=None, nace_level=None, confidentiality=None)
>>> t[["size_class", "firms", "employees"]].values.tolist()
[['0-9', 1, 0], ['10-49', 1, 12], ['50-249', 1, 60], ['250+', 1, 300]]
>>> s = sme_share(recs, territory=None, nace_level=None)
>>> float(s["sme_firm_share"].iloc[0]), round(float(s["sme_employee_share"].iloc[0]), 4)
(0.75, 0.1935)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.firms.expressions import (
    CELL,
    PUBLISH,
    SIZE_BOUNDS,
    Confidentiality,
    Sectors,
    check_bounds,
    class_labels,
    ratio,
    size_class,
    tidy,
    with_keys,
)
from speerpunt.firms.records import FirmRecords
from speerpunt.firms.territory import Territory


def _keyed(records, year, territory, nace_level, sectors, bounds):
    t = with_keys(records, territory=territory, nace_level=nace_level, sectors=sectors, year=year)
    return t.mutate(cls=size_class(t.employees, bounds))


def size_class_table(
    records: FirmRecords,
    *,
    year: int | None = None,
    territory: Territory | None = None,
    nace_level: str | None = "division",
    sectors: Sectors | None = None,
    bounds: Sequence[int] = SIZE_BOUNDS,
    confidentiality: Confidentiality | None = PUBLISH,
) -> pd.DataFrame:
    """Firms and employees by ``year, region, sector, size_class``, with shares within each cell.

    Returns
    -------
    DataFrame
        ``year, region, sector, size_class, firms, employees, firm_share, employee_share, flag``;
        every class appears (0 firms where none). A confidential class cell (see ``confidentiality``)
        has NaN employees and employee share with flag ``c``; firm counts stay published.

    Notes
    -----
    ``firm_share_k = N_k / Σ_k N_k``, ``employee_share_k = E_k / Σ_k E_k`` within a region × sector × year.
    """
    bounds = check_bounds(bounds)
    t = _keyed(records, year, territory, nace_level, sectors, bounds)
    agg = records.execute(
        t.group_by(["year", "area", "sector", "cls"]).aggregate(
            firms=t.count(), employees=t.employees.sum(), largest=t.employees.max()
        )
    )
    labels = class_labels(bounds)
    keys = agg[["year", "area", "sector"]].drop_duplicates()
    full = keys.merge(pd.DataFrame({"cls": range(len(labels))}), how="cross")
    out = full.merge(agg, on=["year", "area", "sector", "cls"], how="left")
    out[["firms", "employees", "largest"]] = (
        out[["firms", "employees", "largest"]].fillna(0).astype("int64")
    )
    grp = out.groupby(["year", "area", "sector"])
    out["firm_share"] = out["firms"] / grp["firms"].transform("sum")
    out["employee_share"] = ratio(out["employees"], grp["employees"].transform("sum"))
    out["flag"] = ""
    if confidentiality is not None:
        hide = confidentiality.mask(out["firms"], out["employees"], out["largest"]) & (
            out["firms"] > 0
        )
        out["employees"] = out["employees"].astype(float)
        out.loc[hide, ["employees", "employee_share"]] = np.nan
        out.loc[hide, "flag"] = "c"
    out["size_class"] = [labels[i] for i in out["cls"]]
    cols = [*CELL, "size_class", "firms", "employees", "firm_share", "employee_share", "flag"]
    return tidy(out, cols)


def sme_share(
    records: FirmRecords,
    *,
    year: int | None = None,
    territory: Territory | None = None,
    nace_level: str | None = "division",
    sectors: Sectors | None = None,
    bounds: Sequence[int] = SIZE_BOUNDS,
) -> pd.DataFrame:
    """The SME share (firms below the last bound) of firms and of employment, by year, region, sector.

    Returns
    -------
    DataFrame
        ``year, region, sector, firms, sme_firms, sme_firm_share, employees, sme_employees,
        sme_employee_share`` (the employee share is NaN where the cell has no employees).
    """
    bounds = check_bounds(bounds)
    t = _keyed(records, year, territory, nace_level, sectors, bounds)
    sme = t.employees < bounds[-1]
    out = records.execute(
        t.group_by(["year", "area", "sector"]).aggregate(
            firms=t.count(),
            sme_firms=sme.cast("int64").sum(),
            employees=t.employees.sum(),
            sme_employees=sme.ifelse(t.employees, 0).sum(),
        )
    )
    out["sme_firm_share"] = out["sme_firms"] / out["firms"]
    out["sme_employee_share"] = ratio(out["sme_employees"], out["employees"])
    cols = [
        *CELL,
        "firms",
        "sme_firms",
        "sme_firm_share",
        "employees",
        "sme_employees",
        "sme_employee_share",
    ]
    return tidy(out, cols)
