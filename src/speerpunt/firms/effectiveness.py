"""A first effectiveness view of a support instrument: difference-in-differences against similar firms.

For each cohort *s* (firms first supported by the instrument in year *s*) the baseline is *s − 1* and the
outcome year *s + h*. Each supported firm is compared with the firms **never** supported (by any
instrument in the support records) that were in the same cell at the baseline: same sector, size class
and region. Per cell *c* with ``n_T,c`` supported and ``n_C,c`` comparison firms,

``DiD = Σ_c w_c (ΔE_T,c − ΔE_C,c)``, ``w_c = n_T,c / Σ_c n_T,c``,

where ``ΔE`` is the mean change in employees from baseline to outcome (a firm without an outcome record
counts as exited, 0 employees), and ``se = sqrt(Σ_c w_c² (s²_T,c / n_T,c + s²_C,c / n_C,c))``. What the
number can and cannot say is in :data:`~speerpunt.firms.reach.CAVEATS` (returned in ``attrs``).

Reference: Angrist & Pischke (2009), *Mostly Harmless Econometrics*, ch. 5 (DiD) and ch. 3.3 (matching
on cells).

Example
-------
>>> import pandas as pd
>>> from speerpunt.firms.records import load_records
>>> firms = pd.DataFrame({"firm_id": [1, 1, 2, 2, 3, 3], "year": [2019, 2022] * 3,
...                       "region": ["11002"] * 6, "nace": ["25"] * 6,
...                       "employees": [5, 9, 5, 6, 4, 4]})
>>> support = pd.DataFrame({"firm_id": [1], "instrument": ["X"], "year": [2020], "amount": [1e4]})
>>> e = effectiveness(load_records(firms), support, "X", horizon=2)
>>> e[["cohort", "treated", "controls", "did"]].to_dict("records")
[{'cohort': 2020, 'treated': 1, 'controls': 2, 'did': 3.5}]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Text
from speerpunt.firms.engine import memtable
from speerpunt.firms.expressions import SIZE_BOUNDS, check_bounds, size_class, with_keys
from speerpunt.firms.reach import CAVEATS, load_support, support_keys
from speerpunt.firms.records import FirmRecords

COLUMNS = [
    "instrument",
    "cohort",
    "baseline_year",
    "outcome_year",
    "treated",
    "matched",
    "unmatched",
    "controls",
    "mean_change_treated",
    "mean_change_controls",
    "did",
    "se",
    "exits_treated",
    "exits_controls",
    "note",
]


def effectiveness(
    records: FirmRecords,
    support,
    instrument: str,
    *,
    horizon: int = 2,
    territory="province",
    nace_level: str = "division",
    bounds: Sequence[int] = SIZE_BOUNDS,
) -> pd.DataFrame:
    """Difference-in-differences of employment growth, supported vs comparable unsupported firms.

    Returns
    -------
    DataFrame
        One row per cohort (``note`` says why a cohort could not be evaluated), columns
        ``instrument, cohort, baseline_year, outcome_year, treated, matched, unmatched, controls,
        mean_change_treated, mean_change_controls, did, se, exits_treated, exits_controls, note``;
        ``attrs['caveats']`` holds the caveats.
    """
    bounds = check_bounds(bounds)
    if horizon < 0:
        raise MeasureError(Text("fr_horizon", horizon=horizon), column="horizon")
    s = load_support(support)
    mine = s[s["instrument"] == instrument]
    if mine.empty:
        raise MeasureError(
            Text(
                "fr_instrument",
                instrument=instrument,
                instruments=", ".join(sorted(s["instrument"].unique())),
            ),
            column="instrument",
        )
    cohorts = mine.groupby("firm_id")["year"].min()
    ever = memtable(
        pd.DataFrame({"_sid": support_keys(pd.Series(s["firm_id"].unique()), records).dropna()})
    )
    keyed = with_keys(records, territory=territory, nace_level=nace_level)
    t = records.table
    r = records.report
    rows = []
    for cohort in sorted(cohorts.unique()):
        base, end = int(cohort) - 1, int(cohort) + horizon
        treated_ids = cohorts.index[cohorts == cohort]
        row = {
            "instrument": instrument,
            "cohort": int(cohort),
            "baseline_year": base,
            "outcome_year": end,
        }
        if base < r.first_year or end > r.last_year:
            rows.append(
                row | {"treated": len(treated_ids), "note": f"needs records for {base} and {end}"}
            )
            continue
        ids = support_keys(pd.Series(treated_ids), records).dropna()
        rows.append(row | _cohort(records, keyed, t, ever, ids, base, end, bounds))
    out = pd.DataFrame(rows).reindex(columns=COLUMNS)
    out["note"] = out["note"].fillna("")
    out.attrs["caveats"] = CAVEATS
    return out


def _cohort(records, keyed, t, ever, treated_ids, base: int, end: int, bounds) -> dict:
    b = keyed.filter(keyed.year == base)
    b = b.select(
        firm_id=b.firm_id,
        e0=b.employees,
        cell_area=b.area,
        cell_sector=b.sector,
        cell_class=size_class(b.employees, bounds),
    )
    o = t.filter(t.year == end).select(_oid=t.firm_id, e1=t.employees)
    tr = memtable(pd.DataFrame({"_tid": list(treated_ids)}))
    j = b.left_join(o, b.firm_id == o._oid)
    j = j.left_join(tr, j.firm_id == tr._tid)
    j = j.left_join(ever, j.firm_id == ever._sid)
    j = j.mutate(
        treated=j._tid.notnull(),
        never=j._sid.isnull(),
        change=(j.e1.fill_null(0) - j.e0).cast("float64"),
        exited=j._oid.isnull(),
    ).filter(lambda x: x.treated | x.never)
    cells = records.execute(
        j.group_by(["cell_area", "cell_sector", "cell_class", "treated"]).aggregate(
            n=j.count(),
            total=j.change.sum(),
            squares=(j.change * j.change).sum(),
            exits=j.exited.cast("int64").sum(),
        )
    )
    key = ["cell_area", "cell_sector", "cell_class"]
    tr_c = cells[cells["treated"]].set_index(key)
    co_c = cells[~cells["treated"]].set_index(key)
    both = tr_c.join(co_c, suffixes=("_t", "_c"), how="inner")
    treated = int(tr_c["n"].sum()) if len(tr_c) else 0
    matched = int(both["n_t"].sum()) if len(both) else 0
    res = {
        "treated": treated,
        "matched": matched,
        "unmatched": treated - matched,
        "controls": int(both["n_c"].sum()) if len(both) else 0,
        "exits_treated": int(both["exits_t"].sum()) if len(both) else 0,
        "exits_controls": int(both["exits_c"].sum()) if len(both) else 0,
        "note": "" if treated else "no supported firm has a record in the baseline year",
    }
    if not matched:
        res["note"] = res["note"] or "no supported firm has comparison firms in its cell"
        return res
    w = both["n_t"] / matched
    mean_t = both["total_t"] / both["n_t"]
    mean_c = both["total_c"] / both["n_c"]
    var_t = _variance(both["squares_t"], both["total_t"], both["n_t"])
    var_c = _variance(both["squares_c"], both["total_c"], both["n_c"])
    res["mean_change_treated"] = float((w * mean_t).sum())
    res["mean_change_controls"] = float((w * mean_c).sum())
    res["did"] = float((w * (mean_t - mean_c)).sum())
    res["se"] = float(np.sqrt((w**2 * (var_t / both["n_t"] + var_c / both["n_c"])).sum()))
    return res


def _variance(squares: pd.Series, total: pd.Series, n: pd.Series) -> pd.Series:
    """Sample variance from sums (0 for a single firm)."""
    var = (squares - total**2 / n) / (n - 1).replace(0, np.nan)
    return var.fillna(0.0).clip(lower=0.0)
