"""Business demography from firm records: active firms, births, deaths, survival at 1/3/5 years.

Definitions (records-based, after Eurostat–OECD *Manual on Business Demography Statistics*, 2007, in
simplified form):

* **active** in year *t*: the firm has a record in *t*;
* **birth** in *t*: ``birth_year == t`` when the records carry ``birth_year``, else the firm's first record
  is in *t* — not countable in the register's first year (NaN: the firm may be older);
* **death** in *t*: ``death_year == t`` when given, else the firm's last record is in *t* — not countable in
  the register's last year (NaN: the firm may go on);
* **survival at k years** of the births of *t*: the share of them with a record in *t + k* (NaN when
  *t + k* is past the register).

``birth_rate = births / active``, ``death_rate = deaths / active``. Firms count in the area and sector of
the year concerned (births and survival: of the birth year).

Example
-------
>>> import pandas as pd
>>> from speerpunt.firms.records import load_records
>>> df = pd.DataFrame({"firm_id": [1, 1, 1, 2, 3, 3], "year": [2018, 2019, 2020, 2018, 2019, 2020],
...                    "region": ["11002"] * 6, "nace": ["25"] * 6, "employees": [1] * 6})
>>> d = demography(load_records(df), territory=None, nace_level=None)
>>> d[["year", "active", "births", "deaths"]].to_dict("list")
{'year': [2018, 2019, 2020], 'active': [2, 2, 2], 'births': [nan, 1.0, 0.0], 'deaths': [1.0, 0.0, nan]}
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Text
from speerpunt.firms.expressions import CELL, Sectors, tidy, with_keys
from speerpunt.firms.records import FirmRecords
from speerpunt.firms.territory import Territory

HORIZONS = (1, 3, 5)


def _flagged(records: FirmRecords, territory, nace_level, sectors):
    t = records.table
    aggs = {"_first": t.year.min(), "_last": t.year.max()}
    if "birth_year" in records.columns:
        aggs["_born"] = t.birth_year.min()
    if "death_year" in records.columns:
        aggs["_died"] = t.death_year.min()
    firms = t.group_by("firm_id").aggregate(**aggs).rename(_fid="firm_id")
    k = with_keys(records, territory=territory, nace_level=nace_level, sectors=sectors)
    k = k.join(firms, k.firm_id == firms._fid).drop("_fid")
    r = records.report
    if "birth_year" in records.columns:
        birth = (k._born == k.year).fill_null(False)
    else:
        birth = (k._first == k.year) & (k.year > r.first_year)
    if "death_year" in records.columns:
        death = (k._died == k.year).fill_null(False)
    else:
        death = (k._last == k.year) & (k.year < r.last_year)
    return k.mutate(_birth=birth, _death=death)


def demography(
    records: FirmRecords,
    *,
    territory: Territory | None = None,
    nace_level: str | None = "division",
    sectors: Sectors | None = None,
) -> pd.DataFrame:
    """Active firms, births, deaths and their rates by ``year, region, sector``.

    Returns
    -------
    DataFrame
        ``year, region, sector, active, births, deaths, birth_rate, death_rate``; births are NaN in the
        register's first year and deaths in its last year unless ``birth_year``/``death_year`` are given.
    """
    k = _flagged(records, territory, nace_level, sectors)
    out = records.execute(
        k.group_by(["year", "area", "sector"]).aggregate(
            active=k.count(),
            births=k._birth.cast("int64").sum(),
            deaths=k._death.cast("int64").sum(),
        )
    )
    r = records.report
    out["births"] = out["births"].astype(float)
    out["deaths"] = out["deaths"].astype(float)
    if "birth_year" not in records.columns:
        out.loc[out["year"] == r.first_year, "births"] = np.nan
    if "death_year" not in records.columns:
        out.loc[out["year"] == r.last_year, "deaths"] = np.nan
    out["birth_rate"] = out["births"] / out["active"]
    out["death_rate"] = out["deaths"] / out["active"]
    cols = [*CELL, "active", "births", "deaths", "birth_rate", "death_rate"]
    return tidy(out, cols)


def survival(
    records: FirmRecords,
    *,
    horizons: Sequence[int] = HORIZONS,
    territory: Territory | None = None,
    nace_level: str | None = "division",
    sectors: Sectors | None = None,
) -> pd.DataFrame:
    """Survival of each birth cohort at ``horizons`` years, by ``cohort, region, sector``.

    Returns
    -------
    DataFrame
        ``cohort, region, sector, births`` and per horizon *k* ``survived_k`` and ``survival_k``
        (``survived_k / births``; NaN when ``cohort + k`` is after the last year of the records).
    """
    hs = sorted({int(h) for h in horizons})
    if not hs or hs[0] < 1:
        raise MeasureError(Text("fr_horizons", horizons=str(list(horizons))), column="horizons")
    k = _flagged(records, territory, nace_level, sectors)
    births = k.filter(k._birth).select(
        firm_id=k.firm_id, cohort=k.year, area=k.area, sector=k.sector
    )
    t = records.table
    later = t.select(_fid=t.firm_id, _year=t.year)
    joined = births.join(later, (births.firm_id == later._fid) & (later._year > births.cohort))
    joined = joined.mutate(h=joined._year - joined.cohort).filter(lambda j: j.h.isin(hs))
    born = records.execute(
        births.group_by(["cohort", "area", "sector"]).aggregate(births=births.count())
    )
    alive = records.execute(
        joined.group_by(["cohort", "area", "sector", "h"]).aggregate(n=joined.count())
    )
    last = records.report.last_year
    out = born
    for h in hs:
        part = alive[alive["h"] == h][["cohort", "area", "sector", "n"]]
        out = out.merge(
            part.rename(columns={"n": f"survived_{h}"}), how="left", on=["cohort", "area", "sector"]
        )
        censored = out["cohort"] + h > last
        out[f"survived_{h}"] = out[f"survived_{h}"].fillna(0).astype(float).where(~censored, np.nan)
        out[f"survival_{h}"] = out[f"survived_{h}"] / out["births"]
    cols = [
        "cohort",
        "region",
        "sector",
        *(c for c in out.columns if c not in ("cohort", "area", "sector")),
    ]
    return tidy(out, cols, ("cohort",))
